import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RealtimeServerMessage } from '../../../core/contracts/acd';
import type { TransferAttempt } from '../../../core/contracts/transfers';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * Warm transfer (3자통화, issue #11 §2) end to end on a real database (both dialects): the agent's call through the
 * ACD and its simulator phone system, the official's card on the socket, accept → talk → connect, and every other
 * end falling back by itself to a hand-off with the same notes and the legal deadline. Fake clock: Friday
 * 2026-11-27 10:00 KST.
 */

type Setup = {
  t: TestContext;
  agentId: string;
  agentCookie: string;
  officialId: string;
  officialCookie: string;
  otherOfficialCookie: string;
  colleagueId: string;
  taskId: string;
  departmentId: string;
  sent: Array<{ userId: string; message: RealtimeServerMessage }>;
};

async function setup(): Promise<Setup> {
  const t = await createTestContext();
  const dept = await buildDepartment(t.deps.db);
  const otherDept = await buildDepartment(t.deps.db);
  const chain = await buildCategoryChain(t.deps.db, dept.id, 'inquiry', ['상하수도', '누수', '옥내 누수']);
  await buildUser(t.deps.db, { role: 'admin', login: 'tr-admin' });
  const adminCookie = await t.signIn('tr-admin');
  const queue = await t.app.inject({
    method: 'POST',
    url: '/api/acd/queues',
    headers: { cookie: adminCookie },
    payload: { code: 'WATER', name: 'WATER', skill: chain.field.id, routes: [{ dialledNumber: '120', ivrChoice: '1' }] },
  });
  expect(queue.statusCode, queue.body).toBe(201);

  const agent = await buildUser(t.deps.db, { role: 'agent', login: 'tr-agent', name: '김상담' });
  await t.app.inject({ method: 'PUT', url: `/api/acd/agents/${agent.id}/skills`, headers: { cookie: adminCookie }, payload: { skills: [{ skill: chain.field.id, level: 1 }] } });
  const official = await buildUser(t.deps.db, { role: 'official', login: 'tr-official', name: '홍기수', departmentId: dept.id });
  await t.deps.db.updateTable('users').set({ extension: '2501' }).where('id', '=', official.id).execute();
  await t.deps.db.insertInto('duties').values({ user_id: official.id, category_id: chain.task.id }).execute();
  const colleague = await buildUser(t.deps.db, { role: 'official', login: 'tr-colleague', departmentId: dept.id });
  await buildUser(t.deps.db, { role: 'official', login: 'tr-other', departmentId: otherDept.id });

  const sent: Setup['sent'] = [];
  const hub = t.app.realtime;
  const original = hub.sendToUser.bind(hub);
  vi.spyOn(hub, 'sendToUser').mockImplementation((userId, message) => {
    sent.push({ userId, message });
    original(userId, message);
  });

  return {
    t,
    agentId: agent.id,
    agentCookie: await t.signIn('tr-agent'),
    officialId: official.id,
    officialCookie: await t.signIn('tr-official'),
    otherOfficialCookie: await t.signIn('tr-other'),
    colleagueId: colleague.id,
    taskId: chain.task.id,
    departmentId: dept.id,
    sent,
  };
}

/** A call from 010-7777-1234 answered by the agent; returns its contact id. */
async function callInProgress(s: Setup): Promise<{ contactId: string; callId: string }> {
  await s.t.app.acd.setAgentState(s.agentId, { status: 'available' });
  const { callId, result } = await s.t.app.acd.simulator.placeCall({ callerNumber: '010-7777-1234', ivrChoice: '1' });
  const contactId = result.decision!.contactId!;
  await s.t.app.acd.answer(s.agentId, contactId);
  return { contactId, callId };
}

function ask(s: Setup, contactId: string, over: Record<string, unknown> = {}) {
  return s.t.app.inject({
    method: 'POST',
    url: '/api/transfers',
    headers: { cookie: s.agentCookie },
    payload: { contactId, officialId: s.officialId, categoryId: s.taskId, summary: '아파트 천장 누수, 윗집 확인 필요', notes: '어제부터 물이 샘. 연락처 010-7777-1234', ...over },
  });
}

const act = (s: Setup, cookie: string, id: string, action: string, payload?: unknown) =>
  s.t.app.inject({ method: 'POST', url: `/api/transfers/${id}/${action}`, headers: { cookie }, ...(payload ? { payload } : {}) });

async function eventTypes(s: Setup, interactionId: string): Promise<string[]> {
  const rows = await s.t.deps.db
    .selectFrom('contact_events')
    .select('type')
    .where((eb) => eb.or([eb('interaction_id', '=', interactionId), eb('case_id', 'in', eb.selectFrom('cases').select('id').where('interaction_id', '=', interactionId))]))
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.type).filter((t) => t.startsWith('transfer_') || t.startsWith('case_') || t === 'call_dispositioned');
}

describe('warm transfer to the official (3자통화)', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });
  afterEach(async () => s.t.close());

  it('shows the official the card first, lets them talk with the agent, then hands the caller over', async () => {
    const { contactId, callId } = await callInProgress(s);
    const res = await ask(s, contactId);
    expect(res.statusCode, res.body).toBe(200);
    const attempt = res.json() as TransferAttempt;
    expect(attempt).toMatchObject({ status: 'ringing', official: { name: '홍기수', extension: '2501' }, allowedActions: ['cancel'] });
    // Personal data typed in the notes is masked before it is stored and shown.
    expect(attempt.notes).not.toContain('7777-1234');

    // The caller waits on hold while the phone system rings the official's extension (consultative leg).
    expect(s.t.app.acd.deskState(s.agentId).status).toBe('consulting');
    expect(s.t.app.acd.simulator.commands.slice(-2)).toMatchObject([
      { type: 'announce', callId, announcement: { kind: 'transfer_hold', text: '담당자에게 연결하고 있습니다. 잠시만 기다려 주십시오.' } },
      { type: 'transfer', callId, mode: 'consultative', target: '2501' },
    ]);

    // The official's screen gets the card before the phones connect: notes, task and the caller's history, masked.
    const card = s.sent.find((m) => m.userId === s.officialId && m.message.type === 'transfer.incoming');
    expect(card?.message).toMatchObject({ type: 'transfer.incoming', card: { attempt: { id: attempt.id, categoryPath: '상하수도 > 누수', allowedActions: ['accept', 'decline'] } } });
    const incoming = await s.t.app.inject({ method: 'GET', url: '/api/transfers/incoming', headers: { cookie: s.officialCookie } });
    expect(incoming.json().items).toHaveLength(1);
    expect(incoming.json().items[0].callerCard.phone).toContain('*');

    const accepted = await act(s, s.officialCookie, attempt.id, 'accept');
    expect(accepted.json()).toMatchObject({ status: 'consulting' });
    // A second accept changes nothing.
    expect((await act(s, s.officialCookie, attempt.id, 'accept')).json()).toMatchObject({ status: 'consulting' });
    expect(s.sent.some((m) => m.userId === s.agentId && m.message.type === 'transfer.update' && m.message.attempt.status === 'consulting')).toBe(true);

    const connected = await act(s, s.agentCookie, attempt.id, 'connect', { mode: 'transfer' });
    expect(connected.statusCode, connected.body).toBe(200);
    expect(connected.json()).toMatchObject({ status: 'connected', fallback: null });
    expect(s.t.app.acd.simulator.commands.at(-1)).toMatchObject({ type: 'complete_transfer', callId });
    expect(s.t.app.acd.deskState(s.agentId).status).toBe('after_call_work');
    expect(await eventTypes(s, contactId)).toEqual(['transfer_attempted', 'transfer_accepted', 'transfer_ended']);
    // No hand-off: the official has the caller.
    expect(await s.t.deps.db.selectFrom('handoffs').select('id').execute()).toHaveLength(0);
  });

  it('falls back to a hand-off to the official when nobody answers, and gives the agent the sentence for the caller', async () => {
    const notified: string[] = [];
    vi.spyOn(s.t.app.realtime, 'notifyDepartmentInbox').mockImplementation((departmentId) => void notified.push(departmentId));
    const { contactId } = await callInProgress(s);
    const attempt = (await ask(s, contactId)).json() as TransferAttempt;
    s.t.clock.advance(29_000);
    expect(await s.t.app.transfers.tick()).toBe(0);
    s.t.clock.advance(2_000);
    expect(await s.t.app.transfers.tick()).toBe(1);

    const after = (await s.t.app.inject({ method: 'GET', url: `/api/transfers/${attempt.id}`, headers: { cookie: s.agentCookie } })).json() as TransferAttempt;
    expect(after.status).toBe('no_answer');
    expect(after.fallback?.sentence).toMatch(/^담당 부서\(.+\)에서 \d+월 \d+일\([월화수목금토일]\)까지 회신드립니다\.$/);
    // The caller is back with the agent, who tells them.
    expect(s.t.app.acd.deskState(s.agentId).status).toBe('on_call');

    const handOff = await s.t.deps.db.selectFrom('handoffs').selectAll().where('id', '=', after.fallback!.handOffId).executeTakeFirstOrThrow();
    // The department's inbox hears of it at once.
    expect(notified).toContain(s.departmentId);
    expect(handOff).toMatchObject({ department_id: s.departmentId, assignee_id: s.officialId, status: 'pending' });
    const kase = await s.t.deps.db.selectFrom('cases').selectAll().where('id', '=', after.fallback!.caseId).executeTakeFirstOrThrow();
    expect(kase).toMatchObject({ outcome: 'handed_off', summary: '아파트 천장 누수, 윗집 확인 필요' });
    expect(kase.notes).toContain('홍기수');
    expect(await eventTypes(s, contactId)).toEqual(['transfer_attempted', 'transfer_ended', 'case_opened', 'call_dispositioned', 'case_handed_off']);
  });

  it('turns a decline (with its reason) into a hand-off; a second decline and a late accept change nothing', async () => {
    const { contactId } = await callInProgress(s);
    const attempt = (await ask(s, contactId)).json() as TransferAttempt;
    expect((await act(s, s.officialCookie, attempt.id, 'decline', {})).statusCode).toBe(400);
    const declined = await act(s, s.officialCookie, attempt.id, 'decline', { reason: '현장 출동 중' });
    expect(declined.json()).toMatchObject({ status: 'declined', declineReason: '현장 출동 중', fallback: { handOffId: expect.any(String) } });
    expect((await act(s, s.officialCookie, attempt.id, 'decline', { reason: '다시' })).json()).toMatchObject({ status: 'declined', declineReason: '현장 출동 중' });
    expect((await act(s, s.officialCookie, attempt.id, 'accept')).json()).toMatchObject({ status: 'declined' });
    expect(await s.t.deps.db.selectFrom('handoffs').select('id').execute()).toHaveLength(1);
    // The agent can no longer connect it.
    expect((await act(s, s.agentCookie, attempt.id, 'connect', { mode: 'transfer' })).json().error.code).toBe('INVALID_TRANSITION');
  });

  it('a late accept after the ring timed out, and a decline or accept after the caller was handed over, change nothing', async () => {
    const first = await callInProgress(s);
    const a = (await ask(s, first.contactId)).json() as TransferAttempt;
    s.t.clock.advance(31_000);
    expect(await s.t.app.transfers.tick()).toBe(1);
    const late = await act(s, s.officialCookie, a.id, 'accept');
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json()).toMatchObject({ status: 'no_answer', allowedActions: [], fallback: { handOffId: expect.any(String) } });
    expect(await s.t.app.transfers.tick()).toBe(0);
    // The caller stayed with the agent: the late accept did not start a consultation.
    expect(s.t.app.acd.deskState(s.agentId).status).toBe('on_call');

    await s.t.app.acd.hangUp(s.agentId, first.contactId);
    await s.t.app.acd.endWrapUp(s.agentId);
    const second = await callInProgress(s);
    const b = (await ask(s, second.contactId)).json() as TransferAttempt;
    await act(s, s.officialCookie, b.id, 'accept');
    expect((await act(s, s.agentCookie, b.id, 'connect', { mode: 'transfer' })).json()).toMatchObject({ status: 'connected' });
    expect((await act(s, s.officialCookie, b.id, 'decline', { reason: '늦게 누름' })).json()).toMatchObject({ status: 'connected', declineReason: null, fallback: null });
    expect((await act(s, s.officialCookie, b.id, 'accept')).json()).toMatchObject({ status: 'connected' });
    expect((await act(s, s.agentCookie, b.id, 'connect', { mode: 'conference' })).json().error.code).toBe('INVALID_TRANSITION');
    // One hand-off in all: the first attempt's fall-back.
    expect(await s.t.deps.db.selectFrom('handoffs').select('id').execute()).toHaveLength(1);
  });

  it('does not ring an official who is in a meeting or on a call: it is a hand-off at once', async () => {
    const { contactId } = await callInProgress(s);
    const meeting = await s.t.app.inject({ method: 'PUT', url: '/api/directory/presence/me', headers: { cookie: s.officialCookie }, payload: { state: 'in_meeting' } });
    expect(meeting.statusCode, meeting.body).toBe(200);
    const res = await ask(s, contactId);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'away', fallback: { handOffId: expect.any(String) } });
    // The phone never rang and the agent still has the caller.
    expect(s.t.app.acd.simulator.commands.some((c) => c.type === 'transfer')).toBe(false);
    expect(s.t.app.acd.deskState(s.agentId).status).toBe('on_call');

    await s.t.app.inject({ method: 'PUT', url: '/api/directory/presence/me', headers: { cookie: s.officialCookie }, payload: { state: 'on_call' } });
    await s.t.app.acd.hangUp(s.agentId, contactId);
    await s.t.app.acd.endWrapUp(s.agentId);
    const second = await callInProgress(s);
    expect((await ask(s, second.contactId)).json()).toMatchObject({ status: 'busy' });
  });

  it('keeps the card from officials it was not sent to', async () => {
    const { contactId } = await callInProgress(s);
    const attempt = (await ask(s, contactId)).json() as TransferAttempt;
    for (const action of ['accept', 'decline']) {
      const res = await act(s, s.otherOfficialCookie, attempt.id, action, action === 'decline' ? { reason: 'x' } : undefined);
      expect(res.statusCode).toBe(404);
    }
    expect((await s.t.app.inject({ method: 'GET', url: `/api/transfers/${attempt.id}`, headers: { cookie: s.otherOfficialCookie } })).statusCode).toBe(404);
    expect((await s.t.app.inject({ method: 'GET', url: '/api/transfers/incoming', headers: { cookie: s.otherOfficialCookie } })).json().items).toEqual([]);
  });

  it('asks for a reason to call someone who is not on the task’s duty list', async () => {
    const { contactId } = await callInProgress(s);
    const refused = await ask(s, contactId, { officialId: s.colleagueId });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'reason' } });
    const allowed = await ask(s, contactId, { officialId: s.colleagueId, reason: '담당자 휴가, 같은 팀 대리 처리' });
    expect(allowed.json()).toMatchObject({ status: 'ringing', outsideDutyReason: '담당자 휴가, 같은 팀 대리 처리' });
  });

  it('counts a consultation completed from the desk’s own call controls as connected', async () => {
    const { contactId } = await callInProgress(s);
    const attempt = (await ask(s, contactId)).json() as TransferAttempt;
    await act(s, s.officialCookie, attempt.id, 'accept');
    const res = await s.t.app.inject({ method: 'POST', url: `/api/acd/contacts/${contactId}/transfer/complete`, headers: { cookie: s.agentCookie } });
    expect(res.statusCode, res.body).toBe(200);
    await vi.waitFor(async () => {
      const row = await s.t.deps.db.selectFrom('transfer_attempts').select(['status', 'handoff_id']).where('id', '=', attempt.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'connected', handoff_id: null });
    });
  });

  it('falls back when the caller hangs up while waiting, and resolves live attempts at start-up (nothing lost)', async () => {
    const first = await callInProgress(s);
    const a = (await ask(s, first.contactId)).json() as TransferAttempt;
    await s.t.app.acd.simulator.callerHangsUp(first.callId);
    await vi.waitFor(async () => {
      const row = await s.t.deps.db.selectFrom('transfer_attempts').select(['status', 'handoff_id']).where('id', '=', a.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'caller_left', handoff_id: expect.any(String) });
    });

    // A second call whose attempt is still ringing when the server stops: the next start resolves it.
    await s.t.app.acd.endWrapUp(s.agentId);
    const second = await callInProgress(s);
    const b = (await ask(s, second.contactId)).json() as TransferAttempt;
    expect(await s.t.app.transfers.recover()).toBe(1);
    const row = await s.t.deps.db.selectFrom('transfer_attempts').select(['status', 'handoff_id']).where('id', '=', b.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'unreachable', handoff_id: expect.any(String) });
    expect(await s.t.deps.db.selectFrom('handoffs').select('id').execute()).toHaveLength(2);
  });

  it('refuses bad requests with clear codes and writes nothing', async () => {
    const { contactId } = await callInProgress(s);
    expect((await ask(s, contactId, { summary: '' })).statusCode).toBe(400);
    expect((await ask(s, contactId, { officialId: 'not-an-id' })).statusCode).toBe(400);
    expect((await ask(s, '0190f5a2-8c1e-7b6a-9d3e-123456789abc')).json().error.code).toBe('CONFLICT');
    expect((await ask(s, contactId, { officialId: s.agentId })).json().error.code).toBe('NOT_FOUND');
    expect(await s.t.deps.db.selectFrom('transfer_attempts').select('id').execute()).toHaveLength(0);
    // One live attempt per call.
    expect((await ask(s, contactId)).statusCode).toBe(200);
    expect((await ask(s, contactId)).json().error.code).toBe('CONFLICT');
  });
});
