import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { RecordCaseResult } from '../../../core/contracts/cases';
import type { HandOffItem, HandOffNoticeList, OverdueByDepartment } from '../../../core/contracts/handoffs';
import type { ReplyPreferenceBody } from '../../../core/contracts/notifications';
import { HandOffReminderScheduler, type ReminderNotifier } from '../../jobs/handoff-reminder-scheduler';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { readMail, startSmtpSink } from '../../test/message-sinks';
import { createTestContext, type TestContext } from '../../test/test-app';
import { drainOutbox } from '../notifications/outbox-worker';
import { scanHandOffReminders } from './handoff-reminders.service';

/**
 * The hand-off lifecycle, complete (issue #11 §3, §5; issue #18 item 9), through the API on the run's database. The
 * fake clock starts on Friday 2026-11-27 10:00 KST; a 질의민원 (7 working days) received then is due Monday 12-07
 * 18:00 KST, and one extension may go up to Wednesday 12-16 18:00 KST (7 working days more).
 */
describe('hand-off lifecycle: 반려 → 재지정, 연장, 위임, reminders, overdue (issue #11 §3)', () => {
  let t: TestContext;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let chain: Awaited<ReturnType<typeof buildCategoryChain>>;
  const dept = { tax: '', traffic: '' };
  const user = { taxHead: '', taxClerk: '', trafficHead: '', trafficClerk: '' };
  const cookie = { agent: '', taxHead: '', taxClerk: '', trafficHead: '', trafficClerk: '', supervisor: '' };
  const told: { user: string[]; department: string[] } = { user: [], department: [] };
  const notifier: ReminderNotifier = { sendToUser: (u) => told.user.push(u), notifyDepartmentInbox: (d) => told.department.push(d) };
  let scheduler: HandOffReminderScheduler;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '1440', SMTP_URL: smtp.url, MAIL_FROM: '한빛시 민원콜센터 <noreply@hanbit.example>' });
    dept.tax = (await buildDepartment(t.deps.db, { name: '세정과' })).id;
    dept.traffic = (await buildDepartment(t.deps.db, { name: '교통행정과' })).id;
    chain = await buildCategoryChain(t.deps.db, dept.tax, 'inquiry');
    user.taxHead = (await buildUser(t.deps.db, { role: 'official', login: 'l-tax-head', name: '이팀장', departmentId: dept.tax })).id;
    user.taxClerk = (await buildUser(t.deps.db, { role: 'official', login: 'l-tax-clerk', name: '김주무', departmentId: dept.tax })).id;
    user.trafficHead = (await buildUser(t.deps.db, { role: 'official', login: 'l-traffic-head', name: '강팀장', departmentId: dept.traffic })).id;
    user.trafficClerk = (await buildUser(t.deps.db, { role: 'official', login: 'l-traffic-clerk', name: '윤주무', departmentId: dept.traffic })).id;
    await t.deps.db.updateTable('users').set({ is_department_head: 1 }).where('id', 'in', [user.taxHead, user.trafficHead]).execute();
    await buildUser(t.deps.db, { role: 'agent', login: 'l-agent' });
    await buildUser(t.deps.db, { role: 'supervisor', login: 'l-supervisor' });
    await signInAll();
    scheduler = new HandOffReminderScheduler(t.deps, notifier);
  }, 60_000);
  afterAll(async () => {
    t.deps.messaging.email.close();
    await t.close();
    await smtp.close();
  });

  /** Sessions end after days of fake time: everyone signs in again at the clock's time. */
  async function signInAll() {
    for (const who of Object.keys(cookie) as (keyof typeof cookie)[]) {
      cookie[who] = await t.signIn(who === 'agent' || who === 'supervisor' ? `l-${who}` : `l-${who.replace(/[A-Z]/, (c) => `-${c.toLowerCase()}`)}`);
    }
  }
  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: keyof typeof cookie, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookie[who] }, ...(payload ? { payload } : {}) });
  const row = (id: string) => t.deps.db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventsOf = async (id: string) =>
    (await t.deps.db.selectFrom('contact_events').select(['type', 'detail']).where('handoff_id', '=', id).orderBy('at').orderBy('id').execute()).map((e) =>
      e.detail && ['handoff_returned', 'handoff_rerouted', 'handoff_extended', 'handoff_delegated', 'handoff_reminded'].includes(e.type) ? `${e.type}:${e.detail}` : e.type,
    );
  const codeOf = (res: { json: () => unknown }) => (res.json() as { error: { code: string } }).error.code;

  /** A call handed off to 세정과 at the clock's time, optionally with the citizen's reply preference. */
  async function handedOff(number: string, pref?: ReplyPreferenceBody): Promise<{ caseId: string; handOffId: string }> {
    const call: CallConnected = (await inject('POST', '/api/calls/simulate', 'agent', { callerNumber: number })).json();
    const recorded = await inject('POST', '/api/cases', 'agent', { interactionId: call.interaction.id, categoryId: chain.detail.id, summary: '주차 과태료 문의', outcome: 'handed_off' });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const result: RecordCaseResult = recorded.json();
    if (pref) expect((await inject('PUT', `/api/cases/${result.caseId}/reply-preference`, 'agent', pref)).statusCode).toBe(200);
    return { caseId: result.caseId, handOffId: result.handOff!.id };
  }

  it('반려 needs a reason, stays in its department, goes to the re-routing queue once; 재지정 keeps the legal clock', async () => {
    const h = await handedOff('010-5100-0001');
    const before = await row(h.handOffId);
    expect(before.due_at).toBe('2026-12-07T09:00:00.000Z');

    // Bad input: empty reason (nothing written), another department's official (its existence is not his business).
    expect((await inject('POST', `/api/handoffs/${h.handOffId}/return`, 'taxClerk', { reason: '   ' })).statusCode).toBe(400);
    for (const reason of ['소관\u0000아님', '소관 \ud800아님', 'x'.repeat(501)]) {
      const bad = await inject('POST', `/api/handoffs/${h.handOffId}/return`, 'taxClerk', { reason });
      expect([bad.statusCode, codeOf(bad)]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const unknown = await inject('POST', `/api/handoffs/${h.handOffId}/delegate`, 'taxClerk', { officialId: '0190f5a2-8c1e-7b6a-9d3e-123456789abc' });
    expect([unknown.statusCode, codeOf(unknown)]).toEqual([422, 'HANDOFF_TARGET_INVALID']);
    expect(await eventsOf(h.handOffId)).toEqual(['case_handed_off']);
    const foreign = await inject('POST', `/api/handoffs/${h.handOffId}/return`, 'trafficClerk', { reason: '우리 과 아님' });
    expect([foreign.statusCode, codeOf(foreign)]).toEqual([404, 'NOT_FOUND']);

    const returned = await inject('POST', `/api/handoffs/${h.handOffId}/return`, 'taxClerk', { reason: '주차 과태료는 교통행정과 소관입니다' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', returnReason: '주차 과태료는 교통행정과 소관입니다', returnedFromDepartmentName: '세정과' });
    const twice = await inject('POST', `/api/handoffs/${h.handOffId}/return`, 'taxClerk', { reason: '다시' });
    expect([twice.statusCode, codeOf(twice)]).toEqual([409, 'INVALID_TRANSITION']);

    // The supervisors' queue (재지정 대기) is the returned list.
    const queue: HandOffItem[] = (await inject('GET', '/api/handoffs?status=returned', 'supervisor')).json().items;
    expect(queue.map((i) => i.id)).toContain(h.handOffId);
    // 세정과's open inbox no longer has it.
    expect(((await inject('GET', '/api/handoffs', 'taxClerk')).json().items as HandOffItem[]).map((i) => i.id)).not.toContain(h.handOffId);

    // 재지정: officials cannot; unknown department, the same department, another department's official: 422.
    expect((await inject('POST', `/api/handoffs/${h.handOffId}/reroute`, 'taxHead', { departmentId: dept.traffic })).statusCode).toBe(403);
    for (const body of [
      { departmentId: '0190f5a2-8c1e-7b6a-9d3e-123456789abc' },
      { departmentId: dept.tax },
      { departmentId: dept.traffic, officialId: user.taxClerk },
    ]) {
      const bad = await inject('POST', `/api/handoffs/${h.handOffId}/reroute`, 'supervisor', body);
      expect([bad.statusCode, codeOf(bad)], JSON.stringify(body)).toEqual([422, 'HANDOFF_TARGET_INVALID']);
    }
    expect((await row(h.handOffId)).status).toBe('returned');

    const rerouted = await inject('POST', `/api/handoffs/${h.handOffId}/reroute`, 'supervisor', { departmentId: dept.traffic, officialId: user.trafficClerk, note: '과태료 담당' });
    expect(rerouted.statusCode, rerouted.body).toBe(200);
    const after = await row(h.handOffId);
    expect(after).toMatchObject({ status: 'pending', department_id: dept.traffic, assignee_id: user.trafficClerk, received_at: before.received_at, due_at: before.due_at });
    expect(rerouted.json()).toMatchObject({ departmentName: '교통행정과', assigneeName: '윤주무', returnedFromDepartmentName: '세정과' });
    // The new department's official sees it; the old department's does not any more.
    expect(((await inject('GET', '/api/handoffs', 'trafficClerk')).json().items as HandOffItem[]).map((i) => i.id)).toContain(h.handOffId);
    expect((await inject('GET', `/api/handoffs/${h.handOffId}`, 'taxClerk')).statusCode).toBe(404);
    expect((await inject('POST', `/api/handoffs/${h.handOffId}/reroute`, 'supervisor', { departmentId: dept.tax })).statusCode).toBe(409);
    expect(await eventsOf(h.handOffId)).toEqual(['case_handed_off', 'handoff_returned:주차 과태료는 교통행정과 소관입니다', 'handoff_rerouted:과태료 담당']);
  });

  it('연장 once, within the original period, the citizen told by e-mail; a second is refused', async () => {
    const h = await handedOff('010-5100-0002', { channel: 'email', consent: true, address: 'citizen@example.kr' });
    await inject('POST', `/api/handoffs/${h.handOffId}/acknowledge`, 'taxClerk');
    const item: HandOffItem = (await inject('GET', `/api/handoffs/${h.handOffId}`, 'taxClerk')).json();
    expect(item.latestExtendedDueAt).toBe('2026-12-16T09:00:00.000Z');

    const cases = [
      [{ newDueAt: '2026-12-17T18:00:00+09:00', reason: '현장 확인 필요' }, 422, 'HANDOFF_EXTENSION_INVALID'], // beyond the limit
      [{ newDueAt: '2026-12-12T18:00:00+09:00', reason: '현장 확인 필요' }, 422, 'HANDOFF_EXTENSION_INVALID'], // a Saturday
      [{ newDueAt: '2026-12-07T17:00:00+09:00', reason: '현장 확인 필요' }, 422, 'HANDOFF_EXTENSION_INVALID'], // earlier
      [{ newDueAt: '2026-12-10T18:00:00+09:00', reason: '' }, 400, 'VALIDATION_FAILED'],
      [{ newDueAt: '12월 10일', reason: '현장 확인 필요' }, 400, 'VALIDATION_FAILED'],
    ] as const;
    for (const [body, status, code] of cases) {
      const res = await inject('POST', `/api/handoffs/${h.handOffId}/extend`, 'taxClerk', body);
      expect([res.statusCode, codeOf(res)], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await inject('POST', `/api/handoffs/${h.handOffId}/extend`, 'supervisor', { newDueAt: '2026-12-10T18:00:00+09:00', reason: '현장 확인' })).statusCode).toBe(403);
    expect((await row(h.handOffId)).extended_at).toBeNull();

    const ok = await inject('POST', `/api/handoffs/${h.handOffId}/extend`, 'taxClerk', { newDueAt: '2026-12-16T18:00:00+09:00', reason: '현장 확인이 필요합니다' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ dueAt: '2026-12-16T09:00:00.000Z', originalDueAt: '2026-12-07T09:00:00.000Z', extensionReason: '현장 확인이 필요합니다', latestExtendedDueAt: null });
    const second = await inject('POST', `/api/handoffs/${h.handOffId}/extend`, 'taxClerk', { newDueAt: '2026-12-16T18:00:00+09:00', reason: '또' });
    expect([second.statusCode, codeOf(second)]).toEqual([409, 'HANDOFF_EXTENSION_USED']);

    expect(await drainOutbox(t.deps, t.clock.now())).toEqual({ sent: 1, retrying: 0, failed: 0 });
    const mail = readMail(smtp.received.at(-1)!.raw);
    expect(mail.subject).toMatch(/처리기한 연장 안내$/);
    expect(mail.text).toContain('세정과에서 12월 16일(수) 18시까지로 연장하였습니다.');
    expect(mail.text).toContain('연장 사유: 현장 확인이 필요합니다');
    expect((await row(h.handOffId)).status).toBe('acknowledged'); // telling the new date does not close it
    expect(await eventsOf(h.handOffId)).toEqual(['case_handed_off', 'handoff_acknowledged', 'handoff_extended:현장 확인이 필요합니다']);
  });

  it('위임 within the department only; supervisors may not answer (403); the official answers', async () => {
    const h = await handedOff('010-5100-0003');
    await inject('POST', `/api/handoffs/${h.handOffId}/acknowledge`, 'taxHead');
    const officials = (await inject('GET', '/api/handoffs/officials', 'taxHead')).json().items as { id: string; isDepartmentHead: boolean }[];
    expect(officials.map((o) => o.id)).toEqual([user.taxHead, user.taxClerk]);
    expect((await inject('GET', `/api/handoffs/officials?departmentId=${dept.traffic}`, 'taxHead')).statusCode).toBe(403);

    const other = await inject('POST', `/api/handoffs/${h.handOffId}/delegate`, 'taxHead', { officialId: user.trafficClerk });
    expect([other.statusCode, codeOf(other)]).toEqual([422, 'HANDOFF_TARGET_INVALID']);
    const ok = await inject('POST', `/api/handoffs/${h.handOffId}/delegate`, 'taxHead', { officialId: user.taxClerk, note: '담당자 지정' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ assigneeId: user.taxClerk, assigneeName: '김주무' });

    const bySupervisor = await inject('POST', `/api/handoffs/${h.handOffId}/answer`, 'supervisor', { answer: '처리했습니다.' });
    expect([bySupervisor.statusCode, codeOf(bySupervisor)]).toEqual([403, 'HANDOFF_ANSWER_FORBIDDEN']);
    expect((await row(h.handOffId)).answer).toBeNull();
    expect((await inject('POST', `/api/handoffs/${h.handOffId}/answer`, 'taxClerk', { answer: '과태료는 고지서대로 납부하시면 됩니다.' })).statusCode).toBe(200);
    const late = await inject('POST', `/api/handoffs/${h.handOffId}/delegate`, 'taxClerk', { officialId: user.taxHead });
    expect([late.statusCode, codeOf(late)]).toEqual([409, 'INVALID_TRANSITION']);
    expect(await eventsOf(h.handOffId)).toEqual(['case_handed_off', 'handoff_acknowledged', 'handoff_delegated:담당자 지정', 'handoff_answered']);
  });

  it('concurrent double actions: one return and one extension win, the other gets 409', async () => {
    const h = await handedOff('010-5100-0004');
    const returns = await Promise.all([
      inject('POST', `/api/handoffs/${h.handOffId}/return`, 'taxClerk', { reason: '소관 아님' }),
      inject('POST', `/api/handoffs/${h.handOffId}/return`, 'taxHead', { reason: '소관 아님' }),
    ]);
    expect(returns.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await eventsOf(h.handOffId)).filter((e) => e.startsWith('handoff_returned'))).toHaveLength(1);

    const g = await handedOff('010-5100-0005');
    const extends_ = await Promise.all(
      [user.taxClerk, user.taxHead].map((_, i) =>
        inject('POST', `/api/handoffs/${g.handOffId}/extend`, i === 0 ? 'taxClerk' : 'taxHead', { newDueAt: `2026-12-1${i}T18:00:00+09:00`, reason: '자료 요청' }),
      ),
    );
    expect(extends_.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await eventsOf(g.handOffId)).filter((e) => e.startsWith('handoff_extended'))).toHaveLength(1);
  });

  it('reminders at half time and D-1 to the assignee, overdue once with escalation to the head, each recorded once', async () => {
    t.clock.set(new Date('2026-11-27T01:00:00.000Z'));
    await signInAll();
    await t.deps.db.updateTable('handoffs').set({ status: 'closed' }).where('status', 'in', ['pending', 'acknowledged', 'in_progress']).execute();
    const h = await handedOff('010-5100-0006');
    await inject('POST', `/api/handoffs/${h.handOffId}/acknowledge`, 'taxClerk');
    const scan = async (kst: string) => {
      t.clock.set(new Date(`${kst}+09:00`));
      told.user.length = 0;
      told.department.length = 0;
      return (await scheduler.tick())!.sent.map((s) => s.kind);
    };
    expect(await scan('2026-12-02T14:29')).toEqual([]);
    expect(await scan('2026-12-02T14:30')).toEqual(['half']);
    expect(told.user).toEqual([user.taxClerk]);
    expect(await scan('2026-12-02T14:31')).toEqual([]);
    expect(await scan('2026-12-04T09:00')).toEqual(['d1']);
    expect(await scan('2026-12-07T18:00')).toEqual([]); // due now, not past it
    expect(await scan('2026-12-07T18:01')).toEqual(['overdue', 'escalated']);
    expect(told.user.sort()).toEqual([user.taxClerk, user.taxHead].sort());
    expect(await scan('2026-12-08T09:00')).toEqual([]);
    await signInAll();

    const clerkRes = await inject('GET', '/api/handoffs/notices', 'taxClerk');
    expect(clerkRes.statusCode, clerkRes.body).toBe(200);
    const clerk: HandOffNoticeList = clerkRes.json();
    expect(clerk.unread).toBe(3);
    expect(clerk.items.map((n) => n.kind)).toEqual(['overdue', 'd1', 'half']);
    const head: HandOffNoticeList = (await inject('GET', '/api/handoffs/notices', 'taxHead')).json();
    expect(head.items.map((n) => [n.kind, n.handOffId])).toEqual([['escalated', h.handOffId]]);
    // Another department's official sees none of them, and cannot mark them read.
    expect(((await inject('GET', '/api/handoffs/notices', 'trafficClerk')).json() as HandOffNoticeList).items).toEqual([]);
    await inject('POST', '/api/handoffs/notices/read', 'trafficClerk', { ids: clerk.items.map((n) => n.id) });
    expect(((await inject('GET', '/api/handoffs/notices', 'taxClerk')).json() as HandOffNoticeList).unread).toBe(3);
    expect(((await inject('POST', '/api/handoffs/notices/read', 'taxClerk', { ids: clerk.items.map((n) => n.id) })).json() as HandOffNoticeList).unread).toBe(0);

    expect(await eventsOf(h.handOffId)).toEqual(['case_handed_off', 'handoff_acknowledged', 'handoff_reminded:처리기간 절반 경과', 'handoff_reminded:처리기한 하루 전', 'handoff_overdue', 'handoff_escalated']);

    // 기한 경과 by department for supervisors, with the head who was told.
    const overdue: OverdueByDepartment = (await inject('GET', '/api/handoffs/overdue', 'supervisor')).json();
    expect(overdue.total).toBe(1);
    expect(overdue.departments).toMatchObject([{ departmentName: '세정과', headName: '이팀장', overdue: 1, items: [{ id: h.handOffId, isOverdue: true }] }]);
    expect((await inject('GET', '/api/handoffs/overdue', 'taxHead')).statusCode).toBe(403);
  });

  it('an unassigned hand-off reminds its whole department', async () => {
    t.clock.set(new Date('2026-11-27T01:00:00.000Z'));
    await signInAll();
    await t.deps.db.updateTable('handoffs').set({ status: 'closed' }).where('status', 'in', ['pending', 'acknowledged', 'in_progress']).execute();
    const g = await handedOff('010-5100-0007');
    t.clock.set(new Date('2026-12-02T14:30:00+09:00'));
    // Two nodes scanning at once record it once (the unique key of handoff_notices).
    const both = await Promise.all([scanHandOffReminders(t.deps), scanHandOffReminders(t.deps)]);
    expect(both.flatMap((r) => r.sent.map((s) => s.kind))).toEqual(['half']);
    expect((await eventsOf(g.handOffId)).filter((e) => e.startsWith('handoff_reminded'))).toHaveLength(1);
    expect(both.flatMap((r) => r.departments)).toEqual([dept.tax]);
    await signInAll();
    const head: HandOffNoticeList = (await inject('GET', '/api/handoffs/notices', 'taxHead')).json();
    expect(head.items.filter((n) => n.handOffId === g.handOffId)).toMatchObject([{ kind: 'half', readAt: null }]);
  });
});
