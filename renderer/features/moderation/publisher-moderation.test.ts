import { expect, test, vi } from 'vitest';
import { MessageRejectedError } from '../../../shared/client/message-socket';
import type { Link } from '../../meeting/link';
import { Publisher } from '../../meeting/publisher';
import { createMeetingStore } from '../../state/store';

// How our own media follows what admins do (meeting/publisher.ts): a fake
// send transport stands in for mediasoup-client's.

function fakeTrack() {
  return { readyState: 'live', stop: vi.fn() } as unknown as MediaStreamTrack & {
    stop: ReturnType<typeof vi.fn>;
  };
}

interface FakeProducer {
  id: string;
  appData: { source: string; paused: boolean };
  pause: ReturnType<typeof vi.fn>;
  resume: ReturnType<typeof vi.fn>;
  close: ReturnType<typeof vi.fn>;
}

async function setup(media: { micOn?: boolean; camOn?: boolean; sharing?: boolean } = {}) {
  const store = createMeetingStore();
  const tracks = { mic: fakeTrack(), cam: fakeTrack(), screen: fakeTrack() };
  store.getState().setLocalMedia({
    micOn: media.micOn ?? false,
    camOn: media.camOn ?? false,
    sharing: media.sharing ?? false,
    micTrack: tracks.mic,
    camTrack: tracks.cam,
    screenTrack: tracks.screen,
  });
  const produced: FakeProducer[] = [];
  const produce = vi.fn(async ({ appData }: { appData: FakeProducer['appData'] }) => {
    const producer = {
      id: `producer-${appData.source}`,
      appData,
      pause: vi.fn(),
      resume: vi.fn(),
      close: vi.fn(),
    };
    produced.push(producer);
    return producer;
  });
  const request = vi.fn(async (..._args: unknown[]) => ({}));
  const link = {
    sendTransport: { on: vi.fn(), produce },
    device: { canProduce: () => true },
    request,
  } as unknown as Link;
  const publisher = new Publisher(store);
  publisher.attach(link);
  await publisher.publishAll();
  const producer = (source: string) => produced.find((p) => p.appData.source === source)!;
  return { store, publisher, request, produce, producer, tracks };
}

test('an unmute the host refuses (ask to unmute) is undone, and the room offers raising the hand', async () => {
  const { store, publisher, request, producer } = await setup();
  request.mockRejectedValueOnce(new MessageRejectedError('forbidden', 'ask first'));
  await publisher.setMicOn(true);
  expect(request).toHaveBeenLastCalledWith('upstream-producer-resume', {
    producer_id: 'producer-microphone',
  });
  expect(producer('microphone').pause).toHaveBeenCalled();
  expect(store.getState().localMedia.micOn).toBe(false);
  expect(store.getState().moderation).toMatchObject({ mayUnmute: false });
  expect(store.getState().moderation.unmutePrompt).not.toBeNull();
});

test('while we may not unmute, pressing Unmute asks nothing of the host and shows the prompt', async () => {
  const { store, publisher, request } = await setup();
  store.getState().setMayUnmute(false);
  request.mockClear();
  await publisher.setMicOn(true);
  expect(request).not.toHaveBeenCalled();
  expect(store.getState().localMedia.micOn).toBe(false);
  expect(store.getState().moderation.unmutePrompt).not.toBeNull();
});

test('a microphone the host will not take unmuted is published muted', async () => {
  const store = createMeetingStore();
  store.getState().setLocalMedia({ micOn: true, micTrack: fakeTrack() });
  const produce = vi
    .fn()
    .mockRejectedValueOnce(new MessageRejectedError('forbidden', 'ask first'))
    .mockImplementation(async ({ appData }) => ({ id: 'm', appData, pause: vi.fn() }));
  const link = {
    sendTransport: { on: vi.fn(), produce },
    device: { canProduce: () => true },
    request: vi.fn(async () => ({})),
  } as unknown as Link;
  const publisher = new Publisher(store);
  publisher.attach(link);
  await publisher.publishAll();
  expect(produce).toHaveBeenCalledTimes(2);
  expect(produce.mock.calls[1]![0].appData).toEqual({ source: 'microphone', paused: true });
  expect(store.getState().localMedia.micOn).toBe(false);
  expect(store.getState().moderation.unmutePrompt).not.toBeNull();
});

test('muted by an admin: the producer pauses here too, without asking the host again', async () => {
  const { store, publisher, request, producer } = await setup({ micOn: true });
  request.mockClear();
  publisher.switchedOffByHost('microphone');
  expect(store.getState().localMedia.micOn).toBe(false);
  expect(producer('microphone').pause).toHaveBeenCalled();
  expect(request).not.toHaveBeenCalled();
});

test('camera stopped by an admin: the camera is released as if we had pressed Stop video', async () => {
  const { store, publisher, request, producer, tracks } = await setup({ camOn: true });
  request.mockClear();
  publisher.switchedOffByHost('camera');
  expect(tracks.cam.stop).toHaveBeenCalled();
  expect(producer('camera').close).toHaveBeenCalled();
  expect(store.getState().localMedia).toMatchObject({ camOn: false, camTrack: null });
  expect(request).not.toHaveBeenCalled();
});

test('screen share stopped by an admin: sharing ends here', async () => {
  const { store, publisher, producer, tracks } = await setup({ sharing: true });
  publisher.switchedOffByHost('screen');
  expect(tracks.screen.stop).toHaveBeenCalled();
  expect(producer('screen').close).toHaveBeenCalled();
  expect(store.getState().localMedia).toMatchObject({ sharing: false, screenTrack: null });
});
