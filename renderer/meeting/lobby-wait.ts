import { SocketClosedError, type MessageSocket } from '../../shared/client/message-socket';
import type { DownstreamPayloads } from '../../shared/protocol/messages';

/*
 * The lobby, from the knocking side. A locked meeting (or coming without an
 * invite) answers upstream-request-access with downstream-lobby-waiting; the
 * socket stays open with its heartbeat while an admin decides, which may take
 * minutes. Admitted, the client asks again on the same socket and is let in;
 * declined, it stops. Closing the socket withdraws the knock.
 */

export type AccessGranted = DownstreamPayloads['downstream-access-granted'];
export type LobbyWaiting = DownstreamPayloads['downstream-lobby-waiting'];

/** Nobody let us in: an admin declined, or the meeting ended while we waited. */
export class LobbyDeclinedError extends Error {
  override readonly name = 'LobbyDeclinedError';
  constructor(readonly hostMessage: string) {
    super(hostMessage ? `Nobody let you in: ${hostMessage}` : 'Nobody let you in');
  }
}

/** What the lobby needs of the socket: its pushes and its end. */
export type LobbySocket = Pick<MessageSocket, 'on' | 'onClose'>;

/**
 * The admins' answer to one knock: resolves when admitted, rejects with
 * LobbyDeclinedError when declined and SocketClosedError when the socket ends
 * first (the knock went with it). Answers to other knocks are not ours.
 */
export function lobbyAnswer(socket: LobbySocket, knock: LobbyWaiting): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const stops: (() => void)[] = [];
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      for (const stop of stops) stop();
      outcome();
    };
    stops.push(
      socket.on('downstream-lobby-admitted', ({ knock_id }) => {
        if (knock_id === knock.knock_id) settle(resolve);
      }),
      socket.on('downstream-lobby-declined', ({ knock_id, message }) => {
        if (knock_id === knock.knock_id) settle(() => reject(new LobbyDeclinedError(message)));
      }),
    );
    socket.onClose(() =>
      settle(() =>
        reject(new SocketClosedError('the WebSocket closed while waiting in the lobby')),
      ),
    );
  });
}

/**
 * upstream-request-access (`ask`), through the lobby when the host says to
 * wait there: waits for the admins' answer on the same socket and, once
 * admitted, asks again. `waiting` is told of each knock, `admitted` of each yes.
 */
export async function requestAccessThroughLobby(
  ask: () => Promise<AccessGranted | LobbyWaiting>,
  socket: LobbySocket,
  events: { waiting(knock: LobbyWaiting): void; admitted(): void },
): Promise<AccessGranted> {
  for (;;) {
    const answer = await ask();
    if ('peer_id' in answer) return answer;
    events.waiting(answer);
    // Listening starts in the turn the reply arrived in: an answer is a later task, it cannot slip past.
    await lobbyAnswer(socket, answer);
    events.admitted();
  }
}
