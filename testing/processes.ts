import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Every process of a Chromium instance: the browser and its children (renderers, network service, ...). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const all: number[] = [];
  const visit = (pid: number) => {
    all.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(rootPid);
  return all;
}

/** Freezes every process of the tree (SIGSTOP), as a laptop that hangs; returns a function that thaws them. */
export function freezeTree(rootPid: number): () => void {
  const pids = processTree(rootPid).map(String);
  execFileSync('kill', ['-STOP', ...pids]);
  return () => execFileSync('kill', ['-CONT', ...pids]);
}
