import { readdirSync, readFileSync } from 'node:fs';

// Measurement helpers for the benchmarks: CPU, memory, descriptors and
// children of processes from /proc (Linux), percentiles, and bounded waits.

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return Number(line?.[1] ?? 0) * 1024;
}

/** Open file descriptors of a process (0 once it is gone). */
export function fdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/** Child processes of `pid` (any of its threads may have started them), e.g. its mediasoup workers. */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}

/** CPU use of `pids` while `run` runs, as a share of one core. */
export async function cpuShare(
  pids: number[],
  run: () => Promise<void>,
): Promise<{ share: number[]; seconds: number }> {
  const before = pids.map(cpuSeconds);
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  return { share: pids.map((pid, i) => (cpuSeconds(pid) - before[i]!) / seconds), seconds };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects when `work` takes longer than `ms` (the work itself is left to finish or fail). */
export function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Arguments of `npm run host` for a benchmark host: plain HTTP on loopback, OS-chosen ports, one worker. */
export function loopbackHostArgs(dataDir: string): string[] {
  return [
    ...['--insecure-http', '--port', '0', '--rtc-port', '0', '--workers', '1'],
    ...['--announced-ip', '127.0.0.1', '--data-dir', dataDir],
  ];
}

/** Calls `check` every `intervalMs` until it answers true; rejects after `timeoutMs`. */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 5,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
