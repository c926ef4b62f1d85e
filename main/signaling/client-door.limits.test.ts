import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { startTestHost, type TestHost } from '../../testing/host';
import { waitFor } from '../../testing/wait';

// No client, bound or not, can grow the host's memory without bound or hold
// sockets open for nothing: frames are rate-limited and queued within a
// bound, unbound sockets are capped and must bind in time, and only the
// host's own pages (and programs, which send no Origin) may open a socket.

let host: TestHost;

beforeAll(async () => {
  host = await startTestHost({
    socketLimits: { maxUnboundSockets: 8, bindTimeoutMs: 2_000 },
    extraOrigins: ['http://allowed.test'],
  });
});

afterAll(async () => {
  await host?.dispose();
});

function open(headers: Record<string, string> = {}) {
  const socket = new NodeWebSocket(host.wsUrl, { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const outcome = new Promise<'open' | number>((resolve) => {
    socket.on('open', () => resolve('open'));
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
  });
  socket.on('error', () => undefined);
  return { socket, closed, outcome };
}

/** The host's resident memory, in MiB (the host runs in this process; the flood comes from another). */
const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

// Stated bound: a flood of 400,000 one-byte frames from one unbound socket
// grows the host's RSS by less than 64 MiB (it grew by 223 MiB before limits).
const FLOOD_FRAMES = 400_000;
const FLOOD_RSS_BOUND_MIB = 64;

test('a flood of tiny frames from an unbound socket is cut off and costs bounded memory', async () => {
  global.gc?.();
  const before = rssMiB();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 20);
  // The flooder is another process, so its own send buffers do not count as ours.
  const flooder = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { WebSocket } from 'ws';
       const socket = new WebSocket(process.argv[1]);
       socket.on('error', () => {});
       let sent = 0;
       const burst = () => {
         for (let i = 0; i < 2000 && sent < ${FLOOD_FRAMES}; i++, sent++) socket.send('x');
         if (sent < ${FLOOD_FRAMES} && socket.readyState === WebSocket.OPEN) setImmediate(burst);
       };
       socket.on('open', burst);
       socket.on('close', (code, reason) => { console.log(JSON.stringify({ code, reason: String(reason) })); process.exit(0); });`,
      host.wsUrl,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  flooder.stdout.on('data', (chunk) => (output += chunk));
  const exitCode = await new Promise((resolve) => flooder.on('exit', resolve));
  clearInterval(sampler);
  expect(exitCode).toBe(0);
  // Whichever limit it hits first (the rate, or frames queued faster than they are handled).
  const closed = JSON.parse(output) as { code: number; reason: string };
  expect(closed.code).toBe(1008);
  expect(['message rate exceeded', 'too many messages in flight']).toContain(closed.reason);
  expect(peak - before).toBeLessThan(FLOOD_RSS_BOUND_MIB);
  // The host still answers.
  const after = open();
  expect(await after.outcome).toBe('open');
  after.socket.close();
}, 120_000);

test('sockets that never bind are capped, and each must bind in time', async () => {
  const waiting = Array.from({ length: 8 }, () => open());
  expect(await Promise.all(waiting.map((s) => s.outcome))).toEqual(Array(8).fill('open'));
  // The host greets each one; then a ninth is refused: try again later.
  const ninth = open();
  expect(await ninth.closed).toEqual({
    code: 1013,
    reason: 'too many sockets waiting to be bound',
  });
  // Unbound sockets are closed once their time to bind is up, making room again.
  const closes = await Promise.all(waiting.map((s) => s.closed));
  expect(closes.every((c) => c.code === 1008)).toBe(true);
  await waitFor(
    async () => {
      const retry = open();
      const result = await retry.outcome;
      retry.socket.close();
      return result;
    },
    (result) => result === 'open',
    { what: 'a socket accepted again' },
  );
});

test('a web page of another origin may not open the socket; ours, the app and programs may', async () => {
  const origin = host.origin;
  expect(await open({ origin: 'http://evil.example' }).outcome).toBe(403);
  expect(await open({ origin: 'https://127.0.0.1:1' }).outcome).toBe(403);
  for (const allowed of [
    open({ origin }),
    open({ origin: 'app://roundtable' }),
    open({ origin: 'http://allowed.test' }),
    open(),
  ]) {
    expect(await allowed.outcome).toBe('open');
    allowed.socket.close();
  }
});
