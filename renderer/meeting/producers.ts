import type { types } from 'mediasoup-client';
import type { MediaSource } from '../../shared/protocol/rtc';
import { signalProduce } from '../../shared/client/transport-signaling';
import { isForbidden } from '../features/moderation/describe';
import type { MeetingStore } from '../state/store';
import type { Link } from './link';

/** Camera simulcast: three spatial layers, so each viewer gets the one that fits its tile. */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' },
];

/** We may not unmute now: stay muted and let the room offer raising the hand instead. */
export function holdBackUnmute(store: MeetingStore): void {
  const state = store.getState();
  state.setLocalMedia({ micOn: false });
  state.unmuteRefused();
}

/**
 * Our producers on the current link's send transport, one per source, and
 * what the host is told when they pause, resume or close. The microphone's
 * follows the meeting's rule on unmuting: what the host refuses to take
 * unmuted goes muted. Kept apart from publisher.ts, which decides what to
 * send, so that this file is only about how it is sent.
 */
export class Producers {
  private current: Link | undefined;
  private readonly bySource = new Map<MediaSource, types.Producer>();
  private readonly producing = new Set<MediaSource>();

  constructor(private readonly store: MeetingStore) {}

  private get state() {
    return this.store.getState();
  }

  /** The link we produce on; none between two joins. */
  get link(): Link | undefined {
    return this.current;
  }

  attach(link: Link): void {
    this.current = link;
    signalProduce(link.sendTransport, link.request);
  }

  /** The link is gone; its transport took the producers along. */
  detach(): void {
    this.current = undefined;
    this.bySource.clear();
    this.producing.clear();
  }

  /**
   * One producer per source. A microphone the host refuses to take unmuted
   * (the meeting asks people to ask before they unmute) is published muted.
   */
  async produce(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    try {
      await this.produceOnce(source, track);
    } catch (error) {
      if (source !== 'microphone' || !isForbidden(error) || !this.state.localMedia.micOn)
        throw error;
      this.state.setLocalMedia({ micOn: false });
      this.state.unmuteRefused();
      await this.produceOnce(source, track);
    }
  }

  /** Produces outside the join flow; a link lost meanwhile is not an error (the rejoin publishes). */
  async produceNow(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    await this.produce(source, track).catch(() => undefined);
  }

  /** The microphone starts paused when muted, or when we may not unmute now. */
  private async produceOnce(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    const link = this.current;
    if (!link || this.bySource.has(source) || this.producing.has(source)) return;
    if (source === 'microphone' && this.state.localMedia.micOn && !this.state.moderation.mayUnmute)
      holdBackUnmute(this.store);
    const paused = source === 'microphone' && !this.state.localMedia.micOn;
    this.producing.add(source);
    try {
      const producer = await link.sendTransport.produce({
        track,
        stopTracks: false,
        zeroRtpOnPause: true,
        disableTrackOnPause: true,
        ...(source === 'camera'
          ? { encodings: CAMERA_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } }
          : {}),
        ...(source === 'microphone' ? { codecOptions: { opusDtx: true, opusFec: true } } : {}),
        appData: { source, paused },
      });
      if (this.current !== link) return producer.close();
      if (paused) producer.pause();
      this.bySource.set(source, producer);
      // Muted or unmuted while the producer was being made: follow the latest wish.
      if (source === 'microphone' && this.state.localMedia.micOn === paused)
        await this.setProducerPaused(producer, !paused);
    } finally {
      if (this.current === link) this.producing.delete(source);
    }
  }

  /** Pauses or resumes the source's producer, if there is one, and tells the host. */
  async setPaused(source: MediaSource, paused: boolean): Promise<void> {
    const producer = this.bySource.get(source);
    if (producer) await this.setProducerPaused(producer, paused);
  }

  private async setProducerPaused(producer: types.Producer, paused: boolean): Promise<void> {
    const link = this.current;
    if (paused) producer.pause();
    else producer.resume();
    await link
      ?.request(paused ? 'upstream-producer-pause' : 'upstream-producer-resume', {
        producer_id: producer.id,
      })
      .catch((error: unknown) => {
        // The meeting asks to unmute and no admin let us: muted again, and the room says why.
        if (!paused && isForbidden(error) && this.bySource.get('microphone') === producer) {
          producer.pause();
          this.state.setLocalMedia({ micOn: false });
          this.state.unmuteRefused();
        }
        // A lost socket: the rejoin publishes the state as it is then.
      });
  }

  /** Closes the source's producer and tells the host. */
  async close(source: MediaSource): Promise<void> {
    const producer = this.bySource.get(source);
    if (!producer) return;
    this.bySource.delete(source);
    producer.close();
    await this.current
      ?.request('upstream-producer-close', { producer_id: producer.id })
      .catch(() => undefined);
  }

  /** The host already paused the source's producer: only our side follows. */
  pausedByHost(source: MediaSource): void {
    this.bySource.get(source)?.pause();
  }

  /** The host already closed the source's producer: only our side follows. */
  closedByHost(source: MediaSource): void {
    this.bySource.get(source)?.close();
    this.bySource.delete(source);
  }

  /** Sends another device's track on the source's producer, without renegotiating. */
  async replaceTrack(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    await this.bySource
      .get(source)
      ?.replaceTrack({ track })
      .catch(() => undefined);
  }
}
