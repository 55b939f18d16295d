import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { CaseDetail, RecordCaseResult } from '../../../core/contracts/cases';
import type { HandOffItem } from '../../../core/contracts/handoffs';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

// One call, one stop, through the real HTTP API on the run's dialect: call → caller card → case → hand-off →
// official answers → case closed with its whole timeline.
describe('one call, one stop', () => {
  let t: TestContext;
  let agentCookie: string;
  let officialCookie: string;
  let otherOfficialCookie: string;
  let chain: Awaited<ReturnType<typeof buildCategoryChain>>;
  let department: Awaited<ReturnType<typeof buildDepartment>>;

  beforeAll(async () => {
    // The story spans hours of the working day with the same sign-ins; idle sign-out has its own tests
    // (server/modules/auth/session-security.int.test.ts).
    t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '480' });
    const db = t.deps.db;
    department = await buildDepartment(db, { name: '상하수도사업소' });
    const other = await buildDepartment(db, { name: '세정과' });
    chain = await buildCategoryChain(db, department.id, 'other', ['상하수도', '누수·단수', '옥내 누수']);
    await buildUser(db, { role: 'agent', login: 'agent-a' });
    await buildUser(db, { role: 'official', login: 'official-w', departmentId: department.id, name: '박수도' });
    await buildUser(db, { role: 'official', login: 'official-t', departmentId: other.id });
    agentCookie = await t.signIn('agent-a');
    officialCookie = await t.signIn('official-w');
    otherOfficialCookie = await t.signIn('official-t');
  });
  afterAll(async () => t.close());

  async function call(number: string): Promise<CallConnected> {
    const res = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: agentCookie }, payload: { callerNumber: number } });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  it('a first-time caller gets an empty card, and the hand-off shows on the next call', async () => {
    const first = await call('010-2222-3333');
    // Shown masked by default (표시 제한, issue 3 layer 2).
    expect(first.callerCard).toMatchObject({ phone: '010-****-3333', isKnown: false, totalCases: 0, openHandOffs: [], recentCases: [] });

    const recorded = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: agentCookie },
      payload: { interactionId: first.interaction.id, categoryId: chain.detail.id, summary: '아파트 앞 도로 누수', notes: '어제부터 물이 샘. 현장 확인 요청', outcome: 'handed_off' },
    });
    expect(recorded.statusCode).toBe(201);
    const result: RecordCaseResult = recorded.json();
    expect(result.status).toBe('open');
    expect(result.handOff?.departmentName).toBe('상하수도사업소');
    // 기타민원 (즉시): 3 working hours from Fri 2026-11-27 10:00 KST → 13:00 KST + 1h lunch = 14:00 KST.
    expect(result.handOff?.dueAt).toBe('2026-11-27T05:00:00.000Z');

    const again = await call('01022223333');
    expect(again.callerCard.citizenId).toBe(first.callerCard.citizenId);
    expect(again.callerCard.totalCases).toBe(1);
    expect(again.callerCard.openHandOffs).toHaveLength(1);
    expect(again.callerCard.openHandOffs[0]?.handOff).toMatchObject({ status: 'pending', departmentName: '상하수도사업소' });
  });

  it('the official works the hand-off: sees the notes, acknowledges, answers; the case closes with its timeline', async () => {
    const inbox = await t.app.inject({ method: 'GET', url: '/api/handoffs', headers: { cookie: officialCookie } });
    expect(inbox.statusCode).toBe(200);
    const items: HandOffItem[] = inbox.json().items;
    expect(items).toHaveLength(1);
    const item = items[0] as HandOffItem;
    expect(item).toMatchObject({ status: 'pending', notes: '어제부터 물이 샘. 현장 확인 요청', callerNumber: '010-****-3333', categoryPath: '상하수도 > 누수·단수 > 옥내 누수' });

    // Another department's official neither lists nor touches it.
    const foreign = await t.app.inject({ method: 'GET', url: '/api/handoffs', headers: { cookie: otherOfficialCookie } });
    expect(foreign.json().items).toHaveLength(0);
    const foreignAck = await t.app.inject({ method: 'POST', url: `/api/handoffs/${item.id}/acknowledge`, headers: { cookie: otherOfficialCookie } });
    expect(foreignAck.statusCode).toBe(404);
    const foreignCase = await t.app.inject({ method: 'GET', url: `/api/cases/${item.caseId}`, headers: { cookie: otherOfficialCookie } });
    expect(foreignCase.statusCode).toBe(403);

    // Answering before acknowledging is not a transition the lifecycle allows.
    const early = await t.app.inject({ method: 'POST', url: `/api/handoffs/${item.id}/answer`, headers: { cookie: officialCookie }, payload: { answer: '수리함' } });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('INVALID_TRANSITION');

    t.clock.advance(30 * 60_000);
    const ack = await t.app.inject({ method: 'POST', url: `/api/handoffs/${item.id}/acknowledge`, headers: { cookie: officialCookie } });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', assigneeName: '박수도' });
    const twice = await t.app.inject({ method: 'POST', url: `/api/handoffs/${item.id}/acknowledge`, headers: { cookie: officialCookie } });
    expect(twice.statusCode).toBe(409);

    t.clock.advance(60 * 60_000);
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/handoffs/${item.id}/answer`,
      headers: { cookie: officialCookie },
      payload: { answer: '현장 확인 후 상수도관 누수를 수리하였습니다.' },
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', isOverdue: false });

    const detail = await t.app.inject({ method: 'GET', url: `/api/cases/${item.caseId}`, headers: { cookie: agentCookie } });
    const body: CaseDetail = detail.json();
    expect(body.status).toBe('closed');
    expect(body.handOff?.answer).toBe('현장 확인 후 상수도관 누수를 수리하였습니다.');
    expect(body.timeline.map((e) => e.type)).toEqual([
      'call_offered',
      'call_answered',
      'case_opened',
      'call_dispositioned',
      'case_handed_off',
      'handoff_acknowledged',
      'handoff_answered',
      'case_closed',
    ]);
    expect(body.timeline.find((e) => e.type === 'handoff_answered')?.actorName).toBe('박수도');

    const card = await call('010-2222-3333');
    expect(card.callerCard.openHandOffs).toHaveLength(0);
    expect(card.callerCard.recentCases[0]?.handOff?.status).toBe('answered');
  });

  it('a resolved case closes at once and counts in the caller card', async () => {
    const c = await call('031-987-6543');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie: agentCookie },
      payload: { interactionId: c.interaction.id, categoryId: chain.task.id, summary: '수도 요금 납부 방법 문의', outcome: 'resolved' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'closed', outcome: 'resolved', handOff: null });
    const end = await t.app.inject({ method: 'POST', url: `/api/calls/${c.interaction.id}/end`, headers: { cookie: agentCookie } });
    expect(end.json().status).toBe('ended');
  });
});
