/** Who joined and who left between two views of the room (peer id → name). */
export function peerChanges(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): { joined: string[]; left: string[] } {
  return {
    joined: [...after].filter(([id]) => !before.has(id)).map(([, name]) => name),
    left: [...before].filter(([id]) => !after.has(id)).map(([, name]) => name),
  };
}

/** One line for a toast and for screen readers: "Ann joined", "Ann and Bo left", "3 people joined". */
export function describeChange(names: string[], verb: 'joined' | 'left'): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} ${verb}`;
  if (names.length === 2) return `${names[0]} and ${names[1]} ${verb}`;
  return `${names.length} people ${verb}`;
}
