import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SipTelephony, type AgentDirectory } from './sip.adapter';

type Ring = { callId: string; action: string; aor?: string };

/**
 * A stand-in for Kamailio's xhttp /onecall/resume on a real local HTTP server: it answers each ring with whatever
 * `answer` says (409 = the call is not suspended yet / the last branch still rings, 200 = taken) and keeps a log.
 */
async function kamailioStandIn(answer: (ring: Ring, taken: Ring[]) => number) {
  const asked: Ring[] = [];
  const taken: Ring[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const ring = JSON.parse(body) as Ring;
      asked.push(ring);
      const status = req.url === '/onecall/resume' ? answer(ring, taken) : 404;
      if (status === 200) taken.push(ring);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, taken, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const directory: AgentDirectory = {
  loginOf: async (id) => id,
  idOf: async (login) => login,
};
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('SIP adapter: rings are numbered, so a stale offer never rings a phone after the ACD moved on', () => {
  const open: Array<() => unknown> = [];
  afterEach(async () => {
    for (const close of open.splice(0)) await close();
  });

  async function adapterWith(answer: (ring: Ring, taken: Ring[]) => number, trunkUri: string | null = null) {
    const k = await kamailioStandIn(answer);
    const sip = new SipTelephony(
      { sharedSecret: 'unit-secret-0123456789abcdef', domain: 'onecall.local', wsUrl: 'ws://127.0.0.1:1', kamailioHttpUrl: k.url, rtpengineNg: { host: '127.0.0.1', port: 9 }, routeAllow: [], credentialTtlSeconds: 3600, recording: { enabled: false, spoolDir: '/nonexistent', dir: '/nonexistent', retentionDays: 60 }, promptsDir: '/nonexistent', fallbackSpoolDir: '/nonexistent', trunkUri },
      directory,
      () => Date.now(),
      quiet,
    );
    open.push(k.close, () => sip.close());
    for (const login of ['a1', 'a2']) sip.registration(`sip:${login}@onecall.local`, 3600);
    sip.beginRouting('c1');
    sip.routed('c1');
    return { k, sip };
  }

  it('the first ring still retrying (409) gives up once a later offer was taken; only the second phone rings', async () => {
    // Kamailio refuses the first ring until the second was taken, and then (the second phone's branch over, the call
    // suspended again) takes a retry of it: one request of the first ring may already be on its way (409), a second
    // one is the bug — the flaky ring-out test's phone that was never rung.
    let lateRetries = 0;
    const { k, sip } = await adapterWith((ring, taken) => {
      if (ring.aor !== 'sip:a1@onecall.local') return 200;
      if (taken.length === 0) return 409;
      return ++lateRetries >= 2 ? 200 : 409;
    });
    const first = sip.send({ type: 'offer', callId: 'c1', agentId: 'a1', extension: null, timeoutSeconds: 5 });
    await new Promise<void>((resolve) => {
      const check = () => (k.asked.length > 0 ? resolve() : setImmediate(check));
      check();
    });
    await sip.send({ type: 'offer', callId: 'c1', agentId: 'a2', extension: null, timeoutSeconds: 5 });
    await first;
    expect(k.taken.map((r) => r.aor)).toEqual(['sip:a2@onecall.local']);
    expect(sip.isRinging('a2')).toBe(true);
    expect(sip.isRinging('a1')).toBe(false);
  });

  it('hanging up a call Kamailio does not hold (a callback whose phone never dialled) asks once and ends quietly; a waiting call is ended', async () => {
    const { k, sip } = await adapterWith((ring) => (ring.callId === 'c1' ? 200 : 409));
    await sip.send({ type: 'hang_up', callId: 'callback-1' });
    expect(k.asked.filter((r) => r.callId === 'callback-1').length).toBe(1);
    await sip.send({ type: 'hang_up', callId: 'c1' });
    expect(k.taken).toEqual([expect.objectContaining({ callId: 'c1', action: 'reply' })]);
  });

  it("a callback is dialled only by the agent it was offered to, through the trunk; a busy try leaves it dialable, the desk's hang-up ends the answered leg", async () => {
    const { k, sip } = await adapterWith(() => 200, 'sip:gw.example:5060');
    expect(sip.dial('sip-1', 'a1')).toEqual({ action: 'reply', code: 403, reason: 'No Callback' });
    await sip.send({ type: 'dial_callback', callId: 'cb-1', agentId: 'a1', extension: null, number: '+821055501234' });
    expect(await sip.callbackOf('a2')).toBeNull();
    expect(sip.dial('sip-1', 'a2')).toMatchObject({ action: 'reply', code: 403 });
    expect(await sip.callbackOf('a1')).toEqual({ agentId: 'a1', callId: 'cb-1' });
    expect(sip.dial('sip-1', 'a1')).toEqual({ action: 'dial', uri: 'sip:01055501234@gw.example:5060' });
    expect(sip.legOf('sip-1')).toMatchObject({ callId: 'cb-1', agentId: 'a1' });
    // Busy (never answered): the agent may dial again, a new leg of the same callback.
    sip.legEnded('sip-1');
    expect(sip.dial('sip-2', 'a1')).toMatchObject({ action: 'dial' });
    expect(sip.legOf('sip-1')).toBeUndefined();
    sip.legAnswered('sip-2', 'agent-tag', 'citizen-tag');
    await sip.send({ type: 'hang_up', callId: 'cb-1' });
    expect(k.asked).toContainEqual(expect.objectContaining({ callId: 'sip-2', fromTag: 'agent-tag', toTag: 'citizen-tag', action: 'hangup' }));
    expect(await sip.callbackOf('a1')).toBeNull();
    // An offer taken back (the agent did not take it in time) is no longer dialable.
    await sip.send({ type: 'dial_callback', callId: 'cb-2', agentId: 'a2', extension: null, number: '0311234567' });
    await sip.send({ type: 'withdraw_offer', callId: 'cb-2', agentId: 'a2' });
    expect(sip.dial('sip-3', 'a2')).toMatchObject({ action: 'reply', code: 403 });
  });

  it('without a trunk a callback cannot be dialled (503), and nothing is sent to Kamailio', async () => {
    const { k, sip } = await adapterWith(() => 200);
    const before = k.asked.length;
    await sip.send({ type: 'dial_callback', callId: 'cb-1', agentId: 'a1', extension: null, number: '+821055501234' });
    expect(sip.dial('sip-1', 'a1')).toEqual({ action: 'reply', code: 503, reason: 'No Trunk' });
    expect(sip.legOf('sip-1')).toBeUndefined();
    expect(k.asked.length).toBe(before);
  });

  it('a withdrawn offer whose ring was not taken yet is dropped', async () => {
    // As above: after the withdrawal, one request may be on its way; a second one would be taken.
    let withdrawn = false;
    let lateRetries = 0;
    const { k, sip } = await adapterWith(() => (withdrawn && ++lateRetries >= 2 ? 200 : 409));
    const ring = sip.send({ type: 'offer', callId: 'c1', agentId: 'a1', extension: null, timeoutSeconds: 5 });
    await new Promise<void>((resolve) => {
      const check = () => (k.asked.length > 0 ? resolve() : setImmediate(check));
      check();
    });
    await sip.send({ type: 'withdraw_offer', callId: 'c1', agentId: 'a1' });
    withdrawn = true;
    await ring;
    expect(k.taken).toEqual([]);
    expect(sip.isRinging('a1')).toBe(false);
  });
});
