import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { RestEventData, RestEventName } from '../../shared/protocol/rest';
import type { Room } from '../sfu/room';
import { HostError } from '../host/host-error';

// The open `GET /rooms/:room_id/events` connections, room by room: server-sent
// events written straight to the HTTP response, a comment line now and then so
// proxies and clients see the connection is alive, and a bound on how many a
// room holds.

/** Event streams one room holds at once; past this `GET .../events` answers 429. */
export const MAX_STREAMS_PER_ROOM = 16;
/** How often each stream gets a comment line when nothing happens. */
export const HEARTBEAT_MS = 15_000;
/** Bytes a stream may have waiting unsent; a reader this far behind is disconnected. */
const MAX_BACKLOG_BYTES = 1024 * 1024;

export class EventStreams {
  /** Keyed by the Room itself: a room that closes and opens again under the same id starts with none. */
  private readonly streams = new Map<Room, Set<ServerResponse>>();
  private heartbeat: NodeJS.Timeout | undefined;

  /** Turns `reply` into an event stream of `room`; throws 429 when the room holds enough. */
  open(room: Room, reply: FastifyReply): void {
    let streams = this.streams.get(room);
    if ((streams?.size ?? 0) >= MAX_STREAMS_PER_ROOM) {
      throw new HostError(
        'rate_limited',
        `room ${room.id} has ${MAX_STREAMS_PER_ROOM} event streams open; close one first`,
      );
    }
    if (!streams) this.streams.set(room, (streams = new Set()));
    const own = streams;
    // From here on the response is ours, not Fastify's: it stays open until the room closes.
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      // Never reused for another request: ending the stream ends the connection too.
      connection: 'close',
    });
    response.write(': connected\n\n');
    own.add(response);
    response.on('close', () => {
      own.delete(response);
      if (own.size === 0 && this.streams.get(room) === own) this.streams.delete(room);
      this.pace();
    });
    this.pace();
  }

  /** Whether anyone listens to `room`. */
  listening(room: Room): boolean {
    return (this.streams.get(room)?.size ?? 0) > 0;
  }

  send<K extends RestEventName>(room: Room, event: K, data: RestEventData<K>): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const response of this.streams.get(room) ?? []) write(response, frame);
  }

  /** Ends every stream of `room` with a last event. */
  end<K extends RestEventName>(room: Room, event: K, data: RestEventData<K>): void {
    this.send(room, event, data);
    for (const response of this.streams.get(room) ?? []) response.end();
    this.streams.delete(room);
    this.pace();
  }

  /** Ends every stream of every room (the host is stopping: it waits for open connections). */
  endAll(): void {
    for (const room of [...this.streams.keys()])
      this.end(room, 'room-closed', { reason: 'host_stopped' });
  }

  /** One timer for every stream, running only while there are streams. */
  private pace(): void {
    if (this.streams.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    } else {
      this.heartbeat ??= setInterval(() => {
        for (const streams of this.streams.values())
          for (const response of streams) write(response, ': heartbeat\n\n');
      }, HEARTBEAT_MS).unref();
    }
  }
}

function write(response: ServerResponse, frame: string): void {
  if (response.writableEnded || response.destroyed) return;
  // A reader that stopped reading would make the host buffer without end.
  if (response.writableLength > MAX_BACKLOG_BYTES) response.destroy();
  else response.write(frame);
}
