import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { superframe, Vp9Depacketizer } from './vp9-depacketizer';

// Browsers packetize VP9 as RFC 9628 says, with picture ids, layer indices,
// reference differences and the scalability structure in keyframes: every
// one of those fields must be skipped to get the frames back whole.

/** Real VP9 frames: ffmpeg encodes half a second of the test pattern to IVF, read apart here. */
function realFrames(): Buffer[] {
  const ivf = execFileSync('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10'],
    ...['-t', '0.5', '-c:v', 'libvpx-vp9', '-pix_fmt', 'yuv420p', '-g', '5', '-f', 'ivf', 'pipe:1'],
  ]);
  const frames: Buffer[] = [];
  for (let offset = ivf.readUInt16LE(6); offset + 12 <= ivf.length;) {
    const size = ivf.readUInt32LE(offset);
    frames.push(ivf.subarray(offset + 12, offset + 12 + size));
    offset += 12 + size;
  }
  return frames;
}

let sequence = 65_530; // wraps around during the test
const pictureId = { value: 32_760 };

/** RTP packets of one picture, in the flexible or the non-flexible mode, 300-byte payloads. */
function packetize(layers: Buffer[], timestamp: number, flexible: boolean): Buffer[] {
  const packets: Buffer[] = [];
  const keyframe = pictureId.value % 5 === 0;
  layers.forEach((frame, spatial) => {
    for (let offset = 0; offset < frame.length; offset += 300) {
      const begin = offset === 0;
      const end = offset + 300 >= frame.length;
      const interPicture = !keyframe;
      let first = 0x80 | 0x20 | (begin ? 0x08 : 0) | (end ? 0x04 : 0);
      if (interPicture) first |= 0x40;
      if (flexible) first |= 0x10;
      const scalability = keyframe && begin && spatial === 0;
      if (scalability) first |= 0x02;
      const descriptor = [first, 0x80 | (pictureId.value >> 8), pictureId.value & 0xff];
      descriptor.push((spatial << 1) | (spatial > 0 ? 1 : 0)); // TID 0, SID, D
      if (!flexible) descriptor.push(7); // TL0PICIDX
      if (flexible && interPicture) descriptor.push((1 << 1) | 1, (2 << 1) | 0); // two P_DIFFs
      if (scalability) {
        // Two spatial layers with their sizes, and a group of one picture with one reference.
        descriptor.push(((layers.length - 1) << 5) | 0x10 | 0x08);
        for (let i = 0; i < layers.length; i++) descriptor.push(0, 160, 0, 120);
        descriptor.push(1, 0b0000_0100, 1);
      }
      const header = Buffer.alloc(12);
      header[0] = 0x80;
      header[1] = 98 | (end && spatial === layers.length - 1 ? 0x80 : 0);
      header.writeUInt16BE(sequence, 2);
      sequence = (sequence + 1) & 0xffff;
      header.writeUInt32BE(timestamp >>> 0, 4);
      packets.push(
        Buffer.concat([header, Buffer.from(descriptor), frame.subarray(offset, offset + 300)]),
      );
    }
  });
  pictureId.value = (pictureId.value + 1) & 0x7fff;
  return packets;
}

test('gets the frames back from both packetization modes, one layer or two', () => {
  const frames = realFrames();
  expect(frames.length).toBeGreaterThan(3);
  for (const flexible of [true, false]) {
    for (const layerCount of [1, 2]) {
      const pictures: [Buffer, number][] = [];
      let losses = 0;
      const depacketizer = new Vp9Depacketizer(
        (picture, ts) => pictures.push([picture, ts]),
        () => losses++,
      );
      const expected = frames.map((frame, i) => {
        const layers = Array.from({ length: layerCount }, () => frame);
        for (const packet of packetize(layers, 4_294_960_000 + i * 9000, flexible))
          depacketizer.push(packet);
        return superframe(layers);
      });
      expect(losses).toBe(0);
      expect(pictures.map(([picture]) => picture)).toEqual(expected);
      expect(pictures.map(([, ts]) => ts)).toEqual(
        frames.map((_, i) => (4_294_960_000 + i * 9000) >>> 0),
      );
    }
  }
});

test('a lost packet drops its picture and is reported once', () => {
  const frames = realFrames();
  const pictures: Buffer[] = [];
  let losses = 0;
  const depacketizer = new Vp9Depacketizer(
    (picture) => pictures.push(picture),
    () => losses++,
  );
  frames.forEach((frame, i) => {
    const packets = packetize([frame], i * 9000, true);
    // The second picture loses a packet in the middle (or its only one).
    if (i === 1) packets.splice(Math.floor(packets.length / 2), 1);
    for (const packet of packets) depacketizer.push(packet);
  });
  expect(losses).toBe(1);
  expect(pictures).toEqual(frames.filter((_, i) => i !== 1));
});

test('a superframe ends with the index a decoder splits it by', () => {
  const index = superframe([Buffer.alloc(300, 1), Buffer.alloc(5, 2)]).subarray(305);
  // Two bytes per size (300 > 255), two frames: marker 0b110_01_001, sizes little-endian, marker.
  expect([...index]).toEqual([0xc9, 300 & 0xff, 300 >> 8, 5, 0, 0xc9]);
});
