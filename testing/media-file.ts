import { execFile } from 'node:child_process';

// What a media file holds, read with Debian's ffprobe and ffmpeg: for tests of
// recordings (the composed file a person downloads).

function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${command} failed: ${stderr.slice(-500)}`))
          : resolve({ stdout, stderr }),
    );
  });
}

export interface FileStreams {
  durationS: number;
  formatName: string;
  streams: { codecType: string; codecName: string; durationS: number; width?: number }[];
}

export async function probeFile(path: string): Promise<FileStreams> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration,format_name:stream=codec_type,codec_name,duration,width',
    '-of',
    'json',
    path,
  ]);
  const info = JSON.parse(stdout) as {
    format: { duration: string; format_name: string };
    streams: { codec_type: string; codec_name: string; duration?: string; width?: number }[];
  };
  return {
    durationS: Number(info.format.duration),
    formatName: info.format.format_name,
    streams: info.streams.map((stream) => ({
      codecType: stream.codec_type,
      codecName: stream.codec_name,
      durationS: Number(stream.duration ?? NaN),
      width: stream.width,
    })),
  };
}

/**
 * The mean colour saturation of `perSecond` frames a second (ffmpeg's fps
 * filter picks them). A frame without a picture (black, or only the composition's dark
 * background and name tiles) is near 0; Chromium's fake camera, saturated
 * green on an almost black luma plane, is far above: brightness alone cannot
 * tell the two apart.
 */
export async function saturationSamples(
  path: string,
  perSecond: number,
): Promise<{ atS: number; saturation: number }[]> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-nostats',
    '-i',
    path,
    '-an',
    '-vf',
    `fps=${perSecond},signalstats,metadata=print:key=lavfi.signalstats.SATAVG`,
    '-f',
    'null',
    '-',
  ]);
  const samples: { atS: number; saturation: number }[] = [];
  let atS: number | undefined;
  for (const line of stderr.split('\n')) {
    const time = /pts_time:([\d.]+)/.exec(line);
    if (time) atS = Number(time[1]);
    const value = /lavfi\.signalstats\.SATAVG=([\d.]+)/.exec(line);
    if (value && atS !== undefined) samples.push({ atS, saturation: Number(value[1]) });
  }
  return samples;
}

/** The mean volume of the whole audio, in dB (volumedetect); silence is about -91 dB. */
export async function meanVolumeDb(path: string): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-i',
    path,
    '-vn',
    '-af',
    'volumedetect',
    '-f',
    'null',
    '-',
  ]);
  const match = /mean_volume: (-?[\d.]+|-inf) dB/.exec(stderr);
  if (!match) throw new Error(`no audio in ${path}`);
  return match[1] === '-inf' ? -Infinity : Number(match[1]);
}

/** Saves the video frame at `atS` seconds as a PNG, to look at. */
export async function saveFrame(path: string, atS: number, png: string): Promise<void> {
  await run('ffmpeg', [
    '-hide_banner',
    '-y',
    '-ss',
    String(atS),
    '-i',
    path,
    '-frames:v',
    '1',
    png,
  ]);
}
