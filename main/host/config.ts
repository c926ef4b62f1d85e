import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { MembershipTimings } from '../signaling/membership';
import { FORGET_ABSENT_AFTER_MS } from '../storage/accounts';
import { GUEST_SIGN_UP_LIMITS, type SignUpLimits } from '../signaling/sign-up-limiter';
import type { SocketLimits } from '../signaling/socket-guard';

export interface HostConfig {
  /** HTTPS (or HTTP) and WebSocket port; 0 picks a free one. */
  port: number;
  /** Address the HTTP server listens on. */
  listenIp: string;
  /** Where the certificate, database and settings live. */
  dataDir: string;
  /** Addresses announced in ICE candidates; empty means every LAN address plus loopback. */
  announcedIps: string[];
  /** Number of mediasoup workers, one per core by default. */
  workers: number;
  /** First WebRtcServer port (UDP and TCP); worker i uses rtcPort + i. 0 lets the OS pick (tests). */
  rtcPort: number;
  /** Plain HTTP, for local development only: browsers grant camera access only on localhost then. */
  insecureHttp: boolean;
  /** The mediasoup worker executable; undefined uses mediasoup's own resolution. */
  workerBin: string | undefined;
  /** Directory of the built React client served to browsers; undefined serves none. */
  webClientDir: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Peers one router takes before a room continues on another worker (pipeToRouter). */
  peersPerRouter: number;
  /** Bearer token of the REST API; undefined uses the one kept in the data directory (made on first run). */
  apiToken: string | undefined;
  /** Per-socket limits of the client door (tests shorten the timeouts); defaults in socket-guard.ts. */
  socketLimits?: Partial<SocketLimits>;
  /** Reconnect grace and join timeout; defaults in membership.ts. */
  membershipTimings?: Partial<MembershipTimings>;
  /**
   * Web origins besides the host's own (and the desktop app's) whose pages may
   * open the client WebSocket. A browser always sends its page's Origin, so a
   * page elsewhere (any site a participant has open) is refused.
   */
  extraOrigins?: string[];
  /** Guest sign-up caps; GUEST_SIGN_UP_LIMITS (sign-up-limiter.ts) unless given. */
  guestSignUps?: SignUpLimits;
  /** Announce the meeting on the LAN over multicast DNS (main/discovery); off unless asked (tests stay off the network). */
  discovery?: boolean;
  /** The meeting's name as people see it on the network and when they ask to join. */
  meetingName?: string;
  /** A certificate (PEM) the people's devices already trust, with its key, instead of the host's own. */
  certFile?: string;
  keyFile?: string;
  /** Accounts away this long are forgotten (credential and membership); FORGET_ABSENT_AFTER_MS unless given. */
  forgetAbsentAfterMs?: number;
  /** The ffmpeg to record with; undefined: ROUNDTABLE_FFMPEG, else the first on PATH (main/recording/ffmpeg.ts). */
  ffmpegPath?: string;
}

const DAY_MS = 24 * 60 * 60_000;

export const DEFAULT_PORT = 8443;
export const DEFAULT_RTC_PORT = 40000;
/** A room's peers per router before it spreads to the next worker. */
export const DEFAULT_PEERS_PER_ROUTER = 40;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'roundtable');
}

const HELP = `Usage: npm run host -- [options]

  --port <n>            HTTPS and WebSocket port (ROUNDTABLE_PORT, default ${DEFAULT_PORT})
  --data-dir <path>     certificate, database, settings (ROUNDTABLE_DATA_DIR, default ${defaultDataDir()})
  --announced-ip <ip>   address to announce to clients, repeatable or comma-separated
                        (ROUNDTABLE_ANNOUNCED_IP, default every LAN address and 127.0.0.1)
  --workers <n>         mediasoup workers (ROUNDTABLE_WORKERS, default one per core)
  --rtc-port <n>        first media port, UDP and TCP, one per worker (ROUNDTABLE_RTC_PORT, default ${DEFAULT_RTC_PORT})
  --forget-after-days <n>  forget accounts (guests, admins) that have not joined for n days:
                        their credential stops working and they leave the member list
                        (ROUNDTABLE_FORGET_AFTER_DAYS, default ${FORGET_ABSENT_AFTER_MS / DAY_MS})
  --name <name>         the meeting's name on the network and on the join page
                        (ROUNDTABLE_NAME, default "Roundtable on <this machine>")
  --no-discovery        do not announce the meeting on the network (multicast DNS);
                        ROUNDTABLE_DISCOVERY=0 does the same
  --cert <file> --key <file>  serve this certificate (PEM) and key instead of the host's own
                        self-signed one, e.g. one your devices already trust (ROUNDTABLE_CERT, ROUNDTABLE_KEY)
  --insecure-http       plain HTTP for local development (ROUNDTABLE_INSECURE_HTTP=1)
                        The REST API token comes from ROUNDTABLE_API_TOKEN, else the data directory.
                        ROUNDTABLE_SIGNUPS_PER_MINUTE raises the guest sign-ups one address may
                        make per minute (default ${GUEST_SIGN_UP_LIMITS.perAddress}; e.g. for load tests).
  --help                this text
`;

export class ConfigError extends Error {}

function toPort(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a port number, got "${value}"`);
  return n;
}

function meetingName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const trimmed = name.trim();
  // DNS-SD instance names are at most 63 bytes.
  if (!trimmed || Buffer.byteLength(trimmed) > 63)
    throw new ConfigError('--name must be 1 to 63 bytes long');
  return trimmed;
}

function toCount(name: string, value: string, max = 64): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new ConfigError(`${name} must be between 1 and ${max}, got "${value}"`);
  return n;
}

/** Sign-up caps with `perAddress` a minute from one address, and at least as many in all. */
function signUpLimits(perAddress: number): SignUpLimits {
  return {
    ...GUEST_SIGN_UP_LIMITS,
    perAddress,
    total: Math.max(GUEST_SIGN_UP_LIMITS.total, perAddress),
  };
}

/**
 * Reads the host's settings from command-line arguments, then the environment,
 * then defaults. Returns undefined when --help was asked for (after printing it).
 */
export function parseHostConfig(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  print: (text: string) => void = console.log,
): HostConfig | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'announced-ip': { type: 'string', multiple: true },
      workers: { type: 'string' },
      'rtc-port': { type: 'string' },
      'insecure-http': { type: 'boolean' },
      'forget-after-days': { type: 'string' },
      cert: { type: 'string' },
      name: { type: 'string' },
      'no-discovery': { type: 'boolean' },
      key: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    print(HELP);
    return undefined;
  }
  const announced =
    values['announced-ip'] ?? (env.ROUNDTABLE_ANNOUNCED_IP ? [env.ROUNDTABLE_ANNOUNCED_IP] : []);
  return {
    port: toPort('--port', values.port ?? env.ROUNDTABLE_PORT ?? String(DEFAULT_PORT)),
    listenIp: '0.0.0.0',
    dataDir: values['data-dir'] ?? env.ROUNDTABLE_DATA_DIR ?? defaultDataDir(env),
    announcedIps: announced
      .flatMap((list) => list.split(','))
      .map((ip) => ip.trim())
      .filter(Boolean),
    workers: toCount(
      '--workers',
      values.workers ?? env.ROUNDTABLE_WORKERS ?? String(availableParallelism()),
    ),
    rtcPort: toPort(
      '--rtc-port',
      values['rtc-port'] ?? env.ROUNDTABLE_RTC_PORT ?? String(DEFAULT_RTC_PORT),
    ),
    insecureHttp:
      values['insecure-http'] ?? ['1', 'true'].includes(env.ROUNDTABLE_INSECURE_HTTP ?? ''),
    workerBin: env.MEDIASOUP_WORKER_BIN || undefined,
    webClientDir: undefined,
    logLevel: 'info',
    apiToken: env.ROUNDTABLE_API_TOKEN || undefined,
    guestSignUps: env.ROUNDTABLE_SIGNUPS_PER_MINUTE
      ? signUpLimits(
          toCount('ROUNDTABLE_SIGNUPS_PER_MINUTE', env.ROUNDTABLE_SIGNUPS_PER_MINUTE, 100_000),
        )
      : undefined,
    peersPerRouter: toCount(
      'ROUNDTABLE_PEERS_PER_ROUTER',
      env.ROUNDTABLE_PEERS_PER_ROUTER ?? String(DEFAULT_PEERS_PER_ROUTER),
    ),
    discovery: !(values['no-discovery'] ?? ['0', 'false'].includes(env.ROUNDTABLE_DISCOVERY ?? '')),
    meetingName: meetingName(values.name ?? env.ROUNDTABLE_NAME),
    certFile: values.cert ?? (env.ROUNDTABLE_CERT || undefined),
    keyFile: values.key ?? (env.ROUNDTABLE_KEY || undefined),
    forgetAbsentAfterMs:
      toCount(
        '--forget-after-days',
        values['forget-after-days'] ??
          env.ROUNDTABLE_FORGET_AFTER_DAYS ??
          String(FORGET_ABSENT_AFTER_MS / DAY_MS),
        36_500,
      ) * DAY_MS,
  };
}
