import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentBreak, MyBreaks } from '../../../core/contracts/breaks';
import type { BreakPlan } from '../../../core/domain/breaks';
import { BreakScheduler } from '../../jobs/break-scheduler';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * Scheduled breaks (issue #14 §4) on a real database (both dialects), the real ACD with its simulator phone system and
 * the fake clock (Friday 2026-11-27 10:00 KST): the scheduler's check is called as the server's timer would.
 */

type Setup = { t: TestContext; agentId: string; agentCookie: string; otherId: string; supervisorCookie: string; scheduler: BreakScheduler };

async function setup(): Promise<Setup> {
  // A working morning without a click in between would sign the desk out (30 min): the test's sessions last longer.
  const t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '600' });
  const dept = await buildDepartment(t.deps.db);
  const chain = await buildCategoryChain(t.deps.db, dept.id, 'inquiry', ['세무', '자동차세', '연납']);
  await buildUser(t.deps.db, { role: 'admin', login: 'br-admin' });
  const adminCookie = await t.signIn('br-admin');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/acd/queues',
    headers: { cookie: adminCookie },
    payload: { code: 'GENERAL', name: 'GENERAL', skill: chain.field.id, routes: [{ dialledNumber: '120', ivrChoice: '1' }] },
  });
  expect(res.statusCode, res.body).toBe(201);
  const agent = await buildUser(t.deps.db, { role: 'agent', login: 'br-agent', name: '김휴식' });
  const other = await buildUser(t.deps.db, { role: 'agent', login: 'br-other', name: '최동료' });
  for (const u of [agent, other]) {
    const put = await t.app.inject({ method: 'PUT', url: `/api/acd/agents/${u.id}/skills`, headers: { cookie: adminCookie }, payload: { skills: [{ skill: chain.field.id, level: 1 }] } });
    expect(put.statusCode, put.body).toBe(200);
  }
  await buildUser(t.deps.db, { role: 'supervisor', login: 'br-super', name: '이감독' });
  return {
    t,
    agentId: agent.id,
    agentCookie: await t.signIn('br-agent'),
    otherId: other.id,
    supervisorCookie: await t.signIn('br-super'),
    scheduler: new BreakScheduler(t.app.breaks),
  };
}

describe('scheduled breaks (issue #14 §4)', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });
  afterEach(async () => {
    await s.t.close();
  });

  const get = (cookie: string, url: string) => s.t.app.inject({ method: 'GET', url, headers: { cookie } });
  const put = (cookie: string, url: string, payload: unknown) => s.t.app.inject({ method: 'PUT', url, headers: { cookie }, payload: payload as object });
  const me = async () => (await get(s.agentCookie, '/api/protection/breaks/me')).json() as MyBreaks;
  const desk = () => s.t.app.acd.deskState(s.agentId);
  const at = (hhmm: string) => s.t.clock.set(new Date(`2026-11-27T${hhmm}:00+09:00`));

  it('plans: supervisors set them (bad plans 400 with the field, agents 403), an agent without one follows the default', async () => {
    const bad = await put(s.supervisorCookie, '/api/protection/break-plans/default', { slots: [{ at: '25:00', minutes: 3, kind: 'break' }], everyMinutes: 10, intervalMinutes: 10 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(bad.body).toContain('HH:MM');
    expect((await put(s.agentCookie, '/api/protection/break-plans/default', { slots: [], everyMinutes: null, intervalMinutes: 10 })).statusCode).toBe(403);
    expect((await put(s.supervisorCookie, `/api/protection/break-plans/${crypto.randomUUID()}`, { slots: [], everyMinutes: null, intervalMinutes: 10 })).statusCode).toBe(404);

    const centre: BreakPlan = { slots: [{ at: '12:00', minutes: 60, kind: 'meal' }], everyMinutes: null, intervalMinutes: 10 };
    expect((await put(s.supervisorCookie, '/api/protection/break-plans/default', centre)).statusCode).toBe(200);
    const own: BreakPlan = { slots: [{ at: '10:30', minutes: 10, kind: 'break' }], everyMinutes: null, intervalMinutes: 10 };
    const saved = await put(s.supervisorCookie, `/api/protection/break-plans/${s.agentId}`, own);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ defaultPlan: centre, agents: [{ agentId: s.agentId, agentName: '김휴식', plan: own }] });
    expect(s.t.app.breaks.planFor(s.otherId)).toEqual(centre);
    expect(s.t.app.breaks.planFor(s.agentId)).toEqual(own);
    // After a restart the plans are read back.
    await s.t.app.breaks.start();
    expect(s.t.app.breaks.planFor(s.agentId)).toEqual(own);
    expect((await s.t.app.inject({ method: 'DELETE', url: `/api/protection/break-plans/${s.agentId}`, headers: { cookie: s.supervisorCookie } })).statusCode).toBe(200);
    expect(s.t.app.breaks.planFor(s.agentId)).toEqual(centre);
  });

  it('an idle agent goes on the break at its time, an agent on a call after the call and wrap-up, a break that cannot start is missed', async () => {
    const plan: BreakPlan = {
      slots: [
        { at: '10:10', minutes: 10, kind: 'break' },
        { at: '10:40', minutes: 15, kind: 'break' },
        { at: '11:30', minutes: 10, kind: 'break' },
      ],
      everyMinutes: null,
      intervalMinutes: 10,
    };
    expect((await put(s.supervisorCookie, `/api/protection/break-plans/${s.agentId}`, plan)).statusCode).toBe(200);
    await s.t.app.acd.setAgentState(s.agentId, { status: 'available' });
    expect(await me()).toEqual({ current: null, next: { kind: 'break', minutes: 10, dueAt: '2026-11-27T01:10:00.000Z', afterCall: false }, today: [] });
    expect(await s.scheduler.tick()).toEqual({ started: 0, afterCall: 0, taken: 0, missed: 0 });

    // 10:10, idle: 휴식 at once (not ready, reason break), the desk counts down to 10:20.
    at('10:10');
    expect(await s.scheduler.tick()).toEqual({ started: 1, afterCall: 0, taken: 0, missed: 0 });
    expect(desk()).toMatchObject({ status: 'not_ready', reason: 'break' });
    expect((await me()).current).toEqual({ kind: 'break', startedAt: '2026-11-27T01:10:00.000Z', endsAt: '2026-11-27T01:20:00.000Z' });
    // The agent is back at 10:21: the break is taken (11 minutes rested).
    at('10:21');
    await s.t.app.acd.setAgentState(s.agentId, { status: 'available' });
    expect(await s.scheduler.tick()).toEqual({ started: 0, afterCall: 0, taken: 1, missed: 0 });

    // 10:35 a call; 10:40 the break is due: never cut, the agent goes after the call and its wrap-up.
    at('10:35');
    const { result } = await s.t.app.acd.simulator!.placeCall({ callerNumber: '010-3333-4444', ivrChoice: '1' });
    const contactId = result.decision!.contactId!;
    expect(result.decision!.agentId).toBe(s.agentId);
    await s.t.app.acd.answer(s.agentId, contactId);
    at('10:40');
    expect(await s.scheduler.tick()).toEqual({ started: 0, afterCall: 1, taken: 0, missed: 0 });
    expect(desk()).toMatchObject({ status: 'on_call', pendingNotReady: 'break' });
    expect((await me()).next).toMatchObject({ dueAt: '2026-11-27T01:40:00.000Z', afterCall: true });
    at('10:48');
    await s.t.app.acd.hangUp(s.agentId, contactId);
    expect(desk().status).toBe('after_call_work');
    expect(await s.scheduler.tick()).toEqual({ started: 0, afterCall: 0, taken: 0, missed: 0 });
    await s.t.app.acd.endWrapUp(s.agentId);
    expect(desk()).toMatchObject({ status: 'not_ready', reason: 'break' });
    expect(await s.scheduler.tick()).toEqual({ started: 1, afterCall: 0, taken: 0, missed: 0 });
    at('11:03');
    await s.t.app.acd.setAgentState(s.agentId, { status: 'available' });
    expect((await s.scheduler.tick())?.taken).toBe(1);

    // 11:20 a meeting; the 11:30 break waits for it, and is missed once the grace (30 min) has passed.
    at('11:20');
    await s.t.app.acd.setAgentState(s.agentId, { status: 'not_ready', reason: 'meeting' });
    at('11:30');
    expect(await s.scheduler.tick()).toEqual({ started: 0, afterCall: 0, taken: 0, missed: 0 });
    expect(desk()).toMatchObject({ status: 'not_ready', reason: 'meeting' });
    at('12:00');
    expect(await s.scheduler.tick()).toEqual({ started: 0, afterCall: 0, taken: 0, missed: 1 });

    const day = (await get(s.supervisorCookie, '/api/protection/breaks?day=2026-11-27')).json().items as AgentBreak[];
    expect(day.map((b) => [b.slot, b.status, b.postponedMinutes, b.restedMinutes])).toEqual([
      ['10:10', 'taken', 0, 11],
      ['10:40', 'taken', 8, 15],
      ['11:30', 'missed', 0, 0],
    ]);
    expect((await get(s.agentCookie, '/api/protection/breaks?day=2026-11-27')).json().items).toHaveLength(3);
    // The wellbeing page counts them (day and month).
    const wellbeing = await get(s.supervisorCookie, '/api/protection/wellbeing?day=2026-11-27');
    expect(wellbeing.json().agents.find((a: { agentId: string }) => a.agentId === s.agentId)).toMatchObject({ breaksTaken: 2, breakMinutes: 26, breaksMissed: 1 });
    const month = await get(s.supervisorCookie, '/api/protection/wellbeing?month=2026-11');
    expect(month.json().agents.find((a: { agentId: string }) => a.agentId === s.agentId)).toMatchObject({ breaksTaken: 2, breaksMissed: 1 });
    expect(await me()).toMatchObject({ current: null, next: null });
  });

  it('every N minutes logged in: the break comes after that much work since the last one; 회복 and a set time passed before the plan are not owed', async () => {
    at('09:00');
    await s.t.app.acd.setAgentState(s.agentId, { status: 'available' });
    at('10:00');
    // A set time long past when the plan arrives (09:10) is not sent now; the interval counts from the morning's login.
    const plan: BreakPlan = { slots: [{ at: '09:10', minutes: 10, kind: 'break' }], everyMinutes: 90, intervalMinutes: 10 };
    expect((await put(s.supervisorCookie, `/api/protection/break-plans/${s.agentId}`, plan)).statusCode).toBe(200);
    expect((await me()).next).toEqual({ kind: 'break', minutes: 10, dueAt: '2026-11-27T01:30:00.000Z', afterCall: false });
    at('10:29');
    expect((await s.scheduler.tick())?.started).toBe(0);
    at('10:30');
    expect((await s.scheduler.tick())?.started).toBe(1);
    expect(desk()).toMatchObject({ status: 'not_ready', reason: 'break' });
    at('10:40');
    await s.t.app.acd.setAgentState(s.agentId, { status: 'available' });
    await s.scheduler.tick();
    // The next one 90 minutes of work after 10:40.
    expect((await me()).next).toMatchObject({ dueAt: '2026-11-27T03:10:00.000Z' });
    expect((await get(s.agentCookie, '/api/protection/breaks/me')).statusCode).toBe(200);
  });
});
