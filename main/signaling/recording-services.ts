import { PRIVILEGE, type ServiceEnvelope } from '../../shared/protocol/services';
import { asHostError, HostError, SERVICE_REPLY } from '../host/host-error';
import type { RequireMember } from './hub-services';
import { errorEnvelope, type Handler, type ServiceDeps } from './services';

type FileAnswer =
  | { ok: true; path: string; bytes: number; name: string }
  | { ok: false; status: number; body: ServiceEnvelope<string, unknown> };

/**
 * The client door's recording calls: `recording.list` (admins), whether a
 * hub's meeting is being recorded (hub.check_invite and hub.about tell people
 * before they join), and the composed file for an admin's download.
 */
export function recordingServices(deps: ServiceDeps, requireMember: RequireMember) {
  const handlers: { 'recording.list': Handler<'recording.list'> } = {
    'recording.list': (request, user) => {
      requireMember(request.hub_id, user, PRIVILEGE.admin);
      return deps.recordings.list(request.hub_id);
    },
  };
  return {
    handlers,
    meetingRecorded(hubId: string): boolean {
      try {
        return deps.recordings.isRecording(deps.store.roomIdFor(hubId, 'meeting'));
      } catch {
        // Storage unavailable: the room shows it once they are in.
        return false;
      }
    },
    /** GET /-/recordings/<id>/file: the file, or the reply a service call would get. */
    async file(auth: string | undefined, recordingId: string): Promise<FileAnswer> {
      try {
        const user = auth ? deps.store.authenticate(auth) : undefined;
        if (!user)
          throw new HostError('unauthenticated', 'a valid x-param-auth credential is required');
        const hubId = deps.store.defaultHub().id;
        requireMember(hubId, user, PRIVILEGE.admin);
        return { ok: true, ...(await deps.recordings.composedFile(hubId, recordingId)) };
      } catch (error) {
        const [reason, status] = SERVICE_REPLY[asHostError(error).reason];
        const message = error instanceof HostError ? error.message : 'the file cannot be read';
        return { ok: false, status, body: errorEnvelope('recording.file', reason, message) };
      }
    },
  };
}
