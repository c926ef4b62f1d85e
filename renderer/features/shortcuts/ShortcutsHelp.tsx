/** "?" opens the list of keyboard shortcuts (to be built). */
export function ShortcutsHelp() {
  return null;
}
