import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyReply } from 'fastify';
import { restApiRoutes } from '../rest-api/routes';
import { clientDoorRoutes } from '../signaling/http-routes';
import type { Logger } from './logger';

/** The web client loads only its own files and talks only to this host. */
const WEB_CLIENT_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Frames above this close the socket outright; the door answers smaller oversized frames with an error. */
const WS_HARD_LIMIT = 1024 * 1024;

/** The desktop app's own pages (main/electron/main.ts) join other hosts' meetings from this origin. */
export const DESKTOP_APP_ORIGIN = 'app://roundtable';

/** A whole HTTP request, body included, must arrive within this; slow-loris clients are cut off. */
const REQUEST_TIMEOUT_MS = 30_000;

type ClientDoorOptions = Parameters<typeof clientDoorRoutes>[1];

/**
 * The host's one HTTP(S) server: the client door (service calls and the
 * WebSocket), the REST door, and the web client's files when there is a
 * build of them. Not listening yet.
 */
export async function createHttpServer(options: {
  log: Logger;
  certificate: { cert: string; key: string } | undefined;
  clientDoor: Omit<ClientDoorOptions, 'webSocketOrigins'>;
  /** Page origins besides the host's own and the desktop app's that may open the WebSocket. */
  extraOrigins: string[] | undefined;
  restApi: Parameters<typeof restApiRoutes>[1];
  webClientDir: string | undefined;
}) {
  const { certificate, webClientDir } = options;
  const app = Fastify({
    loggerInstance: options.log,
    // Media and signaling events are logged by the doors; one line per HTTP request is noise.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: REQUEST_TIMEOUT_MS,
    // A URL that is not valid percent-encoding never reaches a route: answer it in the REST door's JSON shape.
    frameworkErrors: (error, _request, reply) =>
      (reply as FastifyReply).code(400).send({
        error: { code: 'invalid_request', message: `the request cannot be read: ${error.message}` },
      }),
    ...(certificate ? { https: { cert: certificate.cert, key: certificate.key } } : {}),
  });
  await app.register(fastifyWebsocket, { options: { maxPayload: WS_HARD_LIMIT } });
  await app.register(clientDoorRoutes, {
    ...options.clientDoor,
    webSocketOrigins: new Set([DESKTOP_APP_ORIGIN, ...(options.extraOrigins ?? [])]),
  });
  await app.register(restApiRoutes, options.restApi);
  if (webClientDir && existsSync(join(webClientDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webClientDir,
      setHeaders: (reply) => reply.header('Content-Security-Policy', WEB_CLIENT_CSP),
    });
  }
  return app;
}
