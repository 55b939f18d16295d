import type { WallboardSnapshot } from '../../../core/contracts/acd';
import { CaseOutcomeSchema } from '../../../core/contracts/enums';
import { AGENT_STATUSES, type AgentStatus } from '../../../core/domain/agent-state';
import { kstDay } from '../../../core/domain/business-hours';
import { deriveContacts, summariseContacts, type KpiEvent } from '../../../core/domain/kpi';
import type { AcdEngine } from './engine';
import { iso, isoOrNull, type ContactRec } from './model';

/** Today's live figures of the centre or of one queue (the wallboard's KPIs). */
export type DayCounters = {
  offered: number;
  answered: number;
  answeredWithin: number;
  /** Sum of the queue waits of the answered calls (ASA = answerWaitMs ÷ answered). */
  answerWaitMs: number;
  abandoned: number;
  abandonedAfter: number;
  shortAbandoned: number;
  callbacks: number;
};
export const zeroCounters = (): DayCounters => ({ offered: 0, answered: 0, answeredWithin: 0, answerWaitMs: 0, abandoned: 0, abandonedAfter: 0, shortAbandoned: 0, callbacks: 0 });

/** A caller who hangs up within this long is a short abandon (not counted against the service level). */
export const SHORT_ABANDON_MS = 5_000;
const DEFAULT_AHT_SECONDS = 180;

/** SL 80/20 as kpi.ts defines it: answered within T ÷ (answered + abandoned after T); null before any call. */
export const serviceLevelOf = (k: DayCounters): number | null => (k.answered + k.abandonedAfter > 0 ? k.answeredWithin / (k.answered + k.abandonedAfter) : null);
/** Average speed of answer in seconds; null before any answer. */
export const asaSecondsOf = (k: DayCounters): number | null => (k.answered > 0 ? k.answerWaitMs / k.answered / 1000 : null);

/**
 * Live KPIs (the wallboard's counters): today's offered, answered (within the SL target), abandoned and callback
 * figures of the centre and per queue, and each queue's handle time for wait estimates. Counted as the engine decides
 * and rebuilt from the contact event log at start (core/domain/kpi.ts), so a restart shows the same figures.
 */
export class Counters {
  private total: DayCounters = zeroCounters();
  private perQueue = new Map<string, DayCounters>();
  private today = '';
  private readonly aht = new Map<string, { sum: number; n: number }>();

  constructor(private readonly slMs: number) {}

  /** The KST day the counters are of ('' before the first call or rebuild). */
  get day(): string {
    return this.today;
  }

  get serviceLevelSeconds(): number {
    return this.slMs / 1000;
  }

  /** The centre's figures today. */
  get centre(): Readonly<DayCounters> {
    return this.total;
  }

  /** A queue's figures today (zeros before its first call). */
  ofQueue(queueId: string): Readonly<DayCounters> {
    return this.perQueue.get(queueId) ?? zeroCounters();
  }

  /** Today's figures recomputed from the day's call events (at start). */
  rebuild(rows: readonly EventRow[], now: number): void {
    const day = kstDay(now);
    const from = Date.parse(`${day}T00:00:00+09:00`);
    const contacts = deriveContacts(toKpiEvents(rows));
    const opts = { from, to: from + 86_400_000, serviceLevelSeconds: this.slMs / 1000 };
    this.total = countersOf(summariseContacts(contacts, opts));
    this.perQueue = new Map();
    const byQueue = new Map<string, typeof contacts>();
    for (const c of contacts) {
      if (!c.queueId) continue;
      const list = byQueue.get(c.queueId) ?? [];
      list.push(c);
      byQueue.set(c.queueId, list);
    }
    for (const [q, list] of byQueue) this.perQueue.set(q, countersOf(summariseContacts(list, opts)));
    this.today = day;
  }

  /** At the first moment of a new KST day the figures start again from zero. */
  rollDay(now: number): void {
    const day = kstDay(now);
    if (day === this.today) return;
    this.today = day;
    this.total = zeroCounters();
    this.perQueue = new Map();
    this.aht.clear();
  }

  /** A call entered its queue: offered today. */
  queued(c: ContactRec, now: number): void {
    c.countedDay = kstDay(now);
    this.total.offered++;
    this.queue(c.queueId).offered++;
  }

  /** A call first answered after `waitMs` in line. */
  answered(c: ContactRec, waitMs: number): void {
    if (!this.countsToday(c)) return;
    for (const k of [this.total, this.queue(c.queueId)]) {
      k.answered++;
      k.answerWaitMs += waitMs;
      if (waitMs <= this.slMs) k.answeredWithin++;
    }
  }

  /** The caller hung up after `waitedMs` without an answer. */
  abandoned(c: ContactRec, waitedMs: number): void {
    if (!this.countsToday(c)) return;
    for (const k of [this.total, this.queue(c.queueId)]) {
      if (waitedMs < SHORT_ABANDON_MS) k.shortAbandoned++;
      else {
        k.abandoned++;
        if (waitedMs > this.slMs) k.abandonedAfter++;
      }
    }
  }

  /** The caller left the line for a callback. */
  callbackRequested(c: ContactRec): void {
    if (!this.countsToday(c)) return;
    this.total.callbacks++;
    this.queue(c.queueId).callbacks++;
  }

  /** A call of `queueId` was handled in `seconds` (answer to end of wrap-up): the queue's AHT for wait estimates. */
  handled(queueId: string, seconds: number): void {
    const s = this.aht.get(queueId) ?? { sum: 0, n: 0 };
    s.sum += seconds;
    s.n++;
    this.aht.set(queueId, s);
  }

  /** The queue's average handle time today in seconds (180 before its first handled call). */
  ahtOf(queueId: string): number {
    const s = this.aht.get(queueId);
    return s && s.n > 0 ? s.sum / s.n : DEFAULT_AHT_SECONDS;
  }

  private countsToday(c: ContactRec): boolean {
    return c.kind === 'call' && c.countedDay === this.today;
  }

  private queue(queueId: string): DayCounters {
    let q = this.perQueue.get(queueId);
    if (!q) {
      q = zeroCounters();
      this.perQueue.set(queueId, q);
    }
    return q;
  }
}

/** The supervisors' wallboard: the line now, today's figures (SL 80/20 definition of kpi.ts), agents by state. */
export function wallboard(e: AcdEngine): WallboardSnapshot {
  const now = e.now();
  const counters = e.counters;
  counters.rollDay(now);
  const today = kstDay(now);
  const byStatus = Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Record<AgentStatus, number>;
  const agents: WallboardSnapshot['agents'] = [];
  for (const a of e.agents.all()) {
    byStatus[a.snap.status]++;
    if (a.snap.status !== 'logged_out') {
      agents.push({ agentId: a.id, name: a.name, status: a.snap.status, reason: a.snap.reason, since: iso(a.snap.since), callsHandledToday: a.callsDay === today ? a.callsHandled : 0 });
    }
  }
  const perQueue = new Map<string, { waiting: number; callbacks: number; oldest: number | null }>();
  let waiting = 0;
  let callbacks = 0;
  let oldest: number | null = null;
  for (const w of e.queues.line) {
    const q = perQueue.get(w.queueId) ?? { waiting: 0, callbacks: 0, oldest: null };
    if (w.kind === 'callback') {
      q.callbacks++;
      callbacks++;
    } else {
      q.waiting++;
      waiting++;
      q.oldest = q.oldest === null ? w.enteredAt : Math.min(q.oldest, w.enteredAt);
      oldest = oldest === null ? w.enteredAt : Math.min(oldest, w.enteredAt);
    }
    perQueue.set(w.queueId, q);
  }
  const queues = e.queues.active().map((q) => {
    const line = perQueue.get(q.id);
    const k = counters.ofQueue(q.id);
    let staffed = 0;
    let avail = 0;
    for (const a of e.agents.all()) {
      const s = a.snap.status;
      if (s === 'logged_out' || (q.skill !== null && a.skills[q.skill] === undefined)) continue;
      if (s !== 'not_ready' && s !== 'recovery') staffed++;
      if (s === 'available') avail++;
    }
    return {
      queueId: q.id,
      name: q.name,
      waiting: line?.waiting ?? 0,
      callbacksWaiting: line?.callbacks ?? 0,
      longestWaitSeconds: line?.oldest != null ? Math.max(0, (now - line.oldest) / 1000) : 0,
      offeredToday: k.offered,
      answeredToday: k.answered,
      abandonedToday: k.abandoned,
      serviceLevelToday: serviceLevelOf(k),
      asaSecondsToday: asaSecondsOf(k),
      agentsAvailable: avail,
      agentsStaffed: staffed,
    };
  });
  const open = e.hours.isOpen(now);
  const nextOpen = open ? null : e.hours.nextOpening(now);
  const k = counters.centre;
  return {
    at: iso(now),
    day: counters.day,
    isOpen: open,
    nextOpeningAt: isoOrNull(nextOpen),
    waiting,
    callbacksWaiting: callbacks,
    longestWaitSeconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
    offeredToday: k.offered,
    answeredToday: k.answered,
    answeredWithinTargetToday: k.answeredWithin,
    abandonedToday: k.abandoned,
    shortAbandonedToday: k.shortAbandoned,
    callbacksRequestedToday: k.callbacks,
    serviceLevelToday: serviceLevelOf(k),
    asaSecondsToday: asaSecondsOf(k),
    serviceLevelTargetSeconds: counters.serviceLevelSeconds,
    agentsByStatus: byStatus,
    queues,
    agents,
  };
}

type EventRow = { interaction_id: string | null; type: string; at: string; actor_id: string | null; data: string | null };

/**
 * Contact event rows → the events core/domain/kpi.ts reads: the agent from the actor; queue, callback link and the
 * disposition (outcome, category, the caller's blind index) from the data.
 */
export function toKpiEvents(rows: readonly EventRow[]): KpiEvent[] {
  const out: KpiEvent[] = [];
  for (const r of rows) {
    if (!r.interaction_id) continue;
    let e = parsedRows.get(r);
    if (!e) {
      e = toKpiEvent(r, r.interaction_id);
      if (keptRows.has(r)) parsedRows.set(r, e);
    }
    out.push(e);
  }
  return out;
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

function toKpiEvent(r: EventRow, interactionId: string): KpiEvent {
  const e: KpiEvent = { interactionId, type: r.type as KpiEvent['type'], at: Date.parse(r.at), agentId: r.actor_id, queueId: null };
  if (!r.data) return e;
  let d: Record<string, unknown> = {};
  try {
    d = JSON.parse(r.data) as Record<string, unknown>;
  } catch {
    d = {};
  }
  e.queueId = str(d.queueId);
  if (r.type === 'callback_requested') e.callbackId = str(d.callbackId);
  if (r.type === 'call_dispositioned') {
    const outcome = CaseOutcomeSchema.safeParse(d.outcome);
    e.outcome = outcome.success ? outcome.data : null;
    e.categoryId = str(d.categoryId);
    e.callerKey = str(d.callerKey);
  }
  return e;
}

/**
 * Rows that stay in memory and are read again and again (the statistics' live call logs, rollups.repository.ts) are
 * parsed once: their events are kept beside them (weakly, so they go with the rows). Rows read from the table are
 * parsed each time, as they are new objects anyway. The events are shared: nothing may change them.
 */
const keptRows = new WeakSet<EventRow>();
const parsedRows = new WeakMap<EventRow, KpiEvent>();
export function keepParsedEvents(rows: readonly EventRow[]): void {
  for (const r of rows) keptRows.add(r);
}

function countersOf(s: ReturnType<typeof summariseContacts>): DayCounters {
  return {
    offered: s.offered,
    answered: s.answered,
    answeredWithin: s.answeredWithinTarget,
    answerWaitMs: (s.asaSeconds ?? 0) * 1000 * s.answered,
    abandoned: s.abandoned,
    abandonedAfter: s.abandonedAfterTarget,
    shortAbandoned: s.shortAbandoned,
    callbacks: s.callbacksRequested,
  };
}
