/** Join and leave notices: a toast, a soft sound and a screen-reader announcement (to be built). */
export function Notices() {
  return null;
}
