/** Alone in the room: the invite link, Copy and a QR code (to be built). */
export function InviteCard() {
  return null;
}
