import type {
  AcdContact,
  AcdOffer,
  AgentDeskState,
  AgentStateChangeBody,
  RealtimeServerMessage,
  TransferBody,
  WallboardSnapshot,
} from '../../../core/contracts/acd';
import type { CallerCard, Interaction } from '../../../core/contracts/calls';
import { CaseOutcomeSchema, type ContactEventType } from '../../../core/contracts/enums';
import {
  TelephonyEventSchema,
  type Announcement,
  type RouteDecision,
  type TelephonyCommandDraft,
  type TelephonyEvent,
  type TelephonyEventResult,
} from '../../../core/contracts/telephony';
import {
  AGENT_STATUSES,
  DEFAULT_AGENT_STATE_CONFIG,
  allowedAgentActions,
  assertRecoveryOver,
  dueAgentAction,
  isHandling,
  loggedOutAgent,
  reconcileAgent,
  requestNotReady,
  transitionAgent,
  type AgentAction,
  type AgentSnapshot,
  type AgentStateConfig,
  type AgentStatus,
  type NotReadyReason,
} from '../../../core/domain/agent-state';
import { DEFAULT_OPENING_HOURS, describeHours, isOpenAt, kstDay, nextOpeningAt, type OpeningHours } from '../../../core/domain/business-hours';
import { deriveContacts, summariseContacts, type KpiEvent } from '../../../core/domain/kpi';
import { maskPhone } from '../../../core/domain/masking';
import { formatPhone, normalizePhone, parsePhone } from '../../../core/domain/phone';
import {
  DEFAULT_ESCALATION,
  estimateWait,
  nextEscalationAt,
  pickAgentForCall,
  pickCallForAgent,
  positionInLine,
  selectQueue,
  type EscalationStep,
  type QueueRoute,
  type RoutableAgent,
  type RoutingConfig,
  type RoutingDecision,
  type RoutingStrategy,
  type WaitingCall,
} from '../../../core/domain/routing';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { SimulatorTelephony } from '../../ports/telephony/simulator.adapter';
import type { TelephonyEventSink, TelephonyPort } from '../../ports/telephony/telephony.port';
import { getCallerCard } from '../calls/calls.service';
import type { Viewer } from '../privacy/access-context';
import { presentCallerCard, presentCitizenField } from '../privacy/citizen-data.presenter';
import { findCitizenByPhone, insertCitizen, insertInteractionRow } from '../calls/calls.repository';
import { appendEvents, type ContactEventInput } from '../events/events.repository';
import {
  appendAgentStateChanges,
  insertContact,
  insertQueueIfMissing,
  listAgentUsers,
  listBusinessHours,
  listCallEventsSince,
  listClosedDays,
  listOpenContacts,
  listQueues,
  listRoutes,
  listSkills,
  pruneWebhookEvents,
  markInteractionConnected,
  markInteractionEnded,
  writeAgentStateRow,
  writeContactRow,
} from './acd.repository';
import { TimerHeap } from './timer-heap';

/** Where log lines go (Fastify's logger fits). */
export type AcdLogger = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};
const SILENT: AcdLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

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
  /** auto: a real timer fires {@link AcdService.tick} when something is due (server); manual: the caller ticks. */
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
   * until {@link AcdService.flush} or 5,000 are pending, and each agent's and contact's row is then written once per
   * batch. A crash loses the batch: acceptable for a throwaway simulation database, never for a centre.
   */
  writes?: 'immediate' | 'deferred';
};

type ContactStatus = 'waiting' | 'reserved' | 'connected' | 'held' | 'consulting' | 'ended' | 'abandoned' | 'closed';

type ContactRec = {
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

type AgentRec = {
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

type QueueRec = {
  id: string;
  code: string;
  name: string;
  skill: string | null;
  strategy: RoutingStrategy;
  escalation: EscalationStep[] | null;
  priority: number;
  isActive: boolean;
};

type DayCounters = {
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
const zeroCounters = (): DayCounters => ({ offered: 0, answered: 0, answeredWithin: 0, answerWaitMs: 0, abandoned: 0, abandonedAfter: 0, shortAbandoned: 0, callbacks: 0 });

/** The writes of one use case (or, deferred, of many). */
type UnitOfWork = {
  /**
   * Writes of rows other services read (interactions, citizens: the cases service records a case against the call's
   * interaction): written with the decision in every mode, before the ACD's own rows.
   */
  sharedOps: Array<(db: Db) => Promise<void>>;
  /** Writes of the ACD's own rows. */
  ops: Array<(db: Db) => Promise<void>>;
  events: ContactEventInput[];
  stateChanges: Array<{ id: string; user_id: string; at: string; status: string; reason: string | null; source: string; contact_id: string | null }>;
  contacts: Map<string, ContactRec>;
  newContacts: Set<string>;
  agents: Map<string, AgentRec>;
};

function mergeUnits(a: UnitOfWork | null, b: UnitOfWork): UnitOfWork {
  if (!a) return b;
  a.sharedOps.push(...b.sharedOps);
  a.ops.push(...b.ops);
  for (const e of b.events) a.events.push(e);
  for (const c of b.stateChanges) a.stateChanges.push(c);
  for (const [k, v] of b.contacts) a.contacts.set(k, v);
  for (const k of b.newContacts) a.newContacts.add(k);
  for (const [k, v] of b.agents) a.agents.set(k, v);
  return a;
}

/** A callback contact as it enters the line: not offered yet, dialling the sealed number. */
function newCallbackState(sealed: string, e164: string) {
  return {
    status: 'waiting' as const,
    agentId: null,
    offeredAt: null,
    offerExpiresAt: null,
    answeredAt: null,
    endedAt: null,
    excluded: [],
    excludedUntil: null,
    callbackSealed: sealed,
    callerMasked: maskPhone(formatPhone(e164)),
    waiting: null,
    countedDay: null,
  };
}

/** What a caller on hold hears while the agent consults someone (담당자 연결, issue #11 §2). */
const TRANSFER_HOLD: Announcement = { kind: 'transfer_hold', text: '담당자에게 연결하고 있습니다. 잠시만 기다려 주십시오.' };

/** The code of the outbound callback queue (회신 전화, issue #11 §4). */
export const OUTBOUND_CALLBACK_QUEUE = 'ANSWER_CALLBACK';
const SHORT_ABANDON_MS = 5_000;
/**
 * A contact an agent missed or rejected goes to the next agent; it comes back to that agent only after this long
 * (when nobody else took it), so a lone agent who rejects does not leave it waiting for good (issue #18 item 2).
 */
const REOFFER_AFTER_MISS_MS = 15_000;
const DEFAULT_AHT_SECONDS = 180;
const RECENT_EVENT_IDS = 20_000;

/** Adds `key` to a bounded set of recent keys (the oldest goes past {@link RECENT_EVENT_IDS}). */
function remember(set: Set<string>, key: string): void {
  set.add(key);
  if (set.size > RECENT_EVENT_IDS) {
    const first = set.values().next().value;
    if (first !== undefined) set.delete(first);
  }
}

/**
 * A receipt written first in the transaction of an applied event (the webhook's event id): the event and its receipt
 * are committed together or not at all (issue #10, finding 11). It may throw to refuse the event.
 */
export type EventReceipt = (db: Db) => Promise<void>;
const DECISION_SAMPLES = 100_000;

// A use case writes the same instant many times (events, rows, state changes): the last conversion is kept.
let lastIsoMs = Number.NaN;
let lastIso = '';
const iso = (ms: number): string => {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
};
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const msOrNull = (s: string | null | undefined): number | null => (s ? Date.parse(s) : null);

/**
 * The ACD (issue #4): queues chosen by dialled number and IVR choice, skills with escalation over time, caller
 * priority, one line across queues (core/domain/routing.ts), offers with a timeout and auto-pause, callbacks that keep
 * the caller's place, business hours and holidays, agent states (core/domain/agent-state.ts) with a periodic
 * reconciler, position-aware wait estimates, and the contact event log every KPI is recomputed from.
 *
 * The decision is made in memory on indexed structures (the line, the available agents); every use case then writes
 * its rows in one transaction (contacts, agent states and their log, interactions, contact events) before commands
 * go to the phone system and messages to the desks. A restart rebuilds the memory from the database
 * ({@link AcdService.start}). Time is `deps.clock`; timers run in {@link AcdService.tick}.
 */
export class AcdService implements TelephonyEventSink {
  readonly simulator: SimulatorTelephony;
  private readonly adapters = new Map<string, TelephonyPort>();
  private readonly log: AcdLogger;
  private readonly agentConfig: AgentStateConfig;
  private readonly defaultEscalation: readonly EscalationStep[];
  private readonly reconcileIntervalMs: number;
  private readonly slMs: number;
  private readonly callerCards: boolean;

  private queues = new Map<string, QueueRec>();
  private routes: QueueRoute[] = [];
  private routing: RoutingConfig = { strategy: 'longest_idle', escalation: DEFAULT_ESCALATION };
  private hours: OpeningHours[] = [...DEFAULT_OPENING_HOURS];
  private closedDays = new Set<string>();

  private readonly agents = new Map<string, AgentRec>();
  private readonly contacts = new Map<string, ContactRec>();
  private readonly byExternal = new Map<string, string>();
  /** The one line across queues: contacts waiting for an agent (with their index for O(1) removal). */
  private readonly line: WaitingCall[] = [];
  private readonly lineIndex = new Map<string, number>();
  /** Routable agents (status available), indexed likewise. */
  private readonly available: RoutableAgent[] = [];
  private readonly availableIndex = new Map<string, number>();
  private readonly timers = new TimerHeap();
  private readonly recentEventIds = new Set<string>();
  /** Phone-system calls (source:callId) that ended lately: a late second `ended` is answered `duplicate`. */
  private readonly finishedCalls = new Set<string>();
  private readonly offerCards = new Map<string, CallerCard | null>();

  private counters: DayCounters = zeroCounters();
  private queueCounters = new Map<string, DayCounters>();
  private countersDay = '';
  private readonly ahtSum = new Map<string, { sum: number; n: number }>();
  private nextReconcileAt = 0;
  private nextPruneAt = 0;

  // Unit of work: writes of the current use case, flushed in one transaction, then effects.
  private ops: Array<(db: Db) => Promise<void>> = [];
  private sharedOps: Array<(db: Db) => Promise<void>> = [];
  private events: ContactEventInput[] = [];
  private stateChanges: Array<{ id: string; user_id: string; at: string; status: string; reason: string | null; source: string; contact_id: string | null }> = [];
  private readonly dirtyContacts = new Map<string, ContactRec>();
  private readonly newContacts = new Set<string>();
  private readonly dirtyAgents = new Map<string, AgentRec>();
  private commands: Array<{ source: string; command: TelephonyCommandDraft }> = [];
  private notices: AcdNotice[] = [];
  private offersToAnnounce: ContactRec[] = [];
  private flushChain: Promise<void> = Promise.resolve();
  private readonly inflight = new Set<Promise<void>>();
  private readonly listeners = new Set<(notice: AcdNotice) => void>();
  private readonly decisionMs: number[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private callerPolicy: CallerPolicy | null = null;

  private constructor(
    private readonly deps: AppDeps,
    private readonly options: AcdStartOptions,
  ) {
    this.log = options.logger ?? SILENT;
    this.agentConfig = { ...DEFAULT_AGENT_STATE_CONFIG, ...options.agentConfig };
    this.defaultEscalation = options.escalation ?? DEFAULT_ESCALATION;
    this.reconcileIntervalMs = options.reconcileIntervalMs ?? 10_000;
    this.slMs = (options.serviceLevelSeconds ?? 20) * 1000;
    this.callerCards = options.callerCards ?? true;
    this.simulator = options.simulator ?? new SimulatorTelephony(deps.clock);
    this.simulator.connect(this);
    this.adapters.set(this.simulator.name, this.simulator);
    for (const a of options.adapters ?? []) this.adapters.set(a.name, a);
  }

  /** Loads configuration and state from the database (a restart rebuilds the line, callbacks and agents) and starts. */
  static async start(deps: AppDeps, options: AcdStartOptions = {}): Promise<AcdService> {
    const acd = new AcdService(deps, options);
    await acd.load();
    return acd;
  }

  // ————————————————————————————————————————— loading —————————————————————————————————————————

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /** Re-reads queues, routes, skills, hours and closed days (after an admin change). Agents and calls stay. */
  async reloadConfig(): Promise<void> {
    const [queues, routes, skills, hours, closed] = await Promise.all([
      listQueues(this.deps.db),
      listRoutes(this.deps.db),
      listSkills(this.deps.db),
      listBusinessHours(this.deps.db),
      listClosedDays(this.deps.db),
    ]);
    this.queues = new Map(
      queues.map((q) => [
        q.id,
        {
          id: q.id,
          code: q.code,
          name: q.name,
          skill: q.skill,
          strategy: q.strategy,
          escalation: q.escalation ? (JSON.parse(q.escalation) as EscalationStep[]) : null,
          priority: q.priority,
          isActive: q.is_active === 1,
        },
      ]),
    );
    this.routes = routes
      .filter((r) => this.queues.get(r.queue_id)?.isActive)
      .map((r) => ({ dialledNumber: r.dialled_number, ivrChoice: r.ivr_choice === '' ? null : r.ivr_choice, queueId: r.queue_id }));
    const perQueue: Record<string, { strategy: RoutingStrategy; escalation?: readonly EscalationStep[] }> = {};
    for (const q of this.queues.values()) perQueue[q.id] = q.escalation ? { strategy: q.strategy, escalation: q.escalation } : { strategy: q.strategy };
    this.routing = { strategy: 'longest_idle', escalation: this.defaultEscalation, queues: perQueue };
    this.hours = hours.length > 0 ? hours.map((h) => ({ weekday: h.weekday, opens: h.opens, closes: h.closes })) : [...DEFAULT_OPENING_HOURS];
    this.closedDays = new Set(closed.map((d) => d.day));
    const skillsByAgent = new Map<string, Record<string, number>>();
    for (const s of skills) {
      const m = skillsByAgent.get(s.user_id) ?? {};
      m[s.skill] = s.level;
      skillsByAgent.set(s.user_id, m);
    }
    for (const agent of this.agents.values()) {
      agent.skills = skillsByAgent.get(agent.id) ?? {};
      agent.routable.skills = agent.skills;
    }
    this.pendingSkills = skillsByAgent;
    // Skills or hours may now allow matches that were impossible: offer what can be offered.
    if (this.agents.size > 0) {
      this.dispatchAll(this.now());
      await this.commit();
    }
  }

  private pendingSkills = new Map<string, Record<string, number>>();

  private async load(): Promise<void> {
    await this.reloadConfig();
    const now = this.now();
    const today = kstDay(now);
    for (const row of await listAgentUsers(this.deps.db)) this.addAgentFromRow(row, today, now);

    for (const row of await listOpenContacts(this.deps.db)) {
      const c: ContactRec = {
        id: row.id,
        kind: row.kind,
        source: row.source,
        externalCallId: row.external_call_id,
        queueId: row.queue_id,
        skill: row.skill,
        priority: row.priority,
        dialledNumber: row.dialled_number,
        ivrChoice: row.ivr_choice,
        enteredAt: Date.parse(row.entered_at),
        virtualStartAt: Date.parse(row.virtual_start_at),
        readyAt: msOrNull(row.ready_at),
        status: row.status as ContactStatus,
        agentId: row.agent_id,
        offeredAt: msOrNull(row.offered_at),
        offerExpiresAt: msOrNull(row.offer_expires_at),
        answeredAt: msOrNull(row.answered_at),
        endedAt: msOrNull(row.ended_at),
        excluded: row.excluded_agents ? (JSON.parse(row.excluded_agents) as string[]) : [],
        // After a restart the agent who missed or rejected it is passed over for the same while, then may get it again.
        excludedUntil: row.excluded_agents ? now + REOFFER_AFTER_MISS_MS : null,
        callbackSealed: row.callback_number_sealed,
        originId: row.origin_id,
        callerMasked: '',
        waiting: null,
        countedDay: kstDay(Date.parse(row.entered_at)),
      };
      c.callerMasked = await this.maskedCallerOf(c);
      this.contacts.set(c.id, c);
      this.byExternal.set(this.externalKey(c.source, c.externalCallId), c.id);
      // The in-process phone system lives in this process: its calls come back with it.
      if (c.source === this.simulator.name && c.status !== 'closed') this.simulator.markLive(c.externalCallId);
      const agent = c.agentId ? this.agents.get(c.agentId) : undefined;
      if (c.status === 'waiting') this.enterLine(c, now);
      else if (c.status === 'reserved' && (!agent || agent.snap.status !== 'reserved' || agent.contactId !== c.id)) {
        // The agent's side was lost: the call goes back to its place in line.
        c.status = 'waiting';
        c.agentId = null;
        this.markContact(c);
        this.enterLine(c, now);
      }
    }
    for (const agent of this.agents.values()) {
      if (agent.snap.timerEndsAt !== null) this.timers.push({ at: agent.snap.timerEndsAt, kind: 'agent', id: agent.id });
    }
    await this.rebuildCounters(now);
    this.nextReconcileAt = now + this.reconcileIntervalMs;
    this.timers.push({ at: this.nextReconcileAt, kind: 'reconcile', id: '' });
    this.dispatchAll(now);
    await this.commit();
  }

  private addAgentFromRow(row: Awaited<ReturnType<typeof listAgentUsers>>[number], today: string, now: number): AgentRec {
    const snap: AgentSnapshot = row.status
      ? {
          status: row.status as AgentStatus,
          since: Date.parse(row.since ?? iso(now)),
          reason: (row.reason as NotReadyReason | null) ?? null,
          missedOffers: row.missed_offers ?? 0,
          pendingNotReady: (row.pending_not_ready as NotReadyReason | null) ?? null,
          timerEndsAt: msOrNull(row.timer_ends_at),
        }
      : loggedOutAgent(now);
    const skills = this.pendingSkills.get(row.id) ?? {};
    const callsHandled = row.calls_day === today ? (row.calls_handled ?? 0) : 0;
    const agent: AgentRec = {
      id: row.id,
      name: row.name,
      extension: row.extension,
      snap,
      skills,
      contactId: row.contact_id ?? null,
      lastOfferedAt: msOrNull(row.last_offered_at),
      callsHandled,
      callsDay: today,
      routable: { id: row.id, status: snap.status, skills, idleSince: snap.since, lastOfferedAt: msOrNull(row.last_offered_at), callsHandled },
    };
    this.agents.set(agent.id, agent);
    if (snap.status === 'available') this.addAvailable(agent);
    return agent;
  }

  /** Makes sure a user who can take calls is known to the ACD (loads one created after start). */
  async ensureAgent(agentId: string): Promise<void> {
    await this.agentOf(agentId);
  }

  /** The agent, loading a user created after start; NOT_FOUND for users who cannot take calls. */
  private async agentOf(agentId: string): Promise<AgentRec> {
    const known = this.agents.get(agentId);
    if (known) return known;
    const [row] = await listAgentUsers(this.deps.db, agentId);
    if (!row) throw new AppError('NOT_FOUND', '상담 가능한 사용자가 아닙니다.');
    const now = this.now();
    return this.agents.get(agentId) ?? this.addAgentFromRow(row, kstDay(now), now);
  }

  private externalKey(source: string, callId: string): string {
    return `${source}\u0000${callId}`;
  }

  private async maskedCallerOf(c: ContactRec): Promise<string> {
    if (c.callbackSealed) return maskPhone(formatPhone(this.deps.vault.open(c.callbackSealed)));
    const row = await this.deps.db.selectFrom('interactions').select('caller_number_sealed').where('id', '=', c.id).executeTakeFirst();
    if (!row?.caller_number_sealed) return '';
    try {
      return maskPhone(formatPhone(this.deps.vault.open(row.caller_number_sealed)));
    } catch {
      return '';
    }
  }

  /** Today's wallboard figures, recomputed from the contact event log with core/domain/kpi.ts. */
  private async rebuildCounters(now: number): Promise<void> {
    const day = kstDay(now);
    const from = Date.parse(`${day}T00:00:00+09:00`);
    const rows = await listCallEventsSince(this.deps.db, iso(from));
    const events = toKpiEvents(rows);
    const contacts = deriveContacts(events);
    const opts = { from, to: from + 86_400_000, serviceLevelSeconds: this.slMs / 1000 };
    this.counters = countersOf(summariseContacts(contacts, opts));
    this.queueCounters = new Map();
    const byQueue = new Map<string, typeof contacts>();
    for (const c of contacts) {
      if (!c.queueId) continue;
      const list = byQueue.get(c.queueId) ?? [];
      list.push(c);
      byQueue.set(c.queueId, list);
    }
    for (const [q, list] of byQueue) this.queueCounters.set(q, countersOf(summariseContacts(list, opts)));
    this.countersDay = day;
  }

  // ————————————————————————————————————————— indexes —————————————————————————————————————————

  private enterLine(c: ContactRec, now: number): void {
    const w: WaitingCall = {
      id: c.id,
      queueId: c.queueId,
      skill: c.skill,
      priority: c.priority,
      enteredAt: c.enteredAt,
      virtualStartAt: c.virtualStartAt,
      kind: c.kind,
      ...(c.readyAt !== null ? { readyAt: c.readyAt } : {}),
      excludedAgentIds: c.excluded,
    };
    c.waiting = w;
    if (!this.lineIndex.has(c.id)) {
      this.lineIndex.set(c.id, this.line.length);
      this.line.push(w);
    } else this.line[this.lineIndex.get(c.id)!] = w;
    this.scheduleContact(c, now);
  }

  private leaveLine(c: ContactRec): void {
    const i = this.lineIndex.get(c.id);
    c.waiting = null;
    if (i === undefined) return;
    const last = this.line.pop()!;
    if (i < this.line.length) {
      this.line[i] = last;
      this.lineIndex.set(last.id, i);
    }
    this.lineIndex.delete(c.id);
  }

  private addAvailable(agent: AgentRec): void {
    if (this.availableIndex.has(agent.id)) return;
    this.availableIndex.set(agent.id, this.available.length);
    this.available.push(agent.routable);
  }

  private removeAvailable(agent: AgentRec): void {
    const i = this.availableIndex.get(agent.id);
    if (i === undefined) return;
    const last = this.available.pop()!;
    if (i < this.available.length) {
      this.available[i] = last;
      this.availableIndex.set(last.id, i);
    }
    this.availableIndex.delete(agent.id);
  }

  /** Arms the contact's next timer: its readiness (callbacks) or its next escalation step. */
  private scheduleContact(c: ContactRec, now: number): void {
    if (!c.waiting) return;
    if (c.readyAt !== null && c.readyAt > now) {
      this.timers.push({ at: c.readyAt, kind: 'contact', id: c.id });
      return;
    }
    const escalation = nextEscalationAt(c.waiting, now, this.routing);
    const lifted = c.excludedUntil !== null && c.excludedUntil > now ? c.excludedUntil : null;
    const next = escalation === null ? lifted : lifted === null ? escalation : Math.min(escalation, lifted);
    if (next !== null) this.timers.push({ at: next, kind: 'contact', id: c.id });
  }

  // ————————————————————————————————————————— unit of work —————————————————————————————————————————

  private markContact(c: ContactRec): void {
    this.dirtyContacts.set(c.id, c);
  }

  private event(type: ContactEventType, at: number, interactionId: string, actorId: string | null, data?: Record<string, unknown>): void {
    this.events.push({ type, at: iso(at), interactionId, actorId, data: data ?? null });
  }

  private command(source: string, command: TelephonyCommandDraft): void {
    this.commands.push({ source, command });
  }

  /** Moves an agent to a new snapshot: indexes, the state row, the log, the desk message. */
  private setAgent(agent: AgentRec, next: AgentSnapshot, now: number, source: string, contactId: string | null = agent.contactId): void {
    const prev = agent.snap;
    agent.snap = next;
    agent.routable.status = next.status;
    if (next.status === 'available' && prev.status !== 'available') agent.routable.idleSince = now;
    if (next.status === 'available') this.addAvailable(agent);
    else this.removeAvailable(agent);
    if (next.timerEndsAt !== null && next.timerEndsAt !== prev.timerEndsAt) this.timers.push({ at: next.timerEndsAt, kind: 'agent', id: agent.id });
    if (prev.status !== next.status || prev.reason !== next.reason) {
      this.stateChanges.push({ id: newId(), user_id: agent.id, at: iso(now), status: next.status, reason: next.reason, source, contact_id: contactId });
    }
    this.dirtyAgents.set(agent.id, agent);
  }

  private transition(agent: AgentRec, action: AgentAction, now: number, source: string, reason?: NotReadyReason): void {
    const next = transitionAgent(agent.snap, action, now, { config: this.agentConfig, ...(reason ? { reason } : {}) });
    this.setAgent(agent, next, now, source);
  }

  /**
   * Writes the unit of work in one transaction, then sends commands and messages. On failure, memory is rebuilt from
   * the database. With `writes: 'deferred'` (the day simulator) the writes wait for {@link AcdService.flush} (or
   * until 5,000 are pending) and the effects go out at once.
   */
  private async commit(): Promise<void> {
    const uow: UnitOfWork = {
      sharedOps: this.sharedOps,
      ops: this.ops,
      events: this.events,
      stateChanges: this.stateChanges,
      contacts: new Map(this.dirtyContacts),
      newContacts: new Set(this.newContacts),
      agents: new Map(this.dirtyAgents),
    };
    const commands = this.commands;
    const notices = this.notices;
    const offers = this.offersToAnnounce;
    this.ops = [];
    this.sharedOps = [];
    this.events = [];
    this.stateChanges = [];
    this.dirtyContacts.clear();
    this.newContacts.clear();
    this.dirtyAgents.clear();
    this.commands = [];
    this.notices = [];
    this.offersToAnnounce = [];
    const hasWrites = uow.sharedOps.length + uow.ops.length + uow.events.length + uow.stateChanges.length + uow.contacts.size + uow.agents.size > 0;

    if (this.options.writes === 'deferred') {
      if (uow.sharedOps.length > 0) {
        await this.write({ sharedOps: uow.sharedOps, ops: [], events: [], stateChanges: [], contacts: new Map(), newContacts: new Set(), agents: new Map() });
        uow.sharedOps = [];
      }
      if (hasWrites) this.deferred = mergeUnits(this.deferred, uow);
      if (this.deferred && this.deferred.ops.length + this.deferred.events.length > 5_000) await this.flush();
    } else if (hasWrites) await this.write(uow);

    for (const { source, command } of commands) this.sendCommand(source, command);
    for (const c of offers) await this.announceOffer(c);
    for (const a of uow.agents.values()) notices.push(this.agentStateNotice(a.id));
    if (hasWrites) notices.push({ kind: 'wallboard_changed' });
    for (const n of notices) this.notify(n);
    this.arm();
  }

  private deferred: UnitOfWork | null = null;

  /** Writes the deferred unit of work now (a no-op unless `writes: 'deferred'`). */
  async flush(): Promise<void> {
    const uow = this.deferred;
    this.deferred = null;
    if (uow) await this.write(uow);
    else await this.flushChain;
  }

  private async write(uow: UnitOfWork): Promise<void> {
    const contacts = [...uow.contacts.values()].filter((c) => !uow.newContacts.has(c.id));
    const run = this.flushChain.then(async () => {
      const at = iso(this.now());
      await this.deps.db.transaction().execute(async (trx) => {
        for (const op of uow.sharedOps) await op(trx);
        for (const op of uow.ops) await op(trx);
        for (const c of contacts) await writeContactRow(trx, c.id, this.contactRow(c, at));
        for (const a of uow.agents.values()) await writeAgentStateRow(trx, this.agentRow(a, at));
        await appendAgentStateChanges(trx, uow.stateChanges);
        await appendEvents(trx, uow.events);
      });
    });
    this.flushChain = run.catch(() => undefined);
    try {
      await run;
    } catch (err) {
      this.log.error({ err }, 'acd: writing a decision failed; rebuilding the ACD from the database');
      await this.rebuildFromDatabase();
      throw err;
    }
  }

  private async rebuildFromDatabase(): Promise<void> {
    this.citizenIds.clear();
    this.agents.clear();
    this.contacts.clear();
    this.byExternal.clear();
    this.line.length = 0;
    this.lineIndex.clear();
    this.available.length = 0;
    this.availableIndex.clear();
    this.timers.clear();
    this.ops = [];
    this.sharedOps = [];
    this.events = [];
    this.stateChanges = [];
    this.dirtyAgents.clear();
    this.dirtyContacts.clear();
    this.newContacts.clear();
    this.commands = [];
    this.notices = [];
    this.offersToAnnounce = [];
    try {
      await this.load();
    } catch (err) {
      this.log.error({ err }, 'acd: rebuilding from the database failed');
    }
  }

  private sendCommand(source: string, command: TelephonyCommandDraft): void {
    const adapter = this.adapters.get(source);
    if (!adapter) {
      this.log.warn({ source, command: command.type }, 'acd: no telephony adapter for this source');
      return;
    }
    const p = adapter
      .send(command)
      .catch((err: unknown) => this.log.warn({ err, source, command: command.type, callId: 'callId' in command ? command.callId : null }, 'acd: telephony command failed (reconciliation will correct)'))
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private notify(notice: AcdNotice): void {
    for (const l of this.listeners) {
      try {
        l(notice);
      } catch (err) {
        this.log.warn({ err }, 'acd: a notice listener failed');
      }
    }
  }

  /** An agent's new state for the desk, built when (and if) a listener reads it, once. */
  private agentStateNotice(agentId: string): AcdNotice {
    let message: RealtimeServerMessage | undefined;
    const build = () => (message ??= { type: 'agent.state', state: this.deskState(agentId) });
    return {
      kind: 'agent',
      agentId,
      type: 'agent.state',
      get message() {
        return build();
      },
    };
  }

  /** Listens to the ACD's messages for desks and the wallboard; returns the unsubscribe function. */
  subscribe(listener: (notice: AcdNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private contactRow(c: ContactRec, at: string) {
    return {
      kind: c.kind,
      source: c.source,
      external_call_id: c.externalCallId,
      queue_id: c.queueId,
      skill: c.skill,
      priority: c.priority,
      dialled_number: c.dialledNumber,
      ivr_choice: c.ivrChoice,
      entered_at: iso(c.enteredAt),
      virtual_start_at: iso(c.virtualStartAt),
      ready_at: isoOrNull(c.readyAt),
      status: c.status,
      agent_id: c.agentId,
      offered_at: isoOrNull(c.offeredAt),
      offer_expires_at: isoOrNull(c.offerExpiresAt),
      answered_at: isoOrNull(c.answeredAt),
      ended_at: isoOrNull(c.endedAt),
      excluded_agents: c.excluded.length ? JSON.stringify(c.excluded) : null,
      callback_number_sealed: c.callbackSealed,
      origin_id: c.originId,
      updated_at: at,
    };
  }

  private agentRow(a: AgentRec, at: string) {
    return {
      user_id: a.id,
      status: a.snap.status,
      reason: a.snap.reason,
      since: iso(a.snap.since),
      missed_offers: a.snap.missedOffers,
      pending_not_ready: a.snap.pendingNotReady,
      timer_ends_at: isoOrNull(a.snap.timerEndsAt),
      contact_id: a.contactId,
      last_offered_at: isoOrNull(a.lastOfferedAt),
      calls_handled: a.callsHandled,
      calls_day: a.callsDay,
      updated_at: at,
    };
  }

  // ————————————————————————————————————————— routing —————————————————————————————————————————

  private timed<T>(f: () => T): T {
    const t0 = performance.now();
    const out = f();
    const ms = performance.now() - t0;
    // Reservoir sampling: a day of any length keeps a uniform sample of its decisions.
    this.decisionCount++;
    if (this.decisionMs.length < DECISION_SAMPLES) this.decisionMs.push(ms);
    else {
      const j = Math.floor(Math.random() * this.decisionCount);
      if (j < DECISION_SAMPLES) this.decisionMs[j] = ms;
    }
    return out;
  }

  /**
   * Decision times in ms (in-memory pick only), for the routing benchmark: every decision up to 100,000, then a
   * uniform sample of that size. `reset` empties the samples.
   */
  routingStats(reset = false): number[] {
    const out = [...this.decisionMs];
    if (reset) {
      this.decisionMs.length = 0;
      this.decisionCount = 0;
    }
    return out;
  }

  private decisionCount = 0;

  /** A contact entered (or re-entered) the line: the best available agent gets it, if any may. */
  private dispatchContact(c: ContactRec, now: number): boolean {
    if (!c.waiting || this.available.length === 0) return false;
    const w = c.waiting;
    const decision = this.timed(() => pickAgentForCall(w, this.available, now, this.routing));
    if (!decision) return false;
    this.reserve(c, this.agents.get(decision.agentId)!, decision, now);
    return true;
  }

  /** An agent became available: the first contact of the one line they may take, if any. */
  private dispatchAgent(agent: AgentRec, now: number): boolean {
    if (agent.snap.status !== 'available' || this.line.length === 0) return false;
    const decision = this.timed(() => pickCallForAgent(agent.routable, this.line, now, this.routing));
    if (!decision) return false;
    this.reserve(this.contacts.get(decision.callId)!, agent, decision, now);
    return true;
  }

  /** Offers whatever can be offered (after a restart or a configuration change): available agents, longest idle first. */
  private dispatchAll(now: number): void {
    const agents = [...this.available].sort((a, b) => a.idleSince - b.idleSince);
    for (const r of agents) {
      const agent = this.agents.get(r.id);
      if (agent) this.dispatchAgent(agent, now);
    }
  }

  private reserve(c: ContactRec, agent: AgentRec, decision: RoutingDecision, now: number): void {
    this.leaveLine(c);
    this.transition(agent, 'offer', now, 'system');
    agent.contactId = c.id;
    agent.lastOfferedAt = now;
    agent.routable.lastOfferedAt = now;
    c.status = 'reserved';
    c.agentId = agent.id;
    c.offeredAt = now;
    c.offerExpiresAt = agent.snap.timerEndsAt;
    this.markContact(c);
    this.event(c.kind === 'callback' ? 'callback_offered' : 'call_reserved', now, c.id, agent.id, {
      queueId: c.queueId,
      skillLevel: decision.skillLevel,
      allowedLevel: decision.allowedLevel,
      strategy: decision.strategy,
      waitedSeconds: decision.waitedSeconds,
    });
    if (c.kind === 'callback' && c.callbackSealed) {
      this.command(c.source, { type: 'dial_callback', callId: c.externalCallId, agentId: agent.id, extension: agent.extension, number: this.deps.vault.open(c.callbackSealed) });
    } else {
      this.command(c.source, { type: 'offer', callId: c.externalCallId, agentId: agent.id, extension: agent.extension, timeoutSeconds: this.agentConfig.offerTimeoutSeconds });
    }
    this.offersToAnnounce.push(c);
  }

  /** Who the ringing agent is, for the access record of the offer's caller card (the socket has no request IP). */
  private async viewerOfAgent(agentId: string): Promise<Viewer | null> {
    const u = await this.deps.db
      .selectFrom('users')
      .leftJoin('departments', 'departments.id', 'users.department_id')
      .select(['users.id', 'users.login', 'users.name', 'users.role', 'users.department_id', 'departments.name as department_name'])
      .where('users.id', '=', agentId)
      .executeTakeFirst();
    if (!u) return null;
    return { id: u.id, login: u.login, name: u.name, role: u.role, departmentId: u.department_id, departmentName: u.department_name ?? null, sessionId: 'acd-offer', ip: null };
  }

  private async announceOffer(c: ContactRec): Promise<void> {
    if (c.status !== 'reserved' || !c.agentId) return;
    const agentId = c.agentId;
    let card: CallerCard | null = null;
    if (this.callerCards && this.listeners.size > 0) {
      const row = await this.deps.db.selectFrom('interactions').select('citizen_id').where('id', '=', c.id).executeTakeFirst();
      const viewer = row?.citizen_id ? await this.viewerOfAgent(agentId) : null;
      // The ringing agent sees the caller's history: masked as their role sees it, and recorded as an access (제8조).
      if (row?.citizen_id && viewer) {
        card = await getCallerCard(this.deps, row.citizen_id, c.id, viewer)
          .then((full) => presentCallerCard(viewer.role, full))
          .catch(() => null);
      }
      this.offerCards.set(c.id, card);
    }
    const offer = this.offerOf(c);
    if (offer) this.notify({ kind: 'agent', agentId, type: 'offer', message: { type: 'offer', offer } });
  }

  private offerOf(c: ContactRec): AcdOffer | null {
    if (c.status !== 'reserved' || c.offeredAt === null) return null;
    return {
      contact: this.contactView(c),
      offeredAt: iso(c.offeredAt),
      expiresAt: iso(c.offerExpiresAt ?? c.offeredAt),
      callerCard: this.offerCards.get(c.id) ?? null,
      // The phone system dials the callback (dial_callback carries the number); the desk only needs to recognise it.
      callbackNumber: c.callbackSealed ? presentCitizenField('agent', 'phone', formatPhone(this.deps.vault.open(c.callbackSealed))) : null,
    };
  }

  private contactView(c: ContactRec): AcdContact {
    return {
      id: c.id,
      kind: c.kind,
      queueId: c.queueId,
      queueName: this.queues.get(c.queueId)?.name ?? '',
      status: c.status === 'closed' ? 'waiting' : c.status,
      callerNumber: c.callerMasked,
      dialledNumber: c.dialledNumber,
      ivrChoice: c.ivrChoice,
      priority: c.priority,
      enteredAt: iso(c.enteredAt),
      agentId: c.agentId,
    };
  }

  // ————————————————————————————————————————— time —————————————————————————————————————————

  /** Epoch ms of the next timer (offer timeout, wrap-up end, escalation, callback readiness, reconciliation). */
  nextDueAt(): number | null {
    return this.timers.peek()?.at ?? null;
  }

  /** Processes everything due at the clock's now: timeouts, wrap-up ends, escalations, callbacks, reconciliation. */
  async tick(): Promise<void> {
    const now = this.now();
    let reconcile = false;
    for (let t = this.timers.peek(); t && t.at <= now; t = this.timers.peek()) {
      this.timers.pop();
      if (t.kind === 'reconcile') {
        if (t.at === this.nextReconcileAt) reconcile = true;
      } else if (t.kind === 'agent') this.onAgentTimer(t.id, now);
      else this.onContactTimer(t.id, now);
    }
    this.rollDay(now);
    await this.commit();
    if (reconcile) {
      this.nextReconcileAt = now + this.reconcileIntervalMs;
      this.timers.push({ at: this.nextReconcileAt, kind: 'reconcile', id: '' });
      await this.reconcile();
    }
  }

  private onAgentTimer(agentId: string, now: number): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    const action = dueAgentAction(agent.snap, now);
    if (action === 'offer_timeout') this.missOffer(agent, now, 'offer_timeout');
    else if (action === 'end_wrap_up') this.finishWrapUp(agent, now, 'system');
    else if (action === 'end_recovery') this.transition(agent, 'end_recovery', now, 'system');
  }

  private onContactTimer(contactId: string, now: number): void {
    const c = this.contacts.get(contactId);
    if (!c?.waiting) return;
    if (c.excludedUntil !== null && c.excludedUntil <= now) {
      // Nobody else took it: the agent who missed or rejected it may have it again.
      c.excluded = [];
      c.excludedUntil = null;
      this.markContact(c);
      this.enterLine(c, now);
    }
    if (!this.dispatchContact(c, now)) this.scheduleContact(c, now);
  }

  private rollDay(now: number): void {
    const day = kstDay(now);
    if (day === this.countersDay) return;
    this.countersDay = day;
    this.counters = zeroCounters();
    this.queueCounters = new Map();
    this.ahtSum.clear();
  }

  private arm(): void {
    if (this.options.timers !== 'auto' || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.nextDueAt();
    if (next === null) return;
    const delay = Math.max(0, Math.min(next - this.now(), 2_147_000_000));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick().catch((err: unknown) => this.log.error({ err }, 'acd: timer tick failed'));
    }, delay);
    this.timer.unref();
  }

  /** Waits for queued writes and commands in flight; stops the timer. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
    await Promise.allSettled([...this.inflight]);
  }

  /** Waits until every command sent so far was delivered (or failed). */
  async drainCommands(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  // ————————————————————————————————————————— reconciliation —————————————————————————————————————————

  /**
   * Compares agents and contacts with the phone systems' facts (contact-center.md §3 lines 101–104) and corrects
   * drift with source `reconciliation`: a handled call that is no longer live ends (→ after-call work), a waiting or
   * ringing call that is gone was abandoned, overrun timers fire, unregistered devices pause the agent.
   * Returns the number of corrections.
   */
  async reconcile(): Promise<number> {
    const facts = new Map<string, Awaited<ReturnType<TelephonyPort['facts']>>>();
    for (const [name, adapter] of this.adapters) {
      try {
        facts.set(name, await adapter.facts());
      } catch (err) {
        this.log.warn({ err, adapter: name }, 'acd: telephony facts unavailable, skipping its reconciliation');
      }
    }
    const now = this.now();
    let corrections = 0;
    const registered = [...facts.values()].map((f) => f.registeredAgentIds).filter((s): s is ReadonlySet<string> => s !== null);

    for (const c of [...this.contacts.values()]) {
      const live = facts.get(c.source)?.liveCallIds;
      if (!live || c.kind === 'callback') continue;
      if ((c.status === 'waiting' || c.status === 'reserved' || c.status === 'closed') && !live.has(c.externalCallId)) {
        this.callerLeft(c, now, 'reconciliation');
        corrections++;
      }
    }
    for (const agent of this.agents.values()) {
      const c = agent.contactId ? this.contacts.get(agent.contactId) : undefined;
      const live = c ? facts.get(c.source)?.liveCallIds : undefined;
      const talking = agent.snap.status === 'on_call' || agent.snap.status === 'on_hold' || agent.snap.status === 'consulting';
      const hasLiveDialog = talking ? (c ? (live ? live.has(c.externalCallId) : true) : false) : false;
      const isRegistered = registered.length === 0 || registered.some((s) => s.has(agent.id));
      const action = reconcileAgent(agent.snap, { isRegistered, hasLiveDialog }, now, this.agentConfig);
      if (!action) continue;
      corrections++;
      this.log.info({ agentId: agent.id, status: agent.snap.status, action }, 'acd: reconciliation corrected an agent state');
      if (action === 'end_call') {
        if (c && c.status !== 'ended') this.endContact(c, now, 'reconciliation', null);
        else this.transition(agent, 'end_call', now, 'reconciliation');
      } else if (action === 'offer_timeout') this.missOffer(agent, now, 'offer_timeout', 'reconciliation');
      else if (action === 'end_wrap_up') this.finishWrapUp(agent, now, 'reconciliation');
      else if (action === 'device_lost') {
        if (agent.snap.status === 'reserved' && c) this.withdrawOffer(c, agent, now, 'reconciliation');
        if (talking && c) this.endContact(c, now, 'reconciliation', null);
        this.transition(agent, 'device_lost', now, 'reconciliation');
      } else if (action === 'end_recovery') this.transition(agent, 'end_recovery', now, 'reconciliation');
    }
    if (now >= this.nextPruneAt) {
      this.nextPruneAt = now + 60_000;
      this.ops.push((db) => pruneWebhookEvents(db, iso(now - 10 * 60_000)));
    }
    await this.commit();
    return corrections;
  }

  // ————————————————————————————————————————— telephony events —————————————————————————————————————————

  /**
   * One event from a phone system. Idempotent: an event id seen before, a second `offered` for a known call, an
   * event for an unknown call or one that does not fit the call's state (out of order) is logged and answered
   * `ignored`; nothing changes. Never throws for such events.
   */
  async handleTelephonyEvent(source: string, input: TelephonyEvent, receipt?: EventReceipt): Promise<TelephonyEventResult> {
    const parsed = TelephonyEventSchema.safeParse(input);
    if (!parsed.success) return this.ignored(source, input, 'invalid_event');
    const event = parsed.data;
    const key = `${source}:${event.eventId}`;
    if (this.recentEventIds.has(key)) return this.ignored(source, event, 'duplicate_event');
    this.rememberEvent(key);
    try {
      return await this.applyTelephonyEvent(source, event, receipt);
    } catch (err) {
      // Nothing of it was written (the transaction rolled back): the phone system's retry must be applied, not skipped.
      this.recentEventIds.delete(key);
      throw err;
    }
  }

  /** Writes an applied event's unit of work with its receipt (the webhook's event id) first, in the same transaction. */
  private async commitEvent(receipt: EventReceipt | undefined): Promise<void> {
    if (receipt) this.sharedOps.unshift(receipt);
    await this.commit();
  }

  /**
   * Where `extension_state` events go (the directory's presence, wired by acd.plugin.ts): true when the extension is an
   * active official's and his phone flag changed.
   */
  extensionListener: ((extension: string, onCall: boolean) => Promise<boolean>) | null = null;

  /** An official's extension started or ended a call: presence "on a call" and back, not the ACD's own state. */
  private async extensionState(source: string, event: Extract<TelephonyEvent, { type: 'extension_state' }>, receipt: EventReceipt | undefined): Promise<TelephonyEventResult> {
    const changed = this.extensionListener ? await this.extensionListener(event.extension, event.onCall) : false;
    if (!changed) return this.ignored(source, event, 'no_change');
    await this.commitEvent(receipt);
    return { outcome: 'applied', reason: null, decision: null };
  }

  private async applyTelephonyEvent(source: string, event: TelephonyEvent, receipt: EventReceipt | undefined): Promise<TelephonyEventResult> {
    if (event.type === 'extension_state') return this.extensionState(source, event, receipt);
    const now = this.now();
    const external = this.externalKey(source, event.callId);
    const contactId = this.byExternal.get(external);
    const c = contactId ? this.contacts.get(contactId) : undefined;

    if (event.type === 'offered') {
      if (contactId) return this.ignored(source, event, 'duplicate_call');
      return this.offered(source, event, now, receipt);
    }
    if (!c) {
      // A call that ended a moment ago: a second `ended` (or a late `abandoned`) is a duplicate, anything else late.
      if (!this.finishedCalls.has(external)) return this.ignored(source, event, 'unknown_call');
      return this.ignored(source, event, event.type === 'ended' || event.type === 'abandoned' ? 'duplicate' : 'out_of_order');
    }
    const talking = c.status === 'connected' || c.status === 'held' || c.status === 'consulting';
    const agent = c.agentId ? this.agents.get(c.agentId) : undefined;
    switch (event.type) {
      case 'answered':
        if (c.status !== 'reserved' || !agent) return this.ignored(source, event, talking ? 'duplicate' : 'out_of_order');
        if (event.agentId && event.agentId !== agent.id) return this.ignored(source, event, 'agent_mismatch');
        this.answerContact(c, agent, now, 'telephony');
        break;
      case 'held':
        if (c.status !== 'connected' || !agent) return this.ignored(source, event, c.status === 'held' ? 'duplicate' : 'out_of_order');
        this.holdContact(c, agent, now, 'telephony');
        break;
      case 'resumed':
        if (c.status !== 'held' || !agent) return this.ignored(source, event, c.status === 'connected' ? 'duplicate' : 'out_of_order');
        this.resumeContact(c, agent, now, 'telephony');
        break;
      case 'transferred':
        if (!talking || !agent) return this.ignored(source, event, 'out_of_order');
        this.transferDone(c, agent, now, event.mode, event.target, 'telephony');
        break;
      case 'ended':
      case 'abandoned':
        if (c.status === 'ended' || c.status === 'abandoned') return this.ignored(source, event, 'duplicate');
        if (talking) this.endContact(c, now, 'telephony', event.type === 'ended' ? event.by : 'caller');
        else this.callerLeft(c, now, 'telephony');
        break;
      case 'callback_requested':
        if (c.status !== 'waiting' && c.status !== 'closed') return this.ignored(source, event, 'out_of_order');
        this.requestCallback(c, event.callbackNumber, now);
        break;
    }
    await this.commitEvent(receipt);
    return { outcome: 'applied', reason: null, decision: null };
  }

  private rememberEvent(key: string): void {
    remember(this.recentEventIds, key);
  }

  private ignored(source: string, event: { type?: unknown; callId?: unknown; eventId?: unknown }, reason: string): TelephonyEventResult {
    this.log.warn({ source, type: event.type, callId: event.callId, eventId: event.eventId, reason }, 'acd: telephony event ignored');
    return { outcome: 'ignored', reason, decision: null };
  }

  /** True when the centre is open at `at` (business hours, public holidays, admin-declared closed days). */
  isOpen(at: number = this.now()): boolean {
    return isOpenAt(at, this.hours, (d) => this.isClosedDay(d));
  }

  private isClosedDay(ymd: string): boolean {
    return this.closedDays.has(ymd) || this.deps.holidays.isHoliday(ymd);
  }

  private nextOpening(at: number): number | null {
    return nextOpeningAt(at, this.hours, (d) => this.isClosedDay(d));
  }

  private async offered(source: string, event: Extract<TelephonyEvent, { type: 'offered' }>, now: number, receipt: EventReceipt | undefined): Promise<TelephonyEventResult> {
    const queueId = selectQueue(this.routes, event.dialledNumber, event.ivrChoice);
    let queue = queueId ? this.queues.get(queueId) : undefined;
    const id = newId();
    const phone = parsePhone(event.callerNumber);
    const e164 = phone?.e164;
    const number = e164 ?? event.callerNumber;
    const sealed = this.deps.vault.seal(number);
    const index = e164 ? this.deps.vault.phoneIndex(e164) : this.deps.vault.blindIndex('phone-raw', number);
    const open = this.isOpen(now);
    // 감정노동 보호 (issue #14): what the caller hears on entering the queue, and a flagged caller's senior queue.
    const policy = queue && open && this.callerPolicy ? this.callerPolicy.onEnteringQueue(index, queue.id, now) : null;
    if (policy && policy.queueId !== queue?.id && this.queues.get(policy.queueId)?.isActive) queue = this.queues.get(policy.queueId);
    this.sharedOps.push(async (db) => {
      const citizenId = e164 ? await this.findOrCreateCitizen(db, e164, iso(now)) : null;
      await insertInteractionRow(db, {
        id,
        channel: 'phone',
        direction: 'inbound',
        caller_number_sealed: sealed,
        caller_index: index,
        dialled_number: event.dialledNumber,
        citizen_id: citizenId,
        agent_id: null,
        status: queue ? 'offered' : 'ended',
        started_at: iso(now),
        answered_at: null,
        ended_at: queue ? null : iso(now),
      });
    });
    this.event('call_offered', now, id, null, { dialled: event.dialledNumber, ivrChoice: event.ivrChoice, source, reportedAt: event.at });

    if (!queue) {
      this.event('call_ended', now, id, null, { by: 'system', reason: 'no_queue' });
      const announcement: Announcement = { kind: 'no_service', reason: '연결할 상담 대기열이 없습니다.' };
      this.command(source, { type: 'announce', callId: event.callId, announcement });
      this.command(source, { type: 'hang_up', callId: event.callId });
      await this.commitEvent(receipt);
      return { outcome: 'applied', reason: 'no_queue', decision: { action: 'reject', contactId: null, queueId: null, agentId: null, extension: null, announcement } };
    }

    const c: ContactRec = {
      id,
      kind: 'call',
      source,
      externalCallId: event.callId,
      queueId: queue.id,
      skill: queue.skill,
      priority: queue.priority + event.priority,
      dialledNumber: event.dialledNumber,
      ivrChoice: event.ivrChoice,
      enteredAt: now,
      virtualStartAt: now,
      readyAt: null,
      status: open ? 'waiting' : 'closed',
      agentId: null,
      offeredAt: null,
      offerExpiresAt: null,
      answeredAt: null,
      endedAt: null,
      excluded: [],
      excludedUntil: null,
      callbackSealed: null,
      originId: null,
      callerMasked: maskPhone(phone ? phone.national : number),
      waiting: null,
      countedDay: null,
    };
    this.contacts.set(id, c);
    this.byExternal.set(this.externalKey(source, event.callId), id);
    this.newContacts.add(id);
    this.ops.push((db) => insertContact(db, { id: c.id, ...this.contactRow(c, iso(this.now())) }));

    if (!open) {
      const nextOpen = this.nextOpening(now);
      const announcement: Announcement = { kind: 'closed', hours: describeHours(this.hours), nextOpeningAt: isoOrNull(nextOpen), callbackOffered: true };
      this.command(source, { type: 'announce', callId: event.callId, announcement });
      await this.commitEvent(receipt);
      return { outcome: 'applied', reason: 'closed', decision: { action: 'closed', contactId: id, queueId: queue.id, agentId: null, extension: null, announcement } };
    }

    this.rollDay(now);
    this.countQueued(c, now);
    this.event('call_queued', now, id, null, { queueId: queue.id, priority: c.priority, skill: c.skill, ...(policy?.flagged ? { flaggedCaller: true } : {}) });
    for (const announcement of policy?.messages ?? []) this.command(source, { type: 'announce', callId: event.callId, announcement });
    this.enterLine(c, now);
    let decision: RouteDecision;
    if (this.dispatchContact(c, now)) {
      const agent = this.agents.get(c.agentId!)!;
      decision = { action: 'agent', contactId: id, queueId: queue.id, agentId: agent.id, extension: agent.extension, announcement: null };
    } else {
      const announcement = this.positionAnnouncement(c);
      this.command(source, { type: 'announce', callId: event.callId, announcement });
      decision = { action: 'queue', contactId: id, queueId: queue.id, agentId: null, extension: null, announcement };
    }
    await this.commitEvent(receipt);
    return { outcome: 'applied', reason: null, decision };
  }

  private async findOrCreateCitizen(db: Db, e164: string, at: string): Promise<string> {
    const index = this.deps.vault.phoneIndex(e164);
    // The simulator's repeat callers skip the look-up (only in deferred mode: in the server, retention may remove
    // citizens behind the process's back).
    const deferred = this.options.writes === 'deferred';
    const cached = deferred ? this.citizenIds.get(index) : undefined;
    if (cached) return cached;
    // calls.repository's look-up matches every blind-index key in rotation (a citizen indexed under the old key is
    // found, not duplicated).
    const found = (await findCitizenByPhone(db, this.deps.vault, e164))?.id;
    const id = found ?? newId();
    if (!found) await insertCitizen(db, this.deps.vault, { id, phone: e164, name: null, created_at: at });
    if (deferred) {
      if (this.citizenIds.size >= 50_000) this.citizenIds.clear();
      this.citizenIds.set(index, id);
    }
    return id;
  }

  private readonly citizenIds = new Map<string, string>();

  /** Position in the caller's queue and EWT(k) = k·AHT/N (contact-center.md line 65), for the announcement. */
  private positionAnnouncement(c: ContactRec): Extract<Announcement, { kind: 'position' }> {
    const { position, estimatedWaitSeconds } = this.positionOf(c);
    return { kind: 'position', position, estimatedWaitSeconds };
  }

  /** The contact's position in its queue (1 = next) and its estimated wait in seconds (null: no honest estimate). */
  positionOf(c: ContactRec | string): { position: number; estimatedWaitSeconds: number | null } {
    const rec = typeof c === 'string' ? this.contacts.get(c) : c;
    if (!rec?.waiting) return { position: 0, estimatedWaitSeconds: null };
    const position = positionInLine(rec.waiting, this.line);
    const eta = estimateWait(position, this.staffedFor(rec.skill), this.ahtOf(rec.queueId));
    return { position, estimatedWaitSeconds: eta === null ? null : Math.round(eta) };
  }

  private staffedFor(skill: string | null): number {
    let skilled = 0;
    let all = 0;
    for (const a of this.agents.values()) {
      const s = a.snap.status;
      if (s === 'logged_out' || s === 'not_ready' || s === 'recovery') continue;
      all++;
      if (skill === null || a.skills[skill] !== undefined) skilled++;
    }
    return skilled > 0 ? skilled : all;
  }

  private ahtOf(queueId: string): number {
    const s = this.ahtSum.get(queueId);
    return s && s.n > 0 ? s.sum / s.n : DEFAULT_AHT_SECONDS;
  }

  private countQueued(c: ContactRec, now: number): void {
    c.countedDay = kstDay(now);
    this.counters.offered++;
    this.queueCounter(c.queueId).offered++;
  }

  private queueCounter(queueId: string): DayCounters {
    let q = this.queueCounters.get(queueId);
    if (!q) {
      q = zeroCounters();
      this.queueCounters.set(queueId, q);
    }
    return q;
  }

  private countsToday(c: ContactRec): boolean {
    return c.kind === 'call' && c.countedDay === this.countersDay;
  }

  // ————————————————————————————————————————— contact transitions —————————————————————————————————————————

  private answerContact(c: ContactRec, agent: AgentRec, now: number, source: string): void {
    this.transition(agent, 'answer', now, source);
    const first = c.answeredAt === null;
    c.status = 'connected';
    c.answeredAt = now;
    this.markContact(c);
    this.sharedOps.push((db) => markInteractionConnected(db, c.id, agent.id, iso(now)));
    this.event('call_answered', now, c.id, agent.id, { queueId: c.queueId });
    if (first && this.countsToday(c)) {
      const wait = now - c.enteredAt;
      for (const k of [this.counters, this.queueCounter(c.queueId)]) {
        k.answered++;
        k.answerWaitMs += wait;
        if (wait <= this.slMs) k.answeredWithin++;
      }
    }
    this.notices.push({ kind: 'agent', agentId: agent.id, type: 'call.event', message: { type: 'call.event', contactId: c.id, event: 'answered', at: iso(now) } });
  }

  private holdContact(c: ContactRec, agent: AgentRec, now: number, source: string): void {
    this.transition(agent, 'hold', now, source);
    c.status = 'held';
    this.markContact(c);
    this.event('call_held', now, c.id, agent.id);
    this.notices.push({ kind: 'agent', agentId: agent.id, type: 'call.event', message: { type: 'call.event', contactId: c.id, event: 'held', at: iso(now) } });
  }

  private resumeContact(c: ContactRec, agent: AgentRec, now: number, source: string): void {
    this.transition(agent, 'retrieve', now, source);
    c.status = 'connected';
    this.markContact(c);
    this.event('call_resumed', now, c.id, agent.id);
    this.notices.push({ kind: 'agent', agentId: agent.id, type: 'call.event', message: { type: 'call.event', contactId: c.id, event: 'resumed', at: iso(now) } });
  }

  /** The call left the agent by a completed transfer (blind, or consultative completed): the agent goes to wrap-up. */
  private transferDone(c: ContactRec, agent: AgentRec, now: number, mode: 'blind' | 'consultative', target: string, source: string): void {
    if (agent.snap.status === 'consulting') this.transition(agent, 'complete_transfer', now, source);
    else this.transition(agent, 'end_call', now, source);
    this.event('call_transferred', now, c.id, agent.id, { mode, target });
    // The agent's part of the call ends here: handled, AHT and 직접처리율 read call_ended (issue #12 §0).
    this.event('call_ended', now, c.id, agent.id, { by: source, reason: 'transferred', mode });
    this.closeContact(c, agent, now);
    this.event('wrap_up_started', now, c.id, agent.id);
    this.notices.push({ kind: 'agent', agentId: agent.id, type: 'call.event', message: { type: 'call.event', contactId: c.id, event: 'transferred', at: iso(now) } });
  }

  /** A handled call ended (hang-up by either side, or reconciliation): the agent goes to after-call work. */
  private endContact(c: ContactRec, now: number, source: string, by: 'caller' | 'agent' | 'system' | null): void {
    const agent = c.agentId ? this.agents.get(c.agentId) : undefined;
    if (agent && agent.contactId === c.id && (agent.snap.status === 'on_call' || agent.snap.status === 'on_hold' || agent.snap.status === 'consulting')) {
      this.transition(agent, 'end_call', now, source);
    }
    this.event('call_ended', now, c.id, agent?.id ?? null, { by: by ?? source });
    this.closeContact(c, agent, now);
    if (agent) {
      this.event('wrap_up_started', now, c.id, agent.id);
      this.notices.push({ kind: 'agent', agentId: agent.id, type: 'call.event', message: { type: 'call.event', contactId: c.id, event: 'ended', at: iso(now) } });
    }
  }

  private closeContact(c: ContactRec, agent: AgentRec | undefined, now: number): void {
    c.status = 'ended';
    c.endedAt = now;
    this.markContact(c);
    this.byExternal.delete(this.externalKey(c.source, c.externalCallId));
    remember(this.finishedCalls, this.externalKey(c.source, c.externalCallId));
    this.sharedOps.push((db) => markInteractionEnded(db, c.id, iso(now)));
    if (agent) {
      agent.callsHandled = agent.callsDay === kstDay(now) ? agent.callsHandled + 1 : 1;
      agent.callsDay = kstDay(now);
      agent.routable.callsHandled = agent.callsHandled;
      this.dirtyAgents.set(agent.id, agent);
    } else this.forget(c);
  }

  /** Drops a finished contact from memory. */
  private forget(c: ContactRec): void {
    this.leaveLine(c);
    this.contacts.delete(c.id);
    this.offerCards.delete(c.id);
    const external = this.externalKey(c.source, c.externalCallId);
    if (this.byExternal.get(external) === c.id) {
      this.byExternal.delete(external);
      remember(this.finishedCalls, external);
    }
  }

  /** The caller hung up before an agent answered: abandoned (or just ended, outside hours). */
  private callerLeft(c: ContactRec, now: number, source: string): void {
    const agent = c.agentId ? this.agents.get(c.agentId) : undefined;
    if (c.status === 'reserved' && agent && agent.contactId === c.id) {
      this.transition(agent, 'withdraw_offer', now, source);
      agent.contactId = null;
      this.command(c.source, { type: 'withdraw_offer', callId: c.externalCallId, agentId: agent.id });
      this.notices.push({ kind: 'agent', agentId: agent.id, type: 'call.event', message: { type: 'call.event', contactId: c.id, event: 'abandoned', at: iso(now) } });
    }
    const position = c.waiting ? positionInLine(c.waiting, this.line) : null;
    this.leaveLine(c);
    if (c.status === 'closed') {
      this.event('call_ended', now, c.id, null, { by: 'caller', reason: 'closed' });
    } else {
      const waitedMs = now - c.enteredAt;
      this.event('call_abandoned', now, c.id, null, { queueId: c.queueId, position, waitedSeconds: waitedMs / 1000, source });
      if (this.countsToday(c)) {
        for (const k of [this.counters, this.queueCounter(c.queueId)]) {
          if (waitedMs < SHORT_ABANDON_MS) k.shortAbandoned++;
          else {
            k.abandoned++;
            if (waitedMs > this.slMs) k.abandonedAfter++;
          }
        }
      }
    }
    c.status = c.status === 'closed' ? 'ended' : 'abandoned';
    c.endedAt = now;
    c.agentId = c.status === 'abandoned' ? c.agentId : null;
    this.markContact(c);
    this.sharedOps.push((db) => markInteractionEnded(db, c.id, iso(now)));
    this.forget(c);
    if (agent && agent.snap.status === 'available') this.dispatchAgent(agent, now);
  }

  /** The caller asked for a callback: the call leaves the line and a callback task keeps its place (line 139). */
  private requestCallback(c: ContactRec, callbackNumber: string, now: number): void {
    const e164 = normalizePhone(callbackNumber) ?? callbackNumber;
    const wasClosed = c.status === 'closed';
    const open = this.isOpen(now);
    const readyAt = open ? null : this.nextOpening(now);
    const id = newId();
    const sealed = this.deps.vault.seal(e164);
    const cb: ContactRec = {
      ...c,
      id,
      kind: 'callback',
      externalCallId: `callback-${id}`,
      enteredAt: now,
      // Keeps the original place in line; a call made outside hours starts its place at the request.
      virtualStartAt: wasClosed ? now : c.virtualStartAt,
      readyAt,
      ...newCallbackState(sealed, e164),
      originId: c.id,
    };
    const position = c.waiting ? positionInLine(c.waiting, this.line) : 1;
    this.leaveLine(c);
    this.event('callback_requested', now, c.id, null, { callbackId: id, queueId: c.queueId, readyAt: isoOrNull(readyAt) });
    if (!wasClosed && this.countsToday(c)) {
      this.counters.callbacks++;
      this.queueCounter(c.queueId).callbacks++;
    }
    c.status = 'ended';
    c.endedAt = now;
    this.markContact(c);
    this.sharedOps.push((db) => markInteractionEnded(db, c.id, iso(now)));
    this.command(c.source, { type: 'announce', callId: c.externalCallId, announcement: { kind: 'callback_confirmed', position: Math.max(1, position) } });
    this.forget(c);

    this.contacts.set(id, cb);
    this.byExternal.set(this.externalKey(cb.source, cb.externalCallId), id);
    this.newContacts.add(id);
    this.sharedOps.push(async (db) => {
      const citizenId = normalizePhone(e164) ? await this.findOrCreateCitizen(db, e164, iso(now)) : null;
      await db
        .insertInto('interactions')
        .values({
          id,
          channel: 'phone',
          direction: 'outbound',
          caller_number_sealed: sealed,
          caller_index: normalizePhone(e164) ? this.deps.vault.phoneIndex(e164) : this.deps.vault.blindIndex('phone-raw', e164),
          dialled_number: cb.dialledNumber,
          citizen_id: citizenId,
          agent_id: null,
          status: 'offered',
          started_at: iso(now),
          answered_at: null,
          ended_at: null,
        })
        .execute();
    });
    this.ops.push((db) => insertContact(db, { id: cb.id, ...this.contactRow(cb, iso(this.now())) }));
    this.enterLine(cb, now);
    this.dispatchContact(cb, now);
  }

  // ————————————————————————————————————————— outbound callbacks (회신 전화) —————————————————————————————————————————

  /**
   * The queue of outbound callbacks that tell citizens a department's answer (issue #11 §4), created on first use:
   * no routes (nobody dials into it), no skill (any agent may read an answer), priority 0 so callbacks take their turn
   * by the time they entered among the waiting calls. Without `create`, null until then.
   */
  async outboundCallbackQueue(create: true): Promise<string>;
  async outboundCallbackQueue(create: false): Promise<string | null>;
  async outboundCallbackQueue(create: boolean): Promise<string | null> {
    const find = () => [...this.queues.values()].find((q) => q.code === OUTBOUND_CALLBACK_QUEUE);
    const known = find();
    if (known || !create) return known?.id ?? null;
    const at = iso(this.now());
    await insertQueueIfMissing(this.deps.db, {
      id: newId(),
      code: OUTBOUND_CALLBACK_QUEUE,
      name: '회신 전화',
      skill: null,
      strategy: 'longest_idle',
      escalation: null,
      priority: 0,
      is_active: 1,
      created_at: at,
      updated_at: at,
    });
    await this.reloadConfig();
    return find()!.id;
  }

  /**
   * 회신 전화: an outbound call to tell a citizen the department's answer, queued like a call on `queueId` (not before
   * `readyAt`, nor outside opening hours) and offered to an available agent; on the offer the phone system dials the
   * number (dial_callback, as for a caller's callback). `link` runs in the transaction that writes the contact (the
   * task's pointer to it), so a crash never leaves a task queued twice or a contact without its task.
   */
  async queueOutboundCallback(
    input: { number: string; citizenId: string | null; queueId: string; readyAt: number | null },
    link: (db: Db, contactId: string) => Promise<void>,
  ): Promise<string> {
    const queue = this.queues.get(input.queueId);
    if (!queue) throw new AppError('NOT_FOUND', '회신 전화 대기열이 없습니다.');
    const now = this.now();
    const e164 = normalizePhone(input.number) ?? input.number;
    const sealed = this.deps.vault.seal(e164);
    const opensAt = this.isOpen(now) ? null : this.nextOpening(now);
    const readyAt = Math.max(input.readyAt ?? now, opensAt ?? now);
    const id = newId();
    // The CTI dials it when one is configured; otherwise the in-process phone system.
    const source = [...this.adapters.keys()].find((name) => name !== this.simulator.name) ?? this.simulator.name;
    const c: ContactRec = {
      id,
      kind: 'callback',
      source,
      externalCallId: `answer-callback-${id}`,
      queueId: queue.id,
      skill: queue.skill,
      priority: queue.priority,
      dialledNumber: '',
      ivrChoice: null,
      enteredAt: now,
      virtualStartAt: now,
      readyAt: readyAt > now ? readyAt : null,
      ...newCallbackState(sealed, e164),
      originId: null,
    };
    this.contacts.set(id, c);
    this.byExternal.set(this.externalKey(c.source, c.externalCallId), id);
    this.newContacts.add(id);
    this.sharedOps.push(async (db) => {
      await insertInteractionRow(db, {
        id,
        channel: 'phone',
        direction: 'outbound',
        caller_number_sealed: sealed,
        caller_index: normalizePhone(e164) ? this.deps.vault.phoneIndex(e164) : this.deps.vault.blindIndex('phone-raw', e164),
        dialled_number: '',
        citizen_id: input.citizenId,
        agent_id: null,
        status: 'offered',
        started_at: iso(now),
        answered_at: null,
        ended_at: null,
      });
    });
    this.ops.push((db) => insertContact(db, { id: c.id, ...this.contactRow(c, iso(this.now())) }));
    this.ops.push((db) => link(db, id));
    this.enterLine(c, now);
    this.dispatchContact(c, now);
    await this.commit();
    return id;
  }

  /**
   * Takes an outbound callback off the line, or back from the agent it is offered to (the citizen was told another
   * way meanwhile). False when the ACD does not hold it waiting or offered (an agent has it, or it is over).
   */
  async withdrawOutboundCallback(contactId: string): Promise<boolean> {
    const c = this.contacts.get(contactId);
    if (!c || c.kind !== 'callback' || (c.status !== 'waiting' && c.status !== 'reserved')) return false;
    const now = this.now();
    const agent = c.status === 'reserved' && c.agentId ? this.agents.get(c.agentId) : undefined;
    if (agent && agent.contactId === c.id) {
      this.transition(agent, 'withdraw_offer', now, 'system');
      agent.contactId = null;
      this.command(c.source, { type: 'withdraw_offer', callId: c.externalCallId, agentId: agent.id });
      this.notices.push({ kind: 'agent', agentId: agent.id, type: 'call.event', message: { type: 'call.event', contactId: c.id, event: 'offer_withdrawn', at: iso(now) } });
    }
    this.leaveLine(c);
    this.event('call_ended', now, c.id, null, { by: 'system', reason: 'callback_withdrawn' });
    c.status = 'ended';
    c.endedAt = now;
    c.agentId = null;
    this.markContact(c);
    this.sharedOps.push((db) => markInteractionEnded(db, c.id, iso(now)));
    this.forget(c);
    if (agent && agent.snap.status === 'available') this.dispatchAgent(agent, now);
    await this.commit();
    return true;
  }

  /** The outbound callbacks of `queueId` still in line or offered to an agent (not yet answered). */
  pendingOutboundCallbacks(queueId: string): string[] {
    const out: string[] = [];
    for (const c of this.contacts.values()) {
      if (c.kind === 'callback' && c.queueId === queueId && (c.status === 'waiting' || c.status === 'reserved')) out.push(c.id);
    }
    return out;
  }

  /** True while the ACD holds the contact (in line, offered, handled, or in its agent's wrap-up). */
  holdsContact(contactId: string): boolean {
    return this.contacts.has(contactId);
  }

  /** The offered agent did not answer in time, or rejected: the contact goes back to its place; the agent may auto-pause. */
  private missOffer(agent: AgentRec, now: number, action: 'offer_timeout' | 'reject_offer', source = 'system'): void {
    const c = agent.contactId ? this.contacts.get(agent.contactId) : undefined;
    this.transition(agent, action, now, source);
    agent.contactId = null;
    if (c && c.status === 'reserved' && c.agentId === agent.id) {
      this.event('call_offer_missed', now, c.id, agent.id, { reason: action === 'offer_timeout' ? 'timeout' : 'rejected', missedOffers: agent.snap.missedOffers });
      this.command(c.source, { type: 'withdraw_offer', callId: c.externalCallId, agentId: agent.id });
      this.notices.push({ kind: 'agent', agentId: agent.id, type: 'call.event', message: { type: 'call.event', contactId: c.id, event: 'offer_withdrawn', at: iso(now) } });
      this.requeue(c, agent.id, now);
    }
    this.dispatchAgent(agent, now);
  }

  private withdrawOffer(c: ContactRec, agent: AgentRec, now: number, source: string): void {
    this.transition(agent, 'withdraw_offer', now, source);
    agent.contactId = null;
    this.command(c.source, { type: 'withdraw_offer', callId: c.externalCallId, agentId: agent.id });
    this.requeue(c, agent.id, now);
  }

  /** Back to the contact's own place in line (virtual start unchanged), not offered again to the agent who missed it. */
  private requeue(c: ContactRec, excludeAgentId: string | null, now: number): void {
    c.status = 'waiting';
    c.agentId = null;
    c.offeredAt = null;
    c.offerExpiresAt = null;
    c.excluded = excludeAgentId ? [excludeAgentId] : [];
    c.excludedUntil = excludeAgentId ? now + REOFFER_AFTER_MISS_MS : null;
    this.markContact(c);
    this.enterLine(c, now);
    this.dispatchContact(c, now);
  }

  private finishWrapUp(agent: AgentRec, now: number, source: string): void {
    const c = agent.contactId ? this.contacts.get(agent.contactId) : undefined;
    this.transition(agent, 'end_wrap_up', now, source);
    agent.contactId = null;
    if (c) {
      this.event('wrap_up_ended', now, c.id, agent.id);
      if (c.answeredAt !== null) {
        const s = this.ahtSum.get(c.queueId) ?? { sum: 0, n: 0 };
        s.sum += (now - c.answeredAt) / 1000;
        s.n++;
        this.ahtSum.set(c.queueId, s);
      }
      this.forget(c);
    }
    this.dispatchAgent(agent, now);
  }

  // ————————————————————————————————————————— agent use cases —————————————————————————————————————————

  /** The agent's state buttons: available (logging in if needed), not ready with a reason, logged out. */
  async setAgentState(agentId: string, body: AgentStateChangeBody, source: 'agent' | 'supervisor' = 'agent'): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const now = this.now();
    const s = agent.snap.status;
    // 회복 (issue #14): the agent cannot end the forced rest by any button; only its timer ends it.
    if (source === 'agent') assertRecoveryOver(agent.snap, now);
    if (body.status === 'available') {
      if (s === 'logged_out') {
        this.transition(agent, 'login', now, source);
        this.transition(agent, 'set_ready', now, source);
      } else if (s === 'not_ready') this.transition(agent, 'set_ready', now, source);
      else if (agent.snap.pendingNotReady) this.setAgent(agent, { ...agent.snap, pendingNotReady: null }, now, source);
      else if (s !== 'available') throw new AppError('INVALID_TRANSITION', '지금은 상담 가능 상태로 바꿀 수 없습니다.', { status: s });
      this.dispatchAgent(agent, now);
    } else if (body.status === 'not_ready') {
      if (s === 'logged_out') this.transition(agent, 'login', now, source);
      this.setAgent(agent, requestNotReady(agent.snap, body.reason, now), now, source);
    } else {
      if (s === 'on_call' || s === 'on_hold' || s === 'consulting') {
        throw new AppError('INVALID_TRANSITION', '통화 중에는 로그아웃할 수 없습니다.', { status: s });
      }
      if (s === 'reserved') {
        const c = agent.contactId ? this.contacts.get(agent.contactId) : undefined;
        if (c) this.withdrawOffer(c, agent, now, source);
      }
      if (agent.snap.status === 'after_call_work') this.finishWrapUp(agent, now, source);
      if (agent.snap.status !== 'logged_out') this.transition(agent, 'logout', now, source);
    }
    await this.commit();
    return this.deskState(agentId);
  }

  private heldBy(agent: AgentRec, contactId: string, allowed: ContactStatus[]): ContactRec {
    const c = this.contacts.get(contactId);
    if (!c || c.agentId !== agent.id || agent.contactId !== contactId) throw new AppError('NOT_FOUND', '해당 통화를 찾을 수 없습니다.');
    if (!allowed.includes(c.status)) {
      throw new AppError('INVALID_TRANSITION', '지금 상태에서는 할 수 없는 동작입니다.', { status: c.status, allowed: allowedAgentActions(agent.snap.status) });
    }
    return c;
  }

  /**
   * The agent accepts the offer: connected, and the caller card for the screen pop. With a viewer (the HTTP route) the
   * card's read is recorded as an access and both the card and the number are masked as the viewer's role sees them.
   */
  async answer(agentId: string, contactId: string, viewer: Viewer | null = null): Promise<{ interaction: Interaction; callerCard: CallerCard | null }> {
    const agent = await this.agentOf(agentId);
    const c = this.heldBy(agent, contactId, ['reserved']);
    const now = this.now();
    this.answerContact(c, agent, now, 'agent');
    this.command(c.source, { type: 'answer', callId: c.externalCallId, agentId: agent.id });
    await this.commit();
    if (this.options.writes === 'deferred') {
      // Not written yet: answer from memory (the simulator needs no caller card).
      return {
        interaction: { id: c.id, callerNumber: c.callerMasked, dialledNumber: c.dialledNumber, status: 'connected', startedAt: iso(c.enteredAt), answeredAt: iso(now), endedAt: null },
        callerCard: null,
      };
    }
    return this.connectedView(contactId, now, viewer);
  }

  /**
   * The live call as the desk shows it (the interaction and the caller card, masked by role): the answer's reply, and
   * after a reload of the desk in the middle of the call (issue #18 item 3: the screen pop comes back).
   */
  async connectedCall(agentId: string, contactId: string, viewer: Viewer | null = null): Promise<{ interaction: Interaction; callerCard: CallerCard | null }> {
    const agent = await this.agentOf(agentId);
    this.heldBy(agent, contactId, ['connected', 'held', 'consulting']);
    return this.connectedView(contactId, this.now(), viewer);
  }

  private async connectedView(contactId: string, now: number, viewer: Viewer | null): Promise<{ interaction: Interaction; callerCard: CallerCard | null }> {
    const row = await this.deps.db.selectFrom('interactions').selectAll().where('id', '=', contactId).executeTakeFirst();
    if (!row) throw new AppError('INTERNAL_ERROR', 'interaction not readable after answer');
    this.deps.caches.calls.set(row.id, { id: row.id, agent_id: row.agent_id, citizen_id: row.citizen_id, started_at: row.started_at }, now);
    let callerNumber = '';
    try {
      callerNumber = formatPhone(this.deps.vault.open(row.caller_number_sealed));
    } catch {
      callerNumber = '';
    }
    const role = viewer?.role ?? 'agent';
    const fullCard = row.citizen_id ? await getCallerCard(this.deps, row.citizen_id, row.id, viewer) : null;
    const callerCard = fullCard ? presentCallerCard(role, fullCard) : null;
    return {
      interaction: {
        id: row.id,
        callerNumber: presentCitizenField(role, 'phone', callerNumber),
        dialledNumber: row.dialled_number,
        status: row.status,
        startedAt: row.started_at,
        answeredAt: row.answered_at,
        endedAt: row.ended_at,
      },
      callerCard,
    };
  }

  async reject(agentId: string, contactId: string): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    this.heldBy(agent, contactId, ['reserved']);
    this.missOffer(agent, this.now(), 'reject_offer', 'agent');
    await this.commit();
    return this.deskState(agentId);
  }

  async hold(agentId: string, contactId: string): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const c = this.heldBy(agent, contactId, ['connected']);
    this.holdContact(c, agent, this.now(), 'agent');
    this.command(c.source, { type: 'hold', callId: c.externalCallId });
    await this.commit();
    return this.deskState(agentId);
  }

  async resume(agentId: string, contactId: string): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const c = this.heldBy(agent, contactId, ['held']);
    this.resumeContact(c, agent, this.now(), 'agent');
    this.command(c.source, { type: 'resume', callId: c.externalCallId });
    await this.commit();
    return this.deskState(agentId);
  }

  /** The agent hangs up: the call ends and after-call work starts (its timer is extendable). */
  async hangUp(agentId: string, contactId: string): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const c = this.heldBy(agent, contactId, ['connected', 'held', 'consulting']);
    this.endContact(c, this.now(), 'agent', 'agent');
    this.command(c.source, { type: 'hang_up', callId: c.externalCallId });
    await this.commit();
    return this.deskState(agentId);
  }

  /**
   * Ends a call the ACD is handling (connected, held or in consultation) as its agent would: hang-up to the phone
   * system, the agent to after-call work. False when the ACD does not handle this contact (a call of the old
   * answered-at-once simulator, or one already ended). The caller has checked that the user may end it.
   */
  async endIfHandled(contactId: string): Promise<boolean> {
    const c = this.contacts.get(contactId);
    const agent = c?.agentId ? this.agents.get(c.agentId) : undefined;
    if (!c || !agent || agent.contactId !== c.id || !(c.status === 'connected' || c.status === 'held' || c.status === 'consulting')) return false;
    this.endContact(c, this.now(), 'agent', 'agent');
    this.command(c.source, { type: 'hang_up', callId: c.externalCallId });
    await this.commit();
    return true;
  }

  /** Blind: the call goes to the target at once and the agent to wrap-up. Consultative: a consultation leg starts. */
  async transfer(agentId: string, contactId: string, body: TransferBody): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const c = this.heldBy(agent, contactId, ['connected', 'held']);
    const now = this.now();
    // A consultation holds the caller: the phone system plays the wait message over its hold music.
    if (body.mode === 'consultative') this.command(c.source, { type: 'announce', callId: c.externalCallId, announcement: TRANSFER_HOLD });
    this.command(c.source, { type: 'transfer', callId: c.externalCallId, mode: body.mode, target: body.target });
    if (body.mode === 'blind') this.transferDone(c, agent, now, 'blind', body.target, 'agent');
    else {
      this.transition(agent, 'start_consult', now, 'agent');
      c.status = 'consulting';
      this.markContact(c);
      this.consultTargets.set(c.id, body.target);
    }
    await this.commit();
    return this.deskState(agentId);
  }

  private readonly consultTargets = new Map<string, string>();

  async completeTransfer(agentId: string, contactId: string): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const c = this.heldBy(agent, contactId, ['consulting']);
    this.command(c.source, { type: 'complete_transfer', callId: c.externalCallId });
    this.transferDone(c, agent, this.now(), 'consultative', this.consultTargets.get(c.id) ?? '', 'agent');
    this.consultTargets.delete(c.id);
    await this.commit();
    return this.deskState(agentId);
  }

  async cancelTransfer(agentId: string, contactId: string): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const c = this.heldBy(agent, contactId, ['consulting']);
    this.transition(agent, 'end_consult', this.now(), 'agent');
    c.status = 'connected';
    this.markContact(c);
    this.consultTargets.delete(c.id);
    this.command(c.source, { type: 'cancel_transfer', callId: c.externalCallId });
    await this.commit();
    return this.deskState(agentId);
  }

  /** A three-way call with a target (the official joins; the agent stays on the call): the phone system mixes it. */
  async conference(agentId: string, contactId: string, target: string): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const c = this.heldBy(agent, contactId, ['connected', 'held', 'consulting']);
    this.command(c.source, { type: 'conference', callId: c.externalCallId, target });
    await this.commit();
    return this.deskState(agentId);
  }

  // ————————————————————————————————————————— 감정노동 보호 (issue #14) —————————————————————————————————————————

  /** Sets the protection module's routing policy (null: none). */
  setCallerPolicy(policy: CallerPolicy | null): void {
    this.callerPolicy = policy;
  }

  /**
   * The phone system's reference of the agent's current call (its source and call id: recordings are kept under it),
   * or NOT_FOUND when the agent is not talking on this contact now (connected or on hold).
   */
  agentCall(agentId: string, contactId: string): { source: string; callId: string; answeredAt: string | null } {
    const agent = this.agents.get(agentId);
    const c = this.contacts.get(contactId);
    if (!agent || !c || c.agentId !== agentId || agent.contactId !== contactId || !(c.status === 'connected' || c.status === 'held')) {
      throw new AppError('NOT_FOUND', '지금 통화 중인 전화가 아닙니다.');
    }
    return { source: c.source, callId: c.externalCallId, answeredAt: isoOrNull(c.answeredAt) };
  }

  /** Plays a message to the caller of the agent's current call (a protection warning) through the telephony port. */
  async playToCaller(agentId: string, contactId: string, announcement: Announcement): Promise<void> {
    const call = this.agentCall(agentId, contactId);
    this.command(call.source, { type: 'announce', callId: call.callId, announcement });
    await this.commit();
  }

  /**
   * Ends an abusive call by the protocol (issue #14 §2): the termination notice, then the hang-up; the agent goes to
   * 회복 (not ready, no routing) for `recoverySeconds` instead of after-call work. The case form stays on the desk
   * (it records against the interaction).
   */
  async endAbusiveCall(agentId: string, contactId: string, notice: Announcement, recoverySeconds: number): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const c = this.heldBy(agent, contactId, ['connected', 'held']);
    const now = this.now();
    this.command(c.source, { type: 'announce', callId: c.externalCallId, announcement: notice });
    this.command(c.source, { type: 'hang_up', callId: c.externalCallId });
    const next = transitionAgent(agent.snap, 'end_abusive_call', now, { config: this.agentConfig, seconds: recoverySeconds });
    this.setAgent(agent, next, now, 'agent');
    this.event('call_ended', now, c.id, agent.id, { by: 'agent', reason: 'abusive' });
    this.closeContact(c, agent, now);
    agent.contactId = null;
    this.forget(c);
    this.notices.push({ kind: 'agent', agentId: agent.id, type: 'call.event', message: { type: 'call.event', contactId: c.id, event: 'ended', at: iso(now) } });
    await this.commit();
    return this.deskState(agentId);
  }

  /** A supervisor gives an agent in 회복 more rest (issue #14 §3); INVALID_TRANSITION when the agent is not resting. */
  async extendRecovery(agentId: string, seconds: number): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    const now = this.now();
    this.setAgent(agent, transitionAgent(agent.snap, 'extend_recovery', now, { config: this.agentConfig, seconds }), now, 'supervisor');
    await this.commit();
    return this.deskState(agentId);
  }

  async extendWrapUp(agentId: string): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    this.transition(agent, 'extend_wrap_up', this.now(), 'agent');
    await this.commit();
    return this.deskState(agentId);
  }

  async endWrapUp(agentId: string): Promise<AgentDeskState> {
    const agent = await this.agentOf(agentId);
    if (agent.snap.status !== 'after_call_work') {
      throw new AppError('INVALID_TRANSITION', '후처리 중이 아닙니다.', { status: agent.snap.status, allowed: allowedAgentActions(agent.snap.status) });
    }
    this.finishWrapUp(agent, this.now(), 'agent');
    await this.commit();
    return this.deskState(agentId);
  }

  // ————————————————————————————————————————— reads —————————————————————————————————————————

  /** The agent's desk: state, timer, the offered or handled contact, the actions open now. */
  /** An agent's status and the contact they hold (the one {@link deskState} shows), without building the desk's view. */
  agentActivity(agentId: string): { status: AgentStatus; contactId: string | null } {
    const agent = this.agents.get(agentId);
    if (!agent) return { status: 'logged_out', contactId: null };
    return { status: agent.snap.status, contactId: agent.contactId && this.contacts.has(agent.contactId) ? agent.contactId : null };
  }

  deskState(agentId: string): AgentDeskState {
    const agent = this.agents.get(agentId);
    const now = this.now();
    if (!agent) {
      return {
        agentId,
        status: 'logged_out',
        since: iso(now),
        reason: null,
        pendingNotReady: null,
        missedOffers: 0,
        timerEndsAt: null,
        contact: null,
        offer: null,
        allowedActions: allowedAgentActions('logged_out'),
        callsHandledToday: 0,
      };
    }
    const c = agent.contactId ? this.contacts.get(agent.contactId) : undefined;
    return {
      agentId,
      status: agent.snap.status,
      since: iso(agent.snap.since),
      reason: agent.snap.reason,
      pendingNotReady: agent.snap.pendingNotReady,
      missedOffers: agent.snap.missedOffers,
      timerEndsAt: isoOrNull(agent.snap.timerEndsAt),
      contact: c ? this.contactView(c) : null,
      offer: c && agent.snap.status === 'reserved' ? this.offerOf(c) : null,
      allowedActions: allowedAgentActions(agent.snap.status),
      callsHandledToday: agent.callsDay === kstDay(now) ? agent.callsHandled : 0,
    };
  }

  /** The supervisors' wallboard: the line now, today's figures (SL 80/20 definition of kpi.ts), agents by state. */
  wallboard(): WallboardSnapshot {
    const now = this.now();
    this.rollDay(now);
    const byStatus = Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Record<AgentStatus, number>;
    const agents: WallboardSnapshot['agents'] = [];
    for (const a of this.agents.values()) {
      byStatus[a.snap.status]++;
      if (a.snap.status !== 'logged_out') {
        agents.push({ agentId: a.id, name: a.name, status: a.snap.status, reason: a.snap.reason, since: iso(a.snap.since), callsHandledToday: a.callsDay === kstDay(now) ? a.callsHandled : 0 });
      }
    }
    const perQueue = new Map<string, { waiting: number; callbacks: number; oldest: number | null }>();
    let waiting = 0;
    let callbacks = 0;
    let oldest: number | null = null;
    for (const w of this.line) {
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
    const sl = (k: DayCounters) => (k.answered + k.abandonedAfter > 0 ? k.answeredWithin / (k.answered + k.abandonedAfter) : null);
    const asa = (k: DayCounters) => (k.answered > 0 ? k.answerWaitMs / k.answered / 1000 : null);
    const queues = [...this.queues.values()]
      .filter((q) => q.isActive)
      .map((q) => {
        const line = perQueue.get(q.id);
        const k = this.queueCounters.get(q.id) ?? zeroCounters();
        let staffed = 0;
        let avail = 0;
        for (const a of this.agents.values()) {
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
          serviceLevelToday: sl(k),
          asaSecondsToday: asa(k),
          agentsAvailable: avail,
          agentsStaffed: staffed,
        };
      });
    const open = this.isOpen(now);
    const nextOpen = open ? null : this.nextOpening(now);
    return {
      at: iso(now),
      day: this.countersDay,
      isOpen: open,
      nextOpeningAt: isoOrNull(nextOpen),
      waiting,
      callbacksWaiting: callbacks,
      longestWaitSeconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
      offeredToday: this.counters.offered,
      answeredToday: this.counters.answered,
      answeredWithinTargetToday: this.counters.answeredWithin,
      abandonedToday: this.counters.abandoned,
      shortAbandonedToday: this.counters.shortAbandoned,
      callbacksRequestedToday: this.counters.callbacks,
      serviceLevelToday: sl(this.counters),
      asaSecondsToday: asa(this.counters),
      serviceLevelTargetSeconds: this.slMs / 1000,
      agentsByStatus: byStatus,
      queues,
      agents,
    };
  }

  /** Contacts in line now (calls and callbacks), in line order: for tests, the simulator and supervisors. */
  waitingContacts(): AcdContact[] {
    return this.waitingPage(0, this.line.length).items;
  }

  /** One page of the line in line order, and how many wait in all (only the page's views are built). */
  waitingPage(offset: number, limit: number): { items: AcdContact[]; total: number } {
    const out = [...this.line].sort((a, b) => (a.priority !== b.priority ? b.priority - a.priority : (a.virtualStartAt ?? a.enteredAt) - (b.virtualStartAt ?? b.enteredAt)));
    return { items: out.slice(offset, offset + limit).map((w) => this.contactView(this.contacts.get(w.id)!)), total: out.length };
  }

  /** The contact id of a phone system's call, while the ACD holds it. */
  contactIdOf(source: string, callId: string): string | undefined {
    return this.byExternal.get(this.externalKey(source, callId));
  }

  /** Is the agent handling a contact now (for reports and tests). */
  isHandling(agentId: string): boolean {
    const a = this.agents.get(agentId);
    return a ? isHandling(a.snap.status) : false;
  }
}

/**
 * Contact event rows → the events core/domain/kpi.ts reads: the agent from the actor; queue, callback link and the
 * disposition (outcome, category, the caller's blind index) from the data.
 */
export function toKpiEvents(rows: readonly { interaction_id: string | null; type: string; at: string; actor_id: string | null; data: string | null }[]): KpiEvent[] {
  const out: KpiEvent[] = [];
  for (const r of rows) {
    if (!r.interaction_id) continue;
    const e: KpiEvent = { interactionId: r.interaction_id, type: r.type as KpiEvent['type'], at: Date.parse(r.at), agentId: r.actor_id, queueId: null };
    if (r.data) {
      let d: Record<string, unknown> = {};
      try {
        d = JSON.parse(r.data) as Record<string, unknown>;
      } catch {
        d = {};
      }
      const str = (v: unknown) => (typeof v === 'string' ? v : null);
      e.queueId = str(d.queueId);
      if (r.type === 'callback_requested') e.callbackId = str(d.callbackId);
      if (r.type === 'call_dispositioned') {
        const outcome = CaseOutcomeSchema.safeParse(d.outcome);
        e.outcome = outcome.success ? outcome.data : null;
        e.categoryId = str(d.categoryId);
        e.callerKey = str(d.callerKey);
      }
    }
    out.push(e);
  }
  return out;
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
