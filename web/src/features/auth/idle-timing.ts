import type { AgentStatusName } from '../../../../core/contracts/acd';
import { activityRefreshMs } from '../../../../core/contracts/auth';

/**
 * An agent waiting for the next call in 상담 가능, or handling one (offered, talking, holding, consulting, wrap-up),
 * is at work even without a key press (issue #18 item 7): the idle sign-out counts these states as activity. Not
 * ready, recovery and logged out do not.
 */
const WORKING: ReadonlySet<AgentStatusName> = new Set(['available', 'reserved', 'on_call', 'on_hold', 'consulting', 'after_call_work']);

export function isWorkingState(status: AgentStatusName | undefined): boolean {
  return status !== undefined && WORKING.has(status);
}

/** The idle watch's intervals for an idle limit (IDLE_TIMEOUT_MINUTES), in ms. */
export type IdleTimings = {
  /** The server's last-seen time may lag this tab's last call by up to this (its refresh interval): end this early. */
  marginMs: number;
  /** The "계속 사용" dialog shows this long before the end. */
  warnMs: number;
  /** Input newer than this since the server last saw activity is reported with a keep-alive. */
  reportInputMs: number;
};

/**
 * Derived from the server's rule (activityRefreshMs: a minute, or half the limit when shorter) so that short limits
 * work: with a fixed minute of margin a 1-minute limit signed everyone out at once, and a fixed 2-minute warning
 * would be up all the time. At the default 30 minutes: 60 s, 2 min, 60 s.
 */
export function idleTimings(idleMs: number): IdleTimings {
  const marginMs = activityRefreshMs(idleMs);
  const usableMs = idleMs - marginMs;
  const warnMs = Math.min(2 * 60_000, Math.floor(usableMs / 2));
  const reportInputMs = Math.min(60_000, Math.floor((usableMs - warnMs) / 2));
  return { marginMs, warnMs, reportInputMs };
}

export type IdleDecision = { kind: 'sign-out' } | { kind: 'report' | 'wait'; remainingMs: number };

/**
 * One tick of the idle watch: sign out when the time is up; report recent input with a keep-alive while the warning is
 * not up (input during the warning does not count: only its button does); otherwise wait.
 */
export function decideIdle(t: IdleTimings, idleMs: number, times: { now: number; lastInputAt: number; lastActivitySentAt: number; pending: boolean }): IdleDecision {
  const remainingMs = times.lastActivitySentAt + idleMs - t.marginMs - times.now;
  if (remainingMs <= 0) return { kind: 'sign-out' };
  const report = remainingMs > t.warnMs && times.lastInputAt - times.lastActivitySentAt > t.reportInputMs && !times.pending;
  return { kind: report ? 'report' : 'wait', remainingMs };
}
