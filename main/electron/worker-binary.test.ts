import { expect, test } from 'vitest';
import { resolveWorkerBinary } from './worker-binary';

test('packaged apps run the worker unpacked next to the asar archive', () => {
  const base = { env: {}, isPackaged: true, resourcesPath: '/opt/Roundtable/resources' };
  expect(resolveWorkerBinary({ ...base, platform: 'linux' })).toBe(
    '/opt/Roundtable/resources/app.asar.unpacked/node_modules/mediasoup/worker/out/Release/mediasoup-worker',
  );
  expect(resolveWorkerBinary({ ...base, platform: 'win32' })).toMatch(
    /app\.asar\.unpacked.*mediasoup-worker\.exe$/,
  );
});

test('MEDIASOUP_WORKER_BIN wins; development uses mediasoup’s own resolution', () => {
  expect(
    resolveWorkerBinary({
      env: { MEDIASOUP_WORKER_BIN: '/w' },
      isPackaged: true,
      resourcesPath: '/r',
      platform: 'linux',
    }),
  ).toBe('/w');
  expect(
    resolveWorkerBinary({ env: {}, isPackaged: false, resourcesPath: '/r', platform: 'linux' }),
  ).toBeUndefined();
});
