import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffingPlan } from '../../../core/contracts/staffing';
import { ByAgentQuerySchema, type ByAgentReport, type ServiceReport } from '../../../core/contracts/statistics';
import { byAgent } from '../../modules/statistics/statistics.service';
import { rebuildRollups } from '../../modules/statistics/rollups.repository';
import { createTestContext, type TestContext } from '../../test/test-app';
import { seedDemoHistory, type DemoHistoryResult } from './demo-history';
import { seedDemoData } from './seed';

// A fresh demo shows 서비스 수준 and 인력 산정 (issues #12 §3, #19): simulated weeks of calls beside the demo data,
// answered by the demo's agents in the demo's queues, with rollups equal to the raw log.
describe('demo history', () => {
  let t: TestContext;
  let cookie: string;
  let result: DemoHistoryResult;

  beforeAll(async () => {
    t = await createTestContext();
    await seedDemoData(t.deps, 'demo-password-1');
    const eventsBefore = await countEvents();
    const casesBefore = await count('cases');
    result = await seedDemoHistory(t.deps, t.deps.config, { weeks: 1, callsPerDay: 300 });
    expect(await count('cases')).toBe(casesBefore);
    expect(await countEvents()).toBe(eventsBefore + result.events);
    cookie = await t.signIn('super01', 'demo-password-1');
  }, 300_000);
  afterAll(async () => t.close());

  async function count(table: 'cases' | 'interactions'): Promise<number> {
    return Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }
  async function countEvents(): Promise<number> {
    return Number((await t.deps.db.selectFrom('contact_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }
  const get = async <T>(url: string): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  it('writes a week up to yesterday: weekdays open, calls in the demo queues answered by the demo agents', async () => {
    expect(result.days).toBe(7);
    expect(result.toDay).toBe('2026-11-26');
    expect(result.openDays).toBe(5);
    expect(result.interactions).toBeGreaterThan(1_000);
    const agents = new Set((await t.deps.db.selectFrom('users').select('id').where('role', '=', 'agent').execute()).map((u) => u.id));
    const answeredBy = await t.deps.db.selectFrom('contact_events').select('actor_id').distinct().where('type', '=', 'call_answered').execute();
    expect(answeredBy.length).toBeGreaterThan(5);
    for (const a of answeredBy) expect(agents.has(a.actor_id!)).toBe(true);
    const queues = new Set((await t.deps.db.selectFrom('acd_queues').select('id').execute()).map((q) => q.id));
    const queued = await t.deps.db.selectFrom('contact_events').select('data').where('type', '=', 'call_queued').execute();
    expect(queued.length).toBeGreaterThan(1_000);
    for (const q of queued) expect(queues.has((JSON.parse(q.data!) as { queueId: string }).queueId)).toBe(true);
    // How each call was closed, with the demo's own 업무.
    const categories = new Set((await t.deps.db.selectFrom('categories').select('id').execute()).map((c) => c.id));
    const closed = await t.deps.db.selectFrom('contact_events').select('data').where('type', '=', 'call_dispositioned').where('at', '<', '2026-11-27').execute();
    expect(closed.length).toBeGreaterThan(1_000);
    for (const c of closed) expect(categories.has((JSON.parse(c.data!) as { categoryId: string }).categoryId)).toBe(true);
  });

  it('서비스 수준 and 인력 산정 show figures, and the rollups equal a rebuild from the raw log', async () => {
    const url = '/api/stats/service?period=custom&from=2026-11-20&to=2026-11-26';
    const report = await get<ServiceReport>(url);
    expect(report.offered).toBeGreaterThan(1_000);
    expect(report.answered).toBeGreaterThan(0);
    expect(report.serviceLevel).toBeGreaterThan(0);
    // 직접처리율 of the week: the simulated 60/40 of agents' settling and passing on (not 0 % for want of dispositions).
    const headline = await get<{ directResolutionRate: number | null }>('/api/stats/headline?period=custom&from=2026-11-20&to=2026-11-26');
    expect(headline.directResolutionRate).toBeGreaterThan(0.5);
    expect(headline.directResolutionRate).toBeLessThan(0.7);
    const plan = await get<StaffingPlan>('/api/staffing/plan?weeks=1');
    // Five weekdays × 20 half hours of opening (08:30–18:30); a quiet last half hour of 300 calls may have none.
    expect(plan.summary.intervalsWithTraffic).toBeGreaterThanOrEqual(95);
    expect(plan.summary.intervalsWithTraffic).toBeLessThanOrEqual(100);
    expect(plan.summary.peakScheduled).toBeGreaterThan(3);
    await t.deps.db.transaction().execute((trx) => rebuildRollups(trx));
    expect(await get<ServiceReport>(url)).toEqual(report);
  });
  it("상담사별 shows the demo agents' occupancy and not-ready time from the history's state log, equal to the raw log, also after a rebuild", async () => {
    expect(result.stateChanges).toBeGreaterThan(100);
    const url = '/api/stats/by-agent?period=custom&from=2026-11-20&to=2026-11-26';
    const report = await get<ByAgentReport>(url);
    const busy = report.agents.filter((a) => a.contacts > 0);
    expect(busy.length).toBeGreaterThan(5);
    for (const a of busy) {
      expect(a.occupancy).toBeGreaterThan(0.05);
      expect(a.occupancy).toBeLessThanOrEqual(1);
      expect(a.notReadySeconds.meal ?? 0).toBeGreaterThan(0);
    }
    const supervisor = (await t.deps.db.selectFrom('users').select(['id', 'login', 'name']).where('login', '=', 'super01').executeTakeFirstOrThrow());
    const user = { ...supervisor, role: 'supervisor' as const, departmentId: null, departmentName: null, sessionId: 's' };
    const q = ByAgentQuerySchema.parse({ period: 'custom', from: '2026-11-20', to: '2026-11-26' });
    expect(await byAgent(t.deps, user, q)).toEqual(await byAgent(t.deps, user, q, { fromEvents: true }));
    await t.deps.db.transaction().execute((trx) => rebuildRollups(trx));
    expect(await get<ByAgentReport>(url)).toEqual(report);
  });
});
