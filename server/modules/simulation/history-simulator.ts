import type { Insertable } from 'kysely';
import { addDays, kstDayOf } from '../../../core/domain/statistics';
import { kstMidnight, minutesOf, planDay, seasonalDay, type PlannedCall } from '../../../core/domain/day-model';
import { createRng, type Rng } from '../../../core/domain/prng';
import { AppError } from '../../../core/errors';
import { computeDueAt, deadlineRuleFor } from '../../../core/domain/deadlines';
import type { AgentStateChangeTable, CaseTable, HandOffTable, InteractionTable } from '../../db/tables';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import type { HolidayCalendar } from '../../ports/holidays/holidays.port';
import { contactEventRows, type ContactEventInput } from '../events/events.repository';
import { forgetLiveLogs, keepAgentStateRollups, keepNewContactRollups, type StateRow } from '../statistics/rollups.repository';
import { handOffFactOf, keepHandOffRollups } from '../statistics/handoff-rollups.repository';
import { insertBulk } from './bulk-insert';
import { prepareSimulation } from './day-simulator';
import { listCategoryCodes, listCategoryRules, listQueueChoices } from './simulation.repository';

/**
 * Simulated history (issue #12 §5, issue #19 "History"): N days of a centre's calls written in bulk, so the reports
 * have months and years to show. Each day's calls come from the day model (core/domain/day-model.ts: arrival curve,
 * topics, talk, hold, after-call work, patience, callbacks, 60/40 outcome) with the season's volume and topic mix
 * (seasonalDay: weekdays, tax months, summer water, December snow; weekends and public holidays closed). A day is
 * played through a first-come-first-served queue of N agents (agents log in at 08:25, lunch in three waves, log out
 * when the line is empty) in memory, not through the ACD: this writes what the ACD would log for such a day (contact
 * events, agent state changes) without its per-decision transactions. One transaction per day, written in bulk
 * (bulk-insert.ts: a JSON array expanded by json_populate_recordset on PostgreSQL, prepared 100-row statements on
 * SQLite), with the statistics' rollups kept in the same transaction from the day's rows: the day's contacts are new
 * and whole, so their contributions come from the rebuild's derivation (keepNewContactRollups) and first-contact
 * resolution is kept against earlier days' dispositions as on the live path; agent state time continues each agent's
 * last state, known here (keepAgentStateRollups). The rollups equal a rebuild from the raw rows (rollups.int.test.ts).
 * Each handled call also gets its case (접수번호 per KST day) and each 이관 its hand-off to the category's department
 * with the legal deadline of core/domain/deadlines.ts, answered on time, late or not yet (the department report's
 * on-time rate, time to answer and overdue count have something to show). The statistics' rollups read the contact
 * events only, so the case rows need no rollup.
 */

export type HistoryOptions = {
  /** Number of days, ending with `toDay`. */
  days: number;
  /** The last day (KST, inclusive). */
  toDay: string;
  seed: number | string;
  /** Calls of an average working day before the weekday and month factors (Gimpo-sized: 1,500). */
  callsPerDay: number;
  agents: number;
  holidays: HolidayCalendar;
  onProgress?: (day: string, done: number, total: number) => void;
};

export type HistoryResult = {
  fromDay: string;
  toDay: string;
  days: number;
  openDays: number;
  /** Interactions written: calls, callback calls, calls to the closed centre. */
  interactions: number;
  calls: { offered: number; answered: number; abandoned: number; callbacks: number; afterHours: number };
  /** Cases recorded (one per handled call) and hand-offs: answered by their deadline, late, still open. */
  cases: number;
  handOffs: { total: number; onTime: number; late: number; open: number };
  events: number;
  stateChanges: number;
  wallMs: number;
};

/** The topics of the day model resolved to the sample taxonomy (server/db/seed/data), plus the seasonal ones. */
const TOPICS: Record<string, (code: string) => boolean> = {
  local_tax: (c) => /^01-0[1-5]$/.test(c),
  passport: (c) => c === '02-01',
  traffic: (c) => /^03-0\d$/.test(c),
  civil_documents: (c) => /^02-0[2-5]$/.test(c),
  other: (c) => /^(0[4-9]|1\d)-\d\d$/.test(c),
  water: (c) => /^05-0[23]$/.test(c),
  roads: (c) => c === '09-01',
};

const LOGIN = '08:25';
const CLOSES = '18:30';
/** Lunch waves (KST) an agent's lunch hour starts at, by agent index. */
const LUNCH = ['11:30', '12:00', '12:30'];
const LUNCH_MS = 3_600_000;
/** The ACD's wrap-up timer with one extension: after-call work never runs longer. */
const MAX_ACW_MS = 58_000;
/** A caller told of a long wait asks for the callback this long after queueing (the announcement). */
const CALLBACK_KEY_MS = 8_000;
/** Share of callers who ring again some day (a history-wide pool, so first-contact resolution sees repeats). */
const REPEAT_SHARE = 0.08;
/** Share of a working day's callers who ring after closing (18:30–21:00) and hear the closed message. */
const EVENING_SHARE = 0.02;
/** Share of repeat callers who ring about the same matter as last time (they chase it: a miss for FCR). */
const SAME_MATTER_SHARE = 0.5;

type AgentDay = { id: string; freeAt: number; lunchAt: number; hadLunch: boolean };
type Caller = { sealed: string; index: string };

/** Writes `days` days of history ending with `toDay` into a database prepared by prepareSimulation's rules (empty). */
export async function simulateHistory(deps: AppDeps, o: HistoryOptions): Promise<HistoryResult> {
  const started = performance.now();
  if (!(o.days >= 1 && o.days <= 3660)) throw new AppError('VALIDATION_FAILED', `days must be 1–3660, got ${o.days}`);
  const setup = await prepareSimulation(deps, o.agents);
  const codes = await listCategoryCodes(deps.db);
  const categories = new Map(Object.entries(TOPICS).map(([topic, match]) => [topic, codes.filter((c) => c.level >= 2 && match(c.code)).map((c) => c.id)]));
  const queueOf = new Map((await listQueueChoices(deps.db)).map((r) => [r.ivr_choice, r.queue_id]));
  const rng = createRng(o.seed);
  const callerRng = rng.fork('callers');
  const pool = Array.from({ length: Math.max(200, o.callsPerDay * 2) }, () => mobile(callerRng));
  const poolSet = new Set(pool);
  const callers = new Map<string, Caller>();
  const callerOf = (number: string): Caller => {
    let c = callers.get(number);
    if (!c) {
      c = { sealed: deps.vault.seal(number), index: deps.vault.phoneIndex(number) };
      if (callers.size < 50_000) callers.set(number, c);
    }
    return c;
  };
  const fromDay = addDays(o.toDay, -(o.days - 1));
  /** The category a caller of the pool last rang about: a repeat caller often rings again about the same matter. */
  const lastMatter = new Map<string, string>();
  const result: HistoryResult = {
    fromDay,
    toDay: o.toDay,
    days: o.days,
    openDays: 0,
    interactions: 0,
    calls: { offered: 0, answered: 0, abandoned: 0, callbacks: 0, afterHours: 0 },
    events: 0,
    stateChanges: 0,
    wallMs: 0,
    cases: 0,
    handOffs: { total: 0, onTime: 0, late: 0, open: 0 },
  };
  const rules = new Map((await listCategoryRules(deps.db)).map((r) => [r.id, r]));
  // Hand-offs answered after this moment are still open (the history ends yesterday; today is when it is looked at).
  const lookedAt = kstMidnight(addDays(o.toDay, 1));
  const agentOf = setup.agents[0]!.id;
  /** Each agent's latest state change written (the chain the state rollups continue). */
  const lastState = new Map<string, StateRow>();
  for (let i = 0; i < o.days; i++) {
    const day = addDays(fromDay, i);
    const season = seasonalDay(day, o.holidays.isHoliday(day));
    const dayRng = rng.fork(day);
    const midnight = kstMidnight(day);
    const planned = planDay(dayRng.fork('plan'), {
      calls: Math.round(o.callsPerDay * season.volumeFactor),
      dayStartKst: midnight,
      exactTotal: false,
      mix: season.mix,
    });
    const repeats = dayRng.fork('repeats');
    const sameMatter = new Set<PlannedCall>();
    for (const call of planned) {
      if (repeats.next() >= REPEAT_SHARE) continue;
      call.callerNumber = pool[repeats.int(pool.length)]!;
      if (repeats.next() < SAME_MATTER_SHARE) sameMatter.add(call);
    }
    const out: DayRows = { interactions: [], events: [], states: [], handled: [] };
    if (season.isOpen) {
      result.openDays++;
      playDay(planned, midnight, setup.agents.map((a) => a.id), { categories, queueOf, callerOf, calls: result.calls, lastMatter, sameMatter, pool: poolSet }, out);
      const evening = dayRng.fork('evening');
      const closesAt = midnight + minutesOf(CLOSES) * 60_000;
      const n = Math.round(planned.length * EVENING_SHARE);
      for (let k = 0; k < n; k++) closedCall(out, closesAt + Math.floor(evening.next() * 2.5 * 3_600_000), callerOf(mobile(evening)), result.calls);
    } else {
      for (const call of planned) closedCall(out, call.arrivesAt, callerOf(call.callerNumber), result.calls);
    }
    out.events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const paper = casesOf(out.handled, day, rules, dayRng.fork('handoffs'), lookedAt, (d) => o.holidays.isHoliday(d), agentOf, result.handOffs);
    const events = contactEventRows(out.events);
    await deps.db.transaction().execute(async (trx) => {
      await insertBulk(trx, 'interactions', out.interactions);
      // The day's contacts are new and whole (callbacks served the same day): their rollups come from the day's rows.
      await keepNewContactRollups(trx, events);
      await insertBulk(trx, 'contact_events', events);
      forgetLiveLogs(trx); // written around appendEvents: the rollups' live call logs may no longer be the table's
      // Each agent's last state of an earlier day is known here: nothing is read back.
      await keepAgentStateRollups(trx, out.states, lastState);
      await insertBulk(trx, 'agent_state_changes', out.states);
      await insertBulk(trx, 'cases', paper.cases);
      await keepHandOffRollups(trx, [], paper.handOffs.map(handOffFactOf));
      await insertBulk(trx, 'handoffs', paper.handOffs);
    });
    for (const r of out.states) lastState.set(r.user_id, { user_id: r.user_id, at: r.at, status: r.status, reason: r.reason ?? null });
    result.cases += paper.cases.length;
    result.interactions += out.interactions.length;
    result.events += out.events.length;
    result.stateChanges += out.states.length;
    o.onProgress?.(day, i + 1, o.days);
  }
  result.wallMs = performance.now() - started;
  return result;
}

/** A handled call as its case needs it. */
type Handled = { interactionId: string; agentId: string; receivedAt: number; recordedAt: number; outcome: PlannedCall['outcome']; categoryId: string };
type DayRows = { interactions: Insertable<InteractionTable>[]; events: ContactEventInput[]; states: Insertable<AgentStateChangeTable>[]; handled: Handled[] };

/**
 * Shares of hand-offs answered by the deadline and 1–10 days late; the rest (6 %) are the hard ones a department answers
 * weeks late (11–45 days after the deadline). Every hand-off is answered some day, as in a real department: only those
 * whose answer falls after the history's end are still open, so "overdue now" stays a few weeks' worth however long
 * the history.
 */
const ON_TIME_SHARE = 0.82;
const LATE_SHARE = 0.12;
const VERY_LATE_DAYS: readonly [number, number] = [11, 45];

/**
 * The day's cases: 직접처리 closed at once; 이관 open with a hand-off to the category's department, due by the legal
 * deadline of its 민원 type (core/domain/deadlines.ts, holidays from the calendar), acknowledged within hours and
 * answered before the deadline (82%), 1–10 days late (12%) or 11–45 days late (6%); an answer later than `lookedAt` is
 * not given yet (the hand-off is open). The case closes with the answer.
 */
function casesOf(
  handled: readonly Handled[],
  day: string,
  rules: ReadonlyMap<string, { department_id: string | null; complaint_type: string | null; deadline_days: number | null; path: string }>,
  rng: Rng,
  lookedAt: number,
  isHoliday: (day: string) => boolean,
  fallbackAgent: string,
  tally: HistoryResult['handOffs'],
): { cases: Insertable<CaseTable>[]; handOffs: Insertable<HandOffTable>[] } {
  const cases: Insertable<CaseTable>[] = [];
  const handOffs: Insertable<HandOffTable>[] = [];
  const dayKey = day.replaceAll('-', '');
  handled.forEach((h, i) => {
    const rule = rules.get(h.categoryId);
    const caseId = newId();
    const at = iso(h.recordedAt);
    const department = rule?.department_id ?? null;
    const handsOn = h.outcome === 'handed_off' && department !== null;
    const complaintType = (rule?.complaint_type ?? 'other') as HandOffTable['complaint_type'];
    let closedAt: string | null = handsOn ? null : at;
    if (handsOn) {
      const deadline = deadlineRuleFor(complaintType, rule?.deadline_days, rule?.path ?? '');
      const due = computeDueAt(new Date(h.receivedAt), deadline, isHoliday).getTime();
      const u = rng.next();
      const span = Math.max(3_600_000, due - h.recordedAt);
      let answeredAt: number | null =
        u < ON_TIME_SHARE
          ? h.recordedAt + Math.round(span * (0.15 + 0.8 * rng.next()))
          : u < ON_TIME_SHARE + LATE_SHARE
            ? due + (1 + rng.int(10)) * 86_400_000
            : due + (VERY_LATE_DAYS[0] + rng.int(VERY_LATE_DAYS[1] - VERY_LATE_DAYS[0] + 1)) * 86_400_000;
      if (answeredAt !== null && answeredAt > lookedAt) answeredAt = null;
      const acknowledgedAt = Math.min(h.recordedAt + (1 + rng.int(6)) * 3_600_000, answeredAt ?? Number.POSITIVE_INFINITY);
      const acknowledged = acknowledgedAt <= lookedAt;
      tally.total++;
      if (answeredAt === null) tally.open++;
      else if (answeredAt <= due) tally.onTime++;
      else tally.late++;
      closedAt = answeredAt === null ? null : iso(answeredAt);
      handOffs.push({
        id: newId(),
        case_id: caseId,
        department_id: department,
        assignee_id: null,
        status: answeredAt !== null ? 'closed' : acknowledged ? 'acknowledged' : 'pending',
        complaint_type: complaintType,
        deadline_basis: deadline.basis,
        received_at: iso(h.receivedAt),
        due_at: iso(due),
        acknowledged_at: acknowledged ? iso(acknowledgedAt) : null,
        answered_at: closedAt,
        closed_at: closedAt,
        answer: answeredAt !== null ? '모의 회신: 처리 결과를 안내함' : null,
        created_by: h.agentId || fallbackAgent,
        updated_at: closedAt ?? (acknowledged ? iso(acknowledgedAt) : at),
      });
    }
    cases.push({
      id: caseId,
      number: `${dayKey}-${String(i + 1).padStart(5, '0')}`,
      interaction_id: h.interactionId,
      citizen_id: null,
      agent_id: h.agentId,
      category_id: h.categoryId,
      complaint_type: complaintType,
      summary: handsOn ? '모의 상담: 담당 부서 이관' : '모의 상담: 안내 완료',
      notes: '',
      location: null,
      outcome: handsOn ? 'handed_off' : 'resolved',
      status: closedAt === null ? 'open' : 'closed',
      created_at: at,
      closed_at: closedAt,
    });
  });
  return { cases, handOffs };
}
type DayContext = {
  categories: Map<string, string[]>;
  queueOf: Map<string, string>;
  callerOf: (number: string) => Caller;
  calls: HistoryResult['calls'];
  lastMatter: Map<string, string>;
  pool: ReadonlySet<string>;
  sameMatter: ReadonlySet<PlannedCall>;
};

const iso = (ms: number) => new Date(ms).toISOString();

function mobile(rng: Rng): string {
  return `+8210${String(10_000_000 + rng.int(90_000_000))}`;
}

function interaction(out: DayRows, id: string, caller: Caller, direction: 'inbound' | 'outbound', at: number, answeredAt: number | null, agentId: string | null) {
  out.interactions.push({
    id,
    channel: 'phone',
    direction,
    caller_number_sealed: caller.sealed,
    caller_index: caller.index,
    dialled_number: '120',
    citizen_id: null,
    agent_id: agentId,
    status: 'ended',
    started_at: iso(at),
    answered_at: answeredAt === null ? null : iso(answeredAt),
    ended_at: iso(at),
  });
}

/** A call to the closed centre: offered, then ended with the closed message (after-hours in the service report). */
function closedCall(out: DayRows, at: number, caller: Caller, calls: HistoryResult['calls']): void {
  const id = newId();
  interaction(out, id, caller, 'inbound', at, null, null);
  out.events.push({ type: 'call_offered', at: iso(at), interactionId: id, data: { dialledNumber: '120' } });
  out.events.push({ type: 'call_ended', at: iso(at + 6_000), interactionId: id, data: { by: 'caller', reason: 'closed' } });
  calls.afterHours++;
}

function state(out: DayRows, agentId: string, at: number, status: string, reason: string | null = null): void {
  out.states.push({ id: newId(), user_id: agentId, at: iso(at), status, reason, source: 'simulation', contact_id: null });
}

/**
 * One open day through a first-come-first-served queue: each caller, in order of queue entry, gets the agent free
 * first (the longest idle); one who would wait past their patience abandons (or asks for a callback); one told of a
 * wait of a minute or more may ask for a callback, which keeps their place and is served by the agent who would have
 * answered. Agents take their lunch hour when free after their wave starts.
 */
function playDay(planned: readonly PlannedCall[], midnight: number, agentIds: readonly string[], ctx: DayContext, out: DayRows): void {
  const loginAt = midnight + minutesOf(LOGIN) * 60_000;
  const agents: AgentDay[] = agentIds.map((id, i) => ({ id, freeAt: loginAt, lunchAt: midnight + minutesOf(LUNCH[i % LUNCH.length]!) * 60_000, hadLunch: false }));
  for (const a of agents) state(out, a.id, loginAt, 'available');
  for (const call of planned) {
    const caller = ctx.callerOf(call.callerNumber);
    const id = newId();
    const queueId = ctx.queueOf.get(call.ivrChoice ?? '') ?? ctx.queueOf.get('')!;
    const queuedAt = call.arrivesAt + 6_000 + Math.round(call.ringMs * 1.5);
    out.events.push({ type: 'call_offered', at: iso(call.arrivesAt), interactionId: id, data: { dialledNumber: '120' } });
    out.events.push({ type: 'call_queued', at: iso(queuedAt), interactionId: id, data: { queueId } });
    ctx.calls.offered++;
    for (const a of agents) {
      if (a.hadLunch || Math.max(a.freeAt, queuedAt) < a.lunchAt) continue;
      const from = Math.max(a.freeAt, a.lunchAt);
      state(out, a.id, from, 'not_ready', 'meal');
      state(out, a.id, from + LUNCH_MS, 'available');
      a.freeAt = from + LUNCH_MS;
      a.hadLunch = true;
    }
    let agent = agents[0]!;
    for (const a of agents) if (a.freeAt < agent.freeAt) agent = a;
    const start = Math.max(queuedAt, agent.freeAt);
    const wait = start + call.ringMs - queuedAt;
    const longWaitCallback = call.asksCallbackIfLong && start - queuedAt >= 60_000;
    const patienceRunsOut = wait > call.patienceMs;
    if (!longWaitCallback && patienceRunsOut && !call.asksCallbackAtPatience) {
      interaction(out, id, caller, 'inbound', call.arrivesAt, null, null);
      out.events.push({ type: 'call_abandoned', at: iso(queuedAt + call.patienceMs), interactionId: id, data: { queueId } });
      ctx.calls.abandoned++;
      continue;
    }
    const topic = ctx.categories.get(call.topic) ?? ctx.categories.get('other')!;
    const categoryId = (ctx.sameMatter.has(call) ? ctx.lastMatter.get(call.callerNumber) : undefined) ?? topic[call.categoryPick % topic.length]!;
    if (ctx.pool.has(call.callerNumber)) ctx.lastMatter.set(call.callerNumber, categoryId);
    if (longWaitCallback || patienceRunsOut) {
      // The callback keeps the caller's place: the agent who would have answered calls back.
      const requestedAt = queuedAt + (longWaitCallback ? CALLBACK_KEY_MS : call.patienceMs);
      const callbackId = newId();
      interaction(out, id, caller, 'inbound', call.arrivesAt, null, null);
      out.events.push({ type: 'callback_requested', at: iso(requestedAt), interactionId: id, data: { queueId, callbackId } });
      const answeredAt = Math.max(start, requestedAt) + call.ringMs + 5_000;
      interaction(out, callbackId, caller, 'outbound', answeredAt - 5_000, answeredAt, agent.id);
      serve(out, agent, callbackId, answeredAt, call.callbackTalkMs, 0, call.callbackAcwMs, call.outcome, categoryId, caller, call.arrivesAt);
      ctx.calls.callbacks++;
      continue;
    }
    interaction(out, id, caller, 'inbound', call.arrivesAt, start + call.ringMs, agent.id);
    serve(out, agent, id, start + call.ringMs, call.talkMs, call.holdMs, call.acwMs, call.outcome, categoryId, caller, call.arrivesAt);
    ctx.calls.answered++;
  }
  const closesAt = midnight + minutesOf(CLOSES) * 60_000;
  for (const a of agents) state(out, a.id, Math.max(closesAt, a.freeAt), 'logged_out');
}

/** An agent answers, talks (with a hold halfway if any), ends, records the case (the disposition) and wraps up. */
function serve(
  out: DayRows,
  agent: AgentDay,
  id: string,
  answeredAt: number,
  talkMs: number,
  holdMs: number,
  acwMs: number,
  outcome: PlannedCall['outcome'],
  categoryId: string,
  caller: Caller,
  receivedAt: number,
): void {
  const endedAt = answeredAt + talkMs + holdMs;
  const wrapEnd = endedAt + Math.min(acwMs, MAX_ACW_MS);
  const ev = (type: ContactEventInput['type'], at: number, data?: Record<string, unknown>) =>
    out.events.push({ type, at: iso(at), interactionId: id, actorId: agent.id, ...(data ? { data } : {}) });
  ev('call_answered', answeredAt);
  state(out, agent.id, answeredAt, 'on_call');
  if (holdMs > 0) {
    const heldAt = answeredAt + Math.round(talkMs / 2);
    ev('call_held', heldAt);
    ev('call_resumed', heldAt + holdMs);
  }
  ev('call_ended', endedAt, { by: 'agent' });
  state(out, agent.id, endedAt, 'after_call_work');
  ev('call_dispositioned', Math.min(wrapEnd, endedAt + 1_000), { outcome, categoryId, callerKey: caller.index });
  out.handled.push({ interactionId: id, agentId: agent.id, receivedAt, recordedAt: Math.min(wrapEnd, endedAt + 1_000), outcome, categoryId });
  ev('wrap_up_ended', wrapEnd);
  state(out, agent.id, wrapEnd, 'available');
  agent.freeAt = wrapEnd;
}

/** Yesterday in KST, the default last day of a history. */
export function yesterdayKst(now: Date): string {
  return addDays(kstDayOf(now.getTime()), -1);
}
