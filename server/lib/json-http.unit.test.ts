import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonRequest, NoAnswerError } from './json-http';

/**
 * Keep-alive connections (department look-ups reuse them, issue #16): a connection the server closed while it sat
 * idle fails the next request at once; that request never reached the server, so it is sent again on a new
 * connection. A real HTTP server here drops every connection's second request unanswered — exactly what a reused
 * stale connection looks like to the client.
 */
let server: http.Server | undefined;
const agents: http.Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) a.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function startServer(dropSecondRequestOnASocket: boolean): Promise<{ url: string; served: () => number; sockets: () => number }> {
  let served = 0;
  const perSocket = new Map<Socket, number>();
  server = http.createServer((req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    if (dropSecondRequestOnASocket && n === 2) {
      req.socket.destroy();
      return;
    }
    served++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n: served }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, served: () => served, sockets: () => perSocket.size };
}

const keepAlive = () => {
  const a = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(a);
  return a;
};

describe('jsonRequest on a keep-alive agent', () => {
  it('reuses one connection for requests one after another', async () => {
    const s = await startServer(false);
    const agent = keepAlive();
    for (let i = 1; i <= 3; i++) expect(await jsonRequest({ url: s.url, method: 'GET', timeoutMs: 5000, agent })).toEqual({ status: 200, text: `{"n":${i}}` });
    expect(s.sockets()).toBe(1);
  });

  it('sends a request again on a new connection when the reused one was closed under it', async () => {
    const s = await startServer(true);
    const agent = keepAlive();
    expect((await jsonRequest({ url: s.url, method: 'GET', timeoutMs: 5000, agent })).text).toBe('{"n":1}');
    // The second request goes out on the kept connection, which the server drops: answered on a second connection.
    expect((await jsonRequest({ url: s.url, method: 'POST', body: '{}', timeoutMs: 5000, agent })).text).toBe('{"n":2}');
    expect(s.sockets()).toBe(2);
    expect(s.served()).toBe(2);
  });

  it('does not retry a fresh connection that is reset: the system is unreachable', async () => {
    server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    const err = await jsonRequest({ url, method: 'GET', timeoutMs: 5000, agent: keepAlive() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAnswerError);
    expect((err as NoAnswerError).reason).toBe('unreachable');
  });
});
