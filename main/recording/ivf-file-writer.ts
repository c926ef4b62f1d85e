import { FfmpegProcess, matroskaOutputArgs } from './ffmpeg-process';
import { FfmpegTrackWriter } from './ffmpeg-track-writer';
import { Vp9Depacketizer } from './vp9-depacketizer';

// VP9 is unpacked here (vp9-depacketizer.ts) and handed to ffmpeg as IVF
// on its stdin, with the RTP timestamps as the pictures' times; ffmpeg copies
// it into the same Matroska file the other codecs get. The end of stdin ends
// the file cleanly.

/** RTP video clock: IVF's time base is 1/90000, so timestamps carry over unchanged. */
const VIDEO_CLOCK = 90_000;
/** ffmpeg that falls this far behind is not keeping up: the writer gives up (a problem, then a new segment). */
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;

export class IvfFileWriter extends FfmpegTrackWriter {
  private readonly depacketizer: Vp9Depacketizer;
  /** The last picture's RTP timestamp, and RTP ticks since the first picture (unwrapped from 32 bits). */
  private lastTimestamp: number | undefined;
  private elapsed = 0;

  private constructor(process: FfmpegProcess, onLoss: () => void) {
    super(process);
    this.depacketizer = new Vp9Depacketizer(
      (picture, ts) => this.writePicture(picture, ts),
      onLoss,
    );
    process.stdin.write(ivfHeader());
  }

  /** Starts ffmpeg writing `file`; `onLoss` is told when a picture was lost (ask for a keyframe). */
  static start(ffmpegPath: string, file: string, onLoss: () => void): IvfFileWriter {
    const process = new FfmpegProcess(ffmpegPath, [
      '-nostdin',
      ...['-f', 'ivf', '-i', 'pipe:0'],
      ...matroskaOutputArgs(file),
    ]);
    return new IvfFileWriter(process, onLoss);
  }

  /** One RTP packet from the consumer. */
  push(packet: Buffer): void {
    if (this.writing) this.depacketizer.push(packet);
  }

  /** The end of its input makes ffmpeg finish the file. */
  protected override finishFile(): [number, () => void][] {
    this.process.stdin.end();
    return [];
  }

  private writePicture(picture: Buffer, rtpTimestamp: number): void {
    // The difference as a signed 32-bit number survives the timestamp wrapping around.
    const step = (rtpTimestamp - (this.lastTimestamp ?? rtpTimestamp)) | 0;
    // A picture older than the last one (reordered upstream) cannot follow it in the file.
    if (step < 0) return;
    this.elapsed += step;
    this.lastTimestamp = rtpTimestamp;
    const header = Buffer.alloc(12);
    header.writeUInt32LE(picture.length, 0);
    header.writeBigUInt64LE(BigInt(this.elapsed), 4);
    const stdin = this.process.stdin;
    if (stdin.writableLength > MAX_BACKLOG_BYTES) {
      this.process.note('it fell too far behind the video');
      this.process.signal('SIGKILL');
      return;
    }
    stdin.write(header);
    stdin.write(picture);
  }
}

/** IVF's 32-byte file header for VP9; the size is left 0 (ffmpeg reads it from the first keyframe). */
function ivfHeader(): Buffer {
  const header = Buffer.alloc(32);
  header.write('DKIF', 0, 'ascii');
  header.writeUInt16LE(0, 4); // version
  header.writeUInt16LE(32, 6); // header size
  header.write('VP90', 8, 'ascii');
  header.writeUInt32LE(VIDEO_CLOCK, 16); // time base denominator
  header.writeUInt32LE(1, 20); // time base numerator
  return header;
}
