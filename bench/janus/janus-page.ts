// Runs inside Chromium, after Debian's janus.js, on the page `npm run bench
// peer` serves from loopback: a lean VideoRoom client that does what Janus's
// own VideoRoom demo (videoroomtest.js, Janus 1.1.2) does, without its UI.
// One Janus session over the WebSocket transport; a publisher handle joins
// the room, publishes the camera (three simulcast encodings) and microphone;
// for every publisher in the room, then and later, a subscriber handle of
// its own joins with the publisher's streams (the 640-px substream for
// video), answers Janus's offer and starts. bench/janus/janus-side.ts drives
// it through `window.janusBench`.

import { sumInbound } from './inbound';
import type { Received } from './side';

interface JanusMessage {
  videoroom?: string;
  id?: number;
  private_id?: number;
  publishers?: { id: number; streams?: { type: string; mid: string; disabled?: boolean }[] }[];
  error?: string;
  error_code?: number;
}
type Jsep = RTCSessionDescriptionInit & { rid_order?: 'hml' | 'lmh' };
interface Callbacks<T> {
  success?: (value: T) => void;
  error?: (error: unknown) => void;
}
interface PluginHandle {
  webrtcStuff: { pc?: RTCPeerConnection };
  send(request: { message: object; jsep?: Jsep } & Callbacks<unknown>): void;
  createOffer(options: { tracks: object[] } & Callbacks<Jsep>): void;
  createAnswer(options: { jsep: Jsep; tracks: object[] } & Callbacks<Jsep>): void;
  handleRemoteJsep(options: { jsep: Jsep }): void;
}
interface AttachOptions {
  plugin: string;
  opaqueId: string;
  success(handle: PluginHandle): void;
  error(error: unknown): void;
  onmessage(message: JanusMessage, jsep?: Jsep): void;
  webrtcState?(up: boolean): void;
}
interface JanusSession {
  attach(options: AttachOptions): void;
  destroy(options: { cleanupHandles?: boolean } & Callbacks<void>): void;
}
declare const Janus: {
  new (options: {
    server: string;
    iceServers: RTCIceServer[];
    success(): void;
    error(error: unknown): void;
  }): JanusSession;
  init(options: { debug: boolean; dependencies: unknown; callback(): void }): void;
  useDefaultDependencies(deps: { adapter: unknown }): unknown;
};

export interface JanusJoin {
  server: string;
  room: number;
  display: string;
  camera: { width: number; height: number };
  /** Highest first, as janus.js orders its own simulcast encodings (Janus's rid_order "hml"). */
  encodings: RTCRtpEncodingParameters[];
  substream: number;
}

// janus.js reads the browser from webrtc-adapter, which the demo loads from a
// CDN; this page has no network, and Chromium needs none of adapter's shims.
const chromeVersion = Number(/Chrome\/(\d+)/.exec(navigator.userAgent)?.[1] ?? 0);
const ready = new Promise<void>((resolve) =>
  Janus.init({
    debug: false,
    dependencies: Janus.useDefaultDependencies({
      adapter: { browserDetails: { browser: 'chrome', version: chromeVersion } },
    }),
    callback: resolve,
  }),
);

export class JanusBench {
  private session: JanusSession | undefined;
  private privateId: number | undefined;
  private options!: JanusJoin;
  /** Subscriber handles by publisher id, and the publishers asked for. */
  private readonly feeds = new Map<number, PluginHandle>();
  private readonly subscribed = new Set<number>();
  private readonly errors: string[] = [];

  /**
   * Session → publisher handle → join → publish (and subscribe to everyone
   * there); resolves once the publisher's PeerConnection is up, with the ms
   * from the start at which each step was done.
   */
  async join(options: JanusJoin): Promise<Record<string, number>> {
    this.options = options;
    await ready;
    const start = performance.now();
    const phases: Record<string, number> = {};
    const mark = (phase: string) => (phases[phase] ??= Math.round(performance.now() - start));
    const session = await new Promise<JanusSession>((resolve, reject) => {
      const created: JanusSession = new Janus({
        server: options.server,
        iceServers: [],
        success: () => resolve(created),
        error: (error) => reject(new Error(`Janus session: ${String(error)}`)),
      });
    });
    this.session = session;
    mark('session');
    await new Promise<void>((resolve, reject) => {
      let publisher: PluginHandle;
      session.attach({
        plugin: 'janus.plugin.videoroom',
        opaqueId: `bench-${options.display}`,
        success: (handle) => {
          publisher = handle;
          handle.send({
            message: {
              request: 'join',
              room: options.room,
              ptype: 'publisher',
              display: options.display,
            },
          });
        },
        error: (error) => reject(new Error(`attach: ${String(error)}`)),
        webrtcState: (up) => {
          if (up) resolve();
        },
        onmessage: (message, jsep) => {
          if (message.error) {
            this.errors.push(message.error);
            reject(new Error(`VideoRoom: ${message.error}`));
          }
          if (message.videoroom === 'joined') {
            mark('joined');
            this.privateId = message.private_id;
            this.publish(publisher, reject);
          }
          for (const feed of message.publishers ?? []) this.subscribe(feed);
          if (jsep) publisher.handleRemoteJsep({ jsep });
        },
      });
    });
    mark('published');
    return phases;
  }

  private publish(publisher: PluginHandle, reject: (error: Error) => void): void {
    const { camera, encodings } = this.options;
    navigator.mediaDevices
      .getUserMedia({ audio: true, video: { width: camera.width, height: camera.height } })
      .then((stream) =>
        publisher.createOffer({
          tracks: [
            { type: 'audio', capture: stream.getAudioTracks()[0], recv: false },
            {
              type: 'video',
              capture: stream.getVideoTracks()[0],
              recv: false,
              simulcast: true,
              sendEncodings: encodings,
            },
          ],
          success: (jsep) =>
            publisher.send({
              message: { request: 'configure', audio: true, video: true },
              jsep: { ...jsep, rid_order: 'hml' },
            }),
          error: (error) => reject(new Error(`createOffer: ${String(error)}`)),
        }),
      )
      .catch((error: unknown) => reject(new Error(`getUserMedia: ${String(error)}`)));
  }

  /** A subscriber handle for `feed`'s streams, as the demo's newRemoteFeed. */
  private subscribe(feed: NonNullable<JanusMessage['publishers']>[number]): void {
    if (this.subscribed.has(feed.id) || !this.session) return;
    this.subscribed.add(feed.id);
    const { room, substream } = this.options;
    let subscriber: PluginHandle;
    this.session.attach({
      plugin: 'janus.plugin.videoroom',
      opaqueId: `bench-${this.options.display}`,
      success: (handle) => {
        subscriber = handle;
        this.feeds.set(feed.id, handle);
        const streams = (feed.streams ?? [])
          .filter((stream) => !stream.disabled)
          .map((stream) => ({
            feed: feed.id,
            mid: stream.mid,
            ...(stream.type === 'video' ? { substream } : {}),
          }));
        handle.send({
          message: {
            request: 'join',
            room,
            ptype: 'subscriber',
            streams,
            private_id: this.privateId,
          },
        });
      },
      error: (error) => this.errors.push(`attach subscriber: ${String(error)}`),
      onmessage: (message, jsep) => {
        if (message.error) this.errors.push(message.error);
        if (!jsep) return;
        subscriber.createAnswer({
          jsep,
          tracks: [{ type: 'data' }],
          success: (answer) =>
            subscriber.send({ message: { request: 'start', room }, jsep: answer }),
          error: (error) => this.errors.push(`createAnswer: ${String(error)}`),
        });
      },
    });
  }

  private async inbound(): Promise<{ feed: number; report: Record<string, number | string> }[]> {
    const reports: { feed: number; report: Record<string, number | string> }[] = [];
    for (const [feed, handle] of this.feeds) {
      const stats = await handle.webrtcStuff.pc?.getStats();
      stats?.forEach((report: Record<string, number | string>) => {
        if (report.type === 'inbound-rtp') reports.push({ feed, report });
      });
    }
    return reports;
  }

  /** Frames decoded per remote video, by publisher id; throws what Janus refused. */
  async framesDecoded(): Promise<Record<string, number>> {
    if (this.errors.length) throw new Error(this.errors.join('; '));
    const frames: Record<string, number> = {};
    for (const { feed, report } of await this.inbound())
      if (report.kind === 'video') frames[feed] = Number(report.framesDecoded ?? 0);
    return frames;
  }

  async received(): Promise<Received> {
    return sumInbound((await this.inbound()).map(({ report }) => report));
  }

  /** Destroys the session with its handles (Janus hangs up every PeerConnection). */
  leave(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.session) return resolve();
      this.session.destroy({ cleanupHandles: true, success: resolve, error: () => resolve() });
    });
  }
}

(window as unknown as { janusBench: JanusBench }).janusBench = new JanusBench();
