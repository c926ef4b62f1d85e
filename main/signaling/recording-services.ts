import { PRIVILEGE, type ServiceEnvelope } from '../../shared/protocol/services';
import { asHostError, HostError, SERVICE_REPLY } from '../host/host-error';
import type { RequireMember } from './hub-services';
import { errorEnvelope, type Handler, type ServiceApi, type ServiceDeps } from './services';

/** `recording.list`: the hub's recordings, for its admins. */
export function recordingHandlers(deps: ServiceDeps, requireMember: RequireMember) {
  const handlers: { 'recording.list': Handler<'recording.list'> } = {
    'recording.list': (request, user) => {
      requireMember(request.hub_id, user, PRIVILEGE.admin);
      return deps.recordings.list(request.hub_id);
    },
  };
  return handlers;
}

/**
 * The composed file of a recording, for an admin of the host's hub with the
 * credential `auth` (GET /-/recordings/<id>/file); otherwise the reply a
 * service call would get, reason and status.
 */
export async function recordingFile(
  services: ServiceApi,
  deps: Pick<ServiceDeps, 'recordings'>,
  auth: string | undefined,
  recordingId: string,
): Promise<
  | { ok: true; path: string; bytes: number; name: string }
  | { ok: false; status: number; body: ServiceEnvelope<string, unknown> }
> {
  try {
    const { hubId } = services.hubAdmin(auth);
    return { ok: true, ...(await deps.recordings.composedFile(hubId, recordingId)) };
  } catch (error) {
    const [reason, status] = SERVICE_REPLY[asHostError(error).reason];
    const message = error instanceof HostError ? error.message : 'the file cannot be read';
    return { ok: false, status, body: errorEnvelope('recording.file', reason, message) };
  }
}
