// Turns VP9 RTP packets (RFC 9628, as browsers send them) back into VP9
// pictures. ffmpeg's own RTP input cannot: it reads an early draft's payload
// descriptor, whose bits mean other things, and produces nothing from a
// browser's VP9.

const MAX_PICTURE_BYTES = 8 * 1024 * 1024;
/** A VP9 superframe holds at most 8 frames (spatial layers). */
const MAX_FRAMES = 8;

export interface RtpPacket {
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

/** The RTP header's fields and the payload (after CSRCs, the extension and padding); undefined if malformed. */
export function parseRtp(packet: Buffer): RtpPacket | undefined {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return undefined;
  const csrcCount = packet[0]! & 0x0f;
  let offset = 12 + 4 * csrcCount;
  if (packet[0]! & 0x10) {
    if (packet.length < offset + 4) return undefined;
    offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  }
  let end = packet.length;
  if (packet[0]! & 0x20) end -= packet[end - 1]!;
  if (end <= offset) return undefined;
  return {
    sequenceNumber: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    marker: (packet[1]! & 0x80) !== 0,
    payload: packet.subarray(offset, end),
  };
}

/** The VP9 payload descriptor's start/end bits and where the frame data begins; undefined if malformed. */
export function parseVp9Descriptor(
  payload: Buffer,
): { begin: boolean; end: boolean; dataOffset: number } | undefined {
  const first = payload[0];
  if (first === undefined) return undefined;
  const [picId, interPic, layers, flexible, begin, end, scalability] = [
    0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02,
  ].map((bit) => (first & bit) !== 0);
  let offset = 1;
  if (picId) offset += payload[offset]! & 0x80 ? 2 : 1;
  if (layers) offset += flexible ? 1 : 2;
  if (flexible && interPic) {
    // Up to three reference differences, each saying whether another follows.
    for (let i = 0; i < 3 && offset < payload.length; i++) if (!(payload[offset++]! & 0x01)) break;
  }
  if (scalability && offset < payload.length) {
    const ss = payload[offset++]!;
    if (ss & 0x10) offset += 4 * ((ss >> 5) + 1); // width and height per spatial layer
    if (ss & 0x08 && offset < payload.length) {
      const groups = payload[offset++]!;
      for (let g = 0; g < groups && offset < payload.length; g++)
        offset += 1 + ((payload[offset]! >> 2) & 0x03);
    }
  }
  if (offset >= payload.length) return undefined;
  return { begin: begin!, end: end!, dataOffset: offset };
}

/**
 * Collects the packets of each picture (all its spatial layers) and hands
 * over the picture, as one VP9 superframe when it has several layers. A
 * picture with a packet missing is dropped whole and reported (the caller
 * asks for a keyframe).
 */
export class Vp9Depacketizer {
  private frames: Buffer[] = [];
  private parts: Buffer[] | undefined;
  private bytes = 0;
  private timestamp: number | undefined;
  private nextSequence: number | undefined;
  private broken = false;

  constructor(
    private readonly onPicture: (picture: Buffer, rtpTimestamp: number) => void,
    private readonly onLoss: () => void,
  ) {}

  push(packet: Buffer): void {
    const rtp = parseRtp(packet);
    const descriptor = rtp && parseVp9Descriptor(rtp.payload);
    if (!rtp || !descriptor) return;
    const lost = this.nextSequence !== undefined && rtp.sequenceNumber !== this.nextSequence;
    this.nextSequence = (rtp.sequenceNumber + 1) & 0xffff;
    if (rtp.timestamp !== this.timestamp) {
      // A new picture: the last one ended without its marker (lost) unless it was handed over.
      if (this.frames.length || this.parts) this.drop();
      // A whole picture may be missing: what refers to it cannot be decoded until a keyframe.
      else if (lost && !this.broken) this.onLoss();
      this.timestamp = rtp.timestamp;
      this.broken = false;
    } else if (lost) {
      this.drop();
    }
    if (this.broken) return;
    if (descriptor.begin) this.parts = [];
    if (!this.parts) return this.drop();
    const data = rtp.payload.subarray(descriptor.dataOffset);
    this.bytes += data.length;
    if (this.bytes > MAX_PICTURE_BYTES) return this.drop();
    this.parts.push(data);
    if (descriptor.end) {
      this.frames.push(Buffer.concat(this.parts));
      this.parts = undefined;
      if (this.frames.length > MAX_FRAMES) return this.drop();
    }
    if (rtp.marker && !this.parts && this.frames.length) {
      this.onPicture(superframe(this.frames), rtp.timestamp);
      this.reset();
    }
  }

  private drop(): void {
    if (!this.broken) this.onLoss();
    this.reset();
    this.broken = true;
  }

  private reset(): void {
    this.frames = [];
    this.parts = undefined;
    this.bytes = 0;
  }
}

/** One frame as it is; several (spatial layers) joined with the index a decoder splits them by. */
export function superframe(frames: Buffer[]): Buffer {
  if (frames.length === 1) return frames[0]!;
  const largest = Math.max(...frames.map((frame) => frame.length));
  const sizeBytes = largest < 1 << 8 ? 1 : largest < 1 << 16 ? 2 : largest < 1 << 24 ? 3 : 4;
  const marker = 0xc0 | ((sizeBytes - 1) << 3) | (frames.length - 1);
  const index = Buffer.alloc(2 + sizeBytes * frames.length);
  index[0] = marker;
  frames.forEach((frame, i) => index.writeUIntLE(frame.length, 1 + i * sizeBytes, sizeBytes));
  index[index.length - 1] = marker;
  return Buffer.concat([...frames, index]);
}
