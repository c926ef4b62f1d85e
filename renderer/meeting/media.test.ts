import { expect, test } from 'vitest';
import { selectedDevice, uniqueDevices } from './media';

// Device lists show each device once, with the one in use selected.

type Entry = { deviceId: string; groupId: string; kind: MediaDeviceKind; label: string };
const device = (
  kind: MediaDeviceKind,
  deviceId: string,
  groupId: string,
  label: string,
): Entry => ({
  kind,
  deviceId,
  groupId,
  label,
});

test("the browser's default and communications aliases go; the device itself stays once", () => {
  const listed = [
    device('audioinput', 'default', 'g-mic', 'Default - Built-in Microphone'),
    device('audioinput', 'communications', 'g-headset', 'Communications - Headset'),
    device('audioinput', 'mic-1', 'g-mic', 'Built-in Microphone'),
    device('audioinput', 'mic-2', 'g-headset', 'Headset'),
    device('videoinput', 'default', 'g-cam', 'Default - FaceTime HD Camera'),
    device('videoinput', 'cam-1', 'g-cam', 'FaceTime HD Camera'),
    device('videoinput', 'cam-1', 'g-cam', 'FaceTime HD Camera'),
    device('audiooutput', 'default', 'g-mic', 'Default - Built-in Speakers'),
    device('audiooutput', 'out-1', 'g-mic', 'Built-in Speakers'),
  ];
  expect(uniqueDevices(listed).map((entry) => `${entry.kind}:${entry.deviceId}`)).toEqual([
    'audioinput:mic-1',
    'audioinput:mic-2',
    'videoinput:cam-1',
    'audiooutput:out-1',
  ]);
});

test('an alias is matched by name when groups differ, and kept when it is the only entry', () => {
  expect(
    uniqueDevices([
      device('audioinput', 'default', 'g-a', 'Default - USB Mic'),
      device('audioinput', 'usb', 'g-b', 'USB Mic'),
    ]).map((entry) => entry.deviceId),
  ).toEqual(['usb']);
  expect(
    uniqueDevices([device('audiooutput', 'default', 'g', 'Default')]).map((e) => e.deviceId),
  ).toEqual(['default']);
});

test('entries without an id (listed before any permission) are left out', () => {
  expect(
    uniqueDevices([device('videoinput', '', '', ''), device('audioinput', '', '', '')]),
  ).toEqual([]);
});

test('the selected entry is the chosen one, else the one the track comes from', () => {
  const cameras = [
    device('videoinput', 'cam-1', 'g1', 'A'),
    device('videoinput', 'cam-2', 'g2', 'B'),
  ];
  const track = (settings: MediaTrackSettings) =>
    ({ getSettings: () => settings }) as MediaStreamTrack;
  expect(selectedDevice(cameras, 'cam-2', track({ deviceId: 'cam-1' }))).toBe('cam-2');
  expect(selectedDevice(cameras, null, track({ deviceId: 'cam-2' }))).toBe('cam-2');
  // The browser opened its "default" alias: the device of the same group.
  expect(selectedDevice(cameras, null, track({ deviceId: 'default', groupId: 'g2' }))).toBe(
    'cam-2',
  );
  expect(selectedDevice(cameras, 'gone', null)).toBe('');
});
