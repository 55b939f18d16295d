import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { CaseDetail, RecordCaseResult } from '../../../core/contracts/cases';
import { computeKpis, firstContactResolution } from '../../../core/domain/kpi';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { toKpiEvents } from '../acd/acd.service';

/**
 * What the statistics read of a recorded case (issue #12 §0): every case writes `call_dispositioned` in its own
 * transaction with the outcome, the category and the caller's blind index, so 직접처리율, 이관율 and first-contact
 * resolution come from the event log; a 3자통화 can be recorded as such.
 */
describe('call_dispositioned', () => {
  let t: TestContext;
  let cookie: string;
  let chain: Awaited<ReturnType<typeof buildCategoryChain>>;

  beforeAll(async () => {
    t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '480' });
    const department = await buildDepartment(t.deps.db, { name: '세정과' });
    chain = await buildCategoryChain(t.deps.db, department.id, 'inquiry');
    await buildUser(t.deps.db, { role: 'agent', login: 'disp-agent' });
    cookie = await t.signIn('disp-agent');
  });
  afterAll(async () => t.close());

  async function callAndRecord(number: string, outcome: 'resolved' | 'transferred' | 'handed_off'): Promise<{ call: CallConnected; result: RecordCaseResult }> {
    const sim = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie }, payload: { callerNumber: number } });
    expect(sim.statusCode, sim.body).toBe(201);
    const call: CallConnected = sim.json();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie },
      payload: { interactionId: call.interaction.id, categoryId: chain.detail.id, summary: '자동차세 연납 문의', outcome },
    });
    expect(res.statusCode, res.body).toBe(201);
    const end = await t.app.inject({ method: 'POST', url: `/api/calls/${call.interaction.id}/end`, headers: { cookie } });
    expect(end.statusCode, end.body).toBeLessThan(300);
    return { call, result: res.json() };
  }

  async function dayEvents() {
    const rows = await t.deps.db.selectFrom('contact_events').select(['interaction_id', 'type', 'at', 'actor_id', 'data']).orderBy('at').orderBy('id').execute();
    return toKpiEvents(rows);
  }

  it('records a 3자통화 as its own outcome: closed at once, dispositioned, readable in the timeline', async () => {
    const { call, result } = await callAndRecord('010-3100-2000', 'transferred');
    expect(result).toMatchObject({ status: 'closed', outcome: 'transferred', handOff: null });

    const row = await t.deps.db.selectFrom('contact_events').selectAll().where('case_id', '=', result.caseId).where('type', '=', 'call_dispositioned').executeTakeFirstOrThrow();
    const callerIndex = (await t.deps.db.selectFrom('interactions').select('caller_index').where('id', '=', call.interaction.id).executeTakeFirstOrThrow()).caller_index;
    expect(row.interaction_id).toBe(call.interaction.id);
    expect(JSON.parse(row.data!)).toEqual({ outcome: 'transferred', categoryId: chain.detail.id, callerKey: callerIndex });
    expect(callerIndex).toBeTruthy();
    expect(row.data).not.toContain('31002000'); // a blind index, never the number

    const detail: CaseDetail = (await t.app.inject({ method: 'GET', url: `/api/cases/${result.caseId}`, headers: { cookie } })).json();
    expect(detail.timeline.map((e) => [e.type, e.detail])).toEqual([
      ['call_offered', null],
      ['call_answered', null],
      ['case_opened', chain.detail.path],
      ['call_dispositioned', 'transferred'],
      ['case_closed', null],
      ['call_ended', null],
    ]);
  });

  it('refuses an outcome the desk cannot record', async () => {
    const sim = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie }, payload: { callerNumber: '010-3100-2999' } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { cookie },
      payload: { interactionId: sim.json().interaction.id, categoryId: chain.detail.id, summary: '문의', outcome: 'abandoned' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('lets 직접처리율, 이관율 and first-contact resolution be computed from the log', async () => {
    t.clock.advance(60_000); // after the other tests' calls
    const from = t.clock.now().getTime();
    await callAndRecord('010-3100-3000', 'resolved'); // the same caller calls again about it: not FCR
    t.clock.advance(3_600_000);
    await callAndRecord('010-3100-3000', 'resolved');
    await callAndRecord('010-3100-4000', 'resolved'); // FCR
    await callAndRecord('010-3100-5000', 'handed_off');
    const to = t.clock.now().getTime() + 1;
    const events = (await dayEvents()).filter((e) => e.at >= from);

    const k = computeKpis(events, { from, to });
    expect(k.handled).toBe(4);
    expect([k.directResolutionRate, k.handOffRate]).toEqual([3 / 4, 1 / 4]);
    expect(firstContactResolution(events, { from, to })).toEqual({ contacts: 4, resolvedWithoutRepeat: 2, unidentified: 0, rate: 0.5 });
  });
});
