import { MessageRejectedError } from '../../shared/client/message-socket';
import { ServiceCallError } from '../../shared/client/service-client';
import type { JoinTarget } from '../state/store';
import { LobbyDeclinedError } from './lobby-wait';

/**
 * Words for a person, from whatever failed while joining for the first time
 * (the pre-join screen shows them). The certificate advice belongs here only:
 * mid-meeting the certificate was accepted long ago, and the banner says
 * "Reconnecting to the host…" instead.
 */
export function describeJoinError(error: unknown, target: JoinTarget): string {
  if (error instanceof LobbyDeclinedError) return 'Nobody let you in.';
  if (error instanceof ServiceCallError) {
    // Without an invite there is no link to blame.
    if (error.reason === 'forbidden' && target.invite === null)
      return 'The host did not let you ask to join. Ask someone in the meeting for the invite link.';
    if (error.reason === 'forbidden' || error.reason === 'invalid_request')
      return (
        'This invite link is not valid for this host: its invite secret is wrong, or the link ' +
        'was cut off when it was copied. Ask the host for the whole link.'
      );
    if (error.reason === 'not_found')
      return (
        'The meeting in this invite link does not exist on this host: it was replaced, or the ' +
        'link was cut off when it was copied. Ask the host for a new link.'
      );
    if (error.reason === 'rate_limited' || error.reason === 'unavailable')
      return 'The host is busy right now. Try again in a moment.';
    return `The host refused to let you in: ${error.message}`;
  }
  if (error instanceof MessageRejectedError) {
    // The host refuses access only to someone an admin removed, until the meeting ends.
    if (error.reason === 'forbidden')
      return 'You were removed from this meeting. You can join again when it ends.';
    if (error.reason === 'rate_limited' || error.reason === 'unavailable')
      return 'The host is busy right now. Try again in a moment.';
    return `The host refused to let you in: ${error.message}`;
  }
  const unreachable =
    error instanceof TypeError ||
    (error instanceof DOMException && error.name === 'TimeoutError') ||
    (error instanceof Error && /WebSocket/.test(error.message));
  if (unreachable) {
    return target.origin.startsWith('https:')
      ? `Cannot reach the host at ${target.origin}. Check that it is still hosting and on your network. ` +
          'If this is your first visit, open the address in a browser tab and accept its certificate ' +
          '(compare the fingerprint with the one the host shows).'
      : `Cannot reach the host at ${target.origin}. Check that it is still hosting and on your network.`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A rejoin failure that no retry can fix: the host says the invite (or our
 * credential's hub) is not valid, or the hub no longer exists; an admin
 * removed us (access forbidden) or declined our knock. Everything else
 * (unreachable host, timeouts, 429 rate_limited, 503 unavailable, 5xx,
 * WebSocket errors) is transient and retried with backoff.
 */
export function isFatalRejoinError(error: unknown): boolean {
  return (
    (error instanceof ServiceCallError &&
      (error.reason === 'forbidden' || error.reason === 'not_found')) ||
    (error instanceof MessageRejectedError && error.reason === 'forbidden') ||
    error instanceof LobbyDeclinedError
  );
}
