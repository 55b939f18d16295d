import crypto from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { evapiProof, KamailioEvapi, netstring, readNetstrings, type EvapiMessage } from './kamailio-evapi';

const SECRET = 'unit-secret-0123456789abcdef';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('evapi netstrings', () => {
  it('frames by byte length (UTF-8) and reads frames split anywhere across chunks', () => {
    const frames = Buffer.concat([netstring('{"a":"상담"}'), netstring('{}'), netstring('{"b":1}')]);
    expect(netstring('{"a":"상담"}').toString().startsWith('14:')).toBe(true);
    for (let cut = 0; cut <= frames.length; cut++) {
      const first = readNetstrings(frames.subarray(0, cut));
      const second = readNetstrings(Buffer.concat([first.rest, frames.subarray(cut)]));
      expect([...first.payloads, ...second.payloads]).toEqual(['{"a":"상담"}', '{}', '{"b":1}']);
      expect(second.rest.length).toBe(0);
    }
  });

  it.each([
    ['a length that is not a number', 'x5:hello,'],
    ['a frame without its comma', '5:hello;'],
    ['a length over 64 KiB', '999999:'],
    ['a length that never ends', '12345678901'],
  ])('refuses %s', (_what, text) => {
    expect(() => readNetstrings(Buffer.from(text))).toThrow();
  });
});

describe('evapi proof of the shared secret', () => {
  it("is sha256('<side>:<nonce>:<secret>') in hex, as kamailio.cfg computes it with {s.sha256}", () => {
    const nonce = '1796043200.00112233445566778899aabbccddeeff';
    expect(evapiProof('onecall', nonce, SECRET)).toBe(crypto.createHash('sha256').update(`onecall:${nonce}:${SECRET}`).digest('hex'));
    expect(evapiProof('kamailio', nonce, SECRET)).not.toBe(evapiProof('onecall', nonce, SECRET));
  });
});

/** A stand-in for Kamailio's evapi socket: records what OneCall sends, answers the hello as told. */
async function fakeKamailio(answer: 'right' | 'wrong') {
  const received: Array<Record<string, unknown>> = [];
  let peer: net.Socket | null = null;
  const server = net.createServer((socket) => {
    peer = socket;
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const read = readNetstrings(Buffer.concat([buffer, chunk]));
      buffer = read.rest;
      for (const p of read.payloads) {
        const m = JSON.parse(p) as Record<string, unknown>;
        received.push(m);
        if (m['type'] === 'hello') {
          const proof = answer === 'right' ? evapiProof('kamailio', String(m['nonce']), SECRET) : evapiProof('kamailio', String(m['nonce']), 'another-secret-0123456789');
          socket.write(netstring(JSON.stringify({ type: 'welcome', proof })));
        }
        if (m['type'] === 'resume') socket.write(netstring(JSON.stringify({ type: 'resume_status', id: m['id'], status: 409 })));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    received,
    push: (m: Record<string, unknown>) => peer?.write(netstring(JSON.stringify(m))),
    isOpen: () => peer !== null && !peer.destroyed,
    close: () => new Promise<void>((resolve) => {
      peer?.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('KamailioEvapi', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('proves the secret without sending it, takes Kamailio after its proof, then delivers messages and answers resumes', async () => {
    const k = await fakeKamailio('right');
    const messages: EvapiMessage[] = [];
    const evapi = new KamailioEvapi({ host: '127.0.0.1', port: k.port }, SECRET, (m) => messages.push(m), silent);
    cleanups.push(() => evapi.close(), () => k.close());
    evapi.start();
    expect(await evapi.ready(2000)).toBe(true);
    const hello = k.received[0]!;
    expect(hello['type']).toBe('hello');
    expect(JSON.stringify(hello)).not.toContain(SECRET);
    expect(hello['proof']).toBe(evapiProof('onecall', String(hello['nonce']), SECRET));
    expect(String(hello['nonce'])).toMatch(/^\d{10}\.[0-9a-f]{32}$/);

    k.push({ type: 'route', callId: 'c1', callee: '120', tindex: 1, tlabel: 2 });
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toMatchObject({ type: 'route', callId: 'c1' });

    expect(await evapi.resume({ callId: 'c1', action: 'reply', code: 480, reason: 'Closed' })).toBe(409);
    expect(k.received.at(-1)).toMatchObject({ type: 'resume', callId: 'c1', action: 'reply', code: 480 });
  });

  it('closes the connection and delivers nothing when the peer cannot prove the secret', async () => {
    const k = await fakeKamailio('wrong');
    const messages: EvapiMessage[] = [];
    const evapi = new KamailioEvapi({ host: '127.0.0.1', port: k.port }, SECRET, (m) => messages.push(m), silent);
    cleanups.push(() => evapi.close(), () => k.close());
    evapi.start();
    expect(await evapi.ready(300)).toBe(false);
    await expect.poll(() => k.isOpen()).toBe(false);
    expect(evapi.send({ type: 'routed' })).toBe(false);
    await expect(evapi.resume({ callId: 'c1', action: 'reply', code: 480, reason: 'Closed' })).rejects.toThrow('not connected');
    expect(messages).toEqual([]);
  });
});
