import type { LaunchOptions } from '@playwright/test';

/**
 * How every test drives Debian's Chromium: Playwright cannot download its own
 * browser here. Background networking is off because the machine's closed
 * network refuses those connections; the fake devices give real media.
 */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    // WebRTC to 127.0.0.1 candidates.
    '--allow-loopback-in-peer-connection',
  ],
};
