import type { MessageSocket } from '../../../shared/client/message-socket';
import type { RecordingStatus, RecordingSummary } from '../../../shared/protocol/recording';
import { AUTH_HEADER, PRIVILEGE } from '../../../shared/protocol/services';
import type { MeetingStore } from '../../state/store';
import { RoomFeatureClient } from '../room-feature-client';
import { describeRecordingChange, RecordingDownloadError } from './describe';

export interface RecordingClientOptions {
  /** Downloads a recording's file (the global fetch unless a test gives its own host). */
  fetch?: typeof fetch;
  /** How long the downloaded file's object URL lives after the click starts the download. */
  revokeAfterMs?: number;
}

/** Long enough for every browser to have taken the file from its object URL. */
const REVOKE_AFTER_MS = 30_000;

/** The file name a Content-Disposition header gives (RFC 6266: filename* first), or null. */
export function fileNameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      // A broken encoding: the plain name, if any, follows.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(disposition);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  return name?.trim() || null;
}

/** The host's words in an error answer (a service envelope, or plain text), if it gave any. */
async function hostWords(response: Response): Promise<string | null> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { message?: unknown; data?: { message?: unknown } };
    const message = body.data?.message ?? body.message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: the text itself, when short enough to be words.
  }
  return text && text.length <= 200 ? text : null;
}

const statusOf = (payload: RecordingStatus): RecordingStatus => ({
  recording: payload.recording,
  started_at: payload.started_at,
  started_by: payload.started_by,
  available: payload.available,
  unavailable_reason: payload.unavailable_reason,
});

/**
 * Recording for the meeting client: where the meeting's recording stands
 * (pushed to everyone) goes into the store with words for the start and the
 * stop; admins start and stop it, list the hub's recordings, follow their
 * composition (pushed to admins) and download the finished files. The host
 * checks every request against the sender's privilege; refusals reject.
 */
export class RecordingClient extends RoomFeatureClient {
  /** The first status since the meeting began is where it stands, not a change to announce. */
  private knowsStatus = false;
  private readonly fetch: typeof fetch;
  private readonly revokeAfterMs: number;

  constructor(store: MeetingStore, options: RecordingClientOptions = {}) {
    super(store);
    this.fetch = options.fetch ?? ((...args) => fetch(...args));
    this.revokeAfterMs = options.revokeAfterMs ?? REVOKE_AFTER_MS;
  }

  protected listenOn(socket: MessageSocket, current: () => boolean): void {
    socket.on('downstream-recording', (payload) => {
      if (!current()) return;
      const after = statusOf(payload);
      const before = this.state.recording.status;
      const selfPeerId = this.state.session.self?.peerId ?? null;
      const change =
        this.knowsStatus && before
          ? describeRecordingChange(before, after, payload.by, payload.message, selfPeerId)
          : null;
      this.knowsStatus = true;
      this.state.setRecordingStatus(after, change ?? undefined);
      // The room's indicator says it aloud; the toast shows it.
      if (change) this.state.showModerationNotice(change, { announce: false });
    });
    socket.on('downstream-recording-progress', ({ room_id: _room, ...summary }) => {
      if (current()) this.state.updateRecordingSummary(summary);
    });
    socket.on('downstream-role-changed', ({ peer_id, privilege }) => {
      if (!current() || peer_id !== this.state.session.self?.peerId) return;
      // No longer an admin: the host stops sending progress, and the list is not ours to see.
      if (privilege < PRIVILEGE.admin) {
        this.state.setRecordingSummaries([]);
        if (this.state.recording.dialog) this.state.setRecordingDialog(null);
      }
    });
  }

  /** The meeting is over for us: whether it was recorded, the list and the dialogs go. */
  protected forgetMeeting(): void {
    this.knowsStatus = false;
    this.state.clearRecording();
  }

  /** Starts recording the meeting (admins); everyone is told by the host's push. */
  async start(): Promise<void> {
    await this.request()('upstream-recording-start', {});
  }

  /** Stops recording; the host then composes the watchable file. */
  async stop(): Promise<void> {
    await this.request()('upstream-recording-stop', {});
  }

  /** The hub's recordings (recording.list, admins), into the store. */
  async list(): Promise<RecordingSummary[]> {
    const { link, hubId } = this.services();
    const summaries = await link.services.call('recording.list', { hub_id: hubId });
    if (this.link === link) this.state.setRecordingSummaries(summaries);
    return summaries;
  }

  /**
   * Downloads a composed recording's file with our credential (a link alone
   * would not carry it): the file comes as a blob, saved through a link with
   * `download` under the name the host gives.
   */
  async download(summary: Pick<RecordingSummary, 'recording_id' | 'file'>): Promise<void> {
    const { link } = this.services();
    const url = new URL(
      `/-/recordings/${encodeURIComponent(summary.recording_id)}/file`,
      link.services.baseUrl,
    );
    const auth = link.services.auth;
    const response = await this.fetch(url, { headers: auth ? { [AUTH_HEADER]: auth } : {} });
    if (!response.ok) throw new RecordingDownloadError(response.status, await hostWords(response));
    const blob = await response.blob();
    const name =
      fileNameFrom(response.headers.get('content-disposition')) ??
      summary.file?.name ??
      `recording-${summary.recording_id}.mp4`;
    const href = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = href;
    anchor.download = name;
    anchor.hidden = true;
    document.body.append(anchor);
    try {
      anchor.click();
    } finally {
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(href), this.revokeAfterMs);
    }
  }
}
