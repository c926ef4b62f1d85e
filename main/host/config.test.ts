import { expect, test } from 'vitest';
import { ConfigError, DEFAULT_PORT, parseHostConfig } from './config';

test('arguments win over the environment, which wins over defaults', () => {
  const env = {
    ROUNDTABLE_PORT: '9443',
    ROUNDTABLE_WORKERS: '3',
    ROUNDTABLE_DATA_DIR: '/env/data',
    ROUNDTABLE_INSECURE_HTTP: '1',
  };
  expect(parseHostConfig([], env)).toMatchObject({
    port: 9443,
    workers: 3,
    dataDir: '/env/data',
    insecureHttp: true,
  });
  expect(
    parseHostConfig(
      [
        '--port',
        '8000',
        '--data-dir',
        '/arg',
        '--announced-ip',
        '10.0.0.5,10.0.0.6',
        '--announced-ip',
        '10.0.0.7',
        '--workers',
        '1',
        '--rtc-port',
        '50000',
      ],
      env,
    ),
  ).toMatchObject({
    port: 8000,
    dataDir: '/arg',
    announcedIps: ['10.0.0.5', '10.0.0.6', '10.0.0.7'],
    workers: 1,
    rtcPort: 50000,
  });
  expect(parseHostConfig([], { ROUNDTABLE_API_TOKEN: 'from-env' })?.apiToken).toBe('from-env');
  expect(parseHostConfig([], { HOME: '/home/x' })).toMatchObject({
    port: DEFAULT_PORT,
    insecureHttp: false,
    announcedIps: [],
  });
});

test('bad values are refused with a message; --help prints and returns nothing', () => {
  expect(() => parseHostConfig(['--port', 'http'], {})).toThrow(ConfigError);
  expect(() => parseHostConfig(['--workers', '0'], {})).toThrow(/between 1 and 64/);
  expect(() => parseHostConfig(['--colour'], {})).toThrow(/colour/);
  const printed: string[] = [];
  expect(parseHostConfig(['--help'], {}, (text) => printed.push(text))).toBeUndefined();
  expect(printed.join('')).toContain('--announced-ip');
});
