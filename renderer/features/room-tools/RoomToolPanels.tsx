/** The room's chat panel, hand queue and chat notice line (to be built). */
export function RoomToolPanels() {
  return null;
}
