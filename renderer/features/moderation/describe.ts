import { MessageRejectedError } from '../../../shared/client/message-socket';
import { ServiceCallError } from '../../../shared/client/service-client';
import type {
  Actor,
  Knock,
  ModeratedSource,
  RoomSettings,
} from '../../../shared/protocol/moderation';
import { PRIVILEGE } from '../../../shared/protocol/services';

// The words people see and hear for what admins do: one function per kind
// of event, so the client, the components and their tests say the same.

export const ASK_TO_UNMUTE_TEXT = 'The meeting asks you to raise your hand before you unmute';

/** "You" for ourselves, else the name the room shows. */
function who(by: Actor, selfPeerId: string | null): string {
  return by.peer_id === selfPeerId ? 'You' : by.display_name;
}

/** One line per setting that changed; `by` null: the host changed it (or it changed while we were away). */
export function describeSettingsChange(
  before: RoomSettings,
  after: RoomSettings,
  by: Actor | null,
  selfPeerId: string | null,
): string[] {
  const name = by ? who(by, selfPeerId) : null;
  const lines: string[] = [];
  if (before.locked !== after.locked) {
    if (name) lines.push(`${name} ${after.locked ? 'locked' : 'unlocked'} the meeting`);
    else lines.push(after.locked ? 'The meeting is locked now' : 'The meeting is open again');
  }
  if (before.ask_to_unmute !== after.ask_to_unmute) {
    if (name)
      lines.push(
        after.ask_to_unmute
          ? `${name} asked everyone to ask before they unmute`
          : `${name} let everyone unmute again`,
      );
    else
      lines.push(
        after.ask_to_unmute
          ? 'The meeting asks everyone to ask before they unmute'
          : 'Everyone may unmute again',
      );
  }
  return lines;
}

const SWITCHED_OFF: Record<ModeratedSource, { by: string; setting: string }> = {
  microphone: {
    by: 'muted your microphone',
    setting: `Your microphone was muted. ${ASK_TO_UNMUTE_TEXT}`,
  },
  camera: { by: 'stopped your camera', setting: 'Your camera was stopped' },
  screen: { by: 'stopped your screen share', setting: 'Your screen share was stopped' },
};

/** "Ada muted your microphone"; with `by` null the meeting's ask-to-unmute setting did it. */
export function describeMuted(source: ModeratedSource, by: Actor | null): string {
  return by ? `${by.display_name} ${SWITCHED_OFF[source].by}` : SWITCHED_OFF[source].setting;
}

export function describeUnmuteAllowed(by: Actor): string {
  return `${by.display_name} lets you unmute`;
}

export function describeRemoved(name: string, by: Actor, selfPeerId: string | null): string {
  return `${who(by, selfPeerId)} removed ${name}`;
}

/** `name` null: the change is ours ("Ada made you an admin"). */
export function describeRoleChange(
  name: string | null,
  privilege: number,
  by: Actor,
  selfPeerId: string | null,
): string {
  const role = privilege >= PRIVILEGE.admin ? 'an admin' : 'a member again';
  if (name === null)
    return by.peer_id === selfPeerId
      ? `You are ${privilege >= PRIVILEGE.admin ? 'an admin now' : 'a member again'}`
      : `${by.display_name} made you ${role}`;
  return `${who(by, selfPeerId)} made ${name} ${role}`;
}

/** "Dee wants to join", "Dee and Eve want to join", "3 people want to join". */
export function describeKnocks(knocks: Knock[]): string {
  const names = knocks.map((knock) => knock.display_name);
  if (names.length === 1) return `${names[0]} wants to join`;
  if (names.length === 2) return `${names[0]} and ${names[1]} want to join`;
  return `${names.length} people want to join`;
}

/** Words for a moderation request the host refused or that could not be sent. */
export function describeModerationError(error: unknown): string {
  if (error instanceof MessageRejectedError || error instanceof ServiceCallError) {
    if (error.reason === 'forbidden') return 'Not done: only the meeting’s admins can do that.';
    if (error.reason === 'not_found') return 'Not done: they are no longer in the meeting.';
    return `Not done: ${error.message}`;
  }
  return 'Not done: you are not connected to the meeting right now.';
}

/** Whether the host refused something as not allowed (the ask-to-unmute setting, or not an admin). */
export function isForbidden(error: unknown): boolean {
  return (error as { reason?: unknown } | null)?.reason === 'forbidden';
}
