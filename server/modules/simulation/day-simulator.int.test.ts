import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createAppDeps } from '../../deps';
import { FakeClock } from '../../ports/clock/fake.adapter';
import { createTestDb } from '../../test/test-db';
import { createRng } from '../../../core/domain/prng';
import { realisticDay, SIM_PRESETS } from '../../../core/domain/sim-presets';
import type { Db } from '../../db/database';
import { runSimulatedDay, type SimulationOptions, type SimulationResult } from './day-simulator';

/**
 * A small simulated day on a fresh database of the run's dialect, through the real ACD and cases service. A day is
 * thousands of transactions (every ACD decision and case is one), so the timeouts are generous: on PostgreSQL each is
 * a network round trip, and the machine is shared.
 */
const DAY_TIMEOUT_MS = 240_000;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function simulateOn(options: Partial<SimulationOptions> = {}): Promise<{ result: SimulationResult; db: Db }> {
  const handle = await createTestDb();
  closers.push(() => handle.close());
  const clock = new FakeClock('2026-12-01T00:00:00+09:00');
  const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), handle, clock);
  // 2 agents for 200 calls: the peaks queue, so abandons and callbacks happen too.
  const result = await runSimulatedDay(deps, clock, { calls: 200, agents: 2, seed: 'int-test', date: '2026-12-01', ...options });
  return { result, db: deps.db };
}

async function simulate(options: Partial<SimulationOptions> = {}): Promise<SimulationResult> {
  return (await simulateOn(options)).result;
}

/**
 * The day's figures recomputed straight from the raw rows (contact_events, agent_state_changes), independently of
 * core/domain/kpi.ts: the definitions of docs/METRICS.md written out again, per contact by its first events.
 */
async function recomputeFromRows(db: Db) {
  const rows = await db.selectFrom('contact_events').select(['interaction_id', 'type', 'at', 'data']).orderBy('at').orderBy('id').execute();
  type C = { queued?: number; answered?: number; abandoned?: number; callback?: number; ended?: number; wrap?: number; outcome?: string };
  const byId = new Map<string, C>();
  const first = (c: C, k: 'queued' | 'answered' | 'abandoned' | 'callback' | 'ended' | 'wrap', t: number) => {
    if (c[k] === undefined || t < c[k]!) c[k] = t;
  };
  for (const r of rows) {
    if (!r.interaction_id) continue;
    const c = byId.get(r.interaction_id) ?? byId.set(r.interaction_id, {}).get(r.interaction_id)!;
    const t = Date.parse(r.at);
    if (r.type === 'call_queued') first(c, 'queued', t);
    else if (r.type === 'call_answered') first(c, 'answered', t);
    else if (r.type === 'call_abandoned') first(c, 'abandoned', t);
    else if (r.type === 'callback_requested') first(c, 'callback', t);
    else if (r.type === 'call_ended') first(c, 'ended', t);
    else if (r.type === 'wrap_up_ended') first(c, 'wrap', t);
    else if (r.type === 'call_dispositioned' && c.outcome === undefined) c.outcome = (JSON.parse(r.data ?? '{}') as { outcome?: string }).outcome;
  }
  let offered = 0, answered = 0, abandoned = 0, short = 0, callbacks = 0, within = 0, abandonedAfter = 0, waitMs = 0;
  let handled = 0, handleMs = 0, resolved = 0;
  for (const c of byId.values()) {
    if (c.queued !== undefined) {
      offered++;
      const exit = Math.min(c.answered ?? Infinity, c.abandoned ?? Infinity, c.callback ?? Infinity);
      if (exit === c.answered) {
        answered++;
        waitMs += c.answered - c.queued;
        if (c.answered - c.queued <= 20_000) within++;
      } else if (exit === c.abandoned) {
        if (c.abandoned - c.queued < 5_000) short++;
        else {
          abandoned++;
          if (c.abandoned - c.queued > 20_000) abandonedAfter++;
        }
      } else if (exit === c.callback) callbacks++;
    }
    if (c.answered !== undefined && c.ended !== undefined) {
      handled++;
      // Talk + hold is answer → end (a hold lies inside it); after-call work is end → wrap-up ended.
      handleMs += c.ended - c.answered + (c.wrap !== undefined ? c.wrap - c.ended : 0);
      if (c.outcome === 'resolved') resolved++;
    }
  }
  const states = await db.selectFrom('agent_state_changes').select(['user_id', 'at', 'status']).orderBy('at').orderBy('id').execute();
  const byAgent = new Map<string, { at: number; status: string }[]>();
  for (const s of states) (byAgent.get(s.user_id) ?? byAgent.set(s.user_id, []).get(s.user_id)!).push({ at: Date.parse(s.at), status: s.status });
  let busyMs = 0, idleMs = 0;
  for (const list of byAgent.values())
    list.forEach((s, i) => {
      const next = list[i + 1];
      if (!next) return;
      if (['on_call', 'on_hold', 'consulting', 'after_call_work'].includes(s.status)) busyMs += next.at - s.at;
      else if (s.status === 'available') idleMs += next.at - s.at;
    });
  return {
    offered, answered, abandoned, shortAbandoned: short, callbacksRequested: callbacks, handled,
    serviceLevel: within / (answered + abandonedAfter),
    answerRate: answered / (offered - short),
    abandonmentRate: abandoned / (offered - short),
    asaSeconds: waitMs / answered / 1000,
    ahtSeconds: handleMs / handled / 1000,
    directResolutionRate: resolved / handled,
    occupancy: busyMs / (busyMs + idleMs),
  };
}

describe('simulated day (200 calls, 2 agents)', () => {
  it('accounts for every call and recomputes KPIs from the event log that agree with the ACD and the cases', async () => {
    const r = await simulate();
    const k = r.kpis;
    const a = r.accounting;

    expect(a.placed).toBe(200);
    expect(a.lost).toBe(0);
    expect(a.answeredAndEnded + a.abandoned + a.callbacksCompleted + a.callbacksPending + a.refused).toBe(200);
    expect(a.callbacksPending).toBe(0); // the day runs until the line is empty

    // Every call entered a queue and left it one way.
    expect(k.offered).toBe(200);
    expect(k.stillWaiting).toBe(0);
    expect(k.answered + k.abandoned + k.shortAbandoned + k.callbacksRequested).toBe(200);
    expect(k.answered).toBe(a.answeredAndEnded);
    expect(k.abandoned + k.shortAbandoned).toBe(a.abandoned);
    expect(k.callbacksRequested).toBe(a.callbacksRequested);
    // The peaks with 2 agents make callers wait: some leave, some ask for a callback.
    expect(k.callbacksRequested).toBeGreaterThan(0);
    expect(k.abandoned + k.shortAbandoned).toBeGreaterThan(0);
    expect(k.asaSeconds).toBeGreaterThan(0);

    // The ACD's live counters (wallboard) agree with the log recomputation.
    expect(r.wallboard.offeredToday).toBe(k.offered);
    expect(r.wallboard.answeredToday).toBe(k.answered);
    expect(r.wallboard.abandonedToday).toBe(k.abandoned + k.shortAbandoned);
    expect(r.wallboard.callbacksRequestedToday).toBe(k.callbacksRequested);
    // The wallboard's 포기율 tile and the report divide by the same total (issue #12 §0).
    expect(r.wallboard.abandonmentRate).toBe(k.abandonmentRate);

    // Callbacks counted as calls: each completed callback's wait ran until its call back was answered.
    expect(k.allCalls.callbacksAnswered).toBe(a.callbacksCompleted);
    expect(k.allCalls.callbacksUnanswered).toBe(a.callbacksPending);
    expect(k.callbackDelay.answered).toBe(a.callbacksCompleted);
    expect(k.callbackDelay.medianSeconds!).toBeGreaterThan(0);
    expect(k.callbackDelay.p90Seconds!).toBeGreaterThanOrEqual(k.callbackDelay.medianSeconds!);
    expect(k.allCalls.serviceLevel!).toBeLessThan(k.serviceLevel!);
    expect(k.allCalls.asaSeconds!).toBeGreaterThan(k.asaSeconds!);
    expect(k.allCalls.answerRate!).toBeCloseTo((k.answered + a.callbacksCompleted) / (k.offered - k.shortAbandoned), 12);

    // Handled = answered calls + completed callbacks; each has its case, 이관 ones with a legal deadline.
    expect(k.handled).toBe(a.answeredAndEnded + a.callbacksCompleted);
    expect(r.cases.recorded).toBe(k.handled);
    expect(r.cases.failed).toBe(0);
    expect(r.cases.handOffsWithDeadline).toBe(r.cases.handedOff);
    // 직접처리 / 이관 from the call_dispositioned the cases service writes with each case.
    expect(k.directResolutionRate! * k.handled).toBeCloseTo(r.cases.resolved, 9);
    expect(k.directResolutionRate! + k.handOffRate!).toBeCloseTo(1, 9);
    expect(k.handOffRate!).toBeGreaterThan(0.25);
    expect(k.handOffRate!).toBeLessThan(0.55);

    // Handle time: talk + hold + after-call work, within the model's range; occupancy is a fraction.
    expect(k.ahtSeconds!).toBeGreaterThan(120);
    expect(k.ahtSeconds!).toBeLessThan(300);
    expect(k.averageAfterCallWorkSeconds!).toBeGreaterThan(5);
    expect(k.occupancy!).toBeGreaterThan(0.2);
    expect(k.occupancy!).toBeLessThanOrEqual(1);
    expect(r.refusedActions).toBe(0);
  }, DAY_TIMEOUT_MS);

  it('is deterministic: the same seed gives the same KPIs, another seed another day', async () => {
    const first = await simulate({ calls: 60 });
    const again = await simulate({ calls: 60 });
    const other = await simulate({ calls: 60, seed: 'another' });
    expect(again.kpis).toEqual(first.kpis);
    expect(again.accounting).toEqual(first.accounting);
    expect(other.kpis).not.toEqual(first.kpis);
  }, 2 * DAY_TIMEOUT_MS);

  it('writes the same day whether the ACD commits every decision (as the server does) or in batches (the default)', async () => {
    const batched = await simulate({ writes: 'deferred' });
    const immediate = await simulate({ writes: 'immediate' });
    // The same decisions, read back from the same log: the batch changes when rows are written, not what is written.
    expect(immediate.kpis).toEqual(batched.kpis);
    expect(immediate.accounting).toEqual(batched.accounting);
    expect(immediate.cases).toEqual(batched.cases);
    expect(immediate.wallboard).toEqual(batched.wallboard);
    expect(batched.kpis.callbacksRequested).toBeGreaterThan(0); // callbacks, whose rows the simulator reads back, included
    expect(batched.accounting.lost).toBe(0);
  }, 2 * DAY_TIMEOUT_MS);

  it('on a bad day (a scaled-down tax deadline, too few agents) every KPI equals a recomputation from the raw rows', async () => {
    // The gimpo-tax preset planned for 240 calls a day, half of its shifts at work: callers wait, abandon, call
    // again and ask for callbacks; agents take breaks and lunch, miss and reject offers, one leaves early.
    const day = realisticDay({ ...SIM_PRESETS['gimpo-tax']!, staffScale: 0.5 }, createRng('bad-day').fork('roster'), { plannedCalls: 240 });
    const { result: r, db } = await simulateOn({ calls: day.calls, roster: day.roster, mix: day.mix, params: { ...day.params, missedOfferShare: 0.03, rejectedOfferShare: 0.03, chaseShare: 0.08 }, seed: 'bad-day' });
    const k = r.kpis;
    expect(r.accounting.lost).toBe(0);
    expect(r.agents).toBe(day.roster.length);
    // What makes it a bad day really happens.
    expect(k.abandoned).toBeGreaterThan(0);
    expect(k.callbacksRequested).toBeGreaterThan(0);
    expect(r.callers.retrials).toBeGreaterThan(0);
    expect(r.callers.chases).toBeGreaterThan(0);
    expect(r.offers.missed + r.offers.rejected).toBeGreaterThan(0);
    // Retrials are the same caller: fewer callers than calls placed.
    expect(r.callers.unique).toBeLessThan(r.accounting.placed);
    expect(r.accounting.placed).toBe(r.calls + r.callers.retrials);
    // Agents logged in follow the roster (lunch and breaks are not ready, still logged in).
    const at10 = r.staffed.find((s) => s.start === '10:00')!;
    expect(at10.loggedIn).toBeGreaterThan(0);
    expect(at10.onPhones).toBeLessThanOrEqual(at10.loggedIn);

    const again = await recomputeFromRows(db);
    for (const key of ['offered', 'answered', 'abandoned', 'shortAbandoned', 'callbacksRequested', 'handled'] as const) expect(k[key], key).toBe(again[key]);
    for (const key of ['serviceLevel', 'answerRate', 'abandonmentRate', 'asaSeconds', 'ahtSeconds', 'directResolutionRate', 'occupancy'] as const) {
      expect(k[key], key).not.toBeNull();
      expect(k[key]!, key).toBeCloseTo(again[key], 9);
    }
    expect(k.serviceLevel!).toBeLessThan(0.8);
  }, DAY_TIMEOUT_MS);

  it('an agent whose shift ends on a call logs out after the call and its wrap-up (the desk\'s pending logout), never off a live call', async () => {
    // Two agents all day and four whose shifts end in the busy morning (10:00–11:30) of a 200-call day, when agents
    // are mostly on a call or wrapping one up.
    const allDay = { kind: 'full' as const, start: 510, end: 1110, pauses: [], leavesEarlyAt: null };
    const roster = [allDay, allDay, ...[600, 630, 660, 690].map((end) => ({ kind: 'part' as const, start: 510, end, pauses: [], leavesEarlyAt: null }))];
    const { result, db } = await simulateOn({ roster, agents: roster.length, writes: 'immediate' });
    expect(result.accounting.lost).toBe(0);
    const log = await db.selectFrom('agent_state_changes').select(['user_id', 'status', 'reason', 'at']).orderBy('user_id').orderBy('at').orderBy('id').execute();
    const noon = Date.parse('2026-12-01T12:00:00+09:00'); // the four short shifts are over by then, the others not
    const before = new Map<string, { status: string; reason: string | null }>();
    const shiftEnds: string[] = [];
    for (const row of log) {
      const prev = before.get(row.user_id);
      if (row.status === 'logged_out' && prev && Date.parse(row.at) < noon) shiftEnds.push(prev.status === 'not_ready' ? `not_ready:${prev.reason}` : prev.status);
      before.set(row.user_id, { status: row.status, reason: row.reason });
    }
    expect(shiftEnds).toHaveLength(4);
    // Straight from after-call work (the pending logout), from 근무 종료 asked during the wrap-up, or idle; never off a
    // call or a ringing offer.
    for (const from of shiftEnds) expect(['after_call_work', 'not_ready:end_of_shift', 'available']).toContain(from);
    expect(shiftEnds).toContain('after_call_work');
  }, DAY_TIMEOUT_MS);

  it('a meal or break asked for during a call starts when the call\'s work is done and lasts its full length (근로기준법 제54조)', async () => {
    // Two busy agents (200 calls): their breaks and meals come mostly in the middle of a call.
    const day = (pauses: Array<[number, number, 'break' | 'meal']>) => ({ kind: 'full' as const, start: 510, end: 1110, pauses: pauses.map(([at, minutes, reason]) => ({ at, minutes, reason })), leavesEarlyAt: null });
    const roster = [day([[600, 15, 'break'], [720, 60, 'meal'], [900, 15, 'break']]), day([[615, 15, 'break'], [780, 60, 'meal'], [960, 15, 'break']])];
    const { result, db } = await simulateOn({ roster, agents: roster.length });
    expect(result.accounting.lost).toBe(0);
    const log = await db.selectFrom('agent_state_changes').select(['user_id', 'status', 'reason', 'at']).orderBy('user_id').orderBy('at').orderBy('id').execute();
    const planned = new Set(roster.flatMap((s) => s.pauses.map((p) => p.at)));
    const pauses: Array<{ lateMs: number; lengthMs: number; minutes: number }> = [];
    log.forEach((row, i) => {
      if (row.status !== 'not_ready' || (row.reason !== 'break' && row.reason !== 'meal')) return;
      const next = log[i + 1]!;
      expect(next.user_id).toBe(row.user_id);
      const at = Date.parse(row.at);
      const minuteOfDay = Math.floor((at - Date.parse('2026-12-01T00:00:00+09:00')) / 60_000);
      const plannedAt = Math.max(...[...planned].filter((m) => m <= minuteOfDay));
      pauses.push({ lateMs: at - Date.parse('2026-12-01T00:00:00+09:00') - plannedAt * 60_000, lengthMs: Date.parse(next.at) - at, minutes: row.reason === 'meal' ? 60 : 15 });
    });
    expect(pauses).toHaveLength(6);
    for (const p of pauses) expect(p.lengthMs).toBe(p.minutes * 60_000);
    // Some began late (the agent was on a call at the planned time), and still lasted their full length.
    expect(pauses.some((p) => p.lateMs > 0)).toBe(true);
  }, DAY_TIMEOUT_MS);

  it('a realistic day is the same day for the same seed (roster, retrials, chases, KPIs)', async () => {
    const options = () => {
      const day = realisticDay(SIM_PRESETS.gimpo!, createRng('same').fork('roster'), { plannedCalls: 80 });
      return { calls: day.calls, roster: day.roster, mix: day.mix, params: day.params, seed: 'same' };
    };
    const first = await simulate(options());
    const again = await simulate(options());
    expect(again.kpis).toEqual(first.kpis);
    expect(again.callers).toEqual(first.callers);
    expect(again.staffed).toEqual(first.staffed);
    expect(again.accounting).toEqual(first.accounting);
  }, 2 * DAY_TIMEOUT_MS);

  it('refuses a day the centre is closed (a Sunday)', async () => {
    await expect(simulate({ date: '2026-12-06' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  }, DAY_TIMEOUT_MS);
});
