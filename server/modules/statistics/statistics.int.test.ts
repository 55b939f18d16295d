import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ByAgentReport,
  ByDepartmentReport,
  ByPeriodReport,
  ByTaskReport,
  HeadlineReport,
  ServiceReport,
} from '../../../core/contracts/statistics';
import { newId } from '../../lib/ids';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { appendEvents } from '../events/events.repository';
import { runSimulatedDay } from '../simulation/day-simulator';

/**
 * The statistics on a day played by the real simulator (ACD + cases service), each report checked against a
 * recomputation written here from the raw rows, without core/domain/kpi.ts or statistics.ts. On PostgreSQL each of
 * the day's thousands of transactions is a round trip, hence the timeout.
 */
const DAY = '2026-12-01'; // a Tuesday
const TIMEOUT = 240_000;

type Raw = { interaction_id: string | null; type: string; at: string; actor_id: string | null; data: string | null };
/** Per call: the earliest time of each event type, the answering agent, the disposition. */
type Call = { first: Map<string, number>; agent: string | null; outcome: string | null; categoryId: string | null; callerKey: string | null; reason: string | null };

function recompute(rows: readonly Raw[]): Map<string, Call> {
  const calls = new Map<string, Call>();
  for (const r of rows) {
    if (!r.interaction_id) continue;
    let c = calls.get(r.interaction_id);
    if (!c) calls.set(r.interaction_id, (c = { first: new Map(), agent: null, outcome: null, categoryId: null, callerKey: null, reason: null }));
    const t = Date.parse(r.at);
    if (!c.first.has(r.type) || t < c.first.get(r.type)!) {
      c.first.set(r.type, t);
      const data = r.data ? (JSON.parse(r.data) as Record<string, string | null>) : {};
      if (r.type === 'call_answered') c.agent = r.actor_id;
      if (r.type === 'call_dispositioned') {
        c.outcome = data.outcome ?? null;
        c.categoryId = data.categoryId ?? null;
        c.callerKey = data.callerKey ?? null;
      }
      if (r.type === 'call_ended') c.reason = data.reason ?? null;
    }
  }
  return calls;
}

const within = (t: number | undefined, from: number, to: number): t is number => t !== undefined && t >= from && t < to;

let ctx: TestContext;
let supervisor: string;
let calls: Map<string, Call>;
const dayFrom = Date.parse(`${DAY}T00:00:00+09:00`);
const dayTo = dayFrom + 86_400_000;

async function get<T>(url: string, cookie: string, status = 200): Promise<T> {
  const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
  return res.json<T>();
}

describe('statistics over a simulated day', () => {
  beforeAll(async () => {
    ctx = await createTestContext();
    ctx.clock.set(new Date(`${DAY}T00:00:00+09:00`));
    await runSimulatedDay(ctx.deps, ctx.clock, { calls: 80, agents: 2, seed: 'stats', date: DAY });
    ctx.clock.set(new Date('2026-12-02T10:00:00+09:00'));
    supervisor = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'supervisor' })).login);
    const rows = await ctx.deps.db.selectFrom('contact_events').select(['interaction_id', 'type', 'at', 'actor_id', 'data']).execute();
    calls = recompute(rows);
  }, TIMEOUT);
  afterAll(async () => ctx?.close());

  const handled = () => [...calls.values()].filter((c) => within(c.first.get('call_answered'), dayFrom, dayTo) && c.first.has('call_ended'));

  it('service: offered, answered, SL 80/20, abandonment (short ones apart), callbacks, after hours', async () => {
    const r = await get<ServiceReport>(`/api/stats/service?date=${DAY}`, supervisor);
    let offered = 0, answered = 0, within20 = 0, abandoned = 0, short = 0, abandonedAfter = 0, callbacks = 0, afterHours = 0;
    for (const c of calls.values()) {
      if (c.reason === 'closed' && within(c.first.get('call_offered'), dayFrom, dayTo)) afterHours++;
      const q = c.first.get('call_queued');
      if (!within(q, dayFrom, dayTo)) continue;
      offered++;
      const exits = (['call_answered', 'call_abandoned', 'callback_requested'] as const)
        .map((t) => [t, c.first.get(t)] as const)
        .filter((x): x is readonly [typeof x[0], number] => x[1] !== undefined)
        .sort((a, b) => a[1] - b[1]);
      const [kind, at] = exits[0] ?? [];
      if (kind === 'call_answered') {
        answered++;
        if (at! - q <= 20_000) within20++;
      } else if (kind === 'call_abandoned') {
        if (at! - q < 5_000) short++;
        else {
          abandoned++;
          if (at! - q > 20_000) abandonedAfter++;
        }
      } else if (kind === 'callback_requested') callbacks++;
    }
    expect(offered).toBe(80);
    expect(r).toMatchObject({ offered, answered, answeredWithinTarget: within20, abandoned, shortAbandoned: short, afterHours, serviceLevelSeconds: 20 });
    expect(r.callbacks.requested).toBe(callbacks);
    expect(callbacks + abandoned).toBeGreaterThan(0); // 2 agents for 80 calls: the peaks queue
    expect(r.serviceLevel).toBeCloseTo(within20 / (answered + abandonedAfter), 12);
    expect(r.abandonmentRate).toBeCloseTo(abandoned / (offered - short), 12);
    // Another T changes the figure, not the counts.
    const r60 = await get<ServiceReport>(`/api/stats/service?date=${DAY}&slSeconds=60`, supervisor);
    expect(r60.offered).toBe(offered);
    expect(r60.answeredWithinTarget).toBeGreaterThanOrEqual(within20);
  });

  it('by task: the 분야 level and one drill-down agree with the dispositions in the log', async () => {
    const cats = await ctx.deps.db.selectFrom('categories').select(['id', 'parent_id']).execute();
    const parent = new Map(cats.map((c) => [c.id, c.parent_id]));
    const rootOf = (id: string) => {
      let cur = id;
      while (parent.get(cur)) cur = parent.get(cur)!;
      return cur;
    };
    const byRoot = new Map<string, Call[]>();
    for (const c of handled()) if (c.categoryId) byRoot.set(rootOf(c.categoryId), [...(byRoot.get(rootOf(c.categoryId)) ?? []), c]);
    const r = await get<ByTaskReport>(`/api/stats/by-task?date=${DAY}&top=3`, supervisor);
    const shown = r.rows.filter((row) => row.contacts > 0);
    expect(new Map(shown.map((row) => [row.id, row.contacts]))).toEqual(new Map([...byRoot].map(([id, list]) => [id, list.length])));
    for (const row of shown) {
      const list = byRoot.get(row.id)!;
      expect(row.resolvedRate).toBeCloseTo(list.filter((c) => c.outcome === 'resolved').length / list.length, 12);
      // AHT: answer → wrap-up end (talk + hold + after-call work).
      const aht = list.reduce((s, c) => s + (c.first.get('wrap_up_ended')! - c.first.get('call_answered')!), 0) / list.length / 1000;
      expect(row.ahtSeconds).toBeCloseTo(aht, 6);
      expect(row.previousContacts).toBe(0); // nothing happened the day before
    }
    expect(r.top.length).toBeLessThanOrEqual(3);
    expect(r.unclassified).toBe(handled().filter((c) => !c.categoryId).length);
    const busiest = shown[0]!;
    const drill = await get<ByTaskReport>(`/api/stats/by-task?date=${DAY}&category=${busiest.id}`, supervisor);
    expect(drill.parent?.id).toBe(busiest.id);
    expect(drill.rows.reduce((s, row) => s + row.contacts, 0)).toBe(busiest.contacts);
  });

  it('by period: totals, the hourly series and the heat map add up to the offered calls', async () => {
    const r = await get<ByPeriodReport>(`/api/stats/by-period?date=${DAY}`, supervisor);
    expect(r.granularity).toBe('hour');
    expect(r.series).toHaveLength(24);
    expect(r.totals.current.offered).toBe(80);
    expect(r.series.reduce((s, b) => s + b.totals.offered, 0)).toBe(80);
    expect(r.series.reduce((s, b) => s + b.totals.handled, 0)).toBe(handled().length);
    expect(r.heatMap[1]!.reduce((s, n) => s + n, 0)).toBe(80); // Tuesday's row
    expect(r.totals.previous.offered).toBe(0);
    expect(r.totals.lastYear.offered).toBe(0);
    expect(r.lastYear.fromDay).toBe('2025-12-01');
    const week = await get<ByPeriodReport>(`/api/stats/by-period?period=week&date=${DAY}`, supervisor);
    expect([week.period.fromDay, week.period.toDay, week.series.length]).toEqual(['2026-11-30', '2026-12-06', 7]);
  });

  it('by agent: contacts and ACW per agent from the log; an agent sees only their own figures', async () => {
    const r = await get<ByAgentReport>(`/api/stats/by-agent?date=${DAY}`, supervisor);
    for (const a of r.agents.filter((x) => x.name.startsWith('모의상담사'))) {
      const own = handled().filter((c) => c.agent === a.agentId);
      expect(a.contacts).toBe(own.length);
      const acw = own.reduce((s, c) => s + (c.first.get('wrap_up_ended')! - c.first.get('call_ended')!), 0) / own.length / 1000;
      expect(a.averageAfterCallWorkSeconds).toBeCloseTo(acw, 6);
      expect(a.occupancy!).toBeGreaterThan(0);
      expect(a.occupancy!).toBeLessThanOrEqual(1);
    }
    const agent = await buildUser(ctx.deps.db, { role: 'agent' });
    const cookie = await ctx.signIn(agent.login);
    const own = await get<ByAgentReport>(`/api/stats/by-agent?date=${DAY}`, cookie);
    expect(own.agents.map((a) => a.agentId)).toEqual([agent.id]);
    const other = await get<{ error: { code: string } }>(`/api/stats/by-agent?date=${DAY}&agent=${r.agents[0]!.agentId}`, cookie, 403);
    expect(other.error.code).toBe('FORBIDDEN');
  });

  it('by department: hand-offs received per department; a department head sees only their own (another → 403)', async () => {
    const handOffs = await ctx.deps.db.selectFrom('handoffs').select(['department_id', 'received_at']).execute();
    const expected = new Map<string, number>();
    for (const h of handOffs) if (within(Date.parse(h.received_at), dayFrom, dayTo)) expected.set(h.department_id, (expected.get(h.department_id) ?? 0) + 1);
    expect(expected.size).toBeGreaterThan(0);
    const r = await get<ByDepartmentReport>(`/api/stats/by-department?date=${DAY}`, supervisor);
    expect(new Map(r.departments.filter((d) => d.received > 0).map((d) => [d.departmentId, d.received]))).toEqual(expected);
    const handedOff = handled().filter((c) => c.outcome === 'handed_off').length;
    expect(r.departments.reduce((s, d) => s + d.received, 0)).toBe(handedOff);

    const [own, other] = [...expected.keys()];
    const official = await buildUser(ctx.deps.db, { role: 'official', departmentId: own! });
    const cookie = await ctx.signIn(official.login);
    const mine = await get<ByDepartmentReport>(`/api/stats/by-department?date=${DAY}`, cookie);
    expect(mine.departments.map((d) => [d.departmentId, d.received])).toEqual([[own, expected.get(own!)]]);
    const anyOther = other ?? (await buildDepartment(ctx.deps.db)).id;
    for (const path of ['by-department', 'by-task']) {
      const refused = await get<{ error: { code: string } }>(`/api/stats/${path}?date=${DAY}&department=${anyOther}`, cookie, 403);
      expect(refused.error.code).toBe('FORBIDDEN');
    }
    // The department's tasks only on the by-task report.
    const tasks = await get<ByTaskReport>(`/api/stats/by-task?date=${DAY}`, cookie);
    const ownTasks = await ctx.deps.db.selectFrom('categories').select('id').where('department_id', '=', own!).execute();
    const ownIds = new Set(ownTasks.map((t) => t.id));
    expect(tasks.rows.reduce((s, row) => s + row.contacts, 0)).toBe(handled().filter((c) => c.categoryId && ownIds.has(c.categoryId)).length);
  });

  it('headline: 직접처리율 against 80% and FCR (not final until 7 days have passed)', async () => {
    const r = await get<HeadlineReport>(`/api/stats/headline?date=${DAY}`, supervisor);
    const list = handled();
    const resolved = list.filter((c) => c.outcome === 'resolved').length;
    expect(r).toMatchObject({ handled: list.length, resolved, directResolutionTarget: 0.8 });
    expect(r.directResolutionRate).toBeCloseTo(resolved / list.length, 12);
    expect(r.meetsTarget).toBe(resolved / list.length >= 0.8);
    const identified = [...calls.values()].filter((c) => within(c.first.get('call_dispositioned'), dayFrom, dayTo) && c.callerKey && c.categoryId);
    expect(r.fcr.contacts).toBe(identified.length);
    expect(r.fcr.isFinal).toBe(false);
  });

  it('refuses bad input with a stable code', async () => {
    const unknown = newId();
    const cases: Array<[string, number, string, string?]> = [
      ['/api/stats/service?period=custom&from=2026-12-02&to=2026-12-01', 400, 'VALIDATION_FAILED', 'reversed'],
      ['/api/stats/service?period=custom&from=2026-12-01&to=2026-12-03', 400, 'VALIDATION_FAILED', 'future'],
      ['/api/stats/service?date=2026-12-03', 400, 'VALIDATION_FAILED', 'future'],
      ['/api/stats/service?period=custom&from=2023-01-01&to=2026-12-01', 400, 'VALIDATION_FAILED', 'too_long'],
      ['/api/stats/by-period?period=year&date=2026-12-01&granularity=hour', 400, 'VALIDATION_FAILED', 'too_many_buckets'],
      ['/api/stats/service?date=2026-02-30', 400, 'VALIDATION_FAILED'],
      ['/api/stats/service?date=20261201', 400, 'VALIDATION_FAILED'],
      ['/api/stats/service?period=fortnight', 400, 'VALIDATION_FAILED'],
      ['/api/stats/service?period=custom&from=2026-12-01', 400, 'VALIDATION_FAILED'],
      ['/api/stats/service?from=2026-12-01&to=2026-12-01', 400, 'VALIDATION_FAILED'],
      ['/api/stats/service?slSeconds=0', 400, 'VALIDATION_FAILED'],
      ['/api/stats/service?colour=blue', 400, 'VALIDATION_FAILED'],
      ['/api/stats/by-task?category=not-an-id', 400, 'VALIDATION_FAILED'],
      [`/api/stats/by-task?category=${unknown}`, 404, 'NOT_FOUND'],
      [`/api/stats/by-task?department=${unknown}`, 404, 'NOT_FOUND'],
      [`/api/stats/by-department?department=${unknown}`, 404, 'NOT_FOUND'],
      [`/api/stats/by-agent?agent=${unknown}`, 404, 'NOT_FOUND'],
      ['/api/stats/rising?weeks=1', 400, 'VALIDATION_FAILED'],
    ];
    for (const [url, status, code, reason] of cases) {
      const body = await get<{ error: { code: string; details?: { reason?: string } } }>(url, supervisor, status);
      expect(body.error.code, url).toBe(code);
      if (reason) expect(body.error.details?.reason, url).toBe(reason);
    }
  });
});

describe('statistics on the city calendar', () => {
  let c: TestContext;
  afterAll(async () => c?.close());

  it('a call at 23:59 KST on the last day of a month belongs to that month, 00:30 KST the next to the next; the rising alert fires on a surge', async () => {
    c = await createTestContext();
    c.clock.set(new Date('2026-12-15T10:30:00+09:00')); // a Tuesday
    const dept = await buildDepartment(c.deps.db);
    const { task } = await buildCategoryChain(c.deps.db, dept.id);
    const call = async (atIso: string, categoryId: string) => {
      const id = newId();
      const t = Date.parse(atIso);
      const at = (s: number) => new Date(t + s * 1000).toISOString();
      await c.deps.db
        .insertInto('interactions')
        .values({ id, channel: 'phone', direction: 'inbound', caller_number_sealed: '', caller_index: null, dialled_number: '120', citizen_id: null, agent_id: null, status: 'ended', started_at: at(0), answered_at: at(10), ended_at: at(40) })
        .execute();
      await appendEvents(c.deps.db, [
        { type: 'call_queued', at: at(0), interactionId: id, data: { queueId: 'q' } },
        { type: 'call_answered', at: at(10), interactionId: id },
        { type: 'call_ended', at: at(40), interactionId: id },
        { type: 'wrap_up_ended', at: at(50), interactionId: id },
        { type: 'call_dispositioned', at: at(45), interactionId: id, data: { outcome: 'resolved', categoryId, callerKey: `k${id}` } },
      ]);
    };
    await call('2026-11-01T00:30:00+09:00', task.id); // 15:30 UTC on 31 October: November in Seoul
    await call('2026-11-30T23:59:00+09:00', task.id); // 14:59 UTC on 30 November
    await call('2026-12-01T00:30:00+09:00', task.id); // 15:30 UTC on 30 November: December in Seoul
    const supervisorCookie = await c.signIn((await buildUser(c.deps.db, { role: 'supervisor' })).login);
    const nov = await c.app.inject({ method: 'GET', url: '/api/stats/service?period=month&date=2026-11-01', headers: { cookie: supervisorCookie } });
    const dec = await c.app.inject({ method: 'GET', url: '/api/stats/service?period=month&date=2026-12-01', headers: { cookie: supervisorCookie } });
    expect(nov.json<ServiceReport>()).toMatchObject({ offered: 2, answered: 2, period: { fromDay: '2026-11-01', toDay: '2026-11-30', to: '2026-11-30T15:00:00.000Z' } });
    expect(dec.json<ServiceReport>().offered).toBe(1);

    // A quiet task (one call in the same hour on Tuesdays) gets 8 calls in the last hour: rising.
    for (let w = 1; w <= 8; w++) await call(new Date(Date.parse('2026-12-15T10:00:00+09:00') - w * 7 * 86_400_000).toISOString(), task.id);
    for (let i = 0; i < 8; i++) await call(`2026-12-15T10:0${i}:00+09:00`, task.id);
    const rising = await c.app.inject({ method: 'GET', url: '/api/stats/rising', headers: { cookie: supervisorCookie } });
    expect(rising.statusCode, rising.body).toBe(200);
    expect(rising.json<{ rising: Array<{ categoryId: string; count: number; baselineMean: number }> }>().rising).toEqual([
      expect.objectContaining({ categoryId: task.id, count: 8, baselineMean: 1 }),
    ]);
  }, TIMEOUT);
});
