import type { Page } from '@playwright/test';

// Drives a bare RTCPeerConnection in a test page, the way any non-mediasoup
// software would use the REST API: no mediasoup-client, only SDP.

type Description = { type: 'offer' | 'answer'; sdp: string };

/** Creates `window.pc` sending the fake camera and microphone (video with simulcast RIDs if asked) and returns its offer. */
export function createPublisherOffer(
  page: Page,
  options: { simulcast?: boolean; audio?: boolean } = {},
): Promise<Description> {
  return page.evaluate(async ({ simulcast, audio }) => {
    const pc = new RTCPeerConnection();
    (window as unknown as { pc: RTCPeerConnection }).pc = pc;
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: audio !== false,
      video: { width: 640, height: 360 },
    });
    for (const track of stream.getTracks()) {
      if (track.kind === 'video' && simulcast) {
        pc.addTransceiver(track, {
          direction: 'sendonly',
          sendEncodings: [
            { rid: 'q', scaleResolutionDownBy: 4 },
            { rid: 'h', scaleResolutionDownBy: 2 },
            { rid: 'f', scaleResolutionDownBy: 1 },
          ],
        });
      } else {
        pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
      }
    }
    await pc.setLocalDescription(await pc.createOffer());
    return { type: 'offer' as const, sdp: pc.localDescription!.sdp };
  }, options);
}

export function applyAnswer(page: Page, answer: Description): Promise<void> {
  return page.evaluate(
    (description) =>
      (window as unknown as { pc: RTCPeerConnection }).pc.setRemoteDescription(description),
    answer,
  );
}

/** Takes the host's offer into `window.pc` (created on first use) and returns the answer. */
export function answerOffer(page: Page, offer: Description): Promise<Description> {
  return page.evaluate(async (description) => {
    const w = window as unknown as { pc?: RTCPeerConnection };
    w.pc ??= new RTCPeerConnection();
    await w.pc.setRemoteDescription(description);
    await w.pc.setLocalDescription(await w.pc.createAnswer());
    return { type: 'answer' as const, sdp: w.pc.localDescription!.sdp };
  }, offer);
}

/** Frames decoded by each incoming video of `window.pc`. */
export function plainFramesDecoded(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const stats = await (window as unknown as { pc: RTCPeerConnection }).pc.getStats();
    const frames: number[] = [];
    stats.forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
      if (report.type === 'inbound-rtp' && report.kind === 'video')
        frames.push(report.framesDecoded ?? 0);
    });
    return frames;
  });
}
