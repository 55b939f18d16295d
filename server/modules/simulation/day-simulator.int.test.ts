import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createAppDeps } from '../../deps';
import { FakeClock } from '../../ports/clock/fake.adapter';
import { createTestDb } from '../../test/test-db';
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

async function simulate(options: Partial<SimulationOptions> = {}): Promise<SimulationResult> {
  const handle = await createTestDb();
  closers.push(() => handle.close());
  const clock = new FakeClock('2026-12-01T00:00:00+09:00');
  const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), handle, clock);
  // 2 agents for 200 calls: the peaks queue, so abandons and callbacks happen too.
  return runSimulatedDay(deps, clock, { calls: 200, agents: 2, seed: 'int-test', date: '2026-12-01', ...options });
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

  it('refuses a day the centre is closed (a Sunday)', async () => {
    await expect(simulate({ date: '2026-12-06' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  }, DAY_TIMEOUT_MS);
});
