import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { CasePreview, CaseSettings, CaseStatus } from '../../../core/contracts/case-system';
import type { RecordCaseResult } from '../../../core/contracts/cases';
import { DEFAULT_CASE_MAPPING } from '../../../core/domain/case-system';
import { signCaseWebhook, startStandin, type Standin } from '../../cli/standin';
import { loadConfig } from '../../config';
import { createAppDeps } from '../../deps';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { startSmsSink } from '../../test/message-sinks';
import { createTestContext, type TestContext } from '../../test/test-app';
import { drainOutbox } from '../notifications/outbox-worker';
import { claimDueMessages } from '../notifications/outbox.repository';
import { pollCaseSystem } from './case-system.service';

/**
 * The administrative case system link (issue #16 §1) against the stand-in as a real HTTP server (SQLite and
 * PostgreSQL): settings with a refused mapping and a preview, each hand-off's creation / status / answer queued in its
 * transaction and delivered in order per hand-off with retries (5xx, timeout, malformed JSON, a 4xx refusal → failed,
 * retry / skip), a repeated delivery applied once at the receiver, a restart and a dead worker's lease, and the signed
 * webhook and polling that move the hand-off as an official would, recorded with the source.
 */
const WEBHOOK_SECRET = 'test-case-webhook-secret';
let t: TestContext;
let standin: Standin;
let sms: Awaited<ReturnType<typeof startSmsSink>>;
let admin: string;
let agent: string;
let official: string;
let categoryId: string;

const inject = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const codeOf = (res: { json: () => unknown }) => (res.json() as { error: { code: string } }).error.code;
const drain = () => drainOutbox(t.deps, t.clock.now());
const caseMessages = () => t.deps.db.selectFrom('outbox_messages').selectAll().where('kind', '=', 'case_system').orderBy('id').execute();
const status = async () => (await inject(admin, 'GET', '/api/admin/connectors/case-system/status')).json<CaseStatus>();
const settingsBody = (over: object = {}) => ({
  isEnabled: true,
  baseUrl: `${standin.url}/case-system`,
  inboundMode: 'webhook',
  mapping: DEFAULT_CASE_MAPPING,
  webhookSecret: WEBHOOK_SECRET,
  timeoutMs: 400,
  ...over,
});

async function handedOff(number: string): Promise<{ caseId: string; handOffId: string }> {
  const call: CallConnected = (await inject(agent, 'POST', '/api/calls/simulate', { callerNumber: number })).json();
  const recorded = await inject(agent, 'POST', '/api/cases', { interactionId: call.interaction.id, categoryId, summary: '보도블록 파손 신고', outcome: 'handed_off' });
  expect(recorded.statusCode, recorded.body).toBe(201);
  const r: RecordCaseResult = recorded.json();
  return { caseId: r.caseId, handOffId: r.handOff!.id };
}

function signed(body: object, opts: { secret?: string; at?: number; signature?: string } = {}) {
  const raw = JSON.stringify(body);
  const timestamp = String(Math.floor((opts.at ?? t.clock.now().getTime()) / 1000));
  return t.bareInject({
    method: 'POST',
    url: '/api/connectors/case-system/webhook',
    headers: { 'content-type': 'application/json', 'x-onecall-timestamp': timestamp, 'x-onecall-signature': opts.signature ?? signCaseWebhook(opts.secret ?? WEBHOOK_SECRET, timestamp, raw) },
    payload: raw,
  });
}
const linkOf = async (handOffId: string) => (await t.deps.db.selectFrom('case_system_links').selectAll().where('handoff_id', '=', handOffId).executeTakeFirstOrThrow()).external_case_no;
const handOff = (id: string) => t.deps.db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  standin = await startStandin({ port: 0 });
  let clockMs = () => Date.now();
  sms = await startSmsSink('case-test-sms-secret', () => clockMs());
  t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '1440', SMS_GATEWAY_URL: sms.url, SMS_GATEWAY_SECRET: 'case-test-sms-secret', SMS_SENDER: '1588-0120' });
  clockMs = () => t.clock.now().getTime();
  const dept = (await buildDepartment(t.deps.db, { name: '도로과' })).id;
  categoryId = (await buildCategoryChain(t.deps.db, dept, 'grievance', ['도로·교통', '도로 파손', '보도블록'])).detail.id;
  await buildUser(t.deps.db, { role: 'admin', login: 'cs-admin' });
  await buildUser(t.deps.db, { role: 'agent', login: 'cs-agent' });
  await buildUser(t.deps.db, { role: 'official', login: 'cs-official', name: '박도로', departmentId: dept });
  admin = await t.signIn('cs-admin');
  agent = await t.signIn('cs-agent');
  official = await t.signIn('cs-official');
}, 60_000);
afterAll(async () => {
  await t?.close();
  await standin?.close();
  await sms?.close();
});

describe('case-system settings', () => {
  it('refuses a misconfigured mapping on save with the reason (422 CASE_MAPPING_INVALID), previews a good one, never returns secrets', async () => {
    const bad = await inject(admin, 'PUT', '/api/admin/connectors/case-system', settingsBody({ mapping: { title: { field: 'nickname' } } }));
    expect(bad.statusCode).toBe(422);
    expect(codeOf(bad)).toBe('CASE_MAPPING_INVALID');
    expect(bad.body).toContain('nickname');
    const badTemplate = await inject(admin, 'PUT', '/api/admin/connectors/case-system', settingsBody({ mapping: { body: { template: '{{summary}} {{secretField}}' } } }));
    expect(codeOf(badTemplate)).toBe('CASE_MAPPING_INVALID');
    expect((await inject(admin, 'PUT', '/api/admin/connectors/case-system', settingsBody({ mapping: [] }))).statusCode).toBe(422);
    expect((await inject(admin, 'GET', '/api/admin/connectors/case-system')).json<CaseSettings>().configured).toBe(false);

    const preview = await inject(admin, 'POST', '/api/admin/connectors/case-system/preview', { mapping: DEFAULT_CASE_MAPPING });
    expect(preview.statusCode).toBe(200);
    const body = preview.json<CasePreview>().body as { title: string; applicant: { name: string } };
    expect(body.title).toBe('[콜센터 2026-1205-0042] 한빛로 12 앞 보도블록 파손, 보행 중 걸려 넘어질 위험');
    expect(body.applicant.name).toBe('홍길동');

    const saved = await inject(admin, 'PUT', '/api/admin/connectors/case-system', settingsBody({ authKind: 'api_key', authName: 'X-Api-Key', authSecret: 'case-key-1' }));
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).not.toContain('case-key-1');
    expect(saved.body).not.toContain(WEBHOOK_SECRET);
    expect(saved.json<CaseSettings>()).toMatchObject({ hasSecret: true, hasWebhookSecret: true, isEnabled: true });
    const row = await t.deps.db.selectFrom('case_system_settings').selectAll().executeTakeFirstOrThrow();
    expect(row.auth_secret_sealed).not.toContain('case-key-1');
    expect(t.deps.vault.open(row.auth_secret_sealed!)).toBe('case-key-1');
    expect((await inject(agent, 'GET', '/api/admin/connectors/case-system')).statusCode).toBe(403);
    // A client certificate Node cannot use (not PEM, or a key that is not its own) is refused and never stored.
    const badCert = await inject(admin, 'PUT', '/api/admin/connectors/case-system', settingsBody({ clientCert: { cert: 'not a certificate', key: 'not a key' } }));
    expect(badCert.statusCode).toBe(400);
    expect(badCert.body).toContain('clientCert');
    expect((await t.deps.db.selectFrom('case_system_settings').select('client_cert_sealed').executeTakeFirstOrThrow()).client_cert_sealed).toBeNull();
  });
});

describe('outbound: registration, status and answer through the one outbox', () => {
  it('registers a new hand-off (mapped body, idempotency key), then its 접수 and 회신 in order', async () => {
    const h = await handedOff('010-7700-0001');
    const queued = await caseMessages();
    expect(queued.map((m) => [m.handoff_id, m.status, m.idempotency_key])).toEqual([[h.handOffId, 'pending', `case_system:${h.handOffId}:created`]]);
    expect(await drain()).toMatchObject({ sent: 1 });
    const caseNo = await linkOf(h.handOffId);
    const registered = standin.cases.get(caseNo)!;
    expect(registered.idempotencyKey).toBe(`case_system:${h.handOffId}:created`);
    expect(registered.body).toMatchObject({ department: '도로과', channel: '120 민원콜센터', applicant: { phone: '010-7700-0001' } });
    expect((registered.body as { title: string }).title).toContain('보도블록 파손 신고');

    expect((await inject(official, 'POST', `/api/handoffs/${h.handOffId}/acknowledge`)).statusCode).toBe(200);
    expect((await inject(official, 'POST', `/api/handoffs/${h.handOffId}/answer`, { answer: '12월 8일 보수 완료 예정입니다.' })).statusCode).toBe(200);
    expect(await drain()).toMatchObject({ sent: 2 });
    expect(registered.statuses).toEqual([{ status: 'acknowledged', at: expect.any(String) }]);
    expect(registered.answers).toEqual([{ text: '12월 8일 보수 완료 예정입니다.', at: expect.any(String) }]);
    // No reply preference: an agent calls the citizen back; once told, 'closed' follows.
    const tasks = (await inject(agent, 'GET', '/api/callback-tasks')).json<{ items: { id: string; handOffId: string | null }[] }>().items;
    const task = tasks.find((x) => x.handOffId === h.handOffId)!;
    expect((await inject(agent, 'POST', `/api/callback-tasks/${task.id}/done`)).statusCode).toBe(200);
    expect(await drain()).toMatchObject({ sent: 1 });
    expect(registered.statuses).toEqual([
      { status: 'acknowledged', at: expect.any(String) },
      { status: 'closed', at: expect.any(String) },
    ]);
  });

  it("sends 'closed' once the citizen has been told (the answer's SMS delivered), after the answer even while that is retried", async () => {
    const h = await handedOff('010-7700-0007');
    expect((await inject(agent, 'PUT', `/api/cases/${h.caseId}/reply-preference`, { channel: 'sms', consent: true })).statusCode).toBe(200);
    expect(await drain()).toMatchObject({ sent: 1 });
    const registered = standin.cases.get(await linkOf(h.handOffId))!;
    expect((await inject(official, 'POST', `/api/handoffs/${h.handOffId}/acknowledge`)).statusCode).toBe(200);
    expect((await inject(official, 'POST', `/api/handoffs/${h.handOffId}/answer`, { answer: '12월 9일 교체합니다.' })).statusCode).toBe(200);
    // The case system is down when the answer goes: the citizen's SMS still goes, the hand-off closes, and its
    // 'closed' message is queued in that transaction but waits behind the answer.
    standin.fault = { mode: 'error' };
    try {
      await drain();
    } finally {
      standin.fault = { mode: 'ok' };
    }
    expect(sms.received).toHaveLength(1);
    expect((await handOff(h.handOffId)).status).toBe('closed');
    const waiting = (await caseMessages()).filter((m) => m.handoff_id === h.handOffId && m.status === 'pending');
    expect(waiting.map((m) => m.idempotency_key.split(':')[2])).toEqual(['status', 'answered', 'status']);
    expect(waiting.map((m) => m.attempts)).toEqual([1, 0, 0]);
    t.clock.advance(31_000);
    expect(await drain()).toMatchObject({ sent: 3, retrying: 0 });
    expect(registered.statuses.map((x) => (x as { status: string }).status)).toEqual(['acknowledged', 'closed']);
    expect(registered.answers).toHaveLength(1);
    expect((await caseMessages()).filter((m) => m.handoff_id === h.handOffId).every((m) => m.status === 'sent')).toBe(true);
    // Received in the order queued: the status after the answer the citizen was told.
    expect(registered.applied).toEqual(['created', 'status:acknowledged', 'answer', 'status:closed']);
  });

  it('keeps each hand-off in order while the system fails (5xx, timeout, malformed JSON), retrying with backoff', async () => {
    const h = await handedOff('010-7700-0002');
    standin.fault = { mode: 'error' };
    expect(await drain()).toMatchObject({ retrying: 1 });
    expect((await inject(official, 'POST', `/api/handoffs/${h.handOffId}/acknowledge`)).statusCode).toBe(200);
    // The 접수 is due now, but its registration is still waiting: nothing of this hand-off is sent out of order.
    t.clock.advance(31_000);
    standin.fault = { mode: 'slow', delayMs: 900 };
    expect(await drain()).toMatchObject({ sent: 0, retrying: 1 });
    let [created, ack] = await caseMessages().then((ms) => ms.filter((m) => m.handoff_id === h.handOffId));
    expect(created!.last_error).toContain('응답하지 않았습니다');
    expect(ack!.attempts).toBe(0);
    t.clock.advance(61_000);
    standin.fault = { mode: 'malformed' };
    expect(await drain()).toMatchObject({ retrying: 1 });
    [created, ack] = await caseMessages().then((ms) => ms.filter((m) => m.handoff_id === h.handOffId));
    expect(created!.last_error).toContain('JSON');
    expect((await status()).health.state).toBe('retrying');

    standin.fault = { mode: 'ok' };
    t.clock.advance(121_000);
    expect(await drain()).toMatchObject({ sent: 2 });
    expect(standin.cases.get(await linkOf(h.handOffId))!.statuses).toHaveLength(1);
  });

  it('a repeated delivery (the outbox lost its record of it) is applied once by the receiver', async () => {
    const h = await handedOff('010-7700-0003');
    expect(await drain()).toMatchObject({ sent: 1 });
    const before = { cases: standin.cases.size, duplicates: standin.duplicates };
    await t.deps.db.updateTable('outbox_messages').set({ status: 'pending', next_attempt_at: t.clock.now().toISOString() }).where('handoff_id', '=', h.handOffId).execute();
    await t.deps.db.deleteFrom('case_system_links').where('handoff_id', '=', h.handOffId).execute();
    expect(await drain()).toMatchObject({ sent: 1 });
    expect(standin.cases.size).toBe(before.cases);
    expect(standin.duplicates).toBe(before.duplicates + 1);
  });

  it('survives a restart with undelivered messages and a worker that died mid-send (its lease runs out)', async () => {
    standin.fault = { mode: 'drop' };
    const h = await handedOff('010-7700-0004');
    expect(await drain()).toMatchObject({ retrying: 1 });
    standin.fault = { mode: 'ok' };
    t.clock.advance(31_000);
    // A worker takes the message and dies before sending it.
    expect(await claimDueMessages(t.deps.db, t.clock.now().toISOString(), new Date(t.clock.now().getTime() + 60_000).toISOString(), 10)).toHaveLength(1);
    // A new process (new deps on the same database) finds it leased: nothing until the lease has run out.
    const restarted = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), t.handle, t.clock, t.deps.vault);
    expect(await drainOutbox(restarted, t.clock.now())).toMatchObject({ sent: 0 });
    t.clock.advance(61_000);
    expect(await drainOutbox(restarted, t.clock.now())).toMatchObject({ sent: 1 });
    expect(standin.cases.get(await linkOf(h.handOffId))).toBeDefined();
  });

  it('a refusal (4xx) fails the message for the admin: its later messages wait; retry or skip', async () => {
    const h = await handedOff('010-7700-0005');
    expect(await drain()).toMatchObject({ sent: 1 });
    const caseNo = await linkOf(h.handOffId);
    await t.deps.db.updateTable('case_system_links').set({ external_case_no: 'HB-NONE' }).where('handoff_id', '=', h.handOffId).execute();
    expect((await inject(official, 'POST', `/api/handoffs/${h.handOffId}/acknowledge`)).statusCode).toBe(200);
    expect((await inject(official, 'POST', `/api/handoffs/${h.handOffId}/answer`, { answer: '보수 완료했습니다.' })).statusCode).toBe(200);
    expect(await drain()).toMatchObject({ failed: 1, sent: 0 });
    const s = await status();
    expect(s.health.state).toBe('failing');
    expect(s.queue).toMatchObject({ failed: 1, pending: 1 });
    // The admin's list names the status that went out (접수), the answer after it is waiting.
    expect(s.failed[0]).toMatchObject({ event: 'status', handOffStatus: 'acknowledged', caseNumber: expect.any(String) });
    expect(s.waiting[0]).toMatchObject({ event: 'answered', handOffStatus: null });
    expect(s.failed[0]!.lastError).toContain('HTTP 404');
    const failedId = s.failed[0]!.id;
    expect((await inject(admin, 'POST', `/api/admin/connectors/case-system/messages/${s.waiting[0]!.id}/skip`)).statusCode).toBe(409);

    await t.deps.db.updateTable('case_system_links').set({ external_case_no: caseNo }).where('handoff_id', '=', h.handOffId).execute();
    expect((await inject(admin, 'POST', `/api/admin/connectors/case-system/messages/${failedId}/retry`)).statusCode).toBe(204);
    expect(await drain()).toMatchObject({ sent: 2 });
    expect((await status()).health.state).toBe('ok');
    const history = (await status()).history.filter((m) => m.handOffId === h.handOffId);
    expect(history.map((m) => [m.event, m.handOffStatus]).sort()).toEqual([['answered', null], ['created', null], ['status', 'acknowledged']]);

    // Skip: a failed registration lets the hand-off's later messages go (they then fail visibly, not silently wait).
    const g = await handedOff('010-7700-0006');
    standin.fault = { mode: 'error' };
    await t.deps.db.updateTable('outbox_messages').set({ max_attempts: 1 }).where('handoff_id', '=', g.handOffId).execute();
    expect(await drain()).toMatchObject({ failed: 1 });
    standin.fault = { mode: 'ok' };
    const failed = (await status()).failed.find((m) => m.handOffId === g.handOffId)!;
    expect((await inject(admin, 'POST', `/api/admin/connectors/case-system/messages/${failed.id}/skip`)).statusCode).toBe(204);
    expect((await caseMessages()).find((m) => m.id === failed.id)!.status).toBe('skipped');
    expect((await inject(admin, 'POST', '/api/admin/connectors/case-system/messages/00000000-0000-7000-8000-000000000000/retry')).statusCode).toBe(404);
  });
});

describe('inbound: signed webhook and polling', () => {
  it('refuses unsigned, forged and stale reports with 401 and no detail', async () => {
    const h = await handedOff('010-7700-0011');
    await drain();
    const caseNo = await linkOf(h.handOffId);
    const report = { eventId: 'ev-1', caseNo, kind: 'answer', text: '처리했습니다.' };
    const unsigned = await t.bareInject({ method: 'POST', url: '/api/connectors/case-system/webhook', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(report) });
    expect(unsigned.statusCode).toBe(401);
    const forged = await signed(report, { secret: 'not-the-secret' });
    expect(forged.statusCode).toBe(401);
    const stale = await signed(report, { at: t.clock.now().getTime() - 6 * 60_000 });
    expect(stale.statusCode).toBe(401);
    expect([unsigned.body, forged.body, stale.body].every((b) => b === forged.body)).toBe(true);
    expect((await handOff(h.handOffId)).status).toBe('pending');
  });

  it("an answer from the case system answers the hand-off as the official would, with the source; a repeat is ignored", async () => {
    const h = await handedOff('010-7700-0012');
    await drain();
    const caseNo = await linkOf(h.handOffId);
    const res = await signed({ eventId: 'ev-answer-1', caseNo, kind: 'answer', text: '보도블록 교체를 마쳤습니다. 문의 010-9999-8888', official: '도로과 박주무' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ outcome: 'applied' });
    const row = await handOff(h.handOffId);
    expect(['answered', 'closed']).toContain(row.status);
    expect(row.answer).toContain('보도블록 교체를 마쳤습니다.');
    expect(row.answer).not.toContain('9999-8888');
    const events = await t.deps.db.selectFrom('contact_events').select(['type', 'actor_id', 'data']).where('handoff_id', '=', h.handOffId).orderBy('id').execute();
    const fromSystem = events.filter((e) => String(e.data ?? '').includes('case_system'));
    expect(fromSystem.map((e) => e.type)).toEqual(['handoff_acknowledged', 'handoff_answered']);
    expect((await t.deps.db.selectFrom('cases').select('status').where('id', '=', h.caseId).executeTakeFirstOrThrow()).status).toBe('closed');
    expect((await signed({ eventId: 'ev-answer-1', caseNo, kind: 'answer', text: '보도블록 교체를 마쳤습니다.' })).json()).toEqual({ outcome: 'duplicate' });
    expect((await signed({ eventId: 'ev-answer-2', caseNo, kind: 'answer', text: '다시 보냄' })).json()).toEqual({ outcome: 'already' });
    expect((await signed({ eventId: 'ev-x', caseNo: 'HB-UNKNOWN', kind: 'status', status: 'acknowledged' })).json()).toEqual({ outcome: 'unknown_case' });
    expect((await signed({ eventId: 'ev-bad', caseNo, kind: 'closed' })).statusCode).toBe(400);
    // Its own report is not echoed back to the case system: only the registration went out for this hand-off.
    expect((await caseMessages()).filter((m) => m.handoff_id === h.handOffId).map((m) => m.idempotency_key.split(':')[2])).toEqual(['created']);
  });

  it('polling mode reads the reports after its cursor and applies each once', async () => {
    const h = await handedOff('010-7700-0013');
    await drain();
    const caseNo = await linkOf(h.handOffId);
    expect((await inject(admin, 'PUT', '/api/admin/connectors/case-system', settingsBody({ inboundMode: 'poll' }))).statusCode).toBe(200);
    await standin.reportStatus(caseNo, 'in_progress');
    const first = await pollCaseSystem(t.deps);
    expect(first!.applied).toBe(1);
    expect((await handOff(h.handOffId)).status).toBe('in_progress');
    await standin.answer(caseNo, { text: '처리 완료했습니다.' });
    expect(await pollCaseSystem(t.deps)).toEqual({ applied: 1, seen: 1 });
    expect(['answered', 'closed']).toContain((await handOff(h.handOffId)).status);
    expect(await pollCaseSystem(t.deps)).toEqual({ applied: 0, seen: 0 });
    // In polling mode the webhook is closed.
    expect((await signed({ eventId: 'ev-p', caseNo, kind: 'status', status: 'acknowledged' })).statusCode).toBe(401);
  });
});
