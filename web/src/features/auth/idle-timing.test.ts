import { describe, expect, it } from 'vitest';
import { activityRefreshMs } from '../../../../core/contracts/auth';
import { decideIdle, idleTimings, isWorkingState } from './idle-timing';

describe('idleTimings', () => {
  it.each([
    [30, { marginMs: 60_000, warnMs: 120_000, reportInputMs: 60_000 }],
    [5, { marginMs: 60_000, warnMs: 120_000, reportInputMs: 60_000 }],
    [2, { marginMs: 60_000, warnMs: 30_000, reportInputMs: 15_000 }],
    [1, { marginMs: 30_000, warnMs: 15_000, reportInputMs: 7_500 }],
  ])('IDLE_TIMEOUT_MINUTES=%i', (minutes, expected) => {
    expect(idleTimings(minutes * 60_000)).toEqual(expected);
  });
});

/**
 * The watch and the server together, tick by tick: the server refreshes last-seen on an active request when it is
 * older than activityRefreshMs and refuses once it is idleMs old (server/modules/auth/auth.service.ts resolveSession).
 */
function simulate(idleMs: number, inputEveryMs: number | null, durationMs: number) {
  const t = idleTimings(idleMs);
  let serverLastSeen = 0;
  let lastActivitySentAt = 0;
  let lastInputAt = 0;
  let dialogShownAt: number | null = null;
  for (let now = 1_000; now <= durationMs; now += 1_000) {
    if (inputEveryMs !== null && now % inputEveryMs === 0) lastInputAt = now;
    const decision = decideIdle(t, idleMs, { now, lastInputAt, lastActivitySentAt, pending: false });
    if (decision.kind === 'sign-out') return { signedOutAt: now, dialogShownAt };
    if (decision.kind === 'report') {
      // The keep-alive: the server must still accept the session, and records activity now.
      if (now - serverLastSeen >= idleMs) return { refusedAt: now, dialogShownAt };
      serverLastSeen = now;
      lastActivitySentAt = now;
    }
    if (decision.remainingMs <= t.warnMs) dialogShownAt ??= now;
  }
  return { signedOutAt: null, dialogShownAt };
}

describe('decideIdle agrees with the server', () => {
  it.each([1, 2, 30])('IDLE_TIMEOUT_MINUTES=%i: someone typing every 5 s is never signed out nor warned', (minutes) => {
    expect(simulate(minutes * 60_000, 5_000, 3 * minutes * 60_000)).toEqual({ signedOutAt: null, dialogShownAt: null });
  });

  it.each([1, 2, 30])('IDLE_TIMEOUT_MINUTES=%i: without input the tab warns, then signs out before the server would refuse', (minutes) => {
    const idleMs = minutes * 60_000;
    const result = simulate(idleMs, null, 2 * idleMs);
    expect(result.signedOutAt).toBe(idleMs - activityRefreshMs(idleMs));
    expect(result.dialogShownAt).toBe(idleMs - activityRefreshMs(idleMs) - idleTimings(idleMs).warnMs);
  });

  it('the old fixed minute of margin signed a 1-minute session out at once', () => {
    expect(decideIdle({ marginMs: 60_000, warnMs: 120_000, reportInputMs: 60_000 }, 60_000, { now: 1, lastInputAt: 1, lastActivitySentAt: 0, pending: false })).toEqual({ kind: 'sign-out' });
  });
});

describe('an agent at work is active (#18 item 7)', () => {
  it('available and every state of a call count; not ready, recovery and logged out do not', () => {
    for (const s of ['available', 'reserved', 'on_call', 'on_hold', 'consulting', 'after_call_work'] as const) expect(isWorkingState(s)).toBe(true);
    for (const s of ['not_ready', 'recovery', 'logged_out'] as const) expect(isWorkingState(s)).toBe(false);
    expect(isWorkingState(undefined)).toBe(false);
  });
});
