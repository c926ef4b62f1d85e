import type { Page } from '@playwright/test';

// What both systems of `npm run bench peer` share: the camera both publish,
// the layer both subscribers take, and the interface bench/peer.ts drives
// each system through (roundtable-side.ts, janus-side.ts).

/** The fake camera's size: 720p, as a laptop camera. */
export const CAMERA = { width: 1280, height: 720 };

/**
 * Three-layer VP8 simulcast with the app's layers (renderer/meeting/publisher.ts,
 * CAMERA_ENCODINGS), lowest first as mediasoup-client takes them. The Janus
 * page sends the same three encodings highest first, as janus.js does.
 */
export const SIMULCAST = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' },
];

/** Subscribers take the 640-px layer (r1): mediasoup spatial layer 1, Janus substream 1. */
export const SUBSCRIBED_LAYER = 1;

/** Totals of the inbound-rtp stats of a page's receiving connections. */
export interface Received {
  /** Audio and video. */
  bytes: number;
  packets: number;
  /** Video frames decoded, and the width of each remote video's last frame. */
  frames: number;
  widths: number[];
}

/** One person's browser page in one system. */
export interface Participant {
  page: Page;
  /**
   * The join action, scripted as the system's own client does it, up to the
   * point where it has asked to receive everyone already there (the
   * frames may come later). Resolves with the ms from the start at which
   * each of its steps was done (the page's clock).
   */
  join(): Promise<Record<string, number>>;
  /** Frames decoded so far per remote video (by publisher). */
  framesDecoded(): Promise<Record<string, number>>;
  /** What every receiving connection got so far. */
  received(): Promise<Received>;
  /** Leaves and closes the page. */
  leave(): Promise<void>;
}

/** One SFU under test, running for the whole benchmark. */
export interface Side {
  name: 'Roundtable' | 'Janus';
  /** A new page, loaded and ready: not timed. `n` numbers the people of a round from 1. */
  open(round: number, n: number): Promise<Participant>;
  /** The SFU's processes, for CPU and RSS from /proc. */
  processes(): { label: string; pid: number }[];
  stop(): Promise<void>;
}
