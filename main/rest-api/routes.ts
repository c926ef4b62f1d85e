import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MAX_ID_LENGTH, restRequestSchemas, type RestErrorBody } from '../../shared/protocol/rest';
import { asHostError, HostError, isHostFault, REST_REPLY } from '../host/host-error';
import { recordingRoutes } from './recording-routes';
import type { RestDoor } from './rest-door';

/** SDP-sized bodies: an offer with simulcast is a few KiB. */
const REST_BODY_LIMIT = 128 * 1024;

const digest = (text: string) => createHash('sha256').update(text).digest();

function parse<K extends keyof typeof restRequestSchemas>(kind: K, body: unknown) {
  const result = restRequestSchemas[kind].safeParse(body ?? undefined);
  if (!result.success) throw new HostError('invalid_request', z.prettifyError(result.error));
  return result.data as z.infer<(typeof restRequestSchemas)[K]>;
}

function sendError(
  reply: FastifyReply,
  status: number,
  code: RestErrorBody['error']['code'],
  message: string,
) {
  return reply.status(status).send({ error: { code, message } } satisfies RestErrorBody);
}

/**
 * The seed-002 routes, in their own Fastify scope: bearer-token auth and JSON
 * errors `{error: {code, message}}` with a 4xx status.
 */
export async function restApiRoutes(
  app: FastifyInstance,
  options: { door: RestDoor; apiToken: string; recording: Parameters<typeof recordingRoutes>[1] },
) {
  const expected = digest(`Bearer ${options.apiToken}`);
  app.addHook('onRequest', async (request, reply) => {
    // Compare digests so the check takes the same time whatever the header.
    if (!timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      return sendError(
        reply,
        401,
        'unauthorized',
        'send Authorization: Bearer <the host API token>',
      );
    }
  });
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return sendError(reply, 400, 'invalid_request', 'the body is not valid JSON');
    }
    // Fastify's own 4xx (body too large, bad content type) keep their status.
    if (!(error instanceof HostError) && error.statusCode && error.statusCode < 500)
      return sendError(reply, error.statusCode, 'invalid_request', error.message);
    const hostError = asHostError(error);
    if (isHostFault(hostError)) request.log.error({ err: error }, 'REST call failed');
    const [code, status] = REST_REPLY[hostError.reason];
    return sendError(reply, status, code, hostError.message);
  });

  type Params = { room_id: string; user_id: string };
  const door = options.door;
  const limit = { bodyLimit: REST_BODY_LIMIT };
  app.post<{ Params: Partial<Params> }>('/rooms/:room_id?', limit, (request) =>
    door.createRoom(request.params.room_id || undefined, parse('createRoom', request.body)),
  );
  app.post<{ Params: Params }>('/rooms/:room_id/users/:user_id', limit, (request) =>
    door.addUser(request.params.room_id, request.params.user_id, parse('addUser', request.body)),
  );
  app.post<{ Params: Params }>('/rooms/:room_id/users/:user_id/produce', limit, (request) =>
    door.produce(request.params.room_id, request.params.user_id, parse('produce', request.body)),
  );
  app.post<{ Params: Params }>('/rooms/:room_id/users/:user_id/consume', limit, (request) =>
    door.consume(request.params.room_id, request.params.user_id, parse('consume', request.body)),
  );
  app.delete<{ Params: Params }>('/rooms/:room_id/users/:user_id/produce', limit, (request) =>
    door.stopProducing(request.params.room_id, request.params.user_id),
  );
  app.delete<{ Params: Params }>('/rooms/:room_id/users/:user_id', limit, (request) =>
    door.removeUser(request.params.room_id, request.params.user_id),
  );
  app.delete<{ Params: Pick<Params, 'room_id'> }>('/rooms/:room_id', limit, (request) =>
    door.deleteRoom(request.params.room_id),
  );
  app.get<{ Params: Pick<Params, 'room_id'> }>('/rooms/:room_id/events', async (request, reply) => {
    door.openEvents(request.params.room_id, reply);
    return reply;
  });
  // Event streams stay open until their room closes; the host's stop waits for open connections.
  app.addHook('preClose', (done) => {
    door.endEventStreams();
    done();
  });
  app.get<{ Params: Pick<Params, 'room_id'> }>('/rooms/:room_id/stats', limit, (request) =>
    door.stats(request.params.room_id),
  );
  recordingRoutes(app, options.recording);

  // Anything else under /rooms gets this door's JSON error too, not the web server's 404.
  const noRoute = (request: FastifyRequest) => {
    const path = request.url.length > 200 ? `${request.url.slice(0, 200)}…` : request.url;
    throw new HostError(
      'not_found',
      `no REST route ${request.method} ${path} (ids are at most ${MAX_ID_LENGTH} characters)`,
    );
  };
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  app.route({ method: methods, url: '/rooms/*', bodyLimit: REST_BODY_LIMIT, handler: noRoute });
  app.route({
    method: methods.filter((method) => method !== 'POST'),
    url: '/rooms',
    bodyLimit: REST_BODY_LIMIT,
    handler: noRoute,
  });
}
