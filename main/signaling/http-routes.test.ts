import { connect } from 'node:net';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ClientDoor } from './client-door';
import { clientDoorRoutes } from './http-routes';
import type { CallContext, ServiceApi } from './services';

// The HTTP side alone, over a real socket, with a stand-in for the service
// calls: what reaches a call from the request, and how slow bodies end.

const calls: { service: string; context: CallContext }[] = [];
let nextStatus = 200;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  const services = {
    call: async (service: string, _body: unknown, context: CallContext) => {
      calls.push({ service, context });
      return {
        status: nextStatus,
        body: { __ack__: service, __status__: 'ok', __timestamp__: 0, data: {} },
      };
    },
  } as unknown as ServiceApi;
  app = Fastify();
  await app.register(fastifyWebsocket);
  await app.register(clientDoorRoutes, {
    services,
    door: {} as ClientDoor,
    bodyTimeoutMs: 300,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app.close();
});

/** Sends `request` raw and resolves with everything the server sent until it closed the connection. */
function rawExchange(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

test('a call gets the client address and the Host header the client used', async () => {
  nextStatus = 200;
  const response = await fetch(`http://127.0.0.1:${port}/-/svc/yp.create_guest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-param-auth': 'token' },
    body: JSON.stringify({ service: 'yp.create_guest' }),
  });
  expect(response.status).toBe(200);
  expect(calls.at(-1)).toEqual({
    service: 'yp.create_guest',
    context: { auth: 'token', hostHeader: `127.0.0.1:${port}`, ip: '127.0.0.1' },
  });
});

test('a body that does not arrive in time is answered 408 and the connection closed', async () => {
  const before = calls.length;
  const response = await rawExchange(
    'POST /-/svc/room.get HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      'Content-Length: 100\r\n\r\n{"service":',
  );
  expect(response).toMatch(/^HTTP\/1.1 408 /);
  expect(response).toMatch(/connection: close/i);
  const body = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as {
    __status__: string;
    data: { reason: string; message: string };
  };
  expect(body.__status__).toBe('error');
  expect(body.data.reason).toBe('invalid_request');
  expect(body.data.message).toMatch(/did not arrive within 300 ms/);
  expect(calls.length).toBe(before);
});

test('a body that arrives in pieces but in time is served', async () => {
  const response = await new Promise<string>((resolve, reject) => {
    const body = JSON.stringify({ service: 'room.get' });
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'POST /-/svc/room.get HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
      );
      setImmediate(() => socket.write(body.slice(5)));
    });
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
  expect(response).toMatch(/^HTTP\/1.1 200 /);
  expect(calls.at(-1)!.service).toBe('room.get');
});

test('a 503 (storage unavailable) tells the client when to retry', async () => {
  nextStatus = 503;
  const response = await fetch(`http://127.0.0.1:${port}/-/svc/yp.create_guest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'yp.create_guest' }),
  });
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('5');
  nextStatus = 200;
});
