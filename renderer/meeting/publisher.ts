import type { ModeratedSource } from '../../shared/protocol/moderation';
import type { MeetingStore } from '../state/store';
import type { Link } from './link';
import { describeMediaError, openCamera, openMicrophone, openScreen } from './media';
import { holdBackUnmute, Producers } from './producers';

/**
 * What we send: the microphone, the camera and the screen, as producers on the
 * current link's send transport. The store's localMedia is the truth of what
 * the person wants (mic on, camera on, sharing); with no link (between two
 * joins) the toggles only change that, and `publishAll` publishes it as it is
 * on the next link, so a rejoin brings back mute, camera and screen share.
 * How each source is sent (producers, and what the host is told) is producers.ts.
 */
export class Publisher {
  private readonly producers: Producers;
  /** The screen share's sound, when the browser gave one (the store keeps only its video). */
  private screenAudio: MediaStreamTrack | null = null;

  constructor(private readonly store: MeetingStore) {
    this.producers = new Producers(store);
  }

  private get state() {
    return this.store.getState();
  }

  attach(link: Link): void {
    this.producers.attach(link);
  }

  /** The link is gone; its transport took the producers along. */
  detach(): void {
    this.producers.detach();
  }

  /**
   * Publishes what the person has on: the microphone (paused when muted), the
   * camera when on, and a screen share whose track is still live (one that
   * ended meanwhile is shown as stopped). Rejects when the link fails.
   */
  async publishAll(): Promise<void> {
    const link = this.producers.link;
    if (!link) return;
    await this.publishDevices(link);
    const { sharing, screenTrack } = this.state.localMedia;
    if (sharing) {
      if (!isLive(screenTrack)) return this.endScreenShare();
      if (link.device.canProduce('video')) await this.producers.produce('screen', screenTrack);
      if (isLive(this.screenAudio) && link.device.canProduce('audio'))
        await this.producers.produce('screen-audio', this.screenAudio);
    }
  }

  /**
   * The microphone and, when on, the camera, each whose track is live and not
   * published yet (produce skips what is). Side by side: the camera's
   * renegotiation need not wait for the microphone's answer.
   */
  private async publishDevices(link: Link): Promise<void> {
    const { micTrack, camTrack, camOn } = this.state.localMedia;
    await Promise.all([
      isLive(micTrack) && link.device.canProduce('audio')
        ? this.producers.produce('microphone', micTrack)
        : undefined,
      camOn && isLive(camTrack) && link.device.canProduce('video')
        ? this.producers.produce('camera', camTrack)
        : undefined,
    ]);
  }

  /**
   * A device pre-join was still opening when the person joined (a slow camera,
   * a permission prompt not answered yet) has its track now: published if we
   * are in the room and publishAll found none. Without a link, the join under
   * way or the next rejoin publishes it from the store; a link lost meanwhile
   * is not an error either.
   */
  async deviceOpened(): Promise<void> {
    const link = this.producers.link;
    if (link) await this.publishDevices(link).catch(() => undefined);
  }

  /**
   * An admin (or the ask-to-unmute setting) switched one of our sources off.
   * The host already paused the microphone's producer or closed the camera's
   * or screen's: we follow locally, as if the person had pressed the button.
   */
  switchedOffByHost(source: ModeratedSource): void {
    if (source === 'microphone') {
      this.state.setLocalMedia({ micOn: false });
      this.producers.pausedByHost('microphone');
      return;
    }
    this.producers.closedByHost(source === 'camera' ? 'camera' : 'screen');
    if (source === 'camera') {
      this.state.localMedia.camTrack?.stop();
      this.state.setLocalMedia({ camOn: false, camTrack: null });
      return;
    }
    this.endScreenShare();
    // Its sound, if any, is ours to stop.
    void this.producers.close('screen-audio');
  }

  /**
   * Mute and unmute: the producer is paused, the track kept, so unmuting is
   * instant. While the meeting asks to unmute and no admin let us, unmuting
   * stays muted and the room offers raising the hand.
   */
  async setMicOn(on: boolean): Promise<void> {
    if (on && !this.state.moderation.mayUnmute) return holdBackUnmute(this.store);
    this.state.setLocalMedia({ micOn: on });
    await this.producers.setPaused('microphone', !on);
  }

  /** Camera off releases the camera (its light goes out); on opens it again. */
  async setCamOn(on: boolean): Promise<void> {
    if (!on) {
      this.state.localMedia.camTrack?.stop();
      this.state.setLocalMedia({ camOn: false, camTrack: null });
      await this.producers.close('camera');
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
    if (this.producers.link?.device.canProduce('video'))
      await this.producers.produceNow('camera', track);
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
    await this.producers.close('microphone');
    if (this.producers.link?.device.canProduce('audio'))
      await this.producers.produceNow('microphone', track);
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
    await this.producers.replaceTrack(kind, track);
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
    await this.producers.produceNow('screen', video);
    if (this.screenAudio) await this.producers.produceNow('screen-audio', this.screenAudio);
  }

  async stopScreenShare(): Promise<void> {
    this.endScreenShare();
    await Promise.all([this.producers.close('screen'), this.producers.close('screen-audio')]);
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
