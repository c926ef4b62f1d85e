import { expect, framesDecoded, test } from './fixtures';

// How the web client joins a room where people already are: nothing waits
// for a step it does not need (issue #14). The newcomer's browser records
// what it sends (WebSocket frames), when it makes RTCPeerConnections, and each
// one's remote descriptions; the host and the client are the real ones.

interface Sent {
  name: string;
  spatialLayer?: number;
}

declare global {
  interface Window {
    sentFrames: Sent[];
    remoteDescriptions: Map<RTCPeerConnection, number>;
  }
}

test('a newcomer asks for everyone at once while publishing, in one renegotiation per person', async ({
  browser,
  joinAs,
}) => {
  const ada = await joinAs('Ada Lovelace');
  const ben = await joinAs('Ben Okri');
  await expect.poll(async () => (await framesDecoded(ada)).filter((n) => n > 0).length).toBe(1);

  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.sentFrames = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      try {
        const [name, payload] = JSON.parse(String(data)) as [string, { spatialLayer?: number }];
        window.sentFrames.push({
          name: name.replace(/^[a-z]+\./, ''),
          spatialLayer: payload.spatialLayer,
        });
      } catch {
        // Not a protocol frame.
      }
      return send.call(this, data);
    };
    // The first RTCPeerConnection the client makes is mediasoup-client's Device probing the browser.
    const Native = RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        window.sentFrames.push({ name: 'new RTCPeerConnection' });
      }
    };
    window.remoteDescriptions = new Map();
    const setRemote = RTCPeerConnection.prototype.setRemoteDescription;
    RTCPeerConnection.prototype.setRemoteDescription = function (
      this: RTCPeerConnection,
      ...args: Parameters<RTCPeerConnection['setRemoteDescription']>
    ) {
      window.remoteDescriptions.set(this, (window.remoteDescriptions.get(this) ?? 0) + 1);
      return setRemote.apply(this, args);
    } as RTCPeerConnection['setRemoteDescription'];
  });
  const cy = await joinAs('Cy Twombly', context);
  await expect
    .poll(async () => (await framesDecoded(cy)).filter((n) => n > 0).length, { timeout: 20_000 })
    .toBe(2);
  for (const page of [ada, ben])
    await expect
      .poll(async () => (await framesDecoded(page)).filter((n) => n > 0).length, {
        timeout: 20_000,
      })
      .toBe(2);

  const sent = await cy.evaluate(() => window.sentFrames);
  const names = sent.map((frame) => frame.name);
  // The Device loaded (from room.get's capabilities) before access was even asked for.
  expect(names.indexOf('new RTCPeerConnection')).toBeGreaterThanOrEqual(0);
  expect(names.indexOf('new RTCPeerConnection')).toBeLessThan(
    names.indexOf('upstream-request-access'),
  );
  const enter = names.indexOf('upstream-peer-enter');
  const offers = sent.flatMap((frame, i) => (frame.name === 'downstream-offer' ? [i] : []));
  const firstPublish = names.indexOf('upstream-offer');
  // Entered first, then asked for both people before its own first track went up.
  expect(enter).toBeGreaterThan(names.indexOf('upstream-request-access'));
  expect(offers).toHaveLength(2);
  expect(offers.every((i) => i > enter && i < firstPublish)).toBe(true);
  // Video starts on the layer a tile of a three-person grid needs (640 px at 1280 px wide).
  expect(offers.map((i) => sent[i]!.spatialLayer)).toEqual([1, 1]);
  // No layers request before video flows: the first key frame is already the right size.
  const firstResume = names.indexOf('upstream-consumer-resume');
  expect(names.slice(0, firstResume).includes('upstream-consumer-layers')).toBe(false);

  // Each person's audio and video came in one renegotiation of the receive
  // connection (mediasoup-client batches consumers asked for together): two
  // people, at most two remote descriptions there plus the one mediasoup-client
  // adds once for its bandwidth probe, not one per track (four, plus one). The
  // send connection takes one per track it sends (microphone, camera).
  const perConnection = await cy.evaluate(() => [...window.remoteDescriptions.values()]);
  expect(perConnection).toHaveLength(2);
  expect(Math.max(...perConnection)).toBeLessThanOrEqual(3);
  await context.close();
});
