// Bundles the main-process entry points for Node 24 (Electron 45's Node) into
// dist/main/. Dependencies stay external: mediasoup finds its worker binary
// relative to its own package, and node_modules ship with the app.
import { build } from 'esbuild';

await build({
  entryPoints: { 'host-cli': 'main/host/cli.ts' },
  outdir: 'dist/main',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
