/** The control bar's buttons for chat, raising a hand and reactions (to be built). */
export function RoomToolButtons() {
  return null;
}
