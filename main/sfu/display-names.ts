/**
 * The name to show for someone called `fullname` in a room where `shown`
 * names are already shown: their own, or "Bob (2)", "Bob (3)"… when a Bob is
 * there already (names compare without case and outer spaces), so two
 * people with one name can be told apart in tiles, chat and menus.
 */
export function distinctName(fullname: string, shown: Iterable<string>): string {
  const key = (name: string) => name.trim().toLocaleLowerCase();
  const taken = new Set([...shown].map(key));
  if (!taken.has(key(fullname))) return fullname;
  let n = 2;
  while (taken.has(key(`${fullname} (${n})`))) n++;
  return `${fullname} (${n})`;
}
