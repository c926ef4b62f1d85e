import type { JoinTarget, LobbyStatus, MeetingState } from '../state/store';
import type { EndReason, ReconnectView } from './reconnector';

/*
 * What the session slice shows at each turn of the connection (the screens
 * read `phase`, the banner `connection`, the lobby screen `lobby`), kept out
 * of connection.ts so that it stays about the flow itself.
 */

type Session = MeetingState['session'];
export type SessionPatch = Partial<Session>;

/**
 * A join starting: the pre-join screen says "Joining…"; the ended screen
 * (Rejoin here) and the lobby screen (Ask again) stay up meanwhile.
 */
export function joinStarting(
  session: Session,
  target: JoinTarget,
  fullname: string,
  fromEnded: boolean,
): SessionPatch {
  const fromLobby = !fromEnded && session.phase === 'lobby';
  return {
    phase: fromEnded ? 'left' : fromLobby ? 'lobby' : 'joining',
    lobby: fromLobby ? lobbyStatus('waiting', fullname) : null,
    connection: 'connecting',
    error: null,
    nextAttemptAt: null,
    target,
    ...(fromEnded ? {} : { ended: null }),
  };
}

export function lobbyStatus(
  state: LobbyStatus['state'],
  name: string,
  message: string | null = null,
): LobbyStatus {
  return { state, name, message };
}

/** The first join failed: back to pre-join, which shows `words`. */
export function joinFailed(words: string): SessionPatch {
  return { phase: 'prejoin', connection: 'failed', ended: null, error: words };
}

/** The meeting ended for us without our asking: the ended screen says why (`words` for a refusal). */
export function meetingEnded(reason: EndReason, words: string | null): SessionPatch {
  return {
    phase: 'left',
    connection: 'failed',
    ended: reason,
    self: null,
    nextAttemptAt: null,
    error: words,
  };
}

/** Nobody let us in: the lobby screen says so, with the camera still on for asking again. */
export function lobbyDeclined(name: string, hostMessage: string): SessionPatch {
  return {
    phase: 'lobby',
    connection: 'failed',
    nextAttemptAt: null,
    self: null,
    lobby: lobbyStatus('declined', name, hostMessage || null),
  };
}

/**
 * Where leaving takes us: from the room to the "You left" screen; from the
 * lobby back to pre-join (to ask again, maybe under another name), or home
 * once declined.
 */
export function afterLeaving({ phase, lobby }: Session): SessionPatch {
  const next: SessionPatch =
    phase !== 'lobby'
      ? { phase: 'left' }
      : lobby?.state === 'declined'
        ? { phase: 'home', target: null }
        : { phase: 'prejoin', connection: 'connecting' };
  return { ...next, self: null, ended: null, error: null, nextAttemptAt: null, lobby: null };
}

/** The reconnect machine's view as the session shows it; 'ended' is the connection's (it releases devices too). */
export function reconnectSession(
  view: Exclude<ReconnectView, { state: 'ended' }>,
  session: Session,
): SessionPatch | null {
  switch (view.state) {
    case 'connected':
      return {
        connection: 'connected',
        nextAttemptAt: null,
        // A rejoin that had to wait in the lobby is back in the room.
        ...(session.phase === 'lobby' ? { phase: 'in-room', lobby: null } : {}),
      };
    case 'lobby':
      return { phase: 'lobby', connection: 'connecting', nextAttemptAt: null };
    case 'resuming':
    case 'rejoining':
      return { connection: 'reconnecting', nextAttemptAt: null };
    case 'waiting':
      return { connection: 'reconnecting', nextAttemptAt: view.nextAttemptAt };
    case 'idle':
      return null;
  }
}
