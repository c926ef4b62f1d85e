import type { FastifyInstance } from 'fastify';
import { AUTH_HEADER } from '../../shared/protocol/services';
import type { ClientDoor } from './client-door';
import { errorEnvelope, WS_ROUTE, type ServiceApi } from './services';

/** Largest service-call body: the seed's calls are a few hundred bytes. */
const SERVICE_BODY_LIMIT = 16 * 1024;

/**
 * The client door's HTTP side: `POST /-/svc/<service>` and the WebSocket at
 * WS_ROUTE. Registered as its own Fastify scope so its error envelope does not
 * leak into other routes (the REST door answers errors its own way).
 */
export async function clientDoorRoutes(
  app: FastifyInstance,
  options: { services: ServiceApi; door: ClientDoor },
) {
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const service = (request.params as { service?: string }).service ?? 'unknown';
    const invalidJson =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError;
    const tooLarge = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const status = tooLarge ? 413 : (error.statusCode ?? 500);
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
    { bodyLimit: SERVICE_BODY_LIMIT },
    async (request, reply) => {
      const auth = request.headers[AUTH_HEADER];
      const result = await options.services.call(request.params.service, request.body, {
        auth: typeof auth === 'string' ? auth : undefined,
        hostHeader: request.host,
      });
      return reply.status(result.status).send(result.body);
    },
  );

  app.get(WS_ROUTE, { websocket: true }, (socket) => {
    options.door.accept(socket);
  });
}
