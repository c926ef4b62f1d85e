/** How long requests already under way get to finish once the host stops. */
export const REQUEST_GRACE_MS = 2_000;

/**
 * Stops the HTTP server. Fastify waits for every connection to end, and a
 * browser keeps connections it opened ahead of need, with no request on
 * them, for minutes: after a short grace for requests under way the rest are
 * cut. WebSockets are not cut here: the client door has said goodbye on them
 * and they end with the close handshake.
 */
export async function closeServer(
  app: { server: { closeAllConnections(): void }; close(): PromiseLike<unknown> },
  graceMs = REQUEST_GRACE_MS,
): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}
