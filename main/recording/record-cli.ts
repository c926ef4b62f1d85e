import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import type { RecordingStatus, RecordingSummary } from '../../shared/protocol/recording';
import { defaultDataDir, DEFAULT_PORT } from '../host/config';
import { formatBytes, formatDuration } from './recording-summary';

// `node dist/main/record.js start|stop|status [--data-dir D] [--port P]`:
// records the meeting of a host running on this machine (a headless box),
// through its REST API. The API token and the certificate come from the
// host's data directory, so only the host's own user can do this.

const USAGE = `usage: record <start|stop|status> [--data-dir <dir>] [--port <n>]
  start    start recording the meeting (someone must be in it)
  stop     stop recording; the host then composes recording.mp4
  status   whether the meeting is being recorded, and the recordings so far`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'data-dir': { type: 'string' }, port: { type: 'string' } },
});
const command = positionals[0];
if (positionals.length !== 1 || !['start', 'stop', 'status'].includes(command!)) {
  console.error(USAGE);
  process.exit(2);
}
const dataDir = values['data-dir'] ?? process.env.ROUNDTABLE_DATA_DIR ?? defaultDataDir();
const port = Number(values.port ?? process.env.ROUNDTABLE_PORT ?? DEFAULT_PORT);

interface Overview {
  meetingRoomId: string;
  status: RecordingStatus;
  recordings: RecordingSummary[];
}

try {
  const api = hostApi(dataDir, port);
  const overview = (await api('GET', '/recordings')) as Overview;
  if (command === 'start') {
    await api('POST', `/rooms/${overview.meetingRoomId}/recording`);
    console.log('Recording started: everyone in the meeting sees it.');
  } else if (command === 'stop') {
    await api('DELETE', `/rooms/${overview.meetingRoomId}/recording`);
    console.log('Recording stopped: the host composes it now (its terminal shows the progress).');
  } else {
    console.log(
      overview.status.recording
        ? `Recording since ${new Date(overview.status.started_at!).toLocaleString()}.`
        : overview.status.available
          ? 'Not recording.'
          : `Recording is unavailable: ${overview.status.unavailable_reason}`,
    );
    for (const recording of overview.recordings) console.log(describe(recording, dataDir));
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

function describe(recording: RecordingSummary, dir: string): string {
  const when = new Date(recording.started_at).toLocaleString();
  const state =
    recording.state === 'composing'
      ? `composing ${Math.round((recording.progress ?? 0) * 100)} %`
      : recording.state === 'composed' && recording.file
        ? `${formatDuration(recording.file.duration_ms)}, ${formatBytes(recording.file.bytes)}: ${join(dir, 'recordings', recording.recording_id, recording.file.name)}`
        : recording.state.replace('_', ' ');
  return `${when}  ${state}${recording.incomplete ? ` (incomplete: ${recording.problems.join('; ')})` : ''}`;
}

/** Requests to the host's REST API on loopback, pinned to the certificate in its data directory. */
function hostApi(dir: string, hostPort: number) {
  const token = process.env.ROUNDTABLE_API_TOKEN ?? apiToken(dir);
  let certificate: string;
  try {
    certificate = readFileSync(join(dir, 'host-cert.pem'), 'utf8');
  } catch {
    throw new Error(`no host certificate in ${dir}: is this the host's data directory?`);
  }
  const fingerprint = new X509Certificate(certificate).fingerprint256;
  return (method: string, path: string) =>
    new Promise<unknown>((resolve, reject) => {
      const call = request(
        {
          host: '127.0.0.1',
          port: hostPort,
          path,
          method,
          headers: { authorization: `Bearer ${token}` },
          // Only the host's own certificate, checked during the handshake (before the
          // token is sent), by its fingerprint, whatever names it carries.
          ca: certificate,
          checkServerIdentity: (_name, peer) =>
            peer.fingerprint256 === fingerprint
              ? undefined
              : new Error('the host on this port is not the one of this data directory'),
          timeout: 30_000,
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => {
            const parsed = body ? (JSON.parse(body) as { error?: { message: string } }) : {};
            if ((response.statusCode ?? 500) >= 400)
              reject(
                new Error(parsed.error?.message ?? `the host answered ${response.statusCode}`),
              );
            else resolve(parsed);
          });
        },
      );
      call.on('timeout', () => call.destroy(new Error('the host did not answer in time')));
      call.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ECONNREFUSED'
            ? new Error(`no host is running on port ${hostPort}`)
            : /CERT|SELF_SIGNED|ALTNAME/.test(error.code ?? '')
              ? new Error(`the host on port ${hostPort} is not the one of ${dir}`)
              : error,
        ),
      );
      call.end();
    });
}

function apiToken(dir: string): string {
  try {
    const db = new DatabaseSync(join(dir, 'roundtable.db'), { readOnly: true });
    const row = db.prepare("SELECT value FROM settings WHERE key = 'api_token'").get() as
      { value: string } | undefined;
    db.close();
    if (row) return row.value;
  } catch {
    // Fall through to the message below.
  }
  throw new Error(`no host API token in ${dir} (or set ROUNDTABLE_API_TOKEN)`);
}
