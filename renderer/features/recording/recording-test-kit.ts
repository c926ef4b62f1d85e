import { vi } from 'vitest';
import { MessageSocket } from '../../../shared/client/message-socket';
import { ServiceClient } from '../../../shared/client/service-client';
import type {
  DownstreamName,
  DownstreamPayloads,
  WsErrorReason,
} from '../../../shared/protocol/messages';
import type { RecordingStatus, RecordingSummary } from '../../../shared/protocol/recording';
import type { Link } from '../../meeting/link';
import type { MeetingStore } from '../../state/store';
import { RecordingClient } from './recording-client';

// For the recording tests: the real RecordingClient on a real MessageSocket
// and ServiceClient, over a stand-in for the host's end of the WebSocket
// (frames in and out, as the host writes them) and a stand-in for its HTTP
// answers (service calls and the recording's file).

export const ORIGIN = 'https://192.168.1.20:8443';
export const ada = { peer_id: 'p-ada', display_name: 'Ada' };
export const self = { peer_id: 'me', display_name: 'Me' };

/** The host's end of the WebSocket: what the client sent, and frames pushed to it. */
export class HostSocket extends EventTarget {
  readyState = 1;
  readonly sent: { name: string; payload: Record<string, unknown> }[] = [];
  /** How the host answers a request: null acknowledges it. */
  refuse: (name: string) => { reason: WsErrorReason; message: string } | null = () => null;

  send(frame: string): void {
    const [name, payload] = JSON.parse(frame) as [string, Record<string, unknown>];
    this.sent.push({ name, payload });
    const refusal = this.refuse(name);
    queueMicrotask(() =>
      refusal
        ? this.frame('downstream-error', { cid: payload.cid as string, ...refusal })
        : this.frame('downstream-ack', { cid: payload.cid as string }),
    );
  }

  /** A push, as the host sends it (room_id filled in). */
  push<N extends DownstreamName>(name: N, payload: Omit<DownstreamPayloads[N], 'room_id'>): void {
    this.frame(name, { room_id: 'r', ...payload } as DownstreamPayloads[N]);
  }

  private frame<N extends DownstreamName>(name: N, payload: DownstreamPayloads[N]): void {
    this.dispatchEvent(
      new MessageEvent('message', { data: JSON.stringify([`meeting.${name}`, payload]) }),
    );
  }

  close(): void {
    this.readyState = 3;
  }
}

export const status = (patch: Partial<RecordingStatus> = {}): RecordingStatus => ({
  recording: false,
  started_at: null,
  started_by: null,
  available: true,
  unavailable_reason: null,
  ...patch,
});

export const summary = (id: string, patch: Partial<RecordingSummary> = {}): RecordingSummary => ({
  recording_id: id,
  started_at: Date.UTC(2026, 2, 3, 13, 0),
  stopped_at: null,
  state: 'recording',
  progress: null,
  incomplete: false,
  problems: [],
  file: null,
  ...patch,
});

const envelope = (service: string, data: unknown, error?: { reason: string; message: string }) =>
  JSON.stringify(
    error
      ? { __ack__: service, __status__: 'error', __timestamp__: 0, data: error }
      : { __ack__: service, __status__: 'ok', __timestamp__: 0, data },
  );

/** The host's HTTP side: recording.list answers `recordings`, the file route `files`. */
export class HostHttp {
  recordings: RecordingSummary[] = [];
  listRefusal: { reason: string; message: string; status: number } | null = null;
  readonly files = new Map<string, { name: string; body: string }>();
  readonly requests: { url: string; auth: string | null }[] = [];

  readonly fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const auth = new Headers(init?.headers).get('x-param-auth');
    this.requests.push({ url: url.href, auth });
    if (url.pathname === '/-/svc/recording.list') {
      const refusal = this.listRefusal;
      return new Response(envelope('recording.list', this.recordings, refusal ?? undefined), {
        status: refusal?.status ?? 200,
      });
    }
    const file = /^\/-\/recordings\/([^/]+)\/file$/.exec(url.pathname);
    const found = file && this.files.get(decodeURIComponent(file[1]!));
    if (found && auth === 'cred-admin')
      return new Response(found.body, {
        headers: {
          'content-type': 'video/mp4',
          'content-disposition': `attachment; filename="${found.name}"`,
        },
      });
    if (file)
      return new Response(
        envelope('recording.file', null, { reason: 'not_found', message: 'no such recording' }),
        { status: auth === 'cred-admin' ? 404 : 403 },
      );
    throw new TypeError('Failed to fetch');
  });
}

/**
 * A RecordingClient in the room: listening on a socket, attached to a link
 * whose services carry `auth`, in a store where we are `privilege`.
 */
export function recordingInRoom(store: MeetingStore, privilege = 31, auth = 'cred-admin') {
  store.getState().setSession({
    phase: 'in-room',
    connection: 'connected',
    target: { origin: ORIGIN, hubId: 'hub-1', invite: 'i', fingerprint: null },
    self: { userId: 'u-me', peerId: 'me', roomId: 'r', displayName: 'Me', privilege },
  });
  const host = new HostSocket();
  const http = new HostHttp();
  const socket = new MessageSocket(host as unknown as WebSocket);
  socket.identity = { user_id: 'u-me', hub_id: 'hub-1', room_id: 'r' };
  const services = new ServiceClient(ORIGIN, http.fetch);
  services.auth = auth;
  const link = { services, socket, request: socket.request.bind(socket) } as unknown as Link;
  const client = new RecordingClient(store, { fetch: http.fetch, revokeAfterMs: 0 });
  client.listen(socket);
  client.attach(link);
  return { client, host, http, socket, link };
}
