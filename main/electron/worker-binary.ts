import { join } from 'node:path';

/**
 * Where the mediasoup worker is in the desktop app. In a packaged app it is
 * unpacked next to the asar archive (electron-builder's asarUnpack), because
 * an executable cannot be spawned from inside the archive; in development
 * MEDIASOUP_WORKER_BIN or mediasoup's own resolution applies.
 */
export function resolveWorkerBinary(options: {
  env: NodeJS.ProcessEnv;
  isPackaged: boolean;
  resourcesPath: string;
  platform: NodeJS.Platform;
}): string | undefined {
  if (options.env.MEDIASOUP_WORKER_BIN) return options.env.MEDIASOUP_WORKER_BIN;
  if (!options.isPackaged) return undefined;
  const executable = options.platform === 'win32' ? 'mediasoup-worker.exe' : 'mediasoup-worker';
  return join(
    options.resourcesPath,
    'app.asar.unpacked',
    'node_modules',
    'mediasoup',
    'worker',
    'out',
    'Release',
    executable,
  );
}
