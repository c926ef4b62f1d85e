import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { sleep } from '../lib';

// Debian's Janus Gateway for `npm run bench peer`: found, configured from
// the templates in bench/janus/*.jcfg (written into a temporary folder) and
// started inside the benchmark's network namespace.

/** Debian's janus.js (package libjs-janus-gateway), which the Janus page runs. */
export const JANUS_JS = '/usr/share/javascript/janus-gateway/janus.js';
export const JANUS_ROOM = 1234;
const WS_PORT = 8188;
/** Media ports: a range of its own, inside the namespace. */
const RTP_PORT_RANGE = '20000-20999';

/** Whether process `pid` (in its own network namespace) has a TCP socket listening on 127.0.0.1:`port`. */
function listensOn(pid: number, port: number): boolean {
  try {
    // Lines: sl local_address rem_address st ...; 0A is LISTEN, addresses are hex.
    const wanted = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
    return readFileSync(`/proc/${pid}/net/tcp`, 'utf8')
      .split('\n')
      .some((line) => {
        const fields = line.trim().split(/\s+/);
        return fields[1] === wanted && fields[3] === '0A';
      });
  } catch {
    return false;
  }
}

/** Debian's folder of Janus's plugins, transports, event handlers and loggers (/usr/lib/<arch>/janus). */
function janusLibrary(): string | undefined {
  const arch = readdirSync('/usr/lib').find((entry) =>
    existsSync(join('/usr/lib', entry, 'janus', 'plugins')),
  );
  return arch === undefined ? undefined : join('/usr/lib', arch, 'janus');
}

/** Why Janus cannot run here (not installed, janus.js missing), or undefined when it can. */
export function janusMissingReason(): string | undefined {
  try {
    execFileSync('sh', ['-c', 'command -v janus'], { stdio: 'ignore' });
  } catch {
    return 'Janus is not installed';
  }
  if (!existsSync(JANUS_JS)) return `${JANUS_JS} is missing (package libjs-janus-gateway)`;
  const library = janusLibrary();
  if (!library || !existsSync(join(library, 'plugins', 'libjanus_videoroom.so')))
    return "Janus's VideoRoom plugin is missing";
  return undefined;
}

/** Janus's version from its usage text, e.g. "1.1.2". */
export function janusVersion(): string {
  const { stdout } = spawnSync('janus', ['--help'], { encoding: 'utf8', timeout: 10_000 });
  return /Janus version: \d+ \(([\d.]+)\)/.exec(stdout ?? '')?.[1] ?? 'unknown version';
}

export interface JanusProcess {
  pid: number;
  /** ws://127.0.0.1:8188 (inside the namespace). */
  wsUrl: string;
  room: number;
  stop(): Promise<void>;
}

/**
 * Starts Janus with `prefix` in front (e.g. `ip netns exec <ns>`), gathering
 * ICE candidates on `iceInterface` only; resolves once its WebSocket
 * transport listens (at most 20 s).
 */
export async function startJanus(prefix: string[], iceInterface: string): Promise<JanusProcess> {
  const library = janusLibrary();
  if (!library) throw new Error('Janus is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'roundtable-janus-'));
  /** The modules of `folder` to leave unloaded: all but `keep`. */
  const unloaded = (folder: string, keep?: string) =>
    readdirSync(join(library, folder))
      .filter((file) => file.endsWith('.so') && file !== keep)
      .join(',');
  const values: Record<string, string> = {
    configsFolder: dir,
    pluginsFolder: join(library, 'plugins'),
    transportsFolder: join(library, 'transports'),
    eventsFolder: join(library, 'events'),
    loggersFolder: join(library, 'loggers'),
    rtpPortRange: RTP_PORT_RANGE,
    iceInterface,
    // Everything but the VideoRoom plugin and the WebSocket transport stays unloaded.
    disabledPlugins: unloaded('plugins', 'libjanus_videoroom.so'),
    disabledTransports: unloaded('transports', 'libjanus_websockets.so'),
    disabledLoggers: unloaded('loggers'),
    disabledEvents: unloaded('events'),
    wsPort: String(WS_PORT),
    room: String(JANUS_ROOM),
  };
  const templates = resolve('bench', 'janus');
  for (const file of readdirSync(templates).filter((name) => name.endsWith('.jcfg'))) {
    const text = readFileSync(join(templates, file), 'utf8').replace(
      /\{\{(\w+)\}\}/g,
      (_, key: string) => {
        if (!(key in values)) throw new Error(`${file}: no value for {{${key}}}`);
        return values[key]!;
      },
    );
    writeFileSync(join(dir, file), text);
  }

  const command = [...prefix, 'janus', '-F', dir, '-C', join(dir, 'janus.jcfg'), '-o'];
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  createInterface({ input: child.stdout! }).on('line', keep);
  // Janus logs nothing when ready at this debug level: wait for its WebSocket port to listen.
  let started = false;
  const deadline = performance.now() + 20_000;
  while (!started && child.exitCode === null && performance.now() < deadline) {
    await sleep(100);
    started = listensOn(child.pid!, WS_PORT);
  }
  if (!started) {
    await stop();
    throw new Error(`Janus did not start:\n${lines.join('\n')}`);
  }
  return { pid: child.pid!, wsUrl: `ws://127.0.0.1:${WS_PORT}`, room: JANUS_ROOM, stop };
}
