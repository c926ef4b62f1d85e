import type { Browser } from '@playwright/test';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, openPageWithMediasoupClient } from '../../testing/browser';
import { createTestWorker } from '../../testing/mediasoup';
import { waitFor } from '../../testing/wait';
import { ROUTER_MEDIA_CODECS } from './codecs';

// The foundation's proof: the worker this project builds (or mediasoup's
// prebuilt one) carries a real browser's DTLS-SRTP media.

let worker: types.Worker;
let browser: Browser;

beforeAll(async () => {
  worker = await createTestWorker();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  worker?.close();
});

test('a Chromium camera sends video through the mediasoup worker', async () => {
  const router = await worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });
  const transport = await router.createWebRtcTransport({
    listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }],
  });
  const page = await openPageWithMediasoupClient(browser);

  await page.exposeFunction('connectTransport', (dtlsParameters: types.DtlsParameters) =>
    transport.connect({ dtlsParameters }),
  );
  let producer: types.Producer | undefined;
  await page.exposeFunction(
    'produce',
    async (kind: types.MediaKind, rtpParameters: types.RtpParameters) => {
      producer = await transport.produce({ kind, rtpParameters });
      return producer.id;
    },
  );

  await page.evaluate(
    async ({ routerRtpCapabilities, transportOptions }) => {
      const w = window as unknown as {
        mediasoupClient: typeof import('mediasoup-client');
        connectTransport(d: unknown): Promise<void>;
        produce(kind: string, rtp: unknown): Promise<string>;
      };
      const device = new w.mediasoupClient.Device();
      await device.load({ routerRtpCapabilities: routerRtpCapabilities as never });
      const sendTransport = device.createSendTransport(transportOptions);
      sendTransport.on('connect', ({ dtlsParameters }, done, fail) => {
        w.connectTransport(dtlsParameters).then(done, fail);
      });
      sendTransport.on('produce', ({ kind, rtpParameters }, done, fail) => {
        w.produce(kind, rtpParameters).then((id) => done({ id }), fail);
      });
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      await sendTransport.produce({ track: stream.getVideoTracks()[0]! });
    },
    {
      routerRtpCapabilities: router.rtpCapabilities as unknown,
      transportOptions: {
        id: transport.id,
        iceParameters: transport.iceParameters,
        iceCandidates: transport.iceCandidates,
        dtlsParameters: transport.dtlsParameters,
      },
    },
  );

  expect(producer?.kind).toBe('video');
  const bytesReceived = async () =>
    (await producer!.getStats()).reduce((sum, stat) => sum + stat.byteCount, 0);
  const first = await waitFor(bytesReceived, (bytes) => bytes > 0, { what: 'first RTP bytes' });
  await waitFor(bytesReceived, (bytes) => bytes > first, { what: 'more RTP bytes' });
  expect(transport.dtlsState).toBe('connected');
  await page.close();
});
