import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { RecordCaseResult } from '../../../core/contracts/cases';
import type { CallbackTask, DeliveryStatus, OutboxMessage, ReplyPreferenceBody } from '../../../core/contracts/notifications';
import { buildApp } from '../../app';
import { createAppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { notConfiguredEmail } from '../../ports/email/not-configured.adapter';
import { HttpSmsGateway } from '../../ports/sms/http-gateway.adapter';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { readMail, startSmsSink, startSmtpSink } from '../../test/message-sinks';
import { createTestContext, type TestContext } from '../../test/test-app';
import { drainOutbox } from './outbox-worker';
import { eraseReplyContactsBefore } from './outbox.repository';

const SECRET = 'sms-gateway-secret-0123';

describe('the citizen hears back: outbox, SMS, e-mail, callback (issue #11 §4)', () => {
  let t: TestContext;
  let sms: Awaited<ReturnType<typeof startSmsSink>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let chain: Awaited<ReturnType<typeof buildCategoryChain>>;
  const cookie = { agent: '', official: '', admin: '' };

  beforeAll(async () => {
    let clockMs = () => Date.now();
    sms = await startSmsSink(SECRET, () => clockMs());
    smtp = await startSmtpSink();
    t = await createTestContext({
      IDLE_TIMEOUT_MINUTES: '1440',
      SMS_GATEWAY_URL: sms.url,
      SMS_GATEWAY_SECRET: SECRET,
      SMS_SENDER: '1588-0120',
      SMTP_URL: smtp.url,
      MAIL_FROM: '한빛시 민원콜센터 <noreply@hanbit.example>',
    });
    clockMs = () => t.clock.now().getTime();
    const dept = await buildDepartment(t.deps.db, { name: '세정과' });
    chain = await buildCategoryChain(t.deps.db, dept.id, 'inquiry');
    await buildUser(t.deps.db, { role: 'agent', login: 'n-agent' });
    await buildUser(t.deps.db, { role: 'official', login: 'n-official', departmentId: dept.id });
    await buildUser(t.deps.db, { role: 'admin', login: 'n-admin' });
    cookie.agent = await t.signIn('n-agent');
    cookie.official = await t.signIn('n-official');
    cookie.admin = await t.signIn('n-admin');
  }, 60_000);
  afterAll(async () => {
    t.deps.messaging.email.close();
    await t.close();
    await sms.close();
    await smtp.close();
  });

  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: keyof typeof cookie, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookie[who] }, ...(payload ? { payload } : {}) });
  const drain = () => drainOutbox(t.deps, t.clock.now());
  const handOffOf = (id: string) => t.deps.db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventsOf = async (id: string) => (await t.deps.db.selectFrom('contact_events').select(['type', 'detail']).where('handoff_id', '=', id).orderBy('at').orderBy('id').execute()).map((e) => e.type);
  const delivery = async (caseId: string): Promise<DeliveryStatus> => (await inject('GET', `/api/cases/${caseId}/delivery`, 'agent')).json();

  /** A call from `number`, recorded as a hand-off with the citizen's reply preference (if any), acknowledged. */
  async function handedOff(number: string, pref?: ReplyPreferenceBody) {
    const call: CallConnected = (await inject('POST', '/api/calls/simulate', 'agent', { callerNumber: number })).json();
    const recorded = await inject('POST', '/api/cases', 'agent', { interactionId: call.interaction.id, categoryId: chain.detail.id, summary: '자동차세 연납 문의', outcome: 'handed_off' });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const result: RecordCaseResult = recorded.json();
    if (pref) expect((await inject('PUT', `/api/cases/${result.caseId}/reply-preference`, 'agent', pref)).statusCode).toBe(200);
    const handOffId = result.handOff!.id;
    expect((await inject('POST', `/api/handoffs/${handOffId}/acknowledge`, 'official')).statusCode).toBe(200);
    return { caseId: result.caseId, handOffId };
  }
  const answer = (handOffId: string, text = '1월 16일부터 31일까지 신청하시면 세액의 5%를 공제받습니다.') =>
    inject('POST', `/api/handoffs/${handOffId}/answer`, 'official', { answer: text });

  it('answer → SMS queued with it; the hand-off stays answered until the signed request reaches the gateway, then closes', async () => {
    const h = await handedOff('010-2222-3333', { channel: 'sms', consent: true });
    expect((await answer(h.handOffId)).statusCode).toBe(200);
    expect((await handOffOf(h.handOffId)).status).toBe('answered');
    expect((await delivery(h.caseId)).messages).toMatchObject([{ channel: 'sms', status: 'pending', attempts: 0 }]);

    expect(await drain()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const got = sms.received.at(-1)!;
    expect(got.signatureValid).toBe(true);
    expect(got.body).toMatchObject({ to: '01022223333', from: '1588-0120', kind: 'lms' });
    expect(got.body.text).toBe('[한빛시 민원콜센터] 11월 27일 문의하신 자동차세 연납 민원에 대한 세정과 답변입니다: 1월 16일부터 31일까지 신청하시면 세액의 5%를 공제받습니다.');
    expect(got.idempotencyKey).toBe(got.body.id);

    const closed = await handOffOf(h.handOffId);
    expect(closed).toMatchObject({ status: 'closed', told_channel: 'sms', told_at: t.clock.now().toISOString() });
    expect(await eventsOf(h.handOffId)).toEqual(['case_handed_off', 'handoff_acknowledged', 'handoff_answered', 'citizen_told', 'handoff_closed']);
    expect(await delivery(h.caseId)).toMatchObject({ toldChannel: 'sms', messages: [{ status: 'sent', attempts: 1 }], preference: { channel: 'sms', consent: true } });
  });

  it('a failure inside the answer rolls back both the answer and its message', async () => {
    const h = await handedOff('010-2222-4444', { channel: 'sms', consent: true });
    // A message already holding the hand-off's idempotency key makes the outbox insert fail inside the transaction.
    const at = t.clock.now().toISOString();
    await t.deps.db
      .insertInto('outbox_messages')
      .values({ id: newId(), kind: 'blocker', channel: 'sms', payload_sealed: t.deps.vault.seal('{}'), idempotency_key: `handoff_answer:${h.handOffId}`, status: 'sent', attempts: 1, max_attempts: 1, next_attempt_at: null, claimed_until: null, last_error: null, case_id: null, handoff_id: null, created_at: at, updated_at: at, sent_at: at })
      .execute();
    expect((await answer(h.handOffId)).statusCode).toBe(500);
    expect(await handOffOf(h.handOffId)).toMatchObject({ status: 'acknowledged', answer: null });
    expect(await eventsOf(h.handOffId)).toEqual(['case_handed_off', 'handoff_acknowledged']);
    expect((await delivery(h.caseId)).messages).toEqual([]);

    await t.deps.db.deleteFrom('outbox_messages').where('idempotency_key', '=', `handoff_answer:${h.handOffId}`).execute();
    expect((await answer(h.handOffId)).statusCode).toBe(200);
    expect((await delivery(h.caseId)).messages).toHaveLength(1);
    await drain();
  });

  it('e-mail goes to a real SMTP server in Korean, UTF-8', async () => {
    const h = await handedOff('010-3333-4444', { channel: 'email', consent: true, address: 'citizen@example.kr' });
    expect((await answer(h.handOffId, '연납 신청은 위택스에서도 됩니다.')).statusCode).toBe(200);
    expect(await drain()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual(['citizen@example.kr']);
    expect(mail.from).toBe('noreply@hanbit.example');
    const read = readMail(mail.raw);
    expect(read.contentType.toLowerCase()).toContain('charset=utf-8');
    expect(read.subject).toMatch(/^\[한빛시 민원콜센터\] 문의하신 민원\(\d{8}-\d{5}\)에 대한 답변입니다$/);
    expect(read.text).toContain('세정과에서 다음과 같이 답변드립니다.');
    expect(read.text).toContain('연납 신청은 위택스에서도 됩니다.');
    expect(await handOffOf(h.handOffId)).toMatchObject({ status: 'closed', told_channel: 'email' });
  });

  it('gateway 5xx, malformed answer and timeout are retried with backoff, shown to the admin, and the admin can retry', async () => {
    const h = await handedOff('010-4444-5555', { channel: 'sms', consent: true });
    await answer(h.handOffId);
    sms.modes.push('503', 'malformed');
    expect(await drain()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    let [m] = (await delivery(h.caseId)).messages as [OutboxMessage];
    expect(m).toMatchObject({ status: 'pending', attempts: 1, lastError: 'SMS 게이트웨이 오류 HTTP 503', nextAttemptAt: new Date(t.clock.now().getTime() + 30_000).toISOString() });
    expect(await drain()).toEqual({ sent: 0, retrying: 0, failed: 0 }); // not due yet

    const retrying = await inject('GET', '/api/admin/outbox?status=retrying', 'admin');
    expect(retrying.json().items.map((i: OutboxMessage) => i.id)).toContain(m.id);

    t.clock.advance(30_000);
    expect(await drain()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    [m] = (await delivery(h.caseId)).messages as [OutboxMessage];
    expect(m).toMatchObject({ attempts: 2, lastError: 'SMS 게이트웨이 응답 형식 오류', nextAttemptAt: new Date(t.clock.now().getTime() + 60_000).toISOString() });

    // A gateway that never answers: the adapter gives up after its timeout (short here) and the outbox tries later.
    const configured = t.deps.messaging.sms;
    t.deps.messaging.sms = new HttpSmsGateway({ url: sms.url, secret: SECRET, sender: '1588-0120', timeoutMs: 200 }, t.clock);
    sms.modes.push('hang');
    t.clock.advance(60_000);
    expect(await drain()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    [m] = (await delivery(h.caseId)).messages as [OutboxMessage];
    expect(m).toMatchObject({ attempts: 3, lastError: 'SMS 게이트웨이 응답 없음 (0.2초 초과)' });
    t.deps.messaging.sms = configured;
    expect((await handOffOf(h.handOffId)).status).toBe('answered');

    // The admin sends it again now instead of waiting two minutes.
    const retried = await inject('POST', `/api/admin/outbox/${m.id}/retry`, 'admin');
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: t.clock.now().toISOString() });
    expect(await drain()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await handOffOf(h.handOffId)).toMatchObject({ status: 'closed', told_channel: 'sms' });
    expect((await inject('POST', `/api/admin/outbox/${m.id}/retry`, 'admin')).statusCode).toBe(409);
  });

  it('after the last attempt the message fails for good and becomes a callback task; the agent calls back and it closes', async () => {
    const h = await handedOff('010-5555-6666', { channel: 'sms', consent: true });
    await answer(h.handOffId);
    sms.fallback = '503';
    try {
      for (let i = 0; i < 5; i++) {
        expect(await drain()).toEqual({ sent: 0, retrying: 1, failed: 0 });
        t.clock.advance(30_000 * 2 ** i);
      }
      expect(await drain()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    } finally {
      sms.fallback = 'ok';
    }
    const failed = (await inject('GET', '/api/admin/outbox?status=failed', 'admin')).json().items as OutboxMessage[];
    const m = failed.find((i) => i.caseId === h.caseId)!;
    expect(m).toMatchObject({ status: 'failed', attempts: 6, maxAttempts: 6, lastError: 'SMS 게이트웨이 오류 HTTP 503', nextAttemptAt: null });
    expect((await handOffOf(h.handOffId)).status).toBe('answered');

    const tasks: CallbackTask[] = (await inject('GET', '/api/callback-tasks', 'agent')).json().items;
    const task = tasks.find((x) => x.caseId === h.caseId)!;
    expect(task).toMatchObject({ reason: 'delivery_failed', status: 'open', phone: '010-****-6666', departmentName: '세정과' });
    expect(task.answer).toContain('세액의 5%');

    const done = await inject('POST', `/api/callback-tasks/${task.id}/done`, 'agent');
    expect(done.statusCode).toBe(200);
    expect(await handOffOf(h.handOffId)).toMatchObject({ status: 'closed', told_channel: 'callback' });
    expect((await inject('POST', `/api/callback-tasks/${task.id}/done`, 'agent')).statusCode).toBe(409);

    // A late retry of the failed message is delivered but tells nothing new: the hand-off stays closed by callback.
    expect((await inject('POST', `/api/admin/outbox/${m.id}/retry`, 'admin')).statusCode).toBe(200);
    expect(await drain()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await handOffOf(h.handOffId)).toMatchObject({ told_channel: 'callback' });
    expect((await eventsOf(h.handOffId)).filter((e) => e === 'handoff_closed')).toHaveLength(1);
  });

  it('a channel that is not configured fails visibly at once and becomes a callback task', async () => {
    const h = await handedOff('010-6666-7777', { channel: 'email', consent: true, address: 'someone@example.kr' });
    await answer(h.handOffId);
    const configured = t.deps.messaging.email;
    t.deps.messaging.email = notConfiguredEmail;
    try {
      expect(await drain()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    } finally {
      t.deps.messaging.email = configured;
    }
    const status = await delivery(h.caseId);
    expect(status.messages[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: '이메일 발송이 설정되지 않았습니다 (SMTP_URL, MAIL_FROM).' });
    expect(status.callbackTasks).toMatchObject([{ status: 'open', reason: 'delivery_failed' }]);
  });

  it('a refused mailbox (SMTP 550) is final; no retry', async () => {
    smtp.refuse.add('gone@example.kr');
    const h = await handedOff('010-6666-8888', { channel: 'email', consent: true, address: 'gone@example.kr' });
    await answer(h.handOffId);
    expect(await drain()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect((await delivery(h.caseId)).messages[0]).toMatchObject({ status: 'failed', lastError: 'SMTP 오류 550' });
  });

  it('a restart (a new app on the same database) resumes the pending messages', async () => {
    const h = await handedOff('010-7777-8888', { channel: 'sms', consent: true });
    await answer(h.handOffId);
    sms.modes.push('503');
    expect(await drain()).toEqual({ sent: 0, retrying: 1, failed: 0 });

    const deps2 = createAppDeps(t.deps.config, t.handle, t.clock, t.deps.vault);
    const app2 = await buildApp(deps2, { logger: false });
    await app2.ready();
    try {
      t.clock.advance(30_000);
      expect(await drainOutbox(deps2, t.clock.now())).toEqual({ sent: 1, retrying: 0, failed: 0 });
    } finally {
      deps2.messaging.email.close();
      await app2.close();
    }
    expect(await handOffOf(h.handOffId)).toMatchObject({ status: 'closed', told_channel: 'sms' });
  });

  it('callback chosen, no preference, and declined: a task, a task, closed at once as declined', async () => {
    const chosen = await handedOff('010-8888-1111', { channel: 'callback', consent: true, address: '031-123-4567' });
    const none = await handedOff('010-8888-2222');
    const declined = await handedOff('010-8888-3333', { channel: 'none', consent: false });
    const noConsent = await handedOff('010-8888-4444', { channel: 'sms', consent: false });
    for (const h of [chosen, none, declined, noConsent]) expect((await answer(h.handOffId)).statusCode).toBe(200);

    const tasks: CallbackTask[] = (await inject('GET', '/api/callback-tasks', 'agent')).json().items;
    expect(tasks.find((x) => x.caseId === chosen.caseId)).toMatchObject({ reason: 'chosen', phone: '031-***-4567' });
    expect(tasks.find((x) => x.caseId === none.caseId)).toMatchObject({ reason: 'no_preference', phone: '010-****-2222' });
    expect((await handOffOf(chosen.handOffId)).status).toBe('answered');

    for (const h of [declined, noConsent]) {
      expect(await handOffOf(h.handOffId)).toMatchObject({ status: 'closed', told_channel: 'declined' });
      expect(await eventsOf(h.handOffId)).toEqual(['case_handed_off', 'handoff_acknowledged', 'handoff_answered', 'handoff_closed']);
      expect((await delivery(h.caseId)).messages).toEqual([]);
    }
  });

  it('the reply preference is validated, masked in the answer, and frozen once the answer is given', async () => {
    const h = await handedOff('010-9999-1111');
    const put = (body: object) => inject('PUT', `/api/cases/${h.caseId}/reply-preference`, 'agent', body);
    expect((await put({ channel: 'email', consent: true })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await put({ channel: 'email', consent: true, address: 'not-an-address' })).statusCode).toBe(400);
    expect((await put({ channel: 'sms', consent: true, address: '12' })).statusCode).toBe(400);
    expect((await put({ channel: 'fax', consent: true })).statusCode).toBe(400);
    expect((await inject('PUT', `/api/cases/${newId()}/reply-preference`, 'agent', { channel: 'sms', consent: true })).statusCode).toBe(404);

    const ok = await put({ channel: 'sms', consent: true });
    expect(ok.json()).toMatchObject({ channel: 'sms', consent: true, address: '010-****-1111' });
    const stored = await t.deps.db.selectFrom('reply_preferences').select('address_sealed').where('case_id', '=', h.caseId).executeTakeFirstOrThrow();
    expect(stored.address_sealed).not.toContain('1111');
    expect(t.deps.vault.open(stored.address_sealed!)).toBe('+821099991111');
    expect((await put({ channel: 'email', consent: true, address: 'me@example.kr' })).json().address).not.toContain('me@example.kr');

    await answer(h.handOffId);
    expect((await put({ channel: 'sms', consent: true })).statusCode).toBe(409);
    await drain();
  });

  it('the admin edits the Korean templates; unknown placeholders are refused; the next message uses the edit', async () => {
    const list = (await inject('GET', '/api/admin/notification-templates', 'admin')).json().items;
    expect(list.map((x: { key: string; isDefault: boolean }) => [x.key, x.isDefault])).toEqual([
      ['handoff_answer.sms', true],
      ['handoff_answer.email', true],
      ['handoff_extended.sms', true],
      ['handoff_extended.email', true],
    ]);
    const bad = await inject('PUT', '/api/admin/notification-templates/handoff_answer.sms', 'admin', { body: '{답변} {담당자}' });
    expect(bad.statusCode).toBe(400);
    expect((await inject('PUT', '/api/admin/notification-templates/handoff_answer.email', 'admin', { body: '{답변}' })).statusCode).toBe(400);
    const saved = await inject('PUT', '/api/admin/notification-templates/handoff_answer.sms', 'admin', { body: '[한빛시] {부서} 답변: {답변}' });
    expect(saved.json()).toMatchObject({ isDefault: false, body: '[한빛시] {부서} 답변: {답변}' });

    const h = await handedOff('010-1212-3434', { channel: 'sms', consent: true });
    await answer(h.handOffId, '됩니다.');
    await drain();
    expect(sms.received.at(-1)!.body).toMatchObject({ text: '[한빛시] 세정과 답변: 됩니다.', kind: 'sms' });
  });

  it('파기: a year on, finished messages and reply addresses are erased; a waiting message keeps its own', async () => {
    const waiting = await handedOff('010-5656-7878', { channel: 'sms', consent: true });
    await answer(waiting.handOffId);
    sms.modes.push('503');
    await drain();
    t.clock.advance(366 * 86_400_000);
    const erased = await eraseReplyContactsBefore(t.deps.db, new Date(t.clock.now().getTime() - 365 * 86_400_000).toISOString(), false);
    expect(erased).toBeGreaterThan(5);
    const left = await t.deps.db.selectFrom('outbox_messages').select(['case_id', 'status', 'payload_sealed']).execute();
    for (const m of left) expect(m.payload_sealed === '', `${m.status} ${m.case_id}`).toBe(m.status !== 'pending');
    const prefs = await t.deps.db.selectFrom('reply_preferences').select(['case_id', 'address_sealed']).execute();
    for (const p of prefs) expect(p.address_sealed === null).toBe(p.case_id !== waiting.caseId);
    // The waiting message still goes out.
    expect(await drain()).toEqual({ sent: 1, retrying: 0, failed: 0 });
  });
});
