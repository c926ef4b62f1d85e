// Element ids the room tools' buttons and panels share (the control bar and the room render them apart).
export const CHAT_BUTTON_ID = 'room-tools-chat-button';
export const CHAT_PANEL_ID = 'room-tools-chat';
export const CHAT_INPUT_ID = 'room-tools-chat-input';
export const REACTIONS_POPOVER_ID = 'room-tools-reactions';

/** A ref to whatever element has `id` now. */
export const refById = (id: string) => ({
  get current() {
    return document.getElementById(id);
  },
});
