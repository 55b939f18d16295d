import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AcdOffer } from '../../../core/contracts/acd';
import { kstMidnight, planDay, retrialOf, type DayModelParams, type PlannedCall, type TopicMix } from '../../../core/domain/day-model';
import type { Shift, ShiftPause } from '../../../core/domain/sim-staffing';
import { abandonmentRateOf, computeKpis, deriveContacts, firstContactResolution, type AgentStateEvent, type KpiEvent, type KpiSummary } from '../../../core/domain/kpi';
import { createRng } from '../../../core/domain/prng';
import { AppError } from '../../../core/errors';
import { CategoryFileSchema, DepartmentFileSchema } from '../../db/seed/seed-data';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import type { FakeClock } from '../../ports/clock/fake.adapter';
import { insertQueue, replaceQueueRoutes } from '../acd/acd.repository';
import { AcdService, toKpiEvents, type AcdNotice } from '../acd/acd.service';
import { hashPassword } from '../auth/passwords';
import { recordCase } from '../cases/cases.service';
import { flattenCategoryTree, upsertTaxonomy } from '../org/taxonomy';
import type { AgentStatus } from '../../../core/domain/agent-state';
import {
  countHandOffs,
  countUniqueCallers,
  countUsers,
  findCallbackOrigin,
  insertSkills,
  insertUsers,
  listAgentStateChangesSince,
  listCallbackContacts,
  listCategoryCodes,
  listDayEvents,
} from './simulation.repository';

/**
 * The simulated day (issue #4 §9): a day planned by core/domain/day-model.ts is played against the real AcdService
 * through its in-process phone system (SimulatorTelephony) on a virtual clock, with the real cases service recording
 * every handled call (hand-offs get their legal deadlines). The day's KPIs are then recomputed from the contact event
 * log alone with core/domain/kpi.ts, and every planned call is accounted for.
 */

const SEED_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../db/seed/data');

/** Category codes of the sample taxonomy behind each topic of the mix (server/db/seed/data/categories.json). */
const TOPIC_CATEGORIES: Record<string, (code: string) => boolean> = {
  local_tax: (c) => /^01-0[1-5]$/.test(c),
  passport: (c) => c === '02-01',
  traffic: (c) => /^03-0\d$/.test(c),
  civil_documents: (c) => /^02-0[2-5]$/.test(c),
  other: (c) => /^(0[4-9]|1\d)-\d\d$/.test(c),
  water: (c) => /^05-0[23]$/.test(c),
  roads: (c) => c === '09-01',
};

/** The ACD's queues for the simulated centre: number 120, IVR 1 세무, 2 민원·증명, 3 교통, no choice → 일반. */
const QUEUES = [
  { code: 'SIM-TAX', name: '세무', skillCode: '01', ivr: '1' },
  { code: 'SIM-CIVIL', name: '민원·증명', skillCode: '02', ivr: '2' },
  { code: 'SIM-TRAFFIC', name: '교통', skillCode: '03', ivr: '3' },
  { code: 'SIM-GENERAL', name: '일반', skillCode: null, ivr: '' },
] as const;

export type SimulationOptions = {
  calls: number;
  agents: number;
  seed: number | string;
  /** The simulated weekday, "YYYY-MM-DD" (KST). */
  date: string;
  /** Exactly `calls` calls (default), or a Poisson count with that mean. */
  exactTotal?: boolean;
  params?: Partial<DayModelParams>;
  /** The day's topic mix (a bad day's boosted one); the day model's default otherwise. */
  mix?: TopicMix;
  /**
   * The agents' shifts (core/domain/sim-staffing.ts buildRoster): each agent logs in 5 minutes before its shift, takes
   * its lunch hour and breaks as not ready with the reason (each its full length, from when the call in hand is done),
   * and logs out at its end after the call in hand (the last shift of the day stays while callers wait in line or for
   * a callback). `agents` is then the roster's length. Without it, `agents`
   * agents log in at `loginAt` and stay until the line is empty (the old flat day).
   */
  roster?: readonly Shift[];
  /** Agents log in at this KST time (default 08:25) and stay until the line is empty. */
  loginAt?: string;
  /**
   * How agents pick up a call: `phone` (default) = on their phone set, the phone system reports `answered` (the path of
   * a real PBX); `desk` = the desk's answer button (AcdService.answer, which also builds the screen pop). Callbacks
   * are always accepted on the desk (agent-first: the agent accepts, then the citizen is dialled).
   */
  answerVia?: 'phone' | 'desk';
  /**
   * How the ACD writes (AcdStartOptions.writes). `deferred` (default): the calls' interactions and citizens are
   * written with each decision (the cases service records against them), the ACD's own rows in batches: the
   * simulation's database is throwaway, so it need not survive a crash half-way. `immediate`: every decision in its
   * own transaction before it takes effect, exactly as the server runs (slower; the bench measures both).
   */
  writes?: 'immediate' | 'deferred';
  /** Progress callback, every ~10% of arrivals. */
  onProgress?: (done: number, total: number) => void;
};

export type SimulationAccounting = {
  /** Calls placed by the simulated phone system. */
  placed: number;
  /** Answered by an agent and ended. */
  answeredAndEnded: number;
  /** Hung up before an agent answered (short abandons included). */
  abandoned: number;
  /** Asked for a callback: completed (an agent called back and the call ended) or still waiting in line. */
  callbacksRequested: number;
  callbacksCompleted: number;
  callbacksPending: number;
  /** Refused by the ACD with an announcement (no queue for the number, centre closed). */
  refused: number;
  /** placed − (answered and ended + abandoned + callbacks completed + callbacks pending + refused): 0 = every call accounted for. */
  lost: number;
};

export type SimulationResult = {
  date: string;
  seed: string;
  calls: number;
  agents: number;
  dialect: string;
  kpis: KpiSummary;
  /** 직접처리 and 이관 counts of the cases recorded (one per handled contact). */
  cases: { recorded: number; resolved: number; handedOff: number; handOffsWithDeadline: number; failed: number };
  accounting: SimulationAccounting;
  /** Agent actions the ACD refused during the run (should be 0; a refusal is a race the simulator lost). */
  refusedActions: number;
  refusedBy: Record<string, number>;
  /**
   * The ACD's own wallboard figures at the end (its counters must agree with the log); abandonedToday counts short
   * abandons too, abandonmentRate is the wallboard tile's 포기율 (abandonmentRateOf, the report's definition).
   */
  wallboard: { offeredToday: number; answeredToday: number; abandonedToday: number; callbacksRequestedToday: number; abandonmentRate: number | null };
  /** Virtual time: first arrival, last arrival, when the last agent finished (ISO). */
  virtual: { opensAt: string; lastArrivalAt: string | null; drainedAt: string };
  /** Wall time spent per kind of step (ms and count): where a day's time goes (the ACD's use cases, the cases service). */
  steps: Record<string, { n: number; ms: number }>;
  /** Routing decision times (ms, in-memory pick) measured by the ACD during the day. */
  routingMs: { samples: number; p50: number; p99: number; max: number };
  /**
   * Callers, not calls: distinct callers (blind index) who rang, the retrials (calls again after abandoning, counted
   * as one caller), the chases of an open hand-off (독촉) recorded on it, and first-contact resolution of the day.
   */
  callers: { unique: number; retrials: number; chases: number; fcr: { contacts: number; resolvedWithoutRepeat: number; rate: number | null } };
  /** Offers the agents let ring out or rejected (the model's share). */
  offers: { missed: number; rejected: number };
  /** Per half hour (KST "HH:MM"): agents logged in and on the phones (time-weighted mean, from the state log). */
  staffed: Array<{ start: string; loggedIn: number; onPhones: number }>;
};

/** The agent as the cases service sees its caller (a signed-in user, here without a network address). */
type Agent = { id: string; user: Parameters<typeof recordCase>[1] };
type Setup = { agents: Agent[]; categories: Map<string, string[]> };

/** A fresh database for the simulated centre: taxonomy and departments, queues and routes, agents with skills. */
export async function prepareSimulation(deps: AppDeps, agentCount: number): Promise<Setup> {
  if ((await countUsers(deps.db)) > 0) throw new AppError('CONFLICT', 'the simulator needs an empty database (users found)');
  const departments = DepartmentFileSchema.parse(JSON.parse(fs.readFileSync(path.join(SEED_DIR, 'departments.json'), 'utf8')));
  const tree = CategoryFileSchema.parse(JSON.parse(fs.readFileSync(path.join(SEED_DIR, 'categories.json'), 'utf8')));
  const at = deps.clock.now().toISOString();
  // One hash for every simulated agent: they never sign in, but the column holds a real, unguessable hash.
  const passwordHash = await hashPassword(newId() + newId());
  const agents: Agent[] = [];
  await deps.db.transaction().execute(async (trx) => {
    const taxonomy = await upsertTaxonomy(trx, at, departments, flattenCategoryTree(tree));
    if (taxonomy.problems.length > 0) throw new Error(`taxonomy invalid: ${JSON.stringify(taxonomy.problems)}`);
    const categoryId = new Map((await listCategoryCodes(trx)).map((c) => [c.code, c.id]));
    const queueIds: string[] = [];
    for (const q of QUEUES) {
      const id = newId();
      queueIds.push(id);
      await insertQueue(trx, {
        id,
        code: q.code,
        name: q.name,
        skill: q.skillCode ? (categoryId.get(q.skillCode) ?? null) : null,
        strategy: 'longest_idle',
        escalation: null,
        priority: 0,
        is_active: 1,
        created_at: at,
        updated_at: at,
      });
      await replaceQueueRoutes(trx, id, [{ id: newId(), dialled_number: '120', ivr_choice: q.ivr }]);
    }
    const users = [];
    const skills: { user_id: string; skill: string; level: number }[] = [];
    const skillIds = QUEUES.flatMap((q) => (q.skillCode ? [categoryId.get(q.skillCode)!] : []));
    for (let i = 0; i < agentCount; i++) {
      const id = newId();
      const n = String(i + 1).padStart(4, '0');
      users.push({ id, login: `sim-agent-${n}`, password_hash: passwordHash, name: `모의상담사${n}`, role: 'agent' as const, department_id: null, title: null, extension: String(7000 + i), is_active: 1, created_at: at });
      // Each agent is a specialist (level 1) of one skill and serves the others at level 2 or 3.
      skillIds.forEach((skill, k) => skills.push({ user_id: id, skill, level: k === i % skillIds.length ? 1 : 2 + ((i + k) % 2) }));
      agents.push({ id, user: { id, login: `sim-agent-${n}`, name: `모의상담사${n}`, role: 'agent', departmentId: null, departmentName: null, sessionId: 'simulation', ip: null } });
    }
    await insertUsers(trx, users);
    await insertSkills(trx, skills);
  });
  const codes = await listCategoryCodes(deps.db);
  const categories = new Map<string, string[]>();
  for (const [topic, match] of Object.entries(TOPIC_CATEGORIES)) {
    categories.set(
      topic,
      codes.filter((c) => c.level >= 2 && match(c.code)).map((c) => c.id),
    );
  }
  return { agents, categories };
}

// ————————————————————————————————————————— the event loop —————————————————————————————————————————

type Action =
  | { kind: 'arrive'; call: PlannedCall }
  | { kind: 'callback_key'; call: PlannedCall }
  | { kind: 'patience'; call: PlannedCall }
  | { kind: 'answer'; agentId: string; contactId: string; isCallback: boolean }
  | { kind: 'hold'; agentId: string; contactId: string }
  | { kind: 'resume'; agentId: string; contactId: string }
  | { kind: 'end'; agentId: string; contactId: string }
  | { kind: 'extend'; agentId: string; contactId: string }
  | { kind: 'end_wrap_up'; agentId: string; contactId: string }
  | { kind: 'reject'; agentId: string; contactId: string }
  | { kind: 'recover'; agentId: string }
  | { kind: 'login'; agentId: string }
  | { kind: 'pause'; agentId: string; pause: ShiftPause }
  | { kind: 'pause_end'; agentId: string }
  | { kind: 'shift_end'; agentId: string; closes: boolean };

type Scheduled = { at: number; seq: number; action: Action };

/** A binary min-heap on (at, seq): equal times keep scheduling order, so a run is reproducible. */
class ActionQueue {
  private readonly heap: Scheduled[] = [];
  private seq = 0;
  get size(): number {
    return this.heap.length;
  }
  push(at: number, action: Action): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, action });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const child = h[i]!;
      const parent = h[p]!;
      if (!less(child, parent)) break;
      h[i] = parent;
      h[p] = child;
      i = p;
    }
  }
  peek(): Scheduled | undefined {
    return this.heap[0];
  }
  pop(): Scheduled | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        const t = h[i]!;
        h[i] = h[m]!;
        h[m] = t;
        i = m;
      }
    }
    return top;
  }
}
const less = (a: Scheduled, b: Scheduled) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

type CallState = {
  call: PlannedCall;
  callId: string | null;
  contactId: string | null;
  phase: 'waiting' | 'talking' | 'done' | 'callback' | 'refused';
  /** Ringing at an agent (an offer was made and not withdrawn). */
  isRinging: boolean;
  /** The first offer was met as planned (answered, missed or rejected): later offers are answered. */
  offered: boolean;
};
type Handling = { call: PlannedCall; isCallback: boolean; answeredAt: number };

/** Plays one day against the real ACD. `deps.clock` must be the `clock` given (a FakeClock). */
export async function runSimulatedDay(deps: AppDeps, clock: FakeClock, options: SimulationOptions): Promise<SimulationResult> {
  const dayStart = kstMidnight(options.date);
  const roster = options.roster ?? null;
  const agentCount = roster ? roster.length : options.agents;
  const setup = await prepareSimulation(deps, agentCount);
  const loginAt = roster ? dayStart + (Math.min(...roster.map((r) => r.start)) - 5) * 60_000 : dayStart + minutesOfDay(options.loginAt ?? '08:25') * 60_000;
  clock.set(new Date(loginAt));

  const plan = planDay(createRng(options.seed), {
    calls: options.calls,
    dayStartKst: dayStart,
    exactTotal: options.exactTotal ?? true,
    ...(options.params ? { params: options.params } : {}),
    ...(options.mix ? { mix: options.mix } : {}),
  });
  const wrapUpMs = deps.config.acd.wrapUpSeconds * 1000;
  const acd = await AcdService.start(deps, {
    timers: 'manual',
    callerCards: false,
    writes: options.writes ?? 'deferred',
    agentConfig: { offerTimeoutSeconds: deps.config.acd.offerTimeoutSeconds, maxMissedOffers: deps.config.acd.maxMissedOffers, wrapUpSeconds: deps.config.acd.wrapUpSeconds },
  });
  if (!acd.isOpen(dayStart + 10 * 3_600_000)) {
    await acd.stop();
    throw new AppError('VALIDATION_FAILED', `${options.date} is not a working day of the centre (weekend, public holiday or closed day)`);
  }

  const queue = new ActionQueue();
  const calls = new Map<number, CallState>();
  const byContact = new Map<string, CallState>();
  const handling = new Map<string, Handling>(); // contactId → what the agent is doing with it
  const agentUser = new Map(setup.agents.map((a) => [a.id, a.user]));
  const caseTally = { recorded: 0, resolved: 0, handedOff: 0, failed: 0 };
  let refusedActions = 0;
  let unfinished = plan.length;
  const steps: Record<string, { n: number; ms: number }> = {};
  const timeStep = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      const s = (steps[name] ??= { n: 0, ms: 0 });
      s.n++;
      s.ms += performance.now() - t0;
    }
  };

  /** Planned pauses asked for mid-call, waiting for the call's work to end: they run their full length from then. */
  const pausesPending = new Map<string, ShiftPause>();
  const unsubscribe = acd.subscribe((notice: AcdNotice) => {
    if (notice.kind !== 'agent') return;
    if (notice.type === 'agent.state') {
      // The desk's pending not-ready took effect: the meal or break starts now and lasts what the roster gives
      // (a rest of 근로기준법 제54조 is not cut short by the call that delayed it).
      const pause = pausesPending.get(notice.agentId);
      if (!pause) return;
      const desk = acd.agentActivity(notice.agentId);
      if (desk.status === 'not_ready' && desk.pendingNotReady === null) {
        pausesPending.delete(notice.agentId);
        queue.push(clock.now().getTime() + pause.minutes * 60_000, { kind: 'pause_end', agentId: notice.agentId });
      } else if (desk.status === 'logged_out' || desk.pendingLogout) pausesPending.delete(notice.agentId);
      return;
    }
    if (notice.message.type === 'call.event' && notice.message.event === 'offer_withdrawn') {
      const s = byContact.get(notice.message.contactId);
      if (s) s.isRinging = false;
      return;
    }
    if (notice.message.type !== 'offer') return;
    const offer: AcdOffer = notice.message.offer;
    const isCallback = offer.contact.kind === 'callback';
    const state = byContact.get(offer.contact.id);
    if (state && !isCallback) state.isRinging = true;
    const ring = isCallback ? 3_000 : (state?.call.ringMs ?? 2_000);
    const now = clock.now().getTime();
    const fate = state && !isCallback && !state.offered ? state.call.firstOffer : 'answer';
    if (state) state.offered = true;
    if (fate === 'miss') {
      // The agent lets it ring out: the ACD's offer timer takes it back (and pauses the agent after repeated misses).
      offersMet.missed++;
      queue.push(now + (deps.config.acd.offerTimeoutSeconds + 20) * 1000, { kind: 'recover', agentId: notice.agentId });
    } else if (fate === 'reject') {
      offersMet.rejected++;
      queue.push(now + ring, { kind: 'reject', agentId: notice.agentId, contactId: offer.contact.id });
    } else queue.push(now + ring, { kind: 'answer', agentId: notice.agentId, contactId: offer.contact.id, isCallback });
  });

  const offersMet = { missed: 0, rejected: 0 };
  /** Per agent: on a planned pause, gone home; the agents' shifts as actions. */
  const agentSim = new Map(setup.agents.map((a) => [a.id, { paused: false, gone: false }]));
  if (roster) {
    const latestEnd = Math.max(...roster.map((r) => r.end));
    setup.agents.forEach((a, i) => {
      const shift = roster[i]!;
      const at = (min: number) => dayStart + min * 60_000;
      queue.push(at(shift.start - 5), { kind: 'login', agentId: a.id });
      for (const p of shift.pauses) if (p.at < (shift.leavesEarlyAt ?? shift.end)) queue.push(at(p.at), { kind: 'pause', agentId: a.id, pause: p });
      const end = shift.leavesEarlyAt ?? shift.end;
      queue.push(at(end), { kind: 'shift_end', agentId: a.id, closes: shift.leavesEarlyAt === null && shift.end === latestEnd });
    });
  } else for (const a of setup.agents) await acd.setAgentState(a.id, { status: 'available' });
  const handOffOf = new Map<number, string>(); // first call index → its hand-off (a chase adds to it)
  let nextIndex = plan.length;
  let retrials = 0;
  let chases = 0;
  /** Agent actions of the roster whose refusal is part of the day (a break asked for mid-call ends before the call). */
  const quietly = async (f: () => Promise<unknown>): Promise<void> => {
    try {
      await f();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  };
  const BUSY = new Set<AgentStatus>(['on_call', 'on_hold', 'consulting']);
  // Arrivals are planned in time order: they are read from the plan in step with the heap of the day's other actions
  // (at equal times an arrival goes first, as if it had been scheduled first).
  for (const call of plan) calls.set(call.index, { call, callId: null, contactId: null, phase: 'waiting', isRinging: false, offered: false });
  let nextArrival = 0;
  const nextAt = (): number | undefined => {
    const arrival = plan[nextArrival]?.arrivesAt;
    const own = queue.peek()?.at;
    return arrival === undefined ? own : own === undefined ? arrival : Math.min(arrival, own);
  };
  const popDue = (now: number): Action | undefined => {
    const arrival = plan[nextArrival];
    const own = queue.peek();
    if (arrival && arrival.arrivesAt <= now && (!own || arrival.arrivesAt <= own.at)) {
      nextArrival++;
      return { kind: 'arrive', call: arrival };
    }
    if (own && own.at <= now) return queue.pop()!.action;
    return undefined;
  };

  const categoryFor = (call: PlannedCall): string => {
    const list = setup.categories.get(call.topic) ?? [];
    if (list.length === 0) throw new Error(`no category for topic ${call.topic}`);
    return list[call.categoryPick % list.length]!;
  };
  const finish = (s: CallState) => {
    if (s.phase !== 'done' && s.phase !== 'refused') unfinished--;
  };
  /** Runs an agent action; a refusal (the contact moved on meanwhile) is counted, never thrown. */
  const refusedBy: Record<string, number> = {};
  const attempt = async (name: string, f: () => Promise<unknown>): Promise<boolean> => {
    try {
      await f();
      return true;
    } catch (err) {
      if (err instanceof AppError) {
        refusedActions++;
        refusedBy[`${name}: ${err.code}`] = (refusedBy[`${name}: ${err.code}`] ?? 0) + 1;
        return false;
      }
      throw err;
    }
  };

  const lineHasWork = (): boolean => {
    const w = acd.wallboard();
    return w.isOpen || w.waiting > 0 || w.callbacksWaiting > 0 || (w.agentsByStatus.reserved ?? 0) > 0;
  };
  const progressStep = Math.max(1, Math.floor(plan.length / 10));
  let arrived = 0;
  const hardStop = dayStart + 36 * 3_600_000;

  const run = async (now: number, action: Action): Promise<void> => {
    switch (action.kind) {
      case 'arrive': {
        const s = calls.get(action.call.index)!;
        const { callId, result } = await acd.simulator.placeCall({ callerNumber: action.call.callerNumber, dialledNumber: '120', ivrChoice: action.call.ivrChoice });
        s.callId = callId;
        arrived++;
        if (options.onProgress && arrived % progressStep === 0) options.onProgress(arrived, plan.length);
        const d = result.decision;
        if (!d || d.action === 'reject' || d.action === 'closed' || !d.contactId) {
          finish(s);
          s.phase = 'refused';
          if (d?.action === 'closed') await acd.simulator.callerHangsUp(callId);
          return;
        }
        s.contactId = d.contactId;
        byContact.set(d.contactId, s);
        if (s.phase === 'waiting') {
          queue.push(now + action.call.patienceMs, { kind: 'patience', call: action.call });
          const ewt = d.action === 'queue' && d.announcement?.kind === 'position' ? d.announcement.estimatedWaitSeconds : null;
          const limit = (options.params?.callbackAboveSeconds ?? 60) * 1000;
          // Hearing the announcement and pressing the key takes a few seconds.
          if (ewt !== null && ewt * 1000 >= limit && action.call.asksCallbackIfLong) queue.push(now + 8_000, { kind: 'callback_key', call: action.call });
        }
        return;
      }
      case 'callback_key':
      case 'patience': {
        const s = calls.get(action.call.index)!;
        if (s.phase !== 'waiting' || !s.callId || !s.contactId) return;
        // Once the phone rings at an agent the callback key is too late (the IVR no longer listens).
        const wantsCallback = !s.isRinging && (action.kind === 'callback_key' || action.call.asksCallbackAtPatience);
        if (action.kind === 'callback_key' && !wantsCallback) return;
        if (wantsCallback) {
          const res = await acd.simulator.requestCallback(s.callId, action.call.callerNumber);
          if (res.outcome === 'applied') {
            s.phase = 'callback';
            return;
          }
          // Ringing at an agent already: a key press is too late; at the end of patience the caller hangs up.
          if (action.kind === 'callback_key') return;
        }
        await acd.simulator.callerHangsUp(s.callId);
        s.phase = 'done';
        unfinished--;
        if (action.call.retriesAfterMs !== null) {
          // The caller rings again a few minutes later (a retrial): the same caller and matter, a new call.
          const again = retrialOf(action.call, nextIndex++, now, options.seed, options.params);
          calls.set(again.index, { call: again, callId: null, contactId: null, phase: 'waiting', isRinging: false, offered: false });
          unfinished++;
          retrials++;
          queue.push(again.arrivesAt, { kind: 'arrive', call: again });
        }
        return;
      }
      case 'reject': {
        const desk = acd.agentActivity(action.agentId);
        if (desk.status !== 'reserved' || desk.contactId !== action.contactId) return;
        await attempt('reject', () => acd.reject(action.agentId, action.contactId));
        return;
      }
      case 'recover': {
        // After a missed offer the ACD may have paused the agent (not ready, missed): they set themselves ready again.
        const sim = agentSim.get(action.agentId)!;
        if (sim.paused || sim.gone || acd.agentActivity(action.agentId).status !== 'not_ready') return;
        await attempt('setAgentState', () => acd.setAgentState(action.agentId, { status: 'available' }));
        return;
      }
      case 'login':
        await attempt('setAgentState', () => acd.setAgentState(action.agentId, { status: 'available' }));
        return;
      case 'pause': {
        const sim = agentSim.get(action.agentId)!;
        if (sim.gone) return;
        sim.paused = true;
        // Mid-call the desk keeps the request and the agent goes not ready when the call's work is done; the pause
        // then runs its full length (the agent.state notice above).
        const asked = await attempt('setAgentState', () => acd.setAgentState(action.agentId, { status: 'not_ready', reason: action.pause.reason }));
        if (asked && acd.agentActivity(action.agentId).status === 'not_ready') queue.push(now + action.pause.minutes * 60_000, { kind: 'pause_end', agentId: action.agentId });
        else if (asked) pausesPending.set(action.agentId, action.pause);
        else sim.paused = false;
        return;
      }
      case 'pause_end': {
        const sim = agentSim.get(action.agentId)!;
        sim.paused = false;
        if (sim.gone) return;
        // Back from the pause (refused if the agent meanwhile went home or is not not-ready).
        await quietly(() => acd.setAgentState(action.agentId, { status: 'available' }));
        return;
      }
      case 'shift_end': {
        const sim = agentSim.get(action.agentId)!;
        const desk = acd.agentActivity(action.agentId);
        // The centre's last shift stays while callers wait in line or for a callback (a retrial ringing after closing
        // is refused by the closed centre and needs nobody).
        if (action.closes && unfinished > 0 && lineHasWork()) {
          queue.push(now + 60_000, action);
          return;
        }
        if (desk.status === 'logged_out' || desk.pendingLogout) {
          sim.gone = true;
          return;
        }
        if (BUSY.has(desk.status)) {
          // On a call: 상담 종료 asks for "log out after this call" (the desk's pending logout); the ACD logs the agent
          // out when the call's after-call work ends, with no offer meanwhile.
          sim.gone = true;
          await attempt('setAgentState', () => acd.setAgentState(action.agentId, { status: 'logged_out' }));
          return;
        }
        if (desk.status === 'after_call_work' || desk.status === 'reserved') {
          // Wrapping up (or the phone ringing): the agent finishes that work first. In wrap-up 근무 종료 (end_of_shift)
          // keeps offers away once it ends; the agent logs out then (end_wrap_up) or at the next look.
          sim.gone = true;
          if (desk.status === 'after_call_work' && desk.pendingNotReady !== 'end_of_shift') {
            await quietly(() => acd.setAgentState(action.agentId, { status: 'not_ready', reason: 'end_of_shift' }));
          }
          queue.push(now + 10_000, action);
          return;
        }
        sim.gone = true;
        await attempt('setAgentState', () => acd.setAgentState(action.agentId, { status: 'logged_out' }));
        return;
      }
      case 'answer': {
        const desk = acd.agentActivity(action.agentId);
        if (desk.status !== 'reserved' || desk.contactId !== action.contactId) return; // withdrawn meanwhile
        let state: CallState | undefined;
        if (action.isCallback) {
          await acd.flush(); // the callback's row may still be in the ACD's batch
          const origin = await findCallbackOrigin(deps.db, action.contactId);
          state = origin ? byContact.get(origin) : undefined;
        } else state = byContact.get(action.contactId);
        if (!state) throw new Error(`simulator: offer of an unknown contact ${action.contactId}`);
        let ok: boolean;
        if (!action.isCallback && (options.answerVia ?? 'phone') === 'phone') {
          const res = await acd.handleTelephonyEvent(acd.simulator.name, { type: 'answered', eventId: newId(), callId: state.callId!, at: new Date(now).toISOString(), agentId: action.agentId });
          ok = res.outcome === 'applied';
          if (!ok) {
            refusedActions++;
            refusedBy[`phone answered: ${res.reason}`] = (refusedBy[`phone answered: ${res.reason}`] ?? 0) + 1;
          }
        } else ok = await attempt('answer', () => acd.answer(action.agentId, action.contactId));
        if (!ok) return;
        if (!action.isCallback) state.phase = 'talking';
        handling.set(action.contactId, { call: state.call, isCallback: action.isCallback, answeredAt: now });
        const talk = action.isCallback ? state.call.callbackTalkMs : state.call.talkMs;
        const hold = action.isCallback ? 0 : state.call.holdMs;
        if (hold > 0) {
          queue.push(now + Math.round(talk / 2), { kind: 'hold', agentId: action.agentId, contactId: action.contactId });
          queue.push(now + Math.round(talk / 2) + hold, { kind: 'resume', agentId: action.agentId, contactId: action.contactId });
        }
        queue.push(now + talk + hold, { kind: 'end', agentId: action.agentId, contactId: action.contactId });
        return;
      }
      case 'hold':
        await attempt('hold', () => acd.hold(action.agentId, action.contactId));
        return;
      case 'resume':
        await attempt('resume', () => acd.resume(action.agentId, action.contactId));
        return;
      case 'end': {
        const h = handling.get(action.contactId);
        if (!h) return;
        // The agent saves the case as the call closes: 직접처리, or 이관 with the legal deadline (cases service).
        try {
          // 독촉: a call about a hand-off of earlier today is added to it (the cases service's repeat-call path).
          const chased = h.call.chasesIndex !== null ? handOffOf.get(h.call.chasesIndex) : undefined;
          const record = (appendTo: string | undefined) =>
            timeStep('record_case', () => recordCase(deps, agentUser.get(action.agentId)!, {
              interactionId: action.contactId,
              categoryId: categoryFor(h.call),
              summary: appendTo ? '모의 상담: 이관 건 독촉' : h.call.outcome === 'resolved' ? '모의 상담: 안내 완료' : '모의 상담: 담당 부서 이관',
              notes: '',
              articleIds: [],
              outcome: h.call.outcome,
              ...(appendTo ? { appendToHandOffId: appendTo } : {}),
            }));
          let recorded;
          try {
            recorded = await record(chased);
            if (chased) chases++;
          } catch (err) {
            // The hand-off was answered meanwhile (or the number was withheld): a new hand-off, as the desk would do.
            if (!chased || !(err instanceof AppError)) throw err;
            recorded = await record(undefined);
          }
          if (recorded.handOff && !recorded.addedTo && !handOffOf.has(h.call.firstIndex)) handOffOf.set(h.call.firstIndex, recorded.handOff.id);
          caseTally.recorded++;
          if (h.call.outcome === 'resolved') caseTally.resolved++;
          else caseTally.handedOff++;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          caseTally.failed++;
        }
        const state = calls.get(h.call.index)!;
        if (h.isCallback || h.call.endedBy === 'agent') await attempt('hangUp', () => acd.hangUp(action.agentId, action.contactId));
        else await acd.simulator.callerHangsUp(state.callId!);
        finish(state);
        state.phase = 'done';
        const acw = Math.min(h.isCallback ? h.call.callbackAcwMs : h.call.acwMs, 2 * wrapUpMs - 1_000);
        if (acw >= wrapUpMs - 2_000) queue.push(now + wrapUpMs - 2_000, { kind: 'extend', agentId: action.agentId, contactId: action.contactId });
        queue.push(now + Math.max(1_000, acw), { kind: 'end_wrap_up', agentId: action.agentId, contactId: action.contactId });
        return;
      }
      case 'extend':
      case 'end_wrap_up': {
        const desk = acd.agentActivity(action.agentId);
        if (desk.status !== 'after_call_work' || desk.contactId !== action.contactId) {
          if (action.kind === 'end_wrap_up') handling.delete(action.contactId);
          return; // the wrap-up timer already ended it
        }
        if (action.kind === 'extend') await attempt('extendWrapUp', () => acd.extendWrapUp(action.agentId));
        else {
          handling.delete(action.contactId);
          await attempt('endWrapUp', () => acd.endWrapUp(action.agentId));
          // The shift ended during the wrap-up (근무 종료 pending): now not ready, the agent logs out.
          const after = acd.agentActivity(action.agentId);
          if (agentSim.get(action.agentId)!.gone && after.status === 'not_ready') await attempt('setAgentState', () => acd.setAgentState(action.agentId, { status: 'logged_out' }));
        }
        return;
      }
    }
  };

  for (;;) {
    const own = nextAt();
    const due = acd.nextDueAt();
    if (own === undefined && (unfinished <= 0 || due === null)) break;
    const t = Math.min(own ?? Number.POSITIVE_INFINITY, due ?? Number.POSITIVE_INFINITY);
    if (t > hardStop) break;
    if (t > clock.now().getTime()) clock.set(new Date(t));
    const now = clock.now().getTime();
    if (due !== null && due <= now) await timeStep('acd_tick', () => acd.tick());
    for (let action = popDue(now); action; action = popDue(now)) {
      const a = action;
      await timeStep(a.kind, () => run(now, a));
    }
  }
  // Everyone goes home once the line is empty (this closes the occupancy intervals).
  const drainedAt = clock.now().getTime();
  for (const a of setup.agents) await attempt('setAgentState', () => acd.setAgentState(a.id, { status: 'logged_out' }));
  const wallboard = acd.wallboard();
  const routing = acd.routingStats();
  unsubscribe();
  await acd.stop();

  const { kpis, accounting, fcr, staffed, uniqueCallers } = await readBackDay(deps, dayStart, calls.size, [...calls.values()]);
  const handOffs = await countHandOffs(deps.db);
  const sorted = [...routing].sort((a, b) => a - b);
  const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);
  return {
    date: options.date,
    seed: String(options.seed),
    calls: plan.length,
    agents: agentCount,
    dialect: deps.dialect,
    kpis,
    cases: { ...caseTally, handOffsWithDeadline: handOffs.withDeadline },
    accounting,
    refusedActions,
    refusedBy,
    wallboard: {
      offeredToday: wallboard.offeredToday,
      answeredToday: wallboard.answeredToday,
      abandonedToday: wallboard.abandonedToday + wallboard.shortAbandonedToday,
      callbacksRequestedToday: wallboard.callbacksRequestedToday,
      abandonmentRate: abandonmentRateOf({ offered: wallboard.offeredToday, abandoned: wallboard.abandonedToday, shortAbandoned: wallboard.shortAbandonedToday }),
    },
    virtual: {
      opensAt: new Date(dayStart + 8.5 * 3_600_000).toISOString(),
      lastArrivalAt: plan.length ? new Date(plan[plan.length - 1]!.arrivesAt).toISOString() : null,
      drainedAt: new Date(drainedAt).toISOString(),
    },
    steps,
    routingMs: { samples: sorted.length, p50: pct(50), p99: pct(99), max: sorted[sorted.length - 1] ?? 0 },
    callers: { unique: uniqueCallers, retrials, chases, fcr },
    offers: offersMet,
    staffed,
  };
}

function minutesOfDay(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The day's KPIs from the contact event log alone (the disposition of each handled contact from the
 * `call_dispositioned` the cases service writes with the case), and the accounting of every placed call.
 */
export async function readBackDay(
  deps: AppDeps,
  dayStart: number,
  placed: number,
  states: readonly { contactId: string | null; phase: string }[],
): Promise<{ kpis: KpiSummary; accounting: SimulationAccounting; fcr: SimulationResult['callers']['fcr']; staffed: SimulationResult['staffed']; uniqueCallers: number }> {
  const fromIso = new Date(dayStart).toISOString();
  const rows = await listDayEvents(deps.db, fromIso);
  const events: KpiEvent[] = toKpiEvents(rows);
  const states2: AgentStateEvent[] = (await listAgentStateChangesSince(deps.db, new Date(dayStart - 86_400_000).toISOString())).map((s) => ({
    agentId: s.user_id,
    status: s.status as AgentStatus,
    at: Date.parse(s.at),
  }));
  const window = { from: dayStart, to: dayStart + 2 * 86_400_000 };
  const kpis = computeKpis(events, window, states2);
  const f = firstContactResolution(events, window);
  const staffed = staffedPerHalfHour(states2, dayStart);
  const uniqueCallers = await countUniqueCallers(deps.db, fromIso);

  // Accounting: each placed call's fate, from the log (not from the simulator's own bookkeeping).
  const facts = new Map(deriveContacts(events).map((c) => [c.interactionId, c]));
  const callbacks = await listCallbackContacts(deps.db);
  const callbackOf = new Map(callbacks.filter((c) => c.origin_id).map((c) => [c.origin_id!, c]));
  const a: SimulationAccounting = { placed, answeredAndEnded: 0, abandoned: 0, callbacksRequested: 0, callbacksCompleted: 0, callbacksPending: 0, refused: 0, lost: 0 };
  for (const s of states) {
    if (!s.contactId) {
      if (s.phase === 'refused') a.refused++;
      continue;
    }
    const f = facts.get(s.contactId);
    if (!f) continue;
    if (f.queueExit === 'answered' && f.endedAt !== null) a.answeredAndEnded++;
    else if (f.queueExit === 'abandoned') a.abandoned++;
    else if (f.queueExit === 'callback') {
      a.callbacksRequested++;
      const cb = callbackOf.get(s.contactId);
      const cbFacts = cb ? facts.get(cb.id) : undefined;
      if (cbFacts && cbFacts.answeredAt !== null && cbFacts.endedAt !== null) a.callbacksCompleted++;
      else if (cb && cb.status === 'waiting') a.callbacksPending++;
    }
  }
  a.lost = a.placed - a.answeredAndEnded - a.abandoned - a.callbacksCompleted - a.callbacksPending - a.refused;
  return { kpis, accounting: a, fcr: { contacts: f.contacts, resolvedWithoutRepeat: f.resolvedWithoutRepeat, rate: f.rate }, staffed, uniqueCallers };
}

const ON_PHONES = new Set<AgentStatus>(['available', 'reserved', 'on_call', 'on_hold', 'consulting', 'after_call_work']);

/** Agents logged in and on the phones per half hour 08:00–19:00 KST: time-weighted means over the state log. */
export function staffedPerHalfHour(states: readonly AgentStateEvent[], dayStart: number): SimulationResult['staffed'] {
  const slots = 22;
  const from = dayStart + 8 * 3_600_000;
  const len = 1_800_000;
  const loggedIn = new Array<number>(slots).fill(0);
  const onPhones = new Array<number>(slots).fill(0);
  const byAgent = new Map<string, AgentStateEvent[]>();
  for (const s of states) (byAgent.get(s.agentId) ?? byAgent.set(s.agentId, []).get(s.agentId)!).push(s);
  for (const list of byAgent.values()) {
    list.sort((x, y) => x.at - y.at);
    list.forEach((s, i) => {
      const end = list[i + 1]?.at ?? s.at;
      for (let k = 0; k < slots; k++) {
        const overlap = Math.min(end, from + (k + 1) * len) - Math.max(s.at, from + k * len);
        if (overlap <= 0) continue;
        if (s.status !== 'logged_out') loggedIn[k]! += overlap / len;
        if (ON_PHONES.has(s.status)) onPhones[k]! += overlap / len;
      }
    });
  }
  return loggedIn.map((n, k) => {
    const minutes = 8 * 60 + k * 30;
    return { start: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`, loggedIn: n, onPhones: onPhones[k]! };
  });
}
