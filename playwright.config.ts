import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/chromium';

if (existsSync('.env')) process.loadEnvFile('.env');

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  reporter: [['list'], ['./e2e/skip-reasons-reporter.ts']],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
  },
});
