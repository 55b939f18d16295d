import { HAPPY_CALL_QUEUE_CODE } from '../../../core/domain/surveys';
import type { RealtimeServerMessage } from '../../../core/contracts/acd';
import type { Announcement } from '../../../core/contracts/telephony';
import type { AgentSnapshot, AgentStateConfig } from '../../../core/domain/agent-state';
import { maskPhone } from '../../../core/domain/masking';
import { formatPhone } from '../../../core/domain/phone';
import type { EscalationStep, RoutableAgent, RoutingStrategy, WaitingCall } from '../../../core/domain/routing';
import type { Db } from '../../db/database';
import type { SimulatorTelephony } from '../../ports/telephony/simulator.adapter';
import type { TelephonyPort } from '../../ports/telephony/telephony.port';

/**
 * The ACD's shared vocabulary: what the rooms (queues, offers, agent states, callbacks, hours, counters, persistence,
 * reconciliation) hold in memory and the types the rest of the server reads (re-exported by acd.service.ts).
 */

/** Where log lines go (Fastify's logger fits). */
export type AcdLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};
export const SILENT: AcdLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * What the ACD tells the real-time layer: a message for one agent (`type` is the message's type, readable without
 * building the message: an agent's state is built only when a listener reads `message`), or "the wallboard changed".
 */
export type AcdNotice =
  | { kind: 'agent'; agentId: string; type: RealtimeServerMessage['type']; readonly message: RealtimeServerMessage }
  | { kind: 'wallboard_changed' };

/**
 * The protection module's say in routing (감정노동 보호, issue #14), asked synchronously for every call that enters a
 * queue (decisions are made in memory): the messages the caller hears first (the queue's recording + no-abuse
 * notice, a flagged caller's notice) and, for a flagged caller, the designated senior queue instead.
 */
export type CallerPolicy = {
  onEnteringQueue(callerIndex: string, queueId: string, now: number): { queueId: string; messages: Announcement[]; flagged: boolean };
};

export type AcdStartOptions = {
  /** auto: a real timer fires AcdService.tick when something is due (server); manual: the caller ticks. */
  timers?: 'auto' | 'manual';
  /** The in-process phone system (a new one by default). */
  simulator?: SimulatorTelephony;
  /** Other adapters (the CTI webhook), by name. */
  adapters?: TelephonyPort[];
  logger?: AcdLogger;
  /** Build the caller card for each offer (the desk's screen pop); the day simulator turns it off. */
  callerCards?: boolean;
  agentConfig?: Partial<AgentStateConfig>;
  /** Default escalation of queues without their own. */
  escalation?: readonly EscalationStep[];
  /** How often the reconciler runs, in clock ms (10 s). */
  reconcileIntervalMs?: number;
  /** SL target T in seconds (20). */
  serviceLevelSeconds?: number;
  /**
   * immediate (default, the server): each decision is written in one transaction before it takes effect, so a restart
   * loses nothing. deferred (the day simulator only): the rows other services read (interactions, citizens) are still
   * written with each decision, but the ACD's own rows (contacts, agent states and their log, contact events) collect
   * until AcdService.flush or 5,000 are pending, and each agent's and contact's row is then written once per
   * batch. A crash loses the batch: acceptable for a throwaway simulation database, never for a centre.
   */
  writes?: 'immediate' | 'deferred';
};

/**
 * A receipt written first in the transaction of an applied event (the webhook's event id): the event and its receipt
 * are committed together or not at all (issue #10, finding 11). It may throw to refuse the event.
 */
export type EventReceipt = (db: Db) => Promise<void>;

export type TelephonyEventOptions = {
  /**
   * The phone system waits for this event's decision (a SIP route request: the caller rings while Kamailio's timer
   * runs): the event's promise resolves once the decision is written and its commands sent, and the desks' messages
   * (the offer with its caller card, agent states, the wallboard) follow on the next turn of the event loop, still in
   * the order of the decisions. Default false: they are sent before the promise resolves.
   */
  desksLater?: boolean;
};

export type ContactStatus = 'waiting' | 'reserved' | 'connected' | 'held' | 'consulting' | 'ended' | 'abandoned' | 'closed';

/** A call or callback the ACD holds: in line, offered, handled, or in its agent's wrap-up. */
export type ContactRec = {
  id: string;
  kind: 'call' | 'callback';
  source: string;
  externalCallId: string;
  queueId: string;
  skill: string | null;
  priority: number;
  dialledNumber: string;
  ivrChoice: string | null;
  enteredAt: number;
  virtualStartAt: number;
  readyAt: number | null;
  status: ContactStatus;
  agentId: string | null;
  offeredAt: number | null;
  offerExpiresAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  excluded: string[];
  /** Until when the agents in `excluded` are passed over (they may get the contact again after it: #18 item 2). */
  excludedUntil: number | null;
  callbackSealed: string | null;
  originId: string | null;
  /** Masked caller number for lists and the wallboard. */
  callerMasked: string;
  /** The routing view while in line. */
  waiting: WaitingCall | null;
  /** Counted in today's queue figures (entered a queue today). */
  countedDay: string | null;
};

/** An agent (or supervisor) who can take calls. */
export type AgentRec = {
  id: string;
  name: string;
  extension: string | null;
  snap: AgentSnapshot;
  skills: Record<string, number>;
  contactId: string | null;
  lastOfferedAt: number | null;
  callsHandled: number;
  callsDay: string;
  routable: RoutableAgent;
};

export type QueueRec = {
  id: string;
  code: string;
  name: string;
  skill: string | null;
  strategy: RoutingStrategy;
  escalation: EscalationStep[] | null;
  priority: number;
  isActive: boolean;
};

/** The code of the outbound callback queue (회신 전화, issue #11 §4). */
export const OUTBOUND_CALLBACK_QUEUE = 'ANSWER_CALLBACK';
/** The code of the outbound happy-call queue (만족도 조사 전화, issue #15). */
export const HAPPY_CALL_QUEUE = HAPPY_CALL_QUEUE_CODE;
/** The outbound queues the ACD makes on first use. */
export type OutboundQueueCode = typeof OUTBOUND_CALLBACK_QUEUE | typeof HAPPY_CALL_QUEUE;
/**
 * A contact an agent missed or rejected goes to the next agent; it comes back to that agent only after this long
 * (when nobody else took it), so a lone agent who rejects does not leave it waiting for good (issue #18 item 2).
 */
export const REOFFER_AFTER_MISS_MS = 15_000;
const RECENT_KEYS = 20_000;

/** Adds `key` to a bounded set of recent keys (the oldest goes past 20,000). */
export function remember(set: Set<string>, key: string): void {
  set.add(key);
  if (set.size > RECENT_KEYS) {
    const first = set.values().next().value;
    if (first !== undefined) set.delete(first);
  }
}

// A use case writes the same instant many times (events, rows, state changes): the last conversion is kept.
let lastIsoMs = Number.NaN;
let lastIso = '';
export const iso = (ms: number): string => {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
};
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
export const msOrNull = (s: string | null | undefined): number | null => (s ? Date.parse(s) : null);

/** The key of a phone system's call (source and its call id). */
export const externalKey = (source: string, callId: string): string => `${source}\u0000${callId}`;

/** A contact as it enters: with no agent, never offered, answered or ended, nobody passed over. */
export function unoffered() {
  return { agentId: null, offeredAt: null, offerExpiresAt: null, answeredAt: null, endedAt: null, excluded: [] as string[], excludedUntil: null };
}

/** A callback contact as it enters the line: not offered yet, dialling the sealed number. */
export function newCallbackState(sealed: string, e164: string) {
  return {
    status: 'waiting' as const,
    ...unoffered(),
    callbackSealed: sealed,
    callerMasked: maskPhone(formatPhone(e164)),
    waiting: null,
    countedDay: null,
  };
}
