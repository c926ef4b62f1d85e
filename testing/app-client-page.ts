// Runs inside a Chromium page of the host's origin, for benchmarks: the web
// client's own meeting code (renderer/meeting's MeetingClient and its store,
// without React), so a benchmark times the join people get, step by step
// from the client's own marks (renderer/meeting/join-phases.ts). Exposed as
// `window.appClient`.
import { JOIN_MARK_PREFIX, JOIN_PHASES } from '../renderer/meeting/join-phases';
import { MeetingClient } from '../renderer/meeting/meeting-client';
import { createMeetingStore } from '../renderer/state/store';

/** Every RTCPeerConnection the client opens, for the benchmark's receive totals. */
const connections: RTCPeerConnection[] = [];
const NativePeerConnection = globalThis.RTCPeerConnection;
globalThis.RTCPeerConnection = class extends NativePeerConnection {
  constructor(configuration?: RTCConfiguration) {
    super(configuration);
    connections.push(this);
  }
};

/** Pages of one browser share localStorage: each person keeps their own credential here. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
}

function markOf(phase: string): number | undefined {
  return performance.getEntriesByName(JOIN_MARK_PREFIX + phase, 'mark').at(-1)?.startTime;
}

export interface AppClientJoin {
  hubId: string;
  invite: string;
  name: string;
  camera: { width: number; height: number };
}

export class AppClientPage {
  readonly store = createMeetingStore();
  readonly client = new MeetingClient(this.store, new MemoryStorage());

  /**
   * The join action as the app does it after its pre-join screen: the
   * microphone and camera opened, then MeetingClient.join. Resolves with the
   * ms from the start at which each of the client's join phases was marked.
   */
  async join(join: AppClientJoin): Promise<Record<string, number>> {
    const start = performance.now();
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width: join.camera.width, height: join.camera.height },
    });
    this.store.getState().setLocalMedia({
      micTrack: stream.getAudioTracks()[0] ?? null,
      camTrack: stream.getVideoTracks()[0] ?? null,
      micOn: true,
      camOn: true,
    });
    const phases: Record<string, number> = { media: Math.round(performance.now() - start) };
    await this.client.join(
      { origin: location.origin, hubId: join.hubId, invite: join.invite, fingerprint: null },
      join.name,
    );
    const { session } = this.store.getState();
    if (session.phase !== 'in-room') throw new Error(`not in the room: ${session.error}`);
    // Receiving may finish after publishing: wait for its mark too (bounded).
    const deadline = performance.now() + 30_000;
    while (!markOf('consumed') && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    for (const phase of JOIN_PHASES) {
      const mark = markOf(phase);
      if (mark !== undefined && phase !== 'start') phases[phase] = Math.round(mark - start);
    }
    return phases;
  }

  async framesDecoded(): Promise<Record<string, number>> {
    const stats = await this.client.videoStats();
    return Object.fromEntries(Object.entries(stats).map(([id, s]) => [id, s.framesDecoded]));
  }

  /** Every stats report of every connection the client opened. */
  async reports(): Promise<Record<string, unknown>[]> {
    const reports: Record<string, unknown>[] = [];
    for (const connection of connections) {
      if (connection.connectionState === 'closed') continue;
      (await connection.getStats()).forEach((report: Record<string, unknown>) =>
        reports.push(report),
      );
    }
    return reports;
  }

  leave(): Promise<void> {
    return this.client.leave();
  }
}

(window as unknown as { appClient: AppClientPage }).appClient = new AppClientPage();
