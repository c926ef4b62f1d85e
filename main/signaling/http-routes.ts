import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, preParsingHookHandler } from 'fastify';
import { AUTH_HEADER } from '../../shared/protocol/services';
import type { ClientDoor } from './client-door';
import { errorEnvelope, WS_ROUTE, type ServiceApi } from './services';

/** Largest service-call body: the seed's calls are a few hundred bytes. */
const SERVICE_BODY_LIMIT = 16 * 1024;

/**
 * How long a service call's body may take to arrive once its headers have:
 * 16 KiB takes milliseconds even on bad Wi-Fi, and a client that trickles a
 * body must not hold a connection (and its buffers) open. The server-wide
 * limits (headers, whole request) are set where the server is created.
 */
export const SERVICE_BODY_TIMEOUT_MS = 10_000;

/** Seconds a client should wait before retrying a 503 (storage unavailable). */
const RETRY_AFTER_UNAVAILABLE_S = 5;

/**
 * A preParsing hook that fails the body with 408 when it has not fully
 * arrived within `timeoutMs`. Fastify has no per-route body timeout; this
 * hands the parser a stream that errors in time, and the reply closes the
 * connection so the rest of the body is never read.
 */
export function bodyTimeout(timeoutMs: number): preParsingHookHandler {
  return (request, reply, payload, done) => {
    const body = new PassThrough();
    // Whatever happens, the timer goes; a stream nobody reads must not throw either.
    body.on('error', () => {});
    const timer = setTimeout(() => {
      payload.unpipe(body);
      void reply.header('connection', 'close');
      body.destroy(
        Object.assign(new Error(`the request body did not arrive within ${timeoutMs} ms`), {
          statusCode: 408,
          code: 'RT_BODY_TIMEOUT',
        }),
      );
    }, timeoutMs);
    timer.unref();
    const stop = () => clearTimeout(timer);
    body.once('end', stop);
    body.once('close', stop);
    reply.raw.once('close', stop);
    payload.pipe(body);
    done(null, body);
  };
}

/**
 * The client door's HTTP side: `POST /-/svc/<service>` and the WebSocket at
 * WS_ROUTE. Registered as its own Fastify scope so its error envelope does not
 * leak into other routes (the REST door answers errors its own way).
 */
export async function clientDoorRoutes(
  app: FastifyInstance,
  options: {
    services: ServiceApi;
    door: ClientDoor;
    bodyTimeoutMs?: number;
    /** Page origins besides the host's own that may open the WebSocket (the desktop app's). */
    webSocketOrigins?: ReadonlySet<string>;
  },
) {
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const service = (request.params as { service?: string }).service ?? 'unknown';
    const invalidJson =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError;
    const tooLarge = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const status = tooLarge ? 413 : (error.statusCode ?? 500);
    if (status === 408) void reply.header('connection', 'close');
    if (status >= 500) request.log.error({ err: error }, 'service call failed');
    const reason = invalidJson ? 'invalid_json' : status < 500 ? 'invalid_request' : 'internal';
    return reply
      .status(status)
      .send(
        errorEnvelope(service, reason, invalidJson ? 'the body is not valid JSON' : error.message),
      );
  });

  app.post<{ Params: { service: string } }>(
    '/-/svc/:service',
    {
      bodyLimit: SERVICE_BODY_LIMIT,
      preParsing: bodyTimeout(options.bodyTimeoutMs ?? SERVICE_BODY_TIMEOUT_MS),
    },
    async (request, reply) => {
      const auth = request.headers[AUTH_HEADER];
      const result = await options.services.call(request.params.service, request.body, {
        auth: typeof auth === 'string' ? auth : undefined,
        hostHeader: request.host,
        ip: request.ip,
      });
      if (result.status === 503)
        void reply.header('retry-after', String(RETRY_AFTER_UNAVAILABLE_S));
      return reply.status(result.status).send(result.body);
    },
  );

  // A recording's watchable file, for the hub's admins (their credential in the header).
  app.get<{ Params: { id: string } }>('/-/recordings/:id/file', async (request, reply) => {
    const auth = request.headers[AUTH_HEADER];
    const found = await options.services.recordingFile(
      typeof auth === 'string' ? auth : undefined,
      request.params.id,
    );
    if (!found.ok) return reply.status(found.status).send(found.body);
    return reply
      .header('content-type', 'video/mp4')
      .header('content-length', String(found.bytes))
      .header('content-disposition', `attachment; filename="${found.name}"`)
      .header('cache-control', 'no-store')
      .send(createReadStream(found.path));
  });

  app.get(
    WS_ROUTE,
    {
      websocket: true,
      // Refused before the upgrade: programs send no Origin; a browser always does, and a
      // page must be the host's own (or the desktop app's) to use the socket.
      preValidation: async (request, reply) => {
        const origin = request.headers.origin;
        if (origin === undefined || options.webSocketOrigins?.has(origin)) return;
        if (URL.canParse(origin) && new URL(origin).host === request.host) return;
        request.log.warn({ origin }, 'refused a WebSocket from a page of another origin');
        return reply
          .code(403)
          .send({ error: 'this host accepts WebSockets only from its own pages' });
      },
    },
    (socket, request) => {
      options.door.accept(socket, request.headers['user-agent']);
    },
  );
}
