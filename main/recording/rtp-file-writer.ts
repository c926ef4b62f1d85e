import { createSocket } from 'node:dgram';
import { FfmpegProcess, matroskaOutputArgs } from './ffmpeg-process';
import { FfmpegTrackWriter } from './ffmpeg-track-writer';

// ffmpeg listening for one RTP stream (described by an SDP on its stdin) on
// loopback and copying it, without transcoding, into a Matroska file. Used
// for VP8, H264 and Opus, which ffmpeg's RTP input unpacks itself.

/** stop(): the RTCP BYE again after this long (a datagram may be dropped), then SIGINT. */
const BYE_AGAIN_MS = 500;
const SIGINT_AFTER_MS = 1_500;
/**
 * An RTCP receiver report (ffmpeg reads no RTCP packet shorter than 12
 * bytes) followed by a BYE: ffmpeg's SDP input takes the BYE as the end of
 * the stream, finishes the file and exits 0.
 */
const RTCP_BYE = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 1, 0x81, 203, 0, 1, 0, 0, 0, 1]);

export class RtpFileWriter extends FfmpegTrackWriter {
  private constructor(
    process: FfmpegProcess,
    private readonly rtcpPort: number,
  ) {
    super(process);
  }

  /**
   * Starts ffmpeg reading the RTP that `sdp` describes (on 127.0.0.1:`rtpPort`,
   * RTCP on the next port) into `file`; throws when too many writers run.
   */
  static start(ffmpegPath: string, sdp: string, rtpPort: number, file: string): RtpFileWriter {
    const process = new FfmpegProcess(ffmpegPath, [
      // stdin carries the SDP, not keyboard commands.
      '-nostdin',
      ...['-protocol_whitelist', 'pipe,udp,rtp', '-localaddr', '127.0.0.1'],
      // Bursts of a keyframe or a shared screen must not overflow the socket.
      ...['-buffer_size', String(4 * 1024 * 1024)],
      ...['-f', 'sdp', '-i', 'pipe:0'],
      ...matroskaOutputArgs(file),
    ]);
    process.stdin.end(sdp);
    return new RtpFileWriter(process, rtpPort + 1);
  }

  /**
   * Signals are no good for finishing the file when no RTP comes any more:
   * ffmpeg notices SIGINT only between packets, and a second SIGINT
   * interrupts its file writes too. An RTCP BYE ends its input cleanly
   * instead; the BYE again and then SIGINT if that is not enough.
   */
  protected override finishFile(): [number, () => void][] {
    this.sendBye();
    return [
      [BYE_AGAIN_MS, () => this.sendBye()],
      [SIGINT_AFTER_MS, () => this.process.signal('SIGINT')],
    ];
  }

  private sendBye(): void {
    if (!this.process.alive) return;
    const socket = createSocket('udp4');
    socket.on('error', () => socket.close());
    socket.send(RTCP_BYE, this.rtcpPort, '127.0.0.1', () => socket.close());
  }
}
