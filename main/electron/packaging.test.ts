import { readFileSync } from 'node:fs';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { expect, test } from 'vitest';
import { resolveWorkerBinary } from './worker-binary';

// The packaged layout the desktop app relies on, checked against
// electron-builder.yml itself.
const config = parse(readFileSync('electron-builder.yml', 'utf8'));

test('the mediasoup worker is unpacked from the asar, where the app looks for it', () => {
  const unpacked = resolveWorkerBinary({
    env: {},
    isPackaged: true,
    resourcesPath: '/r',
    platform: 'linux',
  })!;
  const inPackage = unpacked.replace('/r/app.asar.unpacked/', '');
  expect(config.asarUnpack.some((pattern: string) => minimatch(inPackage, pattern))).toBe(true);
  const windows = resolveWorkerBinary({
    env: {},
    isPackaged: true,
    resourcesPath: 'C:/r',
    platform: 'win32',
  })!;
  expect(
    config.asarUnpack.some((pattern: string) =>
      minimatch(windows.replace('C:/r/app.asar.unpacked/', ''), pattern),
    ),
  ).toBe(true);
});

test('installers, protocol, fuses and macOS usage strings are configured', () => {
  expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  expect(config.win.target).toContain('nsis');
  expect(config.mac.target).toContain('dmg');
  expect(config.protocols[0].schemes).toEqual(['roundtable']);
  expect(config.electronFuses).toMatchObject({
    runAsNode: false,
    onlyLoadAppFromAsar: true,
    enableNodeCliInspectArguments: false,
  });
  for (const key of [
    'NSCameraUsageDescription',
    'NSMicrophoneUsageDescription',
    'NSScreenCaptureUsageDescription',
  ]) {
    expect(config.mac.extendInfo[key]).toMatch(/Roundtable/);
  }
  expect(readFileSync(config.mac.entitlements, 'utf8')).toContain(
    'com.apple.security.device.camera',
  );
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  expect(pkg.main).toBe('dist/main/electron.js');
});
