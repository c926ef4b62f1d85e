import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The ffmpeg the host records and composes with, or why there is none. */
export type FfmpegTool =
  { available: true; path: string; version: string } | { available: false; reason: string };

/**
 * Finds ffmpeg: ROUNDTABLE_FFMPEG when set (the desktop app points it at the
 * binary it ships), else the first `ffmpeg` on PATH (Debian's, installed by
 * scripts/setup.sh). Runs `ffmpeg -version` once to be sure it starts.
 */
export async function findFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegTool> {
  const given = env.ROUNDTABLE_FFMPEG;
  const candidates = given
    ? [given]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, 'ffmpeg'));
  for (const path of candidates) {
    try {
      await access(path, constants.X_OK);
    } catch {
      continue;
    }
    const version = await ffmpegVersion(path).catch(() => undefined);
    if (version) return { available: true, path, version };
    return { available: false, reason: `${path} does not run (ffmpeg -version failed)` };
  }
  return {
    available: false,
    reason: given
      ? `ROUNDTABLE_FFMPEG=${given} is not an executable`
      : 'ffmpeg is not installed on this computer (Debian: apt install ffmpeg)',
  };
}

function ffmpegVersion(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, ['-hide_banner', '-version'], { timeout: 10_000 }, (error, stdout) => {
      if (error) return reject(error);
      const line = stdout.split('\n')[0] ?? '';
      resolve(/ffmpeg version (\S+)/.exec(line)?.[1] ?? line.trim());
    });
  });
}
