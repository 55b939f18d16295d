import crypto from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EvapiInbox, evapiProof, KamailioEvapi, netstring, readNetstrings, type EvapiMessage } from './kamailio-evapi';

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

  it('skips whitespace between frames, as Kamailio does (OneCall acknowledges a chunk with one space)', () => {
    expect(readNetstrings(Buffer.from(' 2:{}, \r\n 7:{"b":1},  '))).toMatchObject({ payloads: ['{}', '{"b":1}'] });
    expect(readNetstrings(Buffer.from(' 2:{}, \r\n 7:{"b":1},  ')).rest.length).toBe(0);
    expect(() => readNetstrings(Buffer.from('2:{} ,'))).toThrow();
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

/** An inbox whose turns of the event loop the test runs itself; what it delivers, as '<type> <call>' and 'flush'. */
function inboxOnFakeLoop() {
  const delivered: string[] = [];
  const turns: Array<() => void> = [];
  const inbox = new EvapiInbox(
    (m) => delivered.push(`${String(m.type)} ${String(m['callId'])}`),
    (task) => turns.push(task),
    () => delivered.push('flush'),
  );
  const turn = () => {
    const task = turns.shift();
    if (!task) throw new Error('no turn scheduled');
    task();
  };
  return { inbox, delivered, turns, turn };
}
const msg = (type: string, callId: string): EvapiMessage => ({ type, callId });

describe('EvapiInbox: route requests first, call events in slices', () => {
  it('delivers the route requests of a chunk at once, ahead of the call events read with them; call events one per turn, in arrival order, answers written before each', () => {
    const { inbox, delivered, turns, turn } = inboxOnFakeLoop();
    inbox.take([msg('answered', 'a'), msg('ended', 'b'), msg('route', 'c'), msg('held', 'a'), msg('route', 'd')]);
    expect(delivered).toEqual(['route c', 'route d']);
    expect(turns).toHaveLength(1);
    turn();
    expect(delivered).toEqual(['route c', 'route d', 'flush', 'answered a']);
    turn();
    turn();
    expect(delivered.slice(4)).toEqual(['flush', 'ended b', 'flush', 'held a']);
    expect(turns).toHaveLength(0);
    expect(inbox.waiting).toBe(0);
  });

  it('takes a route request read between two slices before the next call event, with one turn scheduled at a time', () => {
    const { inbox, delivered, turns, turn } = inboxOnFakeLoop();
    inbox.take([msg('answered', 'a'), msg('ended', 'a'), msg('resumed', 'b')]);
    turn();
    inbox.take([msg('route', 'c')]);
    expect(delivered).toEqual(['flush', 'answered a', 'route c']);
    expect(turns).toHaveLength(1);
    turn();
    turn();
    expect(delivered.slice(3)).toEqual(['flush', 'ended a', 'flush', 'resumed b']);
  });

  it("keeps each call's messages in the order Kamailio sent them, however they are cut into chunks and turns (2,000 random runs)", () => {
    let seed = 17;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const life = ['route', 'answered', 'held', 'resumed', 'ended'];
    for (let run = 0; run < 2000; run++) {
      const { inbox, delivered, turns, turn } = inboxOnFakeLoop();
      // Kamailio's stream: several calls' lives interleaved at random, each call's messages in its own order.
      const next = new Map(Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => [`c${i}`, 0]));
      const sent: EvapiMessage[] = [];
      while (next.size > 0) {
        const callId = [...next.keys()][Math.floor(random() * next.size)]!;
        const step = next.get(callId)!;
        sent.push(msg(life[step]!, callId));
        if (step + 1 === life.length) next.delete(callId);
        else next.set(callId, step + 1);
      }
      for (let at = 0; at < sent.length; ) {
        const chunk = sent.slice(at, (at += 1 + Math.floor(random() * 4)));
        const waitingBefore = inbox.waiting;
        const deliveredBefore = delivered.length;
        inbox.take(chunk);
        // A route request is taken at once: before any call event still waiting, and before this chunk's own events.
        expect(delivered.slice(deliveredBefore)).toEqual(chunk.filter((m) => m.type === 'route').map((m) => `route ${String(m['callId'])}`));
        expect(inbox.waiting).toBe(waitingBefore + chunk.filter((m) => m.type !== 'route').length);
        for (let t = Math.floor(random() * 3); t > 0 && turns.length > 0; t--) turn();
      }
      while (turns.length > 0) turn();
      const got = delivered.filter((d) => d !== 'flush');
      expect(got).toHaveLength(sent.length);
      for (const callId of new Set(sent.map((m) => String(m['callId'])))) {
        expect(got.filter((d) => d.endsWith(` ${callId}`))).toEqual(life.map((type) => `${type} ${callId}`));
      }
    }
  });

  it('delivers nothing more once cleared (OneCall closing)', () => {
    const { inbox, delivered, turns } = inboxOnFakeLoop();
    inbox.take([msg('ended', 'a'), msg('ended', 'b')]);
    inbox.clear();
    for (const task of turns.splice(0)) task();
    expect(delivered).toEqual(['flush']);
    expect(inbox.waiting).toBe(0);
  });
});

/** A stand-in for Kamailio's evapi socket: records what OneCall sends, answers the hello as told. */
async function fakeKamailio(answer: 'right' | 'wrong') {
  const received: Array<Record<string, unknown>> = [];
  /** Bytes between frames (OneCall's acknowledgements). */
  let acks = 0;
  let peer: net.Socket | null = null;
  const server = net.createServer((socket) => {
    peer = socket;
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const all = Buffer.concat([buffer, chunk]);
      const read = readNetstrings(all);
      buffer = read.rest;
      acks += all.length - read.rest.length - read.payloads.reduce((n, p) => n + netstring(p).length, 0);
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
    acks: () => acks,
    push: (...ms: Array<Record<string, unknown>>) => peer?.write(Buffer.concat(ms.map((m) => netstring(JSON.stringify(m))))),
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

    // Every chunk read is acknowledged at once by a write (Kamailio's socket keeps Nagle's algorithm): a call event,
    // which OneCall does not answer, gets a space.
    const acksBefore = k.acks();
    k.push({ type: 'registration', aor: 'sip:a@onecall.local', expires: 60 });
    await expect.poll(() => k.acks()).toBeGreaterThan(acksBefore);

    // Frames written together: the route request first, the call events after it in their order.
    k.push({ type: 'answered', callId: 'c1' }, { type: 'ended', callId: 'c1', by: 'caller' }, { type: 'route', callId: 'c2', callee: '120', tindex: 3, tlabel: 4 });
    await expect.poll(() => messages.length).toBe(5);
    expect(messages.slice(2).map((m) => `${String(m.type)} ${String(m['callId'])}`)).toEqual(['route c2', 'answered c1', 'ended c1']);
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
