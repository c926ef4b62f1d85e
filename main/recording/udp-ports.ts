import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';

// ffmpeg must be listening before any RTP is sent to it, or the first
// keyframe is lost. We pick two free loopback ports (RTP and RTCP, the layout
// ffmpeg's SDP input uses), let ffmpeg bind them, and see that it did by
// the kernel's socket table (Linux) or, elsewhere, by failing to bind them
// ourselves. If another program takes a port in the moment between, ffmpeg
// fails to bind and the caller tries other ports.

const LOOPBACK = '127.0.0.1';
const PROBE_TRIES = 20;
const POLL_MS = 20;

/** Binds `port` on loopback (0: any); resolves with the port bound, or undefined when it is taken. */
function tryBind(port: number): Promise<{ port: number; close: () => void } | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: 'udp4', reuseAddr: false });
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind({ port, address: LOOPBACK, exclusive: true }, () =>
      resolve({ port: socket.address().port, close: () => socket.close() }),
    );
  });
}

/** A port P such that P and P + 1 are free on loopback right now. */
export async function freeUdpPortPair(): Promise<number> {
  for (let attempt = 0; attempt < PROBE_TRIES; attempt++) {
    const rtp = await tryBind(0);
    if (!rtp) continue;
    const rtcp = rtp.port < 65535 ? await tryBind(rtp.port + 1) : undefined;
    rtp.close();
    rtcp?.close();
    if (rtcp) return rtp.port;
  }
  throw new Error('no free pair of UDP ports on 127.0.0.1');
}

/**
 * Resolves true once something holds `port` on loopback (ffmpeg binds RTP,
 * then RTCP: pass the RTCP port, the last one), false when `alive` turns
 * false or `timeoutMs` passes first.
 */
export async function waitUntilBound(
  port: number,
  alive: () => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (alive() && Date.now() < deadline) {
    if (await isBound(port)) return alive();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}

/** Whether a UDP socket holds 127.0.0.1:`port`. */
async function isBound(port: number): Promise<boolean> {
  const table = await readFile('/proc/net/udp', 'utf8').catch(() => undefined);
  // Reading the table leaves the port alone; binding it to see would race ffmpeg's own bind.
  // 127.0.0.1 as the kernel prints it: in the CPU's byte order.
  if (table !== undefined)
    return ['0100007F', '7F000001'].some((ip) => table.includes(` ${ip}:${hexPort(port)} `));
  const probe = await tryBind(port);
  probe?.close();
  return !probe;
}

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}
