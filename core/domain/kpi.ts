import type { CaseOutcome, ContactEventType } from '../contracts/enums';
import { isHandling, type AgentStatus } from './agent-state';

/**
 * Contact-centre KPIs recomputed from the raw event log alone (../shared/reference/contact-center.md §1 lines 8–36,
 * §2 lines 40–67). Nothing here trusts a counter: every figure is derived from timestamps, so the city can recompute
 * it with another definition (the variants of line 51 are computed alongside the default).
 *
 * Attribution: queue figures (offered … ASA) belong to the window in which the contact entered the queue; handling
 * figures (handled, AHT, direct resolution) to the window in which it was answered; occupancy is clipped to the window.
 * Events may arrive in any order and twice: each contact keeps the earliest event of each type.
 */

/**
 * The event types the KPIs read, in the contact log's snake_case. `call_offered` (reached the centre, may end in the
 * IVR) and `call_answered`/`call_ended` are already in ContactEventType; the rest are the issue-4 events
 * (§1 line 17–27: entered_queue → call_queued, offered to an agent → call_reserved, hold_started/ended →
 * call_held/call_resumed, acw_ended → wrap_up_ended, dispositioned → call_dispositioned).
 */
export type KpiEventType =
  | 'call_offered'
  | 'call_queued'
  | 'call_reserved'
  | 'call_answered'
  | 'call_held'
  | 'call_resumed'
  | 'call_transferred'
  | 'call_abandoned'
  | 'callback_requested'
  | 'call_ended'
  | 'wrap_up_ended'
  | 'call_dispositioned';

/** The minimal contact event the KPIs need. Types the KPIs do not read (case_opened …) are ignored. */
export type KpiEvent = {
  interactionId: string;
  type: KpiEventType | ContactEventType;
  /** Epoch ms. */
  at: number;
  /** The agent (on call_reserved, call_answered, call_ended …). */
  agentId?: string | null;
  /** The queue (on call_queued). */
  queueId?: string | null;
  /** Blind index of the caller's number, for first-contact resolution (on call_dispositioned). */
  callerKey?: string | null;
  /** The task category, for first-contact resolution (on call_dispositioned). */
  categoryId?: string | null;
  /** How the contact ended (on call_dispositioned): resolved = 직접처리, transferred = 3자통화, handed_off = 이관. */
  outcome?: CaseOutcome | null;
  /** The callback contact made for this call (on callback_requested): its answer ends the caller's wait. */
  callbackId?: string | null;
};

/** One agent state change (§1 line 36), the input of occupancy. */
export type AgentStateEvent = { agentId: string; status: AgentStatus; at: number };

/** The window and thresholds of a KPI computation. */
export type KpiOptions = {
  /** Window start, epoch ms, inclusive. */
  from: number;
  /** Window end, epoch ms, exclusive. */
  to: number;
  /** T of SL(T), 20 s by default (80/20, line 47). */
  serviceLevelSeconds?: number;
  /** Abandons shorter than this are reported apart and left out of the rates: 5 s (line 46). */
  shortAbandonSeconds?: number;
};

/** What one contact did, derived from its events (times epoch ms, null when the event is absent). */
export type ContactFacts = {
  interactionId: string;
  queueId: string | null;
  agentId: string | null;
  queuedAt: number | null;
  answeredAt: number | null;
  abandonedAt: number | null;
  callbackRequestedAt: number | null;
  endedAt: number | null;
  wrapUpEndedAt: number | null;
  /** Total time on hold in ms (unresumed holds close at call end). */
  holdMs: number;
  outcome: CaseOutcome | null;
  /** How it left the queue: the earliest of answer, abandon and callback request. */
  queueExit: 'answered' | 'abandoned' | 'callback' | null;
  /** The callback contact made when the caller asked for one (null without a request or an older log). */
  callbackId: string | null;
  /** When that callback was answered (the caller's wait ends), null while it has not been. */
  callbackAnsweredAt: number | null;
};

/** The KPIs of one window. Rates are fractions; null when their denominator is 0. */
export type KpiSummary = {
  /** Contacts that entered a queue (line 44). Callbacks count here once, as the call that asked for them. */
  offered: number;
  /** Answered by an agent while waiting on the line. */
  answered: number;
  /** Abandoned after waiting at least the short-abandon threshold (line 46). */
  abandoned: number;
  /** Abandoned within the short-abandon threshold: reported apart, out of the rates (line 46). */
  shortAbandoned: number;
  /** Left the queue with a callback request: not abandons (lines 46, 143). */
  callbacksRequested: number;
  /** Entered the queue and had not left it at the end of the log. */
  stillWaiting: number;
  answeredWithinTarget: number;
  abandonedAfterTarget: number;
  /**
   * The standard OneCall SL(T) = answered within T ÷ (answered + abandoned after T), abandons < 5 s excluded (line 47).
   * Callbacks are excluded (neither in the numerator nor the denominator): see {@link KpiSummary.allCalls}.
   */
  serviceLevel: number | null;
  /** The other definitions of line 48–50, for reports that must match another system. */
  serviceLevelVariants: {
    /** Asterisk SL: answered within T ÷ answered (line 48). */
    answeredOnly: number | null;
    /** Asterisk SL2: (answered within T + abandoned within T) ÷ (answered + abandoned), all abandons (line 49). */
    countingQuickAbandons: number | null;
    /** Connect: removed from queue within T ÷ removed (answered, abandoned or callback requested) (line 50). */
    removedFromQueue: number | null;
  };
  /** 응대율 = answered ÷ offered (line 45), short abandons left out of offered. */
  answerRate: number | null;
  /**
   * The standard 포기율 = abandoned ÷ offered (line 46), short abandons left out of both ({@link abandonmentRateOf}):
   * a callback request is not an abandon (line 46, Amazon Connect), so callbacks count as offered only.
   */
  abandonmentRate: number | null;
  /** Standard ASA = Σ queue wait of answered contacts ÷ answered, a true mean (line 52); callbacks excluded. */
  asaSeconds: number | null;
  /**
   * The same figures counting every call: a callback is a call whose wait ran from its queue entry until the call
   * back was answered. On an overloaded day callbacks are a large share of the calls and the standard figures, which
   * leave them out, look better than what callers lived.
   */
  allCalls: {
    /** Callbacks whose call back was answered (within the log). */
    callbacksAnswered: number;
    /** Callbacks asked for but not (yet) called back by the end of the log: unserved callers. */
    callbacksUnanswered: number;
    /** (answered within T + callbacks answered within T of the queue entry) ÷ (answered + abandoned after T + callbacks). */
    serviceLevel: number | null;
    /** (answered + callbacks answered) ÷ offered, short abandons left out. */
    answerRate: number | null;
    /** (abandoned + callbacks not called back) ÷ offered, short abandons left out of both. */
    abandonmentRate: number | null;
    /** Σ waits (a callback's: queue entry → call back answered) ÷ (answered + callbacks answered). */
    asaSeconds: number | null;
  };
  /** Callback delay: request → call back answered, over the callbacks answered (line 63). */
  callbackDelay: { answered: number; medianSeconds: number | null; p90Seconds: number | null };
  /** Longest queue wait among answered contacts. */
  longestAnswerWaitSeconds: number | null;
  /** Contacts answered in the window whose call has ended (callbacks included). */
  handled: number;
  /** AHT = (talk + hold + ACW) ÷ handled (line 53); talk excludes hold. */
  ahtSeconds: number | null;
  averageTalkSeconds: number | null;
  averageHoldSeconds: number | null;
  averageAfterCallWorkSeconds: number | null;
  /** 직접처리율 = handled contacts closed by the agent (outcome resolved) ÷ handled (line 57). */
  directResolutionRate: number | null;
  /** 이관율 = handled contacts transferred (3자통화) or handed off (이관) ÷ handled (line 58). */
  handOffRate: number | null;
  /** Occupancy = handle time ÷ (handle time + available idle time) (line 54), from agent states; null without them. */
  occupancy: number | null;
};

const DEFAULT_SL_SECONDS = 20;
const DEFAULT_SHORT_ABANDON_SECONDS = 5;

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);
const minOf = (a: number | null, b: number): number => (a === null || b < a ? b : a);

type Draft = ContactFacts & { holds: number[]; resumes: number[] };

/**
 * Folds raw events into one {@link ContactFacts} per interaction. Order-independent and idempotent: the earliest
 * event of each type counts (a re-queue keeps the first entry, so its wait is the caller's whole wait).
 */
export function deriveContacts(events: readonly KpiEvent[]): ContactFacts[] {
  const byId = new Map<string, Draft>();
  for (const e of events) {
    let c = byId.get(e.interactionId);
    if (!c) {
      c = {
        interactionId: e.interactionId,
        queueId: null,
        agentId: null,
        queuedAt: null,
        answeredAt: null,
        abandonedAt: null,
        callbackRequestedAt: null,
        endedAt: null,
        wrapUpEndedAt: null,
        holdMs: 0,
        outcome: null,
        queueExit: null,
        callbackId: null,
        callbackAnsweredAt: null,
        holds: [],
        resumes: [],
      };
      byId.set(e.interactionId, c);
    }
    switch (e.type) {
      case 'call_queued':
        if (c.queuedAt === null || e.at < c.queuedAt) {
          c.queuedAt = e.at;
          c.queueId = e.queueId ?? c.queueId;
        }
        break;
      case 'call_answered':
        if (c.answeredAt === null || e.at < c.answeredAt) {
          c.answeredAt = e.at;
          c.agentId = e.agentId ?? c.agentId;
        }
        break;
      case 'call_abandoned':
        c.abandonedAt = minOf(c.abandonedAt, e.at);
        break;
      case 'callback_requested':
        if (c.callbackRequestedAt === null || e.at < c.callbackRequestedAt) {
          c.callbackRequestedAt = e.at;
          c.callbackId = e.callbackId ?? c.callbackId;
        }
        break;
      // A completed transfer ends the agent's part of the call: logs written before the ACD logged call_ended for a
      // transfer still count it as handled.
      case 'call_ended':
      case 'call_transferred':
        c.endedAt = minOf(c.endedAt, e.at);
        break;
      case 'wrap_up_ended':
        c.wrapUpEndedAt = minOf(c.wrapUpEndedAt, e.at);
        break;
      case 'call_held':
        if (!c.holds.includes(e.at)) c.holds.push(e.at);
        break;
      case 'call_resumed':
        if (!c.resumes.includes(e.at)) c.resumes.push(e.at);
        break;
      case 'call_dispositioned':
        c.outcome = e.outcome ?? c.outcome;
        break;
      default:
        break;
    }
  }
  const out: ContactFacts[] = [];
  for (const { holds, resumes, ...c } of byId.values()) {
    c.holdMs = holdTime(holds, resumes, c.endedAt);
    c.queueExit = queueExitOf(c);
    out.push(c);
  }
  for (const c of out) {
    if (c.callbackId !== null) c.callbackAnsweredAt = byId.get(c.callbackId)?.answeredAt ?? null;
  }
  return out;
}

/** Σ hold intervals: each hold ends at the next resume after it, or at call end; overlapping holds count once. */
function holdTime(holds: number[], resumes: number[], endedAt: number | null): number {
  if (holds.length === 0) return 0;
  const h = [...holds].sort((a, b) => a - b);
  const r = [...resumes].sort((a, b) => a - b);
  let total = 0;
  let coveredUntil = Number.NEGATIVE_INFINITY;
  let j = 0;
  for (const start of h) {
    if (start < coveredUntil) continue;
    while (j < r.length && r[j]! < start) j++;
    const end = j < r.length ? r[j]! : endedAt;
    if (end === null || end === undefined) continue;
    total += end - start;
    coveredUntil = end;
  }
  return total;
}

function queueExitOf(c: ContactFacts): ContactFacts['queueExit'] {
  const exits: Array<[NonNullable<ContactFacts['queueExit']>, number | null]> = [
    ['answered', c.answeredAt],
    ['abandoned', c.abandonedAt],
    ['callback', c.callbackRequestedAt],
  ];
  let best: ContactFacts['queueExit'] = null;
  let bestAt = Number.POSITIVE_INFINITY;
  for (const [kind, at] of exits) {
    if (at !== null && at < bestAt) {
      best = kind;
      bestAt = at;
    }
  }
  return best;
}

const inWindow = (at: number | null, from: number, to: number): at is number => at !== null && at >= from && at < to;

/**
 * 포기율, the one definition shared by the report and the wallboard: abandoned (≥ the short-abandon threshold) ÷
 * (offered − short abandons) (contact-center.md line 46: short abandons are reported apart and left out of the rate).
 * Null before the first counted call.
 */
export function abandonmentRateOf(counts: { offered: number; abandoned: number; shortAbandoned: number }): number | null {
  return ratio(counts.abandoned, counts.offered - counts.shortAbandoned);
}

/** How the handled contacts were dispositioned (contact-center.md lines 57–58). */
export type DispositionRates = {
  handled: number;
  /** 직접처리: settled by the agent. */
  resolved: number;
  /** 3자통화: connected to the official during the call. */
  transferred: number;
  /** 이관: handed to a department with a legal deadline. */
  handedOff: number;
  /** Handled contacts without a disposition (no case recorded, or another outcome). */
  undispositioned: number;
  /** 직접처리율 = resolved ÷ handled (line 57). */
  directResolutionRate: number | null;
  /** 이관율 = (3자통화 + 이관) ÷ handled (line 58); 1 − 직접처리율 when every contact has a disposition. */
  handOffRate: number | null;
};

/**
 * 직접처리율 and 이관율 from the outcomes of the handled contacts, one entry per handled contact (null when it has no
 * `call_dispositioned`): the denominator is every handled contact, so an undispositioned one counts against both.
 */
export function dispositionRates(outcomes: readonly (CaseOutcome | null)[]): DispositionRates {
  let resolved = 0;
  let transferred = 0;
  let handedOff = 0;
  for (const o of outcomes) {
    if (o === 'resolved') resolved++;
    else if (o === 'transferred') transferred++;
    else if (o === 'handed_off') handedOff++;
  }
  const handled = outcomes.length;
  return {
    handled,
    resolved,
    transferred,
    handedOff,
    undispositioned: handled - resolved - transferred - handedOff,
    directResolutionRate: ratio(resolved, handled),
    handOffRate: ratio(transferred + handedOff, handled),
  };
}

/** The nearest-rank percentile (p in 0–100) of values already sorted ascending; null for none. */
export function percentileOfSorted(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/**
 * Occupancy from the agent state log (line 54, Amazon Connect's definition): time in handling states (on call, on
 * hold, consulting, after-call work) ÷ (that + time available), clipped to [from, to). Reserved (ringing), not-ready
 * and recovery count as neither. A state runs until the agent's next change, or the window end. Null with no
 * handling or available time.
 */
export function computeOccupancy(
  states: readonly AgentStateEvent[],
  from: number,
  to: number,
): { handleSeconds: number; availableSeconds: number; occupancy: number | null } {
  const byAgent = new Map<string, AgentStateEvent[]>();
  for (const s of states) {
    const list = byAgent.get(s.agentId);
    if (list) list.push(s);
    else byAgent.set(s.agentId, [s]);
  }
  let handleMs = 0;
  let availableMs = 0;
  for (const list of byAgent.values()) {
    list.sort((a, b) => a.at - b.at);
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      const next = list[i + 1];
      const start = Math.max(s.at, from);
      const end = Math.min(next ? next.at : to, to);
      if (end <= start) continue;
      if (isHandling(s.status)) handleMs += end - start;
      else if (s.status === 'available') availableMs += end - start;
    }
  }
  return {
    handleSeconds: handleMs / 1000,
    availableSeconds: availableMs / 1000,
    occupancy: ratio(handleMs, handleMs + availableMs),
  };
}

/** The KPIs of a window over contacts already derived (see {@link deriveContacts}). */
export function summariseContacts(
  contacts: readonly ContactFacts[],
  options: KpiOptions,
  agentStates?: readonly AgentStateEvent[],
): KpiSummary {
  const { from, to } = options;
  const targetMs = (options.serviceLevelSeconds ?? DEFAULT_SL_SECONDS) * 1000;
  const shortMs = (options.shortAbandonSeconds ?? DEFAULT_SHORT_ABANDON_SECONDS) * 1000;

  let offered = 0;
  let answered = 0;
  let answeredWithinTarget = 0;
  let abandoned = 0;
  let shortAbandoned = 0;
  let abandonedWithinTarget = 0; // all abandons, for SL2
  let abandonedAfterTarget = 0; // abandons ≥ short threshold, for the default SL
  let callbacksRequested = 0;
  let callbacksWithinTarget = 0;
  let callbacksAnswered = 0;
  let callbacksAnsweredWithinTarget = 0;
  let callbackWaitSumMs = 0;
  const callbackDelaysMs: number[] = [];
  let stillWaiting = 0;
  let waitSumMs = 0;
  let longestWaitMs: number | null = null;

  let handled = 0;
  let talkMs = 0;
  let holdMs = 0;
  let acwMs = 0;
  const outcomes: Array<CaseOutcome | null> = [];

  for (const c of contacts) {
    if (inWindow(c.queuedAt, from, to)) {
      offered++;
      const q = c.queuedAt;
      if (c.queueExit === 'answered' && c.answeredAt !== null) {
        const wait = c.answeredAt - q;
        answered++;
        waitSumMs += wait;
        longestWaitMs = longestWaitMs === null ? wait : Math.max(longestWaitMs, wait);
        if (wait <= targetMs) answeredWithinTarget++;
      } else if (c.queueExit === 'abandoned' && c.abandonedAt !== null) {
        const wait = c.abandonedAt - q;
        if (wait <= targetMs) abandonedWithinTarget++;
        if (wait < shortMs) shortAbandoned++;
        else {
          abandoned++;
          if (wait > targetMs) abandonedAfterTarget++;
        }
      } else if (c.queueExit === 'callback' && c.callbackRequestedAt !== null) {
        callbacksRequested++;
        if (c.callbackRequestedAt - q <= targetMs) callbacksWithinTarget++;
        if (c.callbackAnsweredAt !== null) {
          const wait = c.callbackAnsweredAt - q;
          callbacksAnswered++;
          callbackWaitSumMs += wait;
          if (wait <= targetMs) callbacksAnsweredWithinTarget++;
          callbackDelaysMs.push(c.callbackAnsweredAt - c.callbackRequestedAt);
        }
      } else {
        stillWaiting++;
      }
    }
    if (inWindow(c.answeredAt, from, to) && c.endedAt !== null) {
      handled++;
      const hold = c.holdMs;
      talkMs += Math.max(0, c.endedAt - c.answeredAt - hold);
      holdMs += hold;
      if (c.wrapUpEndedAt !== null) acwMs += Math.max(0, c.wrapUpEndedAt - c.endedAt);
      outcomes.push(c.outcome);
    }
  }

  const countedOffered = offered - shortAbandoned;
  const allAbandoned = abandoned + shortAbandoned;
  const removed = answered + allAbandoned + callbacksRequested;
  const sec = (ms: number | null) => (ms === null ? null : ms / 1000);
  callbackDelaysMs.sort((a, b) => a - b);
  const callbacksUnanswered = callbacksRequested - callbacksAnswered;
  const dispositions = dispositionRates(outcomes);
  return {
    offered,
    answered,
    abandoned,
    shortAbandoned,
    callbacksRequested,
    stillWaiting,
    answeredWithinTarget,
    abandonedAfterTarget,
    serviceLevel: ratio(answeredWithinTarget, answered + abandonedAfterTarget),
    serviceLevelVariants: {
      answeredOnly: ratio(answeredWithinTarget, answered),
      countingQuickAbandons: ratio(answeredWithinTarget + abandonedWithinTarget, answered + allAbandoned),
      removedFromQueue: ratio(answeredWithinTarget + abandonedWithinTarget + callbacksWithinTarget, removed),
    },
    answerRate: ratio(answered, countedOffered),
    abandonmentRate: abandonmentRateOf({ offered, abandoned, shortAbandoned }),
    asaSeconds: sec(ratio(waitSumMs, answered)),
    allCalls: {
      callbacksAnswered,
      callbacksUnanswered,
      serviceLevel: ratio(answeredWithinTarget + callbacksAnsweredWithinTarget, answered + abandonedAfterTarget + callbacksRequested),
      answerRate: ratio(answered + callbacksAnswered, countedOffered),
      abandonmentRate: abandonmentRateOf({ offered, abandoned: abandoned + callbacksUnanswered, shortAbandoned }),
      asaSeconds: sec(ratio(waitSumMs + callbackWaitSumMs, answered + callbacksAnswered)),
    },
    callbackDelay: {
      answered: callbackDelaysMs.length,
      medianSeconds: sec(percentileOfSorted(callbackDelaysMs, 50)),
      p90Seconds: sec(percentileOfSorted(callbackDelaysMs, 90)),
    },
    longestAnswerWaitSeconds: sec(longestWaitMs),
    handled,
    ahtSeconds: sec(ratio(talkMs + holdMs + acwMs, handled)),
    averageTalkSeconds: sec(ratio(talkMs, handled)),
    averageHoldSeconds: sec(ratio(holdMs, handled)),
    averageAfterCallWorkSeconds: sec(ratio(acwMs, handled)),
    directResolutionRate: dispositions.directResolutionRate,
    handOffRate: dispositions.handOffRate,
    occupancy: agentStates ? computeOccupancy(agentStates, from, to).occupancy : null,
  };
}

/**
 * A window's KPIs (a day, or one WFM interval) from raw contact events and, for occupancy, agent state changes
 * (pass the states from before `from` too, so the state at the window start is known).
 */
export function computeKpis(
  events: readonly KpiEvent[],
  options: KpiOptions,
  agentStates?: readonly AgentStateEvent[],
): KpiSummary {
  return summariseContacts(deriveContacts(events), options, agentStates);
}

/** The window's KPIs per queue (the queue of the contact's first queue entry); occupancy is not per queue (null). */
export function computeKpisByQueue(events: readonly KpiEvent[], options: KpiOptions): Record<string, KpiSummary> {
  const groups = new Map<string, ContactFacts[]>();
  for (const c of deriveContacts(events)) {
    if (c.queueId === null) continue;
    const list = groups.get(c.queueId);
    if (list) list.push(c);
    else groups.set(c.queueId, [c]);
  }
  const out: Record<string, KpiSummary> = {};
  for (const [queueId, list] of groups) out[queueId] = summariseContacts(list, options);
  return out;
}

/** The KPIs of each 15- or 30-minute interval of a window (line 67: the usual WFM interval). */
export function computeKpisByInterval(
  events: readonly KpiEvent[],
  options: KpiOptions & { intervalMinutes: number },
  agentStates?: readonly AgentStateEvent[],
): Array<{ from: number; to: number; kpis: KpiSummary }> {
  if (!(options.intervalMinutes > 0))
    throw new RangeError(`intervalMinutes must be > 0, got ${options.intervalMinutes}`);
  const contacts = deriveContacts(events);
  const step = options.intervalMinutes * 60_000;
  const out: Array<{ from: number; to: number; kpis: KpiSummary }> = [];
  for (let start = options.from; start < options.to; start += step) {
    const end = Math.min(start + step, options.to);
    out.push({
      from: start,
      to: end,
      kpis: summariseContacts(contacts, { ...options, from: start, to: end }, agentStates),
    });
  }
  return out;
}

/** First-contact resolution of a window (line 56). */
export type FcrSummary = {
  /** Contacts dispositioned in the window with a known caller and category. */
  contacts: number;
  /** Of those, resolved by the agent with no repeat contact (same caller, same category) within the window of days. */
  resolvedWithoutRepeat: number;
  /** Dispositioned contacts without a caller key or category: FCR cannot be judged for them. */
  unidentified: number;
  /** resolvedWithoutRepeat ÷ contacts; KS target ≥ 70%. */
  rate: number | null;
};

/**
 * FCR = contacts resolved with no repeat contact from the same caller on the same category within N days ÷ contacts
 * (line 56; OneCall N = 7). Reads `call_dispositioned` events with `callerKey`, `categoryId` and `outcome`; "resolved"
 * is the agent's own resolution (outcome resolved, 직접처리). A contact's repeat may lie after `to`, so pass the
 * events of the following N days and compute a day's FCR only once they have passed.
 */
export function firstContactResolution(
  events: readonly KpiEvent[],
  options: { from: number; to: number; windowDays?: number },
): FcrSummary {
  const windowMs = (options.windowDays ?? 7) * 86_400_000;
  const firstByInteraction = new Map<string, KpiEvent>();
  for (const e of events) {
    if (e.type !== 'call_dispositioned') continue;
    const seen = firstByInteraction.get(e.interactionId);
    if (!seen || e.at < seen.at) firstByInteraction.set(e.interactionId, e);
  }
  const byKey = new Map<string, number[]>();
  let unidentified = 0;
  const inScope: Array<{ key: string; at: number; isResolved: boolean }> = [];
  for (const e of firstByInteraction.values()) {
    const identified = Boolean(e.callerKey) && Boolean(e.categoryId);
    if (!identified) {
      if (inWindow(e.at, options.from, options.to)) unidentified++;
      continue;
    }
    const key = `${e.callerKey}\u0000${e.categoryId}`;
    const list = byKey.get(key);
    if (list) list.push(e.at);
    else byKey.set(key, [e.at]);
    if (inWindow(e.at, options.from, options.to)) inScope.push({ key, at: e.at, isResolved: e.outcome === 'resolved' });
  }
  for (const list of byKey.values()) list.sort((a, b) => a - b);
  let resolvedWithoutRepeat = 0;
  for (const c of inScope) {
    if (!c.isResolved) continue;
    const times = byKey.get(c.key)!;
    const hasRepeat = times.some((t) => t > c.at && t <= c.at + windowMs);
    if (!hasRepeat) resolvedWithoutRepeat++;
  }
  return {
    contacts: inScope.length,
    resolvedWithoutRepeat,
    unidentified,
    rate: ratio(resolvedWithoutRepeat, inScope.length),
  };
}
