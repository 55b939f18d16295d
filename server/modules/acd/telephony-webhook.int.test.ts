import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../ports/telephony/webhook.adapter';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

const SECRET = 'webhook-secret-for-tests-0123456789';

/** The CTI webhook: signed events in, signed commands out to a real local HTTP server standing in for the PBX. */
describe('CTI webhook (POST /api/telephony/events)', () => {
  let t: TestContext;
  let pbx: http.Server;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let agentId = '';
  let seq = 0;

  beforeAll(async () => {
    pbx = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => pbx.listen(0, '127.0.0.1', resolve));
    const port = (pbx.address() as AddressInfo).port;
    t = await createTestContext({ TELEPHONY_WEBHOOK_SECRET: SECRET, TELEPHONY_PBX_URL: `http://127.0.0.1:${port}/onecall/commands` });
    const dept = await buildDepartment(t.deps.db);
    const chain = await buildCategoryChain(t.deps.db, dept.id);
    const queue = await t.deps.db
      .insertInto('acd_queues')
      .values({ id: '0190f5a2-8c1e-7b6a-9d3e-00000000aaaa', code: 'WH', name: 'webhook', skill: chain.field.id, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: '2026-11-27T00:00:00.000Z', updated_at: '2026-11-27T00:00:00.000Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.deps.db.insertInto('acd_queue_routes').values({ id: '0190f5a2-8c1e-7b6a-9d3e-00000000bbbb', queue_id: queue.id, dialled_number: '0315180120', ivr_choice: '' }).execute();
    const agent = await buildUser(t.deps.db, { role: 'agent' });
    agentId = agent.id;
    await t.deps.db.updateTable('users').set({ extension: '3001' }).where('id', '=', agentId).execute();
    await t.deps.db.insertInto('agent_skills').values({ user_id: agent.id, skill: chain.field.id, level: 1 }).execute();
    await t.app.acd.reloadConfig();
    await t.app.acd.setAgentState(agentId, { status: 'available' });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => pbx.close(resolve));
  });

  const nowSec = () => Math.floor(t.clock.now().getTime() / 1000);
  const event = (type: string, callId: string, extra: Record<string, unknown> = {}) => ({
    eventId: `ev-${++seq}`,
    callId,
    type,
    at: t.clock.now().toISOString(),
    ...extra,
  });
  /** Posts like a PBX: no session, no X-OneCall-Request; signed unless told otherwise. */
  const post = (body: unknown, opts: { timestamp?: number; signature?: string | null; secret?: string } = {}) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const ts = String(opts.timestamp ?? nowSec());
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-onecall-timestamp': ts };
    const signature = opts.signature === undefined ? signWebhook(opts.secret ?? SECRET, ts, raw) : opts.signature;
    if (signature !== null) headers['x-onecall-signature'] = signature;
    return t.bareInject({ method: 'POST', url: '/api/telephony/events', headers, payload: raw });
  };

  it('answers an offered call with a route decision and sends signed commands to the PBX', async () => {
    const res = await post(event('offered', 'pbx-100', { callerNumber: '010-2345-6789', dialledNumber: '031-5180-120' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'applied', decision: { action: 'agent', agentId, extension: '3001' } });
    await t.app.acd.drainCommands();
    const last = received.at(-1)!;
    const command = JSON.parse(last.body).command;
    expect(command).toMatchObject({ type: 'offer', callId: 'pbx-100', agentId, extension: '3001', timeoutSeconds: 20 });
    const ts = last.headers['x-onecall-timestamp'] as string;
    expect(last.headers['x-onecall-signature']).toBe(signWebhook(SECRET, ts, last.body));

    expect((await post(event('answered', 'pbx-100', { agentId }))).json()).toMatchObject({ outcome: 'applied' });
    expect(t.app.acd.deskState(agentId).status).toBe('on_call');
    expect((await post(event('held', 'pbx-100'))).json()).toMatchObject({ outcome: 'applied' });
    expect(t.app.acd.deskState(agentId).status).toBe('on_hold');
    expect((await post(event('resumed', 'pbx-100'))).json()).toMatchObject({ outcome: 'applied' });
    // The agent hangs up on the desk: OneCall tells the PBX.
    const contactId = t.app.acd.deskState(agentId).contact!.id;
    await t.app.acd.hangUp(agentId, contactId);
    await t.app.acd.drainCommands();
    expect(JSON.parse(received.at(-1)!.body).command).toMatchObject({ type: 'hang_up', callId: 'pbx-100' });
    // The PBX reports the end too: already ended, nothing changes.
    expect((await post(event('ended', 'pbx-100', { by: 'agent' }))).json()).toMatchObject({ outcome: 'ignored' });
    await t.app.acd.endWrapUp(agentId);
  });

  it.each([
    ['unsigned', { signature: null }, 'WEBHOOK_SIGNATURE_INVALID'],
    ['wrong signature', { signature: 'v1=' + '0'.repeat(64) }, 'WEBHOOK_SIGNATURE_INVALID'],
    ['signed with another secret', { secret: 'another-secret-0123456789abcdef' }, 'WEBHOOK_SIGNATURE_INVALID'],
    ['stale (6 minutes old)', { timestamp: -360 }, 'WEBHOOK_STALE'],
    ['from the future (6 minutes ahead)', { timestamp: 360 }, 'WEBHOOK_STALE'],
  ])('refuses a request that is %s with 401', async (_name, opts, code) => {
    const o = { ...opts } as { timestamp?: number; signature?: string | null; secret?: string };
    if (o.timestamp !== undefined) o.timestamp = nowSec() + o.timestamp;
    const before = t.app.acd.waitingContacts().length;
    const res = await post(event('offered', `pbx-bad-${seq}`, { callerNumber: '010-1111-2222', dialledNumber: '0315180120' }), o);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe(code);
    expect(t.app.acd.waitingContacts().length).toBe(before);
  });

  it('refuses a replayed event id (401 WEBHOOK_REPLAYED) and changes nothing', async () => {
    await t.app.acd.setAgentState(agentId, { status: 'not_ready', reason: 'break' });
    const body = event('offered', 'pbx-200', { callerNumber: '010-3333-4444', dialledNumber: '0315180120' });
    const first = await post(body);
    expect(first.json()).toMatchObject({ outcome: 'applied', decision: { action: 'queue', announcement: { kind: 'position', position: 1 } } });
    const again = await post(body);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('WEBHOOK_REPLAYED');
    expect(t.app.acd.waitingContacts()).toHaveLength(1);
  });

  it('treats a second offer of the same call, events for unknown calls and out-of-order events as ignored (200, logged)', async () => {
    const dup = await post(event('offered', 'pbx-200', { callerNumber: '010-3333-4444', dialledNumber: '0315180120' }));
    expect(dup.json()).toMatchObject({ outcome: 'ignored', reason: 'duplicate_call' });
    expect((await post(event('held', 'pbx-unknown'))).json()).toMatchObject({ outcome: 'ignored', reason: 'unknown_call' });
    // Answered before any offer reached an agent: out of order.
    expect((await post(event('answered', 'pbx-200'))).json()).toMatchObject({ outcome: 'ignored', reason: 'out_of_order' });
    expect((await post(event('resumed', 'pbx-200'))).json()).toMatchObject({ outcome: 'ignored', reason: 'out_of_order' });
    // The caller gives up: abandoned, and a late duplicate hang-up changes nothing.
    expect((await post(event('abandoned', 'pbx-200'))).json()).toMatchObject({ outcome: 'applied' });
    expect((await post(event('ended', 'pbx-200'))).json()).toMatchObject({ outcome: 'ignored' });
    expect(t.app.acd.waitingContacts()).toHaveLength(0);
    expect(t.app.acd.wallboard()).toMatchObject({ waiting: 0 });
  });

  it('answers malformed bodies with 400 and never 500', async () => {
    const notJson = await post('{"eventId":');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('VALIDATION_FAILED');
    const badShape = await post({ eventId: 'x', type: 'offered', callId: 'c' });
    expect(badShape.statusCode).toBe(400);
    const unknownType = await post(event('exploded', 'pbx-1'));
    expect(unknownType.statusCode).toBe(400);
  });

  /** Makes the ACD's transaction fail at its last step (the contact events), as a crash before the commit would. */
  const crashOnEvents = async (on: boolean) => {
    const run = (q: string) => sql.raw(q).execute(t.deps.db);
    if (t.deps.dialect === 'sqlite') {
      await run(on ? `CREATE TRIGGER test_crash BEFORE INSERT ON contact_events BEGIN SELECT RAISE(ABORT, 'crash'); END` : 'DROP TRIGGER test_crash');
    } else if (on) {
      await run(`CREATE FUNCTION test_crash() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'crash'; END $$`);
      await run('CREATE TRIGGER test_crash BEFORE INSERT ON contact_events FOR EACH ROW EXECUTE FUNCTION test_crash()');
    } else {
      await run('DROP TRIGGER test_crash ON contact_events');
      await run('DROP FUNCTION test_crash()');
    }
  };
  const receipts = async (eventId: string) =>
    (await t.deps.db.selectFrom('telephony_webhook_events').select('event_id').where('event_id', '=', eventId).execute()).length;

  it('records the event id in the ACD transaction: a crash before the commit leaves neither, and the retry is applied', async () => {
    await t.app.acd.setAgentState(agentId, { status: 'available' });
    const offered = await post(event('offered', 'pbx-300', { callerNumber: '010-3000-3000', dialledNumber: '0315180120' }));
    expect(offered.json()).toMatchObject({ outcome: 'applied', decision: { action: 'agent', agentId } });

    const answered = event('answered', 'pbx-300', { agentId });
    await crashOnEvents(true);
    try {
      const crashed = await post(answered);
      expect(crashed.statusCode).toBe(500);
    } finally {
      await crashOnEvents(false);
    }
    expect(await receipts(answered.eventId)).toBe(0);
    expect(t.app.acd.deskState(agentId).status).toBe('reserved');

    // The PBX retries the same event: applied now (before the fix: 401 WEBHOOK_REPLAYED and the answer was lost).
    const retry = await post(answered);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ outcome: 'applied' });
    expect(t.app.acd.deskState(agentId).status).toBe('on_call');
    expect(await receipts(answered.eventId)).toBe(1);
    const again = await post(answered);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('WEBHOOK_REPLAYED');
  });

  it('answers a second `ended` of a call as a duplicate (ignored), as documented', async () => {
    expect((await post(event('ended', 'pbx-300', { by: 'caller' }))).json()).toMatchObject({ outcome: 'applied' });
    expect((await post(event('ended', 'pbx-300', { by: 'caller' }))).json()).toMatchObject({ outcome: 'ignored', reason: 'duplicate' });
    expect((await post(event('held', 'pbx-300'))).json()).toMatchObject({ outcome: 'ignored', reason: 'out_of_order' });
    await t.app.acd.endWrapUp(agentId);
  });

  it.each([
    ['any text as the caller number', { callerNumber: 'hello' }, 'callerNumber'],
    ['a number too short to be one', { callerNumber: '1234' }, 'callerNumber'],
    ['NUL in the call id', { callId: 'pbx-\u0000' }, 'callId'],
    ['a lone surrogate in the IVR choice', { ivrChoice: '\ud800' }, 'ivrChoice'],
  ])('refuses an offered call with %s (400 naming the field)', async (_name, extra, field) => {
    const before = t.app.acd.waitingContacts().length;
    const res = await post(event('offered', 'pbx-400', { callerNumber: '010-4000-4000', dialledNumber: '0315180120', ...extra }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details.fields).toContain(field);
    expect(t.app.acd.waitingContacts().length).toBe(before);
  });

  it('accepts a withheld caller ("anonymous") and refuses a callback to a number that is not one', async () => {
    await t.app.acd.setAgentState(agentId, { status: 'not_ready', reason: 'break' });
    const res = await post(event('offered', 'pbx-500', { callerNumber: 'Anonymous', dialledNumber: '0315180120' }));
    expect(res.json()).toMatchObject({ outcome: 'applied', decision: { action: 'queue' } });
    const bad = await post(event('callback_requested', 'pbx-500', { callbackNumber: 'call me maybe' }));
    expect(bad.statusCode).toBe(400);
    expect((await post(event('abandoned', 'pbx-500'))).json()).toMatchObject({ outcome: 'applied' });
  });

  it('answers 503 when no webhook secret is configured', async () => {
    const off = await createTestContext();
    try {
      const res = await off.bareInject({ method: 'POST', url: '/api/telephony/events', headers: { 'content-type': 'application/json' }, payload: '{}' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await off.close();
    }
  });
});
