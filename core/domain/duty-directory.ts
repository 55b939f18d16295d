import { isOpenAt, kstDay, type OpeningHours } from './business-hours';
import type { HolidayPredicate } from './deadlines';

/**
 * 업무분장 (issue #11 §1): who answers what. A duty (업무) covers one or more categories and belongs to a department;
 * its officials are in order (1 = 주 담당자, then the backups, 부 담당자). Officials declare their presence; the phone
 * system says when an extension is on a call; outside the department's hours an official counts as off duty.
 * `proposeTransferTargets` answers "담당자 연결" (issue #11 §2): the duty's official, or the first reachable backup,
 * the other backups with their reachability, and everyone else of the department who is reachable.
 *
 * Pure: times are epoch milliseconds passed in; holidays come as a predicate (the server's HolidayCalendar port).
 */

/** Presence states, in the order the official's one-click control shows them. */
export const PRESENCE_STATES = ['available', 'on_call', 'in_meeting', 'away', 'off_duty', 'on_leave'] as const;

/** 근무 중 / 통화 중 / 회의 중 / 자리 비움 / 퇴근 / 휴가. */
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** Where an effective state came from (shown as a hint, e.g. "근무시간 외"). */
export type PresenceSource = 'declared' | 'leave' | 'telephony' | 'hours' | 'default';

/**
 * What the official declared last: the state, when (epoch ms) and, for 휴가, the last day of leave (KST, YYYY-MM-DD,
 * inclusive).
 */
export type DeclaredPresence = { state: PresenceState; since: number; leaveUntil: string | null };

/** What is known of one official right now: the declaration (if any) and whether the phone system says "on a call". */
export type PresenceFacts = { declared: DeclaredPresence | null; onCallByPhone: boolean };

/** The presence the desk sees; only `available` is reachable (the phone may be rung). */
export type EffectivePresence = { state: PresenceState; source: PresenceSource; reachable: boolean; leaveUntil: string | null };

/**
 * The department's hours (공무원 복무규정 제9조: 09:00–18:00 on working days), KST. An official outside them counts
 * as off duty; 공휴일 come from the holiday predicate.
 */
export const DEFAULT_DEPARTMENT_HOURS: readonly OpeningHours[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '09:00', closes: '18:00' }));

/** True when a department with these hours is at work at `at` (a working weekday, not a 공휴일, within the hours). */
export function isDepartmentAtWork(at: number, hours: readonly OpeningHours[], isHoliday: HolidayPredicate): boolean {
  return isOpenAt(at, hours, isHoliday);
}

/**
 * The effective presence of one official at `now`, first rule that applies:
 * 1. 휴가 declared with a last day today or later → on leave (whatever the hours);
 * 2. outside the department's hours → off duty;
 * 3. the phone system says the extension is on a call → on a call;
 * 4. a state declared today (KST) → that state (a declaration lasts the day: each working day starts 근무 중);
 * 5. otherwise → available.
 * `today` is the KST day of `now` (given by callers that judge many officials at once).
 * A leave whose last day has passed is over: the official is back (rules 2–5).
 */
export function effectivePresence(facts: PresenceFacts, now: number, isAtWork: boolean, today = kstDay(now)): EffectivePresence {
  const { declared } = facts;
  if (declared?.state === 'on_leave' && declared.leaveUntil !== null && declared.leaveUntil >= today) {
    return { state: 'on_leave', source: 'leave', reachable: false, leaveUntil: declared.leaveUntil };
  }
  if (!isAtWork) return { state: 'off_duty', source: 'hours', reachable: false, leaveUntil: null };
  if (facts.onCallByPhone) return { state: 'on_call', source: 'telephony', reachable: false, leaveUntil: null };
  if (declared && declared.state !== 'on_leave' && kstDay(declared.since) === today) {
    return { state: declared.state, source: 'declared', reachable: declared.state === 'available', leaveUntil: null };
  }
  return { state: 'available', source: 'default', reachable: true, leaveUntil: null };
}

/** A duty of the directory: its categories and its officials in order (first = 주 담당자). */
export type DirectoryDuty = {
  id: string;
  code: string;
  name: string;
  departmentId: string;
  categoryIds: readonly string[];
  officialIds: readonly string[];
};

/** An official as the directory needs them. */
export type DirectoryOfficial = {
  id: string;
  name: string;
  title: string | null;
  departmentId: string | null;
  extension: string | null;
  isActive: boolean;
};

/** A category's place in the taxonomy (a detail falls back to its task's duty) and its owning department. */
export type DirectoryCategory = { id: string; parentId: string | null; departmentId: string | null };

/** The directory indexed for proposals: built once, then each proposal is a few map reads. */
export type DirectoryIndex = {
  dutyByCategory: ReadonlyMap<string, DirectoryDuty>;
  officials: ReadonlyMap<string, DirectoryOfficial>;
  /** Active officials of each department, by name (가나다) then id. */
  byDepartment: ReadonlyMap<string, readonly DirectoryOfficial[]>;
  categories: ReadonlyMap<string, DirectoryCategory>;
};

const byName = (a: DirectoryOfficial, b: DirectoryOfficial) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Indexes the directory by category and the officials by department. A category named by two duties keeps the first. */
export function buildDirectoryIndex(input: {
  duties: readonly DirectoryDuty[];
  officials: readonly DirectoryOfficial[];
  categories: readonly DirectoryCategory[];
}): DirectoryIndex {
  const dutyByCategory = new Map<string, DirectoryDuty>();
  for (const duty of input.duties) for (const c of duty.categoryIds) if (!dutyByCategory.has(c)) dutyByCategory.set(c, duty);
  const officials = new Map(input.officials.map((o) => [o.id, o]));
  const byDepartment = new Map<string, DirectoryOfficial[]>();
  for (const o of input.officials) {
    if (!o.isActive || !o.departmentId) continue;
    const list = byDepartment.get(o.departmentId);
    if (list) list.push(o);
    else byDepartment.set(o.departmentId, [o]);
  }
  for (const list of byDepartment.values()) list.sort(byName);
  return { dutyByCategory, officials, byDepartment, categories: new Map(input.categories.map((c) => [c.id, c])) };
}

/** The duty of a category: its own, else its parent's (a 세부 under a 업무), else none; and the department that answers. */
export function dutyOfCategory(index: DirectoryIndex, categoryId: string): { duty: DirectoryDuty | null; departmentId: string | null } {
  let departmentId: string | null = null;
  let id: string | null = categoryId;
  for (let depth = 0; id !== null && depth < 8; depth++) {
    const duty = index.dutyByCategory.get(id);
    if (duty) return { duty, departmentId: duty.departmentId };
    const category = index.categories.get(id);
    departmentId ??= category?.departmentId ?? null;
    id = category?.parentId ?? null;
  }
  return { duty: null, departmentId };
}

/** One person the desk may call: who, where, their place on the duty list (1-based) and their presence. */
export type TransferCandidate = {
  officialId: string;
  name: string;
  title: string | null;
  departmentId: string | null;
  extension: string | null;
  /** Place on the duty list (1 = 주 담당자), or null when not on it. */
  rank: number | null;
  presence: EffectivePresence;
};

/** The answer of "담당자 연결". */
export type TransferProposal = {
  duty: { id: string; code: string; name: string } | null;
  departmentId: string | null;
  /** The duty's official, or the first reachable backup; null when nobody on the duty list is reachable. */
  proposed: TransferCandidate | null;
  /** The rest of the duty list in order, reachable or not. */
  backups: TransferCandidate[];
  /** Everyone else of the department who is reachable now, by name. */
  othersInDepartment: TransferCandidate[];
  /** True when calling this official needs a reason: not on the duty list (issue #11 §2). */
  needsReason: (officialId: string) => boolean;
};

/** How the proposal learns presence: the facts of an official (absent = nothing declared, not on a call). */
export type PresenceContext = {
  now: number;
  facts: (officialId: string) => PresenceFacts | undefined;
  /** Whether a department is at work now (its hours, 공휴일); called at most once per department per proposal. */
  isAtWork: (departmentId: string | null) => boolean;
};

const NO_FACTS: PresenceFacts = { declared: null, onCallByPhone: false };

/** The officials a proposal for this category looks at (duty list first, then the department), for loading presence. */
export function candidateIdsFor(index: DirectoryIndex, categoryId: string): string[] {
  const { duty, departmentId } = dutyOfCategory(index, categoryId);
  const ids = new Set(duty?.officialIds ?? []);
  for (const o of (departmentId && index.byDepartment.get(departmentId)) || []) ids.add(o.id);
  return [...ids];
}

/**
 * Whom "담당자 연결" proposes for a category (issue #11 §2): the duty's official if reachable, else the first reachable
 * backup in order; the other duty officials in order with their presence; every other reachable official of the
 * department by name. Inactive officials are left out. Deterministic: the same directory, facts and time give the
 * same answer.
 */
export function proposeTransferTargets(index: DirectoryIndex, categoryId: string, ctx: PresenceContext): TransferProposal {
  const { duty, departmentId } = dutyOfCategory(index, categoryId);
  const today = kstDay(ctx.now);
  const atWork = new Map<string | null, boolean>();
  const presenceOf = (o: DirectoryOfficial): EffectivePresence => {
    let at = atWork.get(o.departmentId);
    if (at === undefined) {
      at = ctx.isAtWork(o.departmentId);
      atWork.set(o.departmentId, at);
    }
    return effectivePresence(ctx.facts(o.id) ?? NO_FACTS, ctx.now, at, today);
  };
  const candidate = (o: DirectoryOfficial, rank: number | null): TransferCandidate => ({
    officialId: o.id,
    name: o.name,
    title: o.title,
    departmentId: o.departmentId,
    extension: o.extension,
    rank,
    presence: presenceOf(o),
  });

  const onDuty = new Set<string>();
  const list: TransferCandidate[] = [];
  for (const [i, id] of (duty?.officialIds ?? []).entries()) {
    const o = index.officials.get(id);
    if (!o?.isActive || onDuty.has(id)) continue;
    onDuty.add(id);
    list.push(candidate(o, i + 1));
  }
  const proposed = list.find((c) => c.presence.reachable) ?? null;
  const backups = list.filter((c) => c !== proposed);
  const othersInDepartment: TransferCandidate[] = [];
  for (const o of (departmentId && index.byDepartment.get(departmentId)) || []) {
    if (onDuty.has(o.id)) continue;
    const c = candidate(o, null);
    if (c.presence.reachable) othersInDepartment.push(c);
  }
  return {
    duty: duty ? { id: duty.id, code: duty.code, name: duty.name } : null,
    departmentId,
    proposed,
    backups,
    othersInDepartment,
    needsReason: (officialId) => !onDuty.has(officialId),
  };
}
