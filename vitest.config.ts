import { existsSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The host runs on Node 24, as inside Electron 45; npm scripts put the `node`
// dev dependency first on PATH.
if (Number(process.versions.node.split('.')[0]) < 24) {
  throw new Error(`tests need Node 24 (this is ${process.version}): run them through npm`);
}

// `scripts/setup.sh` writes MEDIASOUP_WORKER_BIN here when it built the worker
// itself; test workers inherit this process's environment.
if (existsSync('.env')) process.loadEnvFile('.env');

export default defineConfig({
  test: {
    // Two at a time even on two cores: most host tests wait on workers, sockets and ffmpeg, not the CPU.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'host',
          include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
          // Real mediasoup workers and real browsers take seconds to start.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          // One jsdom per worker instead of one per file (a third of this project's time); files stay isolated.
          pool: 'vmThreads',
          setupFiles: ['renderer/test-setup.ts'],
        },
      },
    ],
  },
});
