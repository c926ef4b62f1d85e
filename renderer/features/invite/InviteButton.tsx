/** The control bar's Invite button (to be built). */
export function InviteButton() {
  return null;
}
