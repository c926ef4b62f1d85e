import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

const run = promisify(execFile);
const buildScript = 'scripts/mediasoup-worker/build.sh';

// scripts/setup.sh has run build.sh before the tests, unless mediasoup's own
// prebuilt worker was used (a machine with internet): then there is nothing
// of ours to reuse.
const builtHere = (process.env.MEDIASOUP_WORKER_BIN ?? '').includes('/mediasoup-worker/');

test.skipIf(!builtHere)('a second worker build reuses the cached binary', async () => {
  const workerBin = process.env.MEDIASOUP_WORKER_BIN!;
  const before = statSync(workerBin);

  const again = await run('bash', [buildScript]);
  expect(again.stdout.trim()).toBe(workerBin);
  expect(again.stderr).toContain('cached worker');
  expect(again.stderr).not.toContain('building');

  const probe = await run('bash', [buildScript, '--if-cached']);
  expect(probe.stdout.trim()).toBe(workerBin);

  const after = statSync(workerBin);
  expect(after.mtimeMs).toBe(before.mtimeMs);
  expect(after.ino).toBe(before.ino);
});

test('--if-cached reports a miss without building', async () => {
  // A fresh cache directory holds nothing, so the probe must answer "not cached" (3).
  const emptyCache = `${process.env.TMPDIR ?? '/tmp'}/roundtable-empty-cache-${process.pid}`;
  const probe = run('bash', [buildScript, '--if-cached'], {
    env: { ...process.env, ROUNDTABLE_CACHE_DIR: emptyCache },
  });
  await expect(probe).rejects.toMatchObject({ code: 3, stdout: '' });
});
