import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

// What a media file really holds, read with ffmpeg itself (framecrc lists
// every packet of a stream copy) rather than ffprobe, so the desktop app only
// has to ship one binary. Reading every packet instead of trusting the
// container's duration matters here: a track file whose writer died has no
// index and no duration, or a duration written before it was cut short.

export interface MediaInfo {
  kind: 'audio' | 'video';
  codec: string;
  /** From the first packet's start to the last packet's end. */
  durationMs: number;
  packets: number;
  width?: number;
  height?: number;
  /** 1 for mono, 2 for stereo, undefined when ffmpeg names another layout. */
  channels?: number;
  /** ffmpeg complained (damaged data, cut-off last packet) but packets were read. */
  damaged?: string;
}

/** Reads the first stream of `kind` in `file`; rejects with a readable reason when there is none or it holds no packets. */
export function probeMedia(
  ffmpegPath: string,
  file: string,
  kind: 'audio' | 'video',
  signal?: AbortSignal,
): Promise<MediaInfo> {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', file];
  args.push('-map', `0:${kind === 'audio' ? 'a' : 'v'}:0`, '-c', 'copy', '-f', 'framecrc', '-');
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const header = new Map<string, string>();
    let first = Infinity;
    let last = -Infinity;
    let packets = 0;
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('#')) {
        // "#tb 0: 1/1000", "#dimensions 0: 640x480", "#channel_layout_name 0: mono"
        const match = /^#(\w+) 0:\s*(.*)$/.exec(line);
        if (match) header.set(match[1]!, match[2]!.trim());
        return;
      }
      // "0, dts, pts, duration, size, crc[, flags]"
      const fields = line.split(',').map((f) => f.trim());
      const pts = Number(fields[2]);
      const duration = Number(fields[3]);
      if (fields.length < 5 || !Number.isFinite(pts)) return;
      packets++;
      first = Math.min(first, pts);
      last = Math.max(last, pts + (Number.isFinite(duration) ? duration : 0));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const complaint = lastLine(stderr);
      if (packets === 0) {
        return reject(new Error(complaint || `no ${kind} in the file`));
      }
      const [num, den] = (header.get('tb') ?? '1/1000').split('/').map(Number);
      const msPerTick = ((num || 1) / (den || 1000)) * 1000;
      const size = /^(\d+)x(\d+)$/.exec(header.get('dimensions') ?? '');
      const layout = header.get('channel_layout_name');
      resolve({
        kind,
        codec: header.get('codec_id') ?? 'unknown',
        durationMs: Math.max(0, (last - first) * msPerTick),
        packets,
        ...(size && { width: Number(size[1]), height: Number(size[2]) }),
        ...(kind === 'audio' && {
          channels: layout === 'mono' ? 1 : layout === 'stereo' ? 2 : undefined,
        }),
        ...((code !== 0 || complaint) && { damaged: complaint || `ffmpeg exited with ${code}` }),
      });
    });
  });
}

export function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
