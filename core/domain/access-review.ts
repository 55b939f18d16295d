import { KST_OFFSET_MS } from './kst';

/*
 * 월간 접속기록 점검 (개인정보의 안전성 확보조치 기준 제8조②): the rules the monthly review applies to access
 * records, pure so that they can be tested by table and explained to the privacy officer.
 *
 * Rules (documented in docs/ARCHITECTURE.md):
 * - Unusual volume: a user whose number of access records in the month is more than `volumeFactor` (default 3) times
 *   the median of the users of the same role who have any record that month. A role with one active user has that
 *   user as its median and is never flagged by this rule (nothing to compare with).
 * - Night access: a record whose KST time is in [nightStartHour, 24) or [0, nightEndHour) (default 22:00–06:00).
 * - Every export and every unmask (granted or denied) is listed with its reason.
 */

/** The UTC instants where a KST month (YYYY-MM) starts and the next one starts. */
export function kstMonthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1) - KST_OFFSET_MS);
  const to = new Date(Date.UTC(y, m, 1) - KST_OFFSET_MS);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** The UTC instants where a KST day (YYYY-MM-DD) starts and the next day starts. */
export function kstDayRange(day: string): { from: string; to: string } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const from = new Date(Date.UTC(y, m - 1, d) - KST_OFFSET_MS);
  return { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
}

/** The KST day (YYYY-MM-DD) of an instant. */
export function kstDayOf(at: Date): string {
  return new Date(at.getTime() + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The KST hour (0–23) of an ISO instant. */
export function kstHourOf(atIso: string): number {
  return new Date(Date.parse(atIso) + KST_OFFSET_MS).getUTCHours();
}

/** True when the instant falls in the night window (KST), e.g. 22:00–06:00. */
export function isNightAccess(atIso: string, nightStartHour = 22, nightEndHour = 6): boolean {
  const h = kstHourOf(atIso);
  return nightStartHour > nightEndHour ? h >= nightStartHour || h < nightEndHour : h >= nightStartHour && h < nightEndHour;
}

/** The median of a list of numbers (0 for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type ReviewRules = { volumeFactor: number; nightStartHour: number; nightEndHour: number };
export const DEFAULT_REVIEW_RULES: ReviewRules = { volumeFactor: 3, nightStartHour: 22, nightEndHour: 6 };

/** The fields of an access record the review counts. */
export type ReviewInput = { userId: string; userLogin: string; role: string; at: string; action: string; recordCount: number };

export type UserVolume = {
  userId: string;
  userLogin: string;
  role: string;
  total: number;
  recordsSeen: number;
  byAction: Record<string, number>;
  night: number;
  roleMedian: number;
  isUnusualVolume: boolean;
};

/** Per-user volumes of one month with the unusual-volume flag; the busiest first. */
export function summariseUserVolumes(records: readonly ReviewInput[], rules: ReviewRules = DEFAULT_REVIEW_RULES): UserVolume[] {
  const byUser = new Map<string, UserVolume>();
  for (const r of records) {
    let u = byUser.get(r.userId);
    if (!u) {
      u = { userId: r.userId, userLogin: r.userLogin, role: r.role, total: 0, recordsSeen: 0, byAction: {}, night: 0, roleMedian: 0, isUnusualVolume: false };
      byUser.set(r.userId, u);
    }
    u.total += 1;
    u.recordsSeen += r.recordCount;
    u.byAction[r.action] = (u.byAction[r.action] ?? 0) + 1;
    if (isNightAccess(r.at, rules.nightStartHour, rules.nightEndHour)) u.night += 1;
  }
  const users = [...byUser.values()];
  const medians = new Map<string, number>();
  for (const role of new Set(users.map((u) => u.role))) medians.set(role, median(users.filter((u) => u.role === role).map((u) => u.total)));
  for (const u of users) {
    u.roleMedian = medians.get(u.role) ?? 0;
    u.isUnusualVolume = u.total > rules.volumeFactor * u.roleMedian;
  }
  return users.sort((a, b) => b.total - a.total || a.userLogin.localeCompare(b.userLogin));
}
