// Bundles the main-process entry points for Node 24 (Electron 45's Node) into
// dist/main/. Dependencies stay external: mediasoup finds its worker binary
// relative to its own package, and node_modules ship with the app.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: {
      'host-cli': 'main/host/cli.ts',
      electron: 'main/electron/main.ts',
      discover: 'main/discovery/discover-cli.ts',
      record: 'main/recording/record-cli.ts',
    },
    outdir: 'dist/main',
    format: 'esm',
    packages: 'external',
  }),
  // A sandboxed preload script is CommonJS and may require only 'electron'.
  build({
    ...common,
    entryPoints: { preload: 'main/electron/preload.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
  }),
]);
