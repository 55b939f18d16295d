import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RealtimeServerMessageSchema, type RealtimeServerMessage } from '../../core/contracts/acd';
import { buildCategoryChain, buildDepartment, buildUser } from '../test/factories';
import { createTestContext, type TestContext } from '../test/test-app';

/** A connected client that keeps every message, validated against the contract. */
type Client = { ws: WebSocket; messages: RealtimeServerMessage[]; next: (type: string) => Promise<RealtimeServerMessage> };

describe('WebSocket /api/realtime', () => {
  let t: TestContext;
  let base = '';
  let origin = '';
  let agentCookie = '';
  let supervisorCookie = '';
  let agentId = '';
  let departmentId = '';
  let otherDepartmentId = '';
  const open: WebSocket[] = [];

  beforeAll(async () => {
    t = await createTestContext();
    const dept = await buildDepartment(t.deps.db);
    const chain = await buildCategoryChain(t.deps.db, dept.id);
    const queueId = '0190f5a2-8c1e-7b6a-9d3e-00000000cccc';
    await t.deps.db
      .insertInto('acd_queues')
      .values({ id: queueId, code: 'RT', name: '실시간', skill: null, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: '2026-11-27T00:00:00.000Z', updated_at: '2026-11-27T00:00:00.000Z' })
      .execute();
    await t.deps.db.insertInto('acd_queue_routes').values({ id: '0190f5a2-8c1e-7b6a-9d3e-00000000dddd', queue_id: queueId, dialled_number: '120', ivr_choice: '' }).execute();
    await t.app.acd.reloadConfig();
    const agent = await buildUser(t.deps.db, { role: 'agent', login: 'rt-agent' });
    agentId = agent.id;
    await buildUser(t.deps.db, { role: 'supervisor', login: 'rt-super' });
    await buildUser(t.deps.db, { role: 'official', login: 'rt-official', departmentId: dept.id });
    otherDepartmentId = (await buildDepartment(t.deps.db)).id;
    await buildUser(t.deps.db, { role: 'official', login: 'rt-official-2', departmentId: otherDepartmentId });
    departmentId = dept.id;
    expect(chain.field.id).toBeTruthy();
    agentCookie = await t.signIn('rt-agent');
    supervisorCookie = await t.signIn('rt-super');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    base = `ws://127.0.0.1:${port}/api/realtime`;
    origin = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await Promise.all(
      open.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.terminate();
          }),
      ),
    );
    await t.close();
  });

  function connect(headers: Record<string, string>): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(base, { headers });
      open.push(ws);
      const messages: RealtimeServerMessage[] = [];
      const waiters: { type: string; resolve: (m: RealtimeServerMessage) => void }[] = [];
      ws.on('message', (data) => {
        const msg = RealtimeServerMessageSchema.parse(JSON.parse(String(data)));
        messages.push(msg);
        for (const w of [...waiters]) {
          if (w.type === msg.type) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(msg);
          }
        }
      });
      const next = (type: string) =>
        new Promise<RealtimeServerMessage>((res) => {
          const seen = messages.findIndex((m) => m.type === type);
          if (seen >= 0) res(messages.splice(seen, 1)[0]!);
          else waiters.push({ type, resolve: res });
        });
      ws.on('open', () => resolve({ ws, messages, next }));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.on('error', reject);
    });
  }

  it('refuses an upgrade without a session (401) and from another origin (403)', async () => {
    await expect(connect({ origin })).rejects.toThrow('HTTP 401');
    await expect(connect({ origin: 'https://evil.example', cookie: agentCookie })).rejects.toThrow('HTTP 403');
    await expect(connect({ cookie: agentCookie })).rejects.toThrow('HTTP 403');
  });

  it('lets an official in for warm-transfer cards (issue #11) but not to the wallboard or a desk', async () => {
    const official = await connect({ origin, cookie: await t.signIn('rt-official') });
    expect(await official.next('hello')).toMatchObject({ role: 'official' });
    official.ws.send(JSON.stringify({ type: 'wallboard.subscribe' }));
    expect(await official.next('error')).toMatchObject({ code: 'FORBIDDEN' });
    expect(official.messages.some((m) => m.type === 'agent.state' || m.type === 'wallboard')).toBe(false);
  });

  it("tells a department's officials, and only them, that their inbox changed (no content crosses the wall)", async () => {
    const mine = await connect({ origin, cookie: await t.signIn('rt-official') });
    const other = await connect({ origin, cookie: await t.signIn('rt-official-2') });
    await mine.next('hello');
    await other.next('hello');
    t.app.realtime.notifyDepartmentInbox(departmentId, '2026-11-27T01:00:00.000Z');
    expect(await mine.next('handoffs.changed')).toEqual({ type: 'handoffs.changed', at: '2026-11-27T01:00:00.000Z' });
    // The other department's socket got nothing: a ping answered proves its queue is drained in order.
    other.ws.send(JSON.stringify({ type: 'ping' }));
    await other.next('pong');
    expect(other.messages.some((m) => m.type === 'handoffs.changed')).toBe(false);
  });

  it('answers a plain GET (no upgrade) with 400, not 500', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/realtime', headers: { cookie: agentCookie, origin: 'http://localhost:80' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('brings the agent their offer and call events, and supervisors the wallboard', async () => {
    const agent = await connect({ origin, cookie: agentCookie });
    const board = await connect({ origin, cookie: supervisorCookie });
    expect(await agent.next('hello')).toMatchObject({ type: 'hello', userId: agentId, role: 'agent' });
    expect(await agent.next('agent.state')).toMatchObject({ state: { status: 'logged_out' } });
    // The desk is told how many calls wait (issue #18 item 2).
    expect(await agent.next('line')).toMatchObject({ type: 'line', waiting: 0, longestWaitSeconds: 0 });
    const first = await board.next('wallboard');
    expect(first).toMatchObject({ type: 'wallboard', snapshot: { waiting: 0 } });

    const res = await t.app.inject({ method: 'POST', url: '/api/acd/agent/state', headers: { cookie: agentCookie }, payload: { status: 'available' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await agent.next('agent.state')).toMatchObject({ state: { status: 'available' } });

    const call = await t.app.inject({ method: 'POST', url: '/api/acd/simulate-call', headers: { cookie: supervisorCookie }, payload: { callerNumber: '010-2468-1357' } });
    expect(call.statusCode, call.body).toBe(201);
    expect(call.json()).toMatchObject({ outcome: 'queued', offeredTo: agentId });
    const offer = await agent.next('offer');
    expect(offer).toMatchObject({ type: 'offer', offer: { contact: { id: call.json().contactId, callerNumber: expect.stringContaining('*') } } });

    const answered = await t.app.inject({ method: 'POST', url: `/api/acd/contacts/${call.json().contactId}/answer`, headers: { cookie: agentCookie } });
    expect(answered.statusCode, answered.body).toBe(200);
    // Masked for the agent's role, on the socket's offer as in the answer (issue #3 layer 2).
    expect(answered.json().interaction).toMatchObject({ status: 'connected', callerNumber: '010-****-1357' });
    expect(JSON.stringify(offer)).not.toContain('2468-1357');
    expect(answered.body).not.toContain('2468-1357');
    expect(await agent.next('call.event')).toMatchObject({ event: 'answered', contactId: call.json().contactId });

    // The wallboard follows (coalesced, within 100 ms of the change).
    const deadline = Date.now() + 2000;
    let snapshot: RealtimeServerMessage | undefined;
    while (Date.now() < deadline) {
      snapshot = await board.next('wallboard');
      if (snapshot.type === 'wallboard' && snapshot.snapshot.agentsByStatus.on_call === 1) break;
    }
    expect(snapshot).toMatchObject({ snapshot: { answeredToday: 1, agentsByStatus: { on_call: 1 } } });

    // Bad client messages get an error message, the socket stays.
    agent.ws.send('not json');
    expect(await agent.next('error')).toMatchObject({ code: 'VALIDATION_FAILED' });
    agent.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await agent.next('pong')).toMatchObject({ type: 'pong' });
  });

  it('closes the sockets of a session that was revoked or went idle (code 4401), and only those', async () => {
    const revokedCookie = await t.signIn('rt-agent');
    const revoked = await connect({ origin, cookie: revokedCookie });
    const kept = await connect({ origin, cookie: supervisorCookie });
    await revoked.next('hello');
    await kept.next('hello');
    const closed = new Promise<number>((resolve) => revoked.ws.once('close', (code) => resolve(code)));
    expect(await t.app.realtime.revalidate()).toBe(0);

    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: revokedCookie } });
    expect(out.statusCode).toBeLessThan(300);
    expect(await t.app.realtime.revalidate()).toBe(1);
    expect(await closed).toBe(4401);
    expect(kept.ws.readyState).toBe(WebSocket.OPEN);

    // Idle sign-out ends the socket too: the socket itself is not activity.
    const idle = new Promise<number>((resolve) => kept.ws.once('close', (code) => resolve(code)));
    t.clock.advance(t.deps.config.idleTimeoutMs);
    expect(await t.app.realtime.revalidate()).toBeGreaterThanOrEqual(1);
    expect(await idle).toBe(4401);
  });
  it('a wall-TV display session gets the wallboard, and nothing addressed to its user (issue #18 item 7)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/display-session', headers: { cookie: await t.signIn('rt-super') } });
    const session = res.cookies.find((c) => c.name === 'onecall_session');
    expect(session).toBeDefined();
    const tv = await connect({ origin, cookie: `onecall_session=${session?.value}` });
    expect(await tv.next('wallboard')).toMatchObject({ type: 'wallboard' });
    tv.ws.send(JSON.stringify({ type: 'ping' }));
    await tv.next('pong');
    // A supervisor's desk gets agent.state at connection; the display never does.
    expect(tv.messages.some((m) => m.type === 'agent.state')).toBe(false);
  });
});
