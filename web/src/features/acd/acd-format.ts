/**
 * Small pure rules of the desk and the wallboard (tested in acd-format.test.ts): durations as a clock, the
 * service-level colour against its target, rates, and server time seen through the browser's clock.
 */
import type { WallboardSnapshot } from '../../../../core/contracts/acd';
import { abandonmentRateOf } from '../../../../core/domain/kpi';

/** "0:07", "12:05", "1:02:09" for a number of seconds (negative counts as 0). */
export function clockDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export type Tone = 'good' | 'warn' | 'bad' | 'none';

/**
 * Service level against its target (80 % in 20 s by default): at or above target good, within 10 points below warn,
 * further below bad; none when nothing was answered or abandoned yet today.
 */
export function serviceLevelTone(level: number | null, target = 0.8): Tone {
  if (level === null) return 'none';
  if (level >= target) return 'good';
  if (level >= target - 0.1 - 1e-9) return 'warn';
  return 'bad';
}

/**
 * The wallboard's 포기율 tile: today's counters through the report's one definition (core abandonmentRateOf: abandons
 * ≥ 5 s ÷ (offered − short abandons)), so the tile and the report never disagree. Null before the first call.
 */
export function wallboardAbandonRate(s: Pick<WallboardSnapshot, 'offeredToday' | 'abandonedToday' | 'shortAbandonedToday'>): number | null {
  return abandonmentRateOf({ offered: s.offeredToday, abandoned: s.abandonedToday, shortAbandoned: s.shortAbandonedToday });
}

export function abandonTone(rate: number | null, limit = 0.05): Tone {
  if (rate === null) return 'none';
  if (rate <= limit) return 'good';
  if (rate <= limit * 2) return 'warn';
  return 'bad';
}

/** Longest wait: over 60 s is bad, over the service-level target warn. */
export function waitTone(seconds: number, targetSeconds = 20): Tone {
  if (seconds <= 0) return 'none';
  if (seconds > 60) return 'bad';
  if (seconds > targetSeconds) return 'warn';
  return 'good';
}

/**
 * The tone of a call's wait in line now (issue #18 item 2): red as soon as one waits longer than the service-level
 * target, whatever today's service level says; amber in its last quarter.
 */
export function lineWaitTone(seconds: number, targetSeconds = 20): Tone {
  if (seconds <= 0) return 'none';
  if (seconds > targetSeconds) return 'bad';
  if (seconds > targetSeconds * 0.75) return 'warn';
  return 'good';
}

/** "87%" / "—" */
export function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

/**
 * The server's "now" estimated in the browser: a message stamped `serverAt` (ISO) that arrived at `receivedAt`
 * (browser epoch ms) plus the time passed since; immune to a workstation clock that is minutes off.
 */
export function serverNow(serverAt: string, receivedAt: number, clientNow: number): number {
  return Date.parse(serverAt) + Math.max(0, clientNow - receivedAt);
}

/** Seconds left of an offer that rang `offeredAt`→`expiresAt` (server times), first seen here at `receivedAt`. */
export function offerSecondsLeft(offeredAt: string, expiresAt: string, receivedAt: number, clientNow: number): number {
  const total = (Date.parse(expiresAt) - Date.parse(offeredAt)) / 1000;
  return Math.max(0, Math.ceil(total - (clientNow - receivedAt) / 1000));
}
