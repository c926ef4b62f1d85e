import { execFile } from 'node:child_process';
import { access, lstat, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { buildComposeCommand, type EncoderSettings } from './compose-graph';
import {
  DEFAULT_LAYOUT,
  fromFirstMedia,
  planLayout,
  recordingDurationMs,
  type LayoutOptions,
  type LayoutTrack,
} from './layout';
import type { ComposedFile, RecordedTrack, RecordingManifest } from './manifest';
import { readManifest, writeManifestAtomically } from './manifest-file';
import { probeMedia } from './probe-media';
import { report, runFfmpeg, type Progress } from './run-ffmpeg';

// After a recording stops, compose() turns its tracks into one file anyone
// can play (see compose-graph.ts for the format and why). The manifest says
// where it is: 'composing' while it runs, then 'composed' with the file, or
// 'compose_failed' with why (the tracks stay, so it can be tried again).
// ffmpeg writes to a temporary name renamed at the end, so a half-made file is
// never listed. A track that cannot be read is left out and said so; only a
// recording with nothing readable at all, a full disk, or ffmpeg failing makes
// the composition fail. The caller makes sure capture has ended.

export const COMPOSED_FILE = 'recording.mp4';
const FAILED_PREFIX = 'composition failed: ';
/** ffmpeg's output until it is complete; removed on any failure. */
export const COMPOSING_SUFFIX = '.part';

export interface ComposeOptions {
  ffmpegPath: string;
  /** Fraction done (0..1) and an estimate of the time left; 1 once the file is in place. */
  onProgress?: Progress;
  /** Aborting kills ffmpeg, removes its partial output and puts the manifest back as it was. */
  signal?: AbortSignal;
  encoder?: Partial<EncoderSettings>;
  layout?: Partial<LayoutOptions>;
  /** A TrueType font for names; default: the first found of a few usual places; null: no names. */
  fontFile?: string | null;
}

export type ComposeResult =
  | {
      outcome: 'composed';
      composed: ComposedFile;
      /** Tracks left out, in words (also added to the manifest's problems). */
      leftOut: string[];
      /** Wall-clock time the composition took: with composed.durationMs, what a benchmark divides. */
      wallMs: number;
    }
  | { outcome: 'failed'; problem: string; leftOut: string[]; wallMs: number }
  | { outcome: 'cancelled'; wallMs: number };

export async function compose(
  recordingDir: string,
  options: ComposeOptions,
): Promise<ComposeResult> {
  const started = performance.now();
  const wallMs = () => Math.round(performance.now() - started);
  const { ffmpegPath, signal } = options;
  let manifest: RecordingManifest;
  try {
    manifest = await readManifest(recordingDir);
  } catch (error) {
    return {
      outcome: 'failed',
      problem: `the manifest cannot be read: ${message(error)}`,
      leftOut: [],
      wallMs: wallMs(),
    };
  }
  const before = { state: manifest.state, composed: manifest.composed };
  const finalPath = join(recordingDir, COMPOSED_FILE);
  const tempPath = finalPath + COMPOSING_SUFFIX;
  let work: string | undefined;
  let leftOut: string[] = [];
  const fail = async (problem: string): Promise<ComposeResult> => {
    await updateManifest(recordingDir, manifest, (m) => {
      m.state = 'compose_failed';
      addProblems(m, [...leftOut.map(leftOutProblem), `${FAILED_PREFIX}${problem}`]);
    }).catch(() => undefined);
    return { outcome: 'failed', problem, leftOut, wallMs: wallMs() };
  };
  const cancel = async (): Promise<ComposeResult> => {
    await updateManifest(recordingDir, manifest, (m) => {
      m.state = before.state === 'composing' ? 'stopped' : before.state;
      m.composed = before.composed;
    }).catch(() => undefined);
    return { outcome: 'cancelled', wallMs: wallMs() };
  };

  try {
    if (signal?.aborted) return await cancel();
    await updateManifest(recordingDir, manifest, (m) => void (m.state = 'composing'));
    report(options.onProgress, 0);
    const read = await readTracks(recordingDir, manifest.tracks, ffmpegPath, signal);
    leftOut = read.leftOut;
    if (signal?.aborted) return await cancel();
    if (read.usable.length === 0) return await fail('no track of the recording could be read');

    const layout = { ...DEFAULT_LAYOUT, ...options.layout };
    const { tracks, stoppedAfterMs } = fromFirstMedia(
      read.usable,
      manifest.stoppedAt === undefined ? undefined : manifest.stoppedAt - manifest.startedAt,
    );
    const durationMs = recordingDurationMs(stoppedAfterMs, tracks);
    if (durationMs <= 0) return await fail('the recording holds no media');
    const timeline = planLayout(tracks, durationMs, layout);

    work = await mkdtemp(join(tmpdir(), 'roundtable-compose-'));
    const font =
      options.fontFile === null ? undefined : await nameFont(ffmpegPath, options.fontFile);
    const command = buildComposeCommand({
      timeline,
      tracks,
      outputPath: tempPath,
      workDir: work,
      ...(font && { fontFile: font }),
      ...(options.encoder && { encoder: options.encoder }),
    });
    for (const file of command.files) await writeFile(file.path, file.text);
    // An ffmpeg orphaned by a host that died mid-composition may still be
    // writing a partial file: unlinked, its writes go nowhere anyone sees.
    if ((await lstat(tempPath).catch(() => undefined))?.isFile()) await rm(tempPath);

    const expectedMs = (timeline.frames / timeline.fps) * 1000;
    const run = await runFfmpeg(ffmpegPath, command.args, {
      expectedMs,
      onProgress: options.onProgress,
      signal,
    });
    if (!run.ok && run.aborted) return await cancel();
    if (!run.ok)
      return await fail(
        run.diskFull ? `the disk is full (${run.reason})` : `ffmpeg: ${run.reason}`,
      );

    const output = await probeMedia(ffmpegPath, tempPath, 'video', signal);
    const { size } = await stat(tempPath);
    await rename(tempPath, finalPath);
    const composed: ComposedFile = {
      file: COMPOSED_FILE,
      bytes: size,
      durationMs: Math.round(output.durationMs),
      composedAt: Date.now(),
    };
    try {
      await updateManifest(recordingDir, manifest, (m) => {
        m.state = 'composed';
        m.composed = composed;
        // An earlier attempt's failure no longer describes the recording.
        m.problems = m.problems.filter((p) => !p.startsWith(FAILED_PREFIX));
        addProblems(m, leftOut.map(leftOutProblem));
      });
    } catch (error) {
      // Without the manifest saying so, the file would be an orphan nobody lists.
      await rm(finalPath, { force: true });
      throw error;
    }
    report(options.onProgress, 1, 0);
    return { outcome: 'composed', composed, leftOut, wallMs: wallMs() };
  } catch (error) {
    if (signal?.aborted) return await cancel();
    const code = (error as NodeJS.ErrnoException).code;
    return await fail(code === 'ENOSPC' ? `the disk is full (${message(error)})` : message(error));
  } finally {
    await rm(tempPath, { force: true }).catch(() => undefined);
    if (work) await rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

type UsableTrack = LayoutTrack & { path: string; channels?: number };

/** Probes every track file (two at a time, one per core): the readable ones with what they hold, and why the others are left out. */
async function readTracks(
  dir: string,
  tracks: RecordedTrack[],
  ffmpegPath: string,
  signal?: AbortSignal,
): Promise<{ usable: UsableTrack[]; leftOut: string[] }> {
  const usable: UsableTrack[] = [];
  const leftOut: string[] = [];
  const queue = [...tracks];
  const worker = async () => {
    for (let track = queue.shift(); track && !signal?.aborted; track = queue.shift()) {
      const what = `${track.displayName}'s ${track.source} (${track.file})`;
      const path = resolve(dir, track.file);
      const inside = relative(dir, path);
      if (inside.startsWith('..') || isAbsolute(inside)) {
        leftOut.push(`${what}: the file is outside the recording's folder`);
        continue;
      }
      try {
        await access(path);
      } catch {
        leftOut.push(`${what}: the file is missing`);
        continue;
      }
      try {
        const media = await probeMedia(ffmpegPath, path, track.kind, signal);
        usable.push({
          ...track,
          path,
          mediaDurationMs: media.durationMs,
          width: media.width,
          height: media.height,
          channels: media.channels,
        });
      } catch (error) {
        if (!signal?.aborted) leftOut.push(`${what}: ${message(error)}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  // Probing finishes in any order; the manifest's order keeps the mix and the grid reproducible.
  const order = new Map(tracks.map((t, i) => [t.id, i]));
  usable.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { usable, leftOut: leftOut.sort() };
}

const FONT_PLACES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', // Debian, Ubuntu (fonts-dejavu-core)
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf', // Fedora
  '/usr/share/fonts/TTF/DejaVuSans.ttf', // Arch
  '/System/Library/Fonts/Supplemental/Arial.ttf', // macOS
  'C:\\Windows\\Fonts\\arial.ttf',
];
const drawtextByFfmpeg = new Map<string, Promise<boolean>>();

/** A font to write names with, when ffmpeg can draw text at all (a minimal build may lack drawtext). */
async function nameFont(
  ffmpegPath: string,
  given: string | undefined,
): Promise<string | undefined> {
  let canDraw = drawtextByFfmpeg.get(ffmpegPath);
  if (!canDraw) {
    canDraw = new Promise((done) => {
      execFile(ffmpegPath, ['-hide_banner', '-filters'], { timeout: 10_000 }, (error, stdout) =>
        done(!error && /\sdrawtext\s/.test(stdout)),
      );
    });
    drawtextByFfmpeg.set(ffmpegPath, canDraw);
  }
  if (!(await canDraw)) return undefined;
  for (const place of given ? [given] : FONT_PLACES) {
    if (
      await access(place).then(
        () => true,
        () => false,
      )
    )
      return place;
  }
  return undefined;
}

/** Re-reads the manifest (the latest, if someone else saved since), changes it and saves it atomically. */
async function updateManifest(
  dir: string,
  fallback: RecordingManifest,
  change: (manifest: RecordingManifest) => void,
): Promise<void> {
  const manifest = await readManifest(dir).catch(() => fallback);
  change(manifest);
  await writeManifestAtomically(dir, manifest);
}

function addProblems(manifest: RecordingManifest, problems: string[]): void {
  for (const problem of problems)
    if (!manifest.problems.includes(problem)) manifest.problems.push(problem);
}

function leftOutProblem(what: string): string {
  return `left out of the composed video: ${what}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
