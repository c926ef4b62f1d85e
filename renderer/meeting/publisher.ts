import type { types } from 'mediasoup-client';
import type { ModeratedSource } from '../../shared/protocol/moderation';
import type { MediaSource } from '../../shared/protocol/rtc';
import { signalProduce } from '../../shared/client/transport-signaling';
import { isForbidden } from '../features/moderation/describe';
import type { MeetingStore } from '../state/store';
import type { Link } from './link';
import { describeMediaError, openCamera, openMicrophone, openScreen } from './media';

/** Camera simulcast: three spatial layers, so each viewer gets the one that fits its tile. */
const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' },
];

/**
 * What we send: the microphone, the camera and the screen, as producers on the
 * current link's send transport. The store's localMedia is the truth of what
 * the person wants (mic on, camera on, sharing); with no link (between two
 * joins) the toggles only change that, and `publishAll` publishes it as it is
 * on the next link, so a rejoin brings back mute, camera and screen share.
 */
export class Publisher {
  private link: Link | undefined;
  private readonly producers = new Map<MediaSource, types.Producer>();
  private readonly producing = new Set<MediaSource>();
  /** The screen share's sound, when the browser gave one (the store keeps only its video). */
  private screenAudio: MediaStreamTrack | null = null;

  constructor(private readonly store: MeetingStore) {}

  private get state() {
    return this.store.getState();
  }

  attach(link: Link): void {
    this.link = link;
    signalProduce(link.sendTransport, link.request);
  }

  /** The link is gone; its transport took the producers along. */
  detach(): void {
    this.link = undefined;
    this.producers.clear();
    this.producing.clear();
  }

  /**
   * Publishes what the person has on: the microphone (paused when muted), the
   * camera when on, and a screen share whose track is still live (one that
   * ended meanwhile is shown as stopped). Rejects when the link fails.
   */
  async publishAll(): Promise<void> {
    const link = this.link;
    if (!link) return;
    const { micTrack, camTrack, camOn, sharing, screenTrack } = this.state.localMedia;
    // Side by side: the camera's renegotiation need not wait for the microphone's answer.
    await Promise.all([
      isLive(micTrack) && link.device.canProduce('audio')
        ? this.produce('microphone', micTrack)
        : undefined,
      camOn && isLive(camTrack) && link.device.canProduce('video')
        ? this.produce('camera', camTrack)
        : undefined,
    ]);
    if (sharing) {
      if (!isLive(screenTrack)) return this.endScreenShare();
      if (link.device.canProduce('video')) await this.produce('screen', screenTrack);
      if (isLive(this.screenAudio) && link.device.canProduce('audio'))
        await this.produce('screen-audio', this.screenAudio);
    }
  }

  /**
   * One producer per source. A microphone the host refuses to take unmuted
   * (the meeting asks people to ask before they unmute) is published muted.
   */
  private async produce(source: MediaSource, track: MediaStreamTrack): Promise<void> {
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

  /** The microphone starts paused when muted, or when we may not unmute now. */
  private async produceOnce(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    const link = this.link;
    if (!link || this.producers.has(source) || this.producing.has(source)) return;
    if (source === 'microphone' && this.state.localMedia.micOn && !this.state.moderation.mayUnmute)
      this.holdBackUnmute();
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
      if (this.link !== link) return producer.close();
      if (paused) producer.pause();
      this.producers.set(source, producer);
      // Muted or unmuted while the producer was being made: follow the latest wish.
      if (source === 'microphone' && this.state.localMedia.micOn === paused)
        await this.setPaused(producer, !paused);
    } finally {
      if (this.link === link) this.producing.delete(source);
    }
  }

  private async setPaused(producer: types.Producer, paused: boolean): Promise<void> {
    const link = this.link;
    if (paused) producer.pause();
    else producer.resume();
    await link
      ?.request(paused ? 'upstream-producer-pause' : 'upstream-producer-resume', {
        producer_id: producer.id,
      })
      .catch((error: unknown) => {
        // The meeting asks to unmute and no admin let us: muted again, and the room says why.
        if (!paused && isForbidden(error) && this.producers.get('microphone') === producer) {
          producer.pause();
          this.state.setLocalMedia({ micOn: false });
          this.state.unmuteRefused();
        }
        // A lost socket: the rejoin publishes the state as it is then.
      });
  }

  /** We may not unmute now: stay muted and let the room offer raising the hand instead. */
  private holdBackUnmute(): void {
    this.state.setLocalMedia({ micOn: false });
    this.state.unmuteRefused();
  }

  /**
   * An admin (or the ask-to-unmute setting) switched one of our sources off.
   * The host already paused the microphone's producer or closed the camera's
   * or screen's: we follow locally, as if the person had pressed the button.
   */
  switchedOffByHost(source: ModeratedSource): void {
    if (source === 'microphone') {
      this.state.setLocalMedia({ micOn: false });
      this.producers.get('microphone')?.pause();
      return;
    }
    const closedByHost = source === 'camera' ? 'camera' : 'screen';
    this.producers.get(closedByHost)?.close();
    this.producers.delete(closedByHost);
    if (source === 'camera') {
      this.state.localMedia.camTrack?.stop();
      this.state.setLocalMedia({ camOn: false, camTrack: null });
      return;
    }
    this.endScreenShare();
    // Its sound, if any, is ours to stop.
    void this.closeProducer('screen-audio');
  }

  private async closeProducer(source: MediaSource): Promise<void> {
    const producer = this.producers.get(source);
    if (!producer) return;
    this.producers.delete(source);
    producer.close();
    await this.link
      ?.request('upstream-producer-close', { producer_id: producer.id })
      .catch(() => undefined);
  }

  /** Produces outside the join flow; a link lost meanwhile is not an error (the rejoin publishes). */
  private async produceNow(source: MediaSource, track: MediaStreamTrack): Promise<void> {
    await this.produce(source, track).catch(() => undefined);
  }

  /**
   * Mute and unmute: the producer is paused, the track kept, so unmuting is
   * instant. While the meeting asks to unmute and no admin let us, unmuting
   * stays muted and the room offers raising the hand.
   */
  async setMicOn(on: boolean): Promise<void> {
    if (on && !this.state.moderation.mayUnmute) return this.holdBackUnmute();
    this.state.setLocalMedia({ micOn: on });
    const producer = this.producers.get('microphone');
    if (producer) await this.setPaused(producer, !on);
  }

  /** Camera off releases the camera (its light goes out); on opens it again. */
  async setCamOn(on: boolean): Promise<void> {
    if (!on) {
      this.state.localMedia.camTrack?.stop();
      this.state.setLocalMedia({ camOn: false, camTrack: null });
      await this.closeProducer('camera');
      return;
    }
    let track: MediaStreamTrack;
    try {
      track = await openCamera(this.state.devices.cameraId);
    } catch (error) {
      this.state.setLocalMedia({ camOn: true, camError: describeMediaError(error, 'camera') });
      return;
    }
    this.state.setLocalMedia({ camOn: true, camTrack: track, camError: null });
    if (this.link?.device.canProduce('video')) await this.produceNow('camera', track);
  }

  /**
   * Asks again for a microphone that could not be opened (the button of an
   * unavailable device): on success it is published at once, unmuted.
   */
  async retryMicrophone(): Promise<void> {
    let track: MediaStreamTrack;
    try {
      track = await openMicrophone(this.state.devices.microphoneId);
    } catch (error) {
      this.state.setLocalMedia({ micError: describeMediaError(error, 'microphone') });
      return;
    }
    this.state.localMedia.micTrack?.stop();
    this.state.setLocalMedia({
      micTrack: track,
      micOn: this.state.moderation.mayUnmute,
      micError: null,
    });
    await this.closeProducer('microphone');
    if (this.link?.device.canProduce('audio')) await this.produceNow('microphone', track);
  }

  /** Switches devices mid-call without rejoining: the producer's track is replaced. */
  async switchDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const camera = kind === 'camera';
    this.state.setDevices(camera ? { cameraId: deviceId } : { microphoneId: deviceId });
    // A camera that is off stays off; the choice applies when it is turned on.
    if (camera && !this.state.localMedia.camOn) return;
    const trackKey = camera ? 'camTrack' : 'micTrack';
    let track: MediaStreamTrack;
    try {
      track = await (camera ? openCamera : openMicrophone)(deviceId);
    } catch (error) {
      this.state.setSession({ error: describeMediaError(error, kind) });
      return;
    }
    this.state.localMedia[trackKey]?.stop();
    this.state.setLocalMedia({ [trackKey]: track });
    await this.producers
      .get(kind)
      ?.replaceTrack({ track })
      .catch(() => undefined);
  }

  async startScreenShare(): Promise<void> {
    if (this.state.localMedia.sharing) return;
    let stream: MediaStream;
    try {
      stream = await openScreen();
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'NotAllowedError')) {
        this.state.setSession({ error: describeMediaError(error, 'screen') });
      }
      return;
    }
    const [video] = stream.getVideoTracks();
    if (!video) return;
    // The browser's own "Stop sharing" button ends the track.
    video.addEventListener('ended', () => {
      if (this.state.localMedia.screenTrack === video) void this.stopScreenShare();
    });
    this.screenAudio = stream.getAudioTracks()[0] ?? null;
    this.state.setLocalMedia({ sharing: true, screenTrack: video });
    await this.produceNow('screen', video);
    if (this.screenAudio) await this.produceNow('screen-audio', this.screenAudio);
  }

  async stopScreenShare(): Promise<void> {
    this.endScreenShare();
    await Promise.all([this.closeProducer('screen'), this.closeProducer('screen-audio')]);
  }

  private endScreenShare(): void {
    this.state.localMedia.screenTrack?.stop();
    this.screenAudio?.stop();
    this.screenAudio = null;
    this.state.setLocalMedia({ sharing: false, screenTrack: null });
  }

  /** Opens the microphone, and the camera when it was on, for a new join after the meeting ended. */
  async reopen(): Promise<void> {
    const { cameraId, microphoneId } = this.state.devices;
    const micTrack = await openMicrophone(microphoneId);
    try {
      const camTrack = this.state.localMedia.camOn ? await openCamera(cameraId) : null;
      this.state.setLocalMedia({ micTrack, camTrack });
    } catch (error) {
      micTrack.stop();
      throw error;
    }
  }

  /** Stops every local track (leaving, or the meeting ended): camera light and microphone off. */
  release(): void {
    const { micTrack, camTrack } = this.state.localMedia;
    for (const track of [micTrack, camTrack]) track?.stop();
    this.endScreenShare();
    this.state.setLocalMedia({ micTrack: null, camTrack: null });
  }
}

function isLive(track: MediaStreamTrack | null): track is MediaStreamTrack {
  return track !== null && track.readyState !== 'ended';
}
