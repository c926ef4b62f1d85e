import { get, type IncomingMessage } from 'node:http';
import { restEventSchemas, type RestEventData, type RestEventName } from '../shared/protocol/rest';
import { waitFor } from './wait';

// GET /rooms/:room_id/events read the way a REST user's software reads it.

type Received = { [K in RestEventName]: { event: K; data: RestEventData<K> } }[RestEventName];

/**
 * An event stream of `roomId`, read as it comes: every event checked against
 * its schema. Over a connection of its own (node:http, no pool), as an
 * EventSource has.
 */
export async function openRestEvents(origin: string, roomId: string, token: string) {
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    get(
      `${origin}/rooms/${roomId}/events`,
      { agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} },
      resolve,
    ).on('error', reject),
  );
  response.setEncoding('utf8');
  const events: Received[] = [];
  let ended = false;
  let buffer = '';
  response.on('data', (chunk: string) => {
    buffer += chunk;
    if (response.statusCode !== 200) return;
    for (let end; (end = buffer.indexOf('\n\n')) >= 0; buffer = buffer.slice(end + 2)) {
      const lines = buffer.slice(0, end).split('\n');
      const field = (name: string) =>
        lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
      const event = field('event') as RestEventName | undefined;
      if (!event) continue;
      const data = restEventSchemas[event].parse(JSON.parse(field('data')!));
      events.push({ event, data } as Received);
    }
  });
  const done = () => (ended = true);
  response.on('end', done).on('close', done).on('error', done);
  /** The body of a refusal. */
  const json = () =>
    waitFor(
      () => ended,
      (yes) => yes,
      { what: 'the refusal body' },
    ).then(() => JSON.parse(buffer) as unknown);
  const next = <K extends RestEventName>(
    event: K,
    accept: (data: RestEventData<K>) => boolean = () => true,
  ) =>
    waitFor(
      () =>
        events.findLast(
          (received) => received.event === event && accept(received.data as RestEventData<K>),
        ),
      (found) => found !== undefined,
      { what: `event ${event}` },
    ).then((found) => found!.data as RestEventData<K>);
  return {
    status: response.statusCode,
    type: response.headers['content-type'],
    json,
    events,
    next,
    ended: () => ended,
    close: () => response.destroy(),
  };
}
