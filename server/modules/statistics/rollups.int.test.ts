import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ByAgentQuerySchema,
  ByPeriodQuerySchema,
  ByTaskQuerySchema,
  HeadlineQuerySchema,
  ServiceQuerySchema,
  type ServiceReport,
} from '../../../core/contracts/statistics';
import type { SessionUser } from '../../http/access';
import { newId } from '../../lib/ids';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { simulateHistory } from '../simulation/history-simulator';
import { runSimulatedDay } from '../simulation/day-simulator';
import { appendEvents } from '../events/events.repository';
import { fillMonthRollupsIfMissing, rebuildRollups } from './rollups.repository';
import { byAgent, byPeriod, byTask, headline, service } from './statistics.service';

/**
 * Trust (issue #12 §4): the rollups kept in step with the event log give every report exactly what a full
 * recomputation from the raw events gives (the service's `fromEvents` path), and equal a rebuild from scratch — after a
 * simulated month written through the one event write path, and after a day played by the real ACD and cases service
 * with every decision in its own transaction (events of one call arriving one use case at a time). SQLite and
 * PostgreSQL (the postgres project runs this file too). Day, month and year boundaries are the city's (KST).
 */
const TIMEOUT = 300_000;
const supervisorOf = (id: string): SessionUser => ({ id, login: 'sv', name: '감독자', role: 'supervisor', departmentId: null, departmentName: null, sessionId: 's' });

async function snapshot(ctx: TestContext) {
  const db = ctx.deps.db;
  const rollups = (await db.selectFrom('stat_rollups').selectAll().execute())
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && k !== 'grain' && k !== 'dim' ? Number(v) : v])))
    .filter((r) => Object.entries(r).some(([k, v]) => !['grain', 'bucket', 'dim'].includes(k) && v !== 0));
  const key = (r: Record<string, unknown>) => JSON.stringify(r);
  return {
    rollups: rollups.map(key).sort(),
    callbacks: (await db.selectFrom('stat_callbacks').selectAll().execute()).map((r) => key({ ...r, queued_at_ms: Number(r.queued_at_ms), delay_ms: r.delay_ms === null ? null : Number(r.delay_ms) })).sort(),
    dispositions: (await db.selectFrom('stat_dispositions').selectAll().execute()).map((r) => key({ ...r, at_ms: Number(r.at_ms) })).sort(),
    states: (await db.selectFrom('agent_state_rollups').selectAll().where('ms', '!=', 0).execute()).map((r) => key({ ...r, day: Number(r.day), ms: Number(r.ms) })).sort(),
    monthStates: (await db.selectFrom('agent_state_month_rollups').selectAll().where('ms', '!=', 0).execute()).map((r) => key({ ...r, month: Number(r.month), ms: Number(r.ms) })).sort(),
  };
}

/** Every report, from the rollups and from the raw events, must be equal. */
async function expectReportsEqual(ctx: TestContext, user: SessionUser, periods: Array<Record<string, string>>) {
  const deps = ctx.deps;
  const agents = await deps.db.selectFrom('users').select('id').where('role', '=', 'agent').orderBy('id').execute();
  const categories = await deps.db.selectFrom('categories').select(['id', 'level', 'department_id']).where('level', '=', 1).orderBy('code').execute();
  const department = (await deps.db.selectFrom('categories').select('department_id').where('level', '=', 2).where('department_id', 'is not', null).executeTakeFirst())?.department_id;
  let compared = 0;
  const same = async <T>(what: string, run: (fromEvents: boolean) => Promise<T>) => {
    const fast = await run(false);
    const raw = await run(true);
    expect(fast, what).toEqual(raw);
    compared++;
    return fast;
  };
  for (const p of periods) {
    const label = JSON.stringify(p);
    const s = await same(`service ${label}`, (fromEvents) => service(deps, ServiceQuerySchema.parse(p), { fromEvents }));
    expect(s.offered, `offered ${label}`).toBeGreaterThan(0);
    await same(`by-period ${label}`, (fromEvents) => byPeriod(deps, ByPeriodQuerySchema.parse(p), { fromEvents }));
    await same(`headline ${label}`, (fromEvents) => headline(deps, HeadlineQuerySchema.parse(p), { fromEvents }));
    const tasks = await same(`by-task ${label}`, (fromEvents) => byTask(deps, user, ByTaskQuerySchema.parse(p), { fromEvents }));
    const top = tasks.rows.find((r) => r.contacts > 0 && r.hasChildren) ?? tasks.rows[0]!;
    await same(`by-task drill-down ${label}`, (fromEvents) => byTask(deps, user, ByTaskQuerySchema.parse({ ...p, category: top.id }), { fromEvents }));
    if (department)
      await same(`by-task department ${label}`, (fromEvents) => byTask(deps, user, ByTaskQuerySchema.parse({ ...p, department }), { fromEvents }));
    const all = await same(`by-agent ${label}`, (fromEvents) => byAgent(deps, user, ByAgentQuerySchema.parse(p), { fromEvents }));
    expect(all.agents.some((a) => a.occupancy !== null), `occupancy ${label}`).toBe(true);
    await same(`by-agent one ${label}`, (fromEvents) => byAgent(deps, user, ByAgentQuerySchema.parse({ ...p, agent: agents[0]!.id }), { fromEvents }));
  }
  expect(categories.length).toBeGreaterThan(0);
  return compared;
}

describe('rollups after a simulated month (history written in bulk through the event write path)', () => {
  let ctx: TestContext;
  let user: SessionUser;
  beforeAll(async () => {
    ctx = await createTestContext();
    ctx.clock.set(new Date('2026-11-10T10:00:00+09:00'));
    // October 2026: 개천절 (3rd, a Saturday) and 한글날 (9th, a Friday) are closed, the month's last day a Saturday.
    await simulateHistory(ctx.deps, { days: 33, toDay: '2026-11-02', seed: 'trust', callsPerDay: 150, agents: 4, holidays: ctx.deps.holidays });
    user = supervisorOf((await buildUser(ctx.deps.db, { role: 'supervisor' })).id);
  }, TIMEOUT);
  afterAll(async () => ctx?.close());

  it(
    'every report from the rollups equals the recomputation from raw events: the month, a week across the month end, a holiday, single days',
    async () => {
      const periods: Array<Record<string, string>> = [
        { period: 'month', date: '2026-10-15' },
        { period: 'week', date: '2026-10-28' },
        { period: 'custom', from: '2026-10-30', to: '2026-11-02' },
        { period: 'day', date: '2026-10-12' },
        { period: 'day', date: '2026-11-02' },
        { period: 'year', date: '2026-10-01' },
        // partial September (no history), the whole of October from the month rows, two days of November from day rows
        { period: 'custom', from: '2026-09-20', to: '2026-11-02' },
      ];
      expect(await expectReportsEqual(ctx, user, periods)).toBe(periods.length * 8);
      // By-period's series of more buckets than the database sums per bucket (the hours of a month) comes from the hour rows.
      const hourly = ByPeriodQuerySchema.parse({ period: 'month', date: '2026-10-15', granularity: 'hour' });
      expect(await byPeriod(ctx.deps, hourly)).toEqual(await byPeriod(ctx.deps, hourly, { fromEvents: true }));
      // 한글날 (a Friday holiday): only callers who hear the closed message.
      const holiday = await service(ctx.deps, ServiceQuerySchema.parse({ period: 'day', date: '2026-10-09' }));
      expect(holiday.offered).toBe(0);
      expect(holiday.afterHours).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it('the route serves the rollups: the month through the API equals the raw recomputation', async () => {
    const cookie = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'supervisor' })).login);
    const res = await ctx.app.inject({ method: 'GET', url: '/api/stats/service?period=month&date=2026-10-15', headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ServiceReport>()).toEqual(await service(ctx.deps, ServiceQuerySchema.parse({ period: 'month', date: '2026-10-15' }), { fromEvents: true }));
  });

  it(
    'the kept rollups equal a rebuild from scratch (npm run stats:rebuild), and the figures do not depend on the server time zone',
    async () => {
      const kept = await snapshot(ctx);
      expect(kept.rollups.length).toBeGreaterThan(100);
      expect(kept.monthStates.length).toBeGreaterThan(0);
      await ctx.deps.db.transaction().execute((trx) => rebuildRollups(trx));
      expect(await snapshot(ctx)).toEqual(kept);
      // A database from before the month rows of handling (task_m, agent_m) gets them from its day rows, once.
      expect(kept.rollups.some((r) => r.includes('"agent_m"')) && kept.rollups.some((r) => r.includes('"task_m"'))).toBe(true);
      await ctx.deps.db.deleteFrom('stat_rollups').where('grain', 'in', ['task_m', 'agent_m']).execute();
      expect(await fillMonthRollupsIfMissing(ctx.deps.db)).toBe(2);
      expect(await fillMonthRollupsIfMissing(ctx.deps.db)).toBe(0);
      expect(await snapshot(ctx)).toEqual(kept);
      const before = await byPeriod(ctx.deps, ByPeriodQuerySchema.parse({ period: 'month', date: '2026-10-15' }));
      const tz = process.env.TZ;
      try {
        for (const zone of ['UTC', 'America/New_York', 'Pacific/Chatham']) {
          process.env.TZ = zone;
          expect(new Date(Date.UTC(2026, 9, 1)).getTimezoneOffset() !== -540).toBe(true);
          await ctx.deps.db.transaction().execute((trx) => rebuildRollups(trx));
          expect(await snapshot(ctx), zone).toEqual(kept);
          expect(await byPeriod(ctx.deps, ByPeriodQuerySchema.parse({ period: 'month', date: '2026-10-15' })), zone).toEqual(before);
        }
      } finally {
        if (tz === undefined) delete process.env.TZ;
        else process.env.TZ = tz;
      }
    },
    TIMEOUT,
  );
});

describe('rollups after a day played by the ACD and the cases service, every decision in its own transaction', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    ctx.clock.set(new Date('2026-12-01T00:00:00+09:00'));
    await runSimulatedDay(ctx.deps, ctx.clock, { calls: 120, agents: 2, seed: 'trust-day', date: '2026-12-01', writes: 'immediate' });
    ctx.clock.set(new Date('2026-12-03T09:00:00+09:00'));
  }, TIMEOUT);
  afterAll(async () => ctx?.close());

  it(
    'reports agree with the raw events (callbacks, abandons and transfers included) and the kept rollups equal a rebuild',
    async () => {
      const user = supervisorOf((await buildUser(ctx.deps.db, { role: 'supervisor' })).id);
      const periods: Array<Record<string, string>> = [
        { period: 'day', date: '2026-12-01' },
        { period: 'month', date: '2026-12-01' },
      ];
      await expectReportsEqual(ctx, user, periods);
      const s = await service(ctx.deps, ServiceQuerySchema.parse(periods[0]));
      expect(s.callbacks.requested + s.abandoned).toBeGreaterThan(0);
      const kept = await snapshot(ctx);
      await ctx.deps.db.transaction().execute((trx) => rebuildRollups(trx));
      expect(await snapshot(ctx)).toEqual(kept);
    },
    TIMEOUT,
  );
});

describe('rollups of a live call when a transaction is undone', () => {
  // On SQLite the rollups keep a live call's events in memory between decisions (rollups.repository.ts LiveLogs):
  // a transaction that appended events and then failed must leave no trace there, or the next decision's "before"
  // would count events that are not in the table and the rollups would drift from a rebuild.
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  }, TIMEOUT);
  afterAll(async () => ctx?.close());

  it('an undone answer is not remembered: the rollups equal a rebuild after the call goes on', async () => {
    const db = ctx.deps.db;
    const id = newId();
    const at = (s: number) => new Date(Date.parse('2026-12-01T10:00:00+09:00') + s * 1000).toISOString();
    await db
      .insertInto('interactions')
      .values({ id, channel: 'phone', direction: 'inbound', caller_number_sealed: 'x', caller_index: 'k', dialled_number: '120', citizen_id: null, agent_id: null, status: 'offered', started_at: at(0), answered_at: null, ended_at: null })
      .execute();
    const data = { queueId: 'q-general' };
    await db.transaction().execute((trx) =>
      appendEvents(trx, [
        { type: 'call_offered', at: at(0), interactionId: id, data },
        { type: 'call_queued', at: at(0), interactionId: id, data },
      ]),
    );
    // The agent's answer is written and then undone (the transaction fails after the events went in).
    await expect(
      db.transaction().execute(async (trx) => {
        await appendEvents(trx, [{ type: 'call_answered', at: at(5), interactionId: id, data }]);
        throw new Error('the decision failed after its events');
      }),
    ).rejects.toThrow('the decision failed');
    // The caller gives up later instead; then the rollups must be exactly a rebuild's.
    await db.transaction().execute((trx) => appendEvents(trx, [{ type: 'call_abandoned', at: at(40), interactionId: id, data }]));
    const kept = await snapshot(ctx);
    expect(kept.rollups.some((r) => r.includes('"abandoned":1'))).toBe(true);
    await db.transaction().execute((trx) => rebuildRollups(trx));
    expect(await snapshot(ctx)).toEqual(kept);
  });
});
