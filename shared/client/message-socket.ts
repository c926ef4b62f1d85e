import {
  type DownstreamName,
  type DownstreamPayloads,
  type UpstreamName,
  type UpstreamPayload,
  type WsErrorReason,
} from '../protocol/messages';
import type { RoomType } from '../protocol/services';

/** What the host answers an upstream message with, by name. */
export interface ReplyTo {
  'upstream-request-access': 'downstream-access-granted';
  'upstream-offer': 'downstream-offer-acknowledged';
  'downstream-offer': 'downstream-response';
  'upstream-restart-ice': 'downstream-ice-restarted';
}
export type ReplyOf<N extends UpstreamName> = N extends keyof ReplyTo
  ? ReplyTo[N]
  : 'downstream-ack';

/** A downstream-error answering one of our messages. */
export class MessageRejectedError extends Error {
  constructor(
    readonly reason: WsErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface Identity {
  user_id: string;
  hub_id: string;
  room_id: string;
}

type PushListener = (payload: never) => void;

/**
 * The client end of the host's WebSocket: learns its socket id from the
 * hello, sends upstream messages with the seed's envelope and a fresh cid,
 * matches replies by cid, and hands pushed messages to listeners by name.
 */
export class MessageSocket {
  socketId = '';
  identity: Identity | undefined;
  private nextCid = 1;
  private readonly pending = new Map<
    string,
    { resolve: (payload: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly listeners = new Map<string, Set<PushListener>>();
  private readonly opened: Promise<void>;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    readonly socket: WebSocket,
    readonly roomType: RoomType = 'meeting',
  ) {
    this.opened = new Promise((resolve, reject) => {
      const onHello = (payload: DownstreamPayloads['downstream-hello']) => {
        this.socketId = payload.socket_id;
        this.off('downstream-hello', onHello);
        resolve();
      };
      this.on('downstream-hello', onHello);
      socket.addEventListener('error', () => reject(new Error('the WebSocket could not connect')), {
        once: true,
      });
    });
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', () => {
      for (const { reject } of this.pending.values()) reject(new Error('the WebSocket closed'));
      this.pending.clear();
      for (const listener of this.closeListeners) listener();
    });
  }

  static async connect(url: string | URL, roomType: RoomType = 'meeting'): Promise<MessageSocket> {
    const messages = new MessageSocket(new WebSocket(url), roomType);
    await messages.opened;
    return messages;
  }

  /** Sends `name` with the envelope filled in and resolves with the host's reply to it. */
  request<N extends UpstreamName>(
    name: N,
    payload: UpstreamPayload<N>,
  ): Promise<DownstreamPayloads[ReplyOf<N>]> {
    if (!this.identity)
      throw new Error('set identity (user, hub, room) before sending room messages');
    const cid = `c${this.nextCid++}`;
    const reply = new Promise<DownstreamPayloads[ReplyOf<N>]>((resolve, reject) => {
      this.pending.set(cid, { resolve: resolve as (payload: unknown) => void, reject });
    });
    this.sendRaw(
      JSON.stringify([
        `${this.roomType}.${name}`,
        { cid, ...this.identity, ssid: this.socketId, ...payload },
      ]),
    );
    return reply;
  }

  sendRaw(frame: string): void {
    this.socket.send(frame);
  }

  on<N extends DownstreamName>(
    name: N,
    listener: (payload: DownstreamPayloads[N]) => void,
  ): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as PushListener);
    return () => this.off(name, listener);
  }

  off<N extends DownstreamName>(name: N, listener: (payload: DownstreamPayloads[N]) => void): void {
    this.listeners.get(name)?.delete(listener as PushListener);
  }

  /** Called once the socket has closed, whoever closed it. */
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  close(): void {
    this.socket.close();
  }

  private receive(frame: string): void {
    const [fullName, payload] = JSON.parse(frame) as [string, Record<string, unknown>];
    const name = fullName.slice(fullName.indexOf('.') + 1) as DownstreamName;
    const cid = typeof payload.cid === 'string' ? payload.cid : undefined;
    const waiting = cid === undefined ? undefined : this.pending.get(cid);
    if (waiting) {
      this.pending.delete(cid!);
      if (name === 'downstream-error') {
        waiting.reject(
          new MessageRejectedError(payload.reason as WsErrorReason, String(payload.message)),
        );
      } else {
        waiting.resolve(payload);
      }
      return;
    }
    for (const listener of this.listeners.get(name) ?? [])
      (listener as (payload: unknown) => void)(payload);
  }
}
