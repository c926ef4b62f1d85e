// `npm run bench`: bundles bench/run.ts (TypeScript with the host's modules)
// and runs it with the worker from .env, passing the benchmark names on.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

if (existsSync('.env')) process.loadEnvFile('.env');
await build({
  entryPoints: ['bench/run.ts'],
  outfile: 'dist/bench/run.mjs',
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
await import(pathToFileURL('dist/bench/run.mjs').href);
