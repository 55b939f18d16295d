import type { AcdContact, AgentDeskState, TransferBody } from '../../../core/contracts/acd';
import type { CallerCard, Interaction } from '../../../core/contracts/calls';
import { TelephonyEventSchema, type Announcement, type RouteDecision, type TelephonyEvent, type TelephonyEventResult } from '../../../core/contracts/telephony';
import { allowedAgentActions, transitionAgent } from '../../../core/domain/agent-state';
import { maskPhone } from '../../../core/domain/masking';
import { formatPhone, parsePhone } from '../../../core/domain/phone';
import { estimateWait } from '../../../core/domain/routing';
import { AppError } from '../../../core/errors';
import { newId } from '../../lib/ids';
import { getCallerCard } from '../calls/calls.service';
import { insertInteractionRow } from '../calls/calls.repository';
import type { Viewer } from '../privacy/access-context';
import { presentCallerCard, presentCitizenField } from '../privacy/citizen-data.presenter';
import { markInteractionConnected, markInteractionEnded } from './acd.repository';
import type { AcdEngine } from './engine';
import { externalKey, iso, isoOrNull, remember, unoffered, type AgentRec, type ContactRec, type ContactStatus, type EventReceipt, type TelephonyEventOptions } from './model';

/**
 * How an event is applied: `receipt` is written first in the decision's transaction (the webhook's event id);
 * `desksLater` sends the desks' messages on the next turn of the event loop (engine.ts, commit).
 */
type How = { receipt: EventReceipt | undefined; desksLater: boolean };

/** What a caller on hold hears while the agent consults someone (담당자 연결, issue #11 §2). */
const TRANSFER_HOLD: Announcement = { kind: 'transfer_hold', text: '담당자에게 연결하고 있습니다. 잠시만 기다려 주십시오.' };

/**
 * The calls the ACD holds and their life: the phone system's events (idempotent: a repeated, unknown or out-of-order
 * event is answered `ignored` and changes nothing), a call's arrival (its queue, the closed centre, the protection
 * policy), answer, hold, transfer, hang-up and abandon, and the agent's buttons on a live call.
 */
export class Calls {
  private readonly contacts = new Map<string, ContactRec>();
  private readonly byExternal = new Map<string, string>();
  private readonly recentEventIds = new Set<string>();
  /** Phone-system calls (source:callId) that ended lately: a late second `ended` is answered `duplicate`. */
  private readonly finishedCalls = new Set<string>();
  private readonly consultTargets = new Map<string, string>();
  /**
   * Where `extension_state` events go (the directory's presence, wired by acd.plugin.ts): true when the extension is an
   * active official's and his phone flag changed.
   */
  extensionListener: ((extension: string, onCall: boolean) => Promise<boolean>) | null = null;

  constructor(private readonly e: AcdEngine) {}

  get(contactId: string): ContactRec | undefined {
    return this.contacts.get(contactId);
  }

  all(): IterableIterator<ContactRec> {
    return this.contacts.values();
  }

  /** The contact of a phone system's call, while the ACD holds it. */
  idOf(source: string, callId: string): string | undefined {
    return this.byExternal.get(externalKey(source, callId));
  }

  /** The ACD holds a contact from now on (a call that arrived, a callback, or one read back from the database). */
  track(c: ContactRec): void {
    this.contacts.set(c.id, c);
    this.byExternal.set(externalKey(c.source, c.externalCallId), c.id);
  }

  /** Forgets every contact (before a rebuild from the database). */
  clear(): void {
    this.contacts.clear();
    this.byExternal.clear();
  }

  /** The contact takes its place in line and its next timer (readiness, escalation) is armed. */
  enterLine(c: ContactRec, now: number): void {
    this.e.queues.enter(c);
    this.e.timers.schedule(c, now);
  }

  /** Drops a finished contact from memory. */
  forget(c: ContactRec): void {
    this.e.queues.leave(c);
    this.contacts.delete(c.id);
    this.e.offers.forget(c.id);
    const external = externalKey(c.source, c.externalCallId);
    if (this.byExternal.get(external) === c.id) {
      this.byExternal.delete(external);
      remember(this.finishedCalls, external);
    }
  }

  // ————————————————————————————————————————— telephony events —————————————————————————————————————————

  /**
   * One event from a phone system. Idempotent: an event id seen before, a second `offered` for a known call, an
   * event for an unknown call or one that does not fit the call's state (out of order) is logged and answered
   * `ignored`; nothing changes. Never throws for such events.
   */
  async handleTelephonyEvent(source: string, input: TelephonyEvent, receipt?: EventReceipt, options: TelephonyEventOptions = {}): Promise<TelephonyEventResult> {
    const parsed = TelephonyEventSchema.safeParse(input);
    if (!parsed.success) return this.ignored(source, input, 'invalid_event');
    const event = parsed.data;
    const key = `${source}:${event.eventId}`;
    if (this.recentEventIds.has(key)) return this.ignored(source, event, 'duplicate_event');
    remember(this.recentEventIds, key);
    try {
      return await this.apply(source, event, { receipt, desksLater: options.desksLater === true });
    } catch (err) {
      // Nothing of it was written (the transaction rolled back): the phone system's retry must be applied, not skipped.
      this.recentEventIds.delete(key);
      throw err;
    }
  }

  /** Writes an applied event's decision with its receipt (the webhook's event id) first, in the same transaction. */
  private async commitEvent(how: How): Promise<void> {
    if (how.receipt) this.e.store.first(how.receipt);
    await this.e.commit({ desksLater: how.desksLater });
  }

  private applied(decision: RouteDecision | null = null, reason: string | null = null): TelephonyEventResult {
    return { outcome: 'applied', reason, decision };
  }

  /** An official's extension started or ended a call: presence "on a call" and back, not the ACD's own state. */
  private async extensionState(source: string, event: Extract<TelephonyEvent, { type: 'extension_state' }>, how: How): Promise<TelephonyEventResult> {
    const changed = this.extensionListener ? await this.extensionListener(event.extension, event.onCall) : false;
    if (!changed) return this.ignored(source, event, 'no_change');
    await this.commitEvent(how);
    return this.applied();
  }

  private async apply(source: string, event: TelephonyEvent, how: How): Promise<TelephonyEventResult> {
    if (event.type === 'extension_state') return this.extensionState(source, event, how);
    const now = this.e.now();
    const external = externalKey(source, event.callId);
    const contactId = this.byExternal.get(external);
    const c = contactId ? this.contacts.get(contactId) : undefined;

    if (event.type === 'offered') {
      if (contactId) return this.ignored(source, event, 'duplicate_call');
      return this.arrive(source, event, now, how);
    }
    if (!c) {
      // A call that ended a moment ago: a second `ended` (or a late `abandoned`) is a duplicate, anything else late.
      if (!this.finishedCalls.has(external)) return this.ignored(source, event, 'unknown_call');
      return this.ignored(source, event, event.type === 'ended' || event.type === 'abandoned' ? 'duplicate' : 'out_of_order');
    }
    const talking = c.status === 'connected' || c.status === 'held' || c.status === 'consulting';
    const agent = c.agentId ? this.e.agents.get(c.agentId) : undefined;
    switch (event.type) {
      case 'answered':
        if (c.status !== 'reserved' || !agent) return this.ignored(source, event, talking ? 'duplicate' : 'out_of_order');
        if (event.agentId && event.agentId !== agent.id) return this.ignored(source, event, 'agent_mismatch');
        this.connect(c, agent, now, 'telephony');
        break;
      case 'held':
        if (c.status !== 'connected' || !agent) return this.ignored(source, event, c.status === 'held' ? 'duplicate' : 'out_of_order');
        this.putOnHold(c, agent, now, 'telephony');
        break;
      case 'resumed':
        if (c.status !== 'held' || !agent) return this.ignored(source, event, c.status === 'connected' ? 'duplicate' : 'out_of_order');
        this.takeOffHold(c, agent, now, 'telephony');
        break;
      case 'transferred':
        if (!talking || !agent) return this.ignored(source, event, 'out_of_order');
        this.transferDone(c, agent, now, event.mode, event.target, 'telephony');
        break;
      case 'ended':
      case 'abandoned':
        if (c.status === 'ended' || c.status === 'abandoned') return this.ignored(source, event, 'duplicate');
        if (talking) this.end(c, now, 'telephony', event.type === 'ended' ? event.by : 'caller');
        else this.callerLeft(c, now, 'telephony');
        break;
      case 'callback_requested':
        if (c.status !== 'waiting' && c.status !== 'closed') return this.ignored(source, event, 'out_of_order');
        this.e.callbacks.request(c, event.callbackNumber, now);
        break;
    }
    await this.commitEvent(how);
    return this.applied();
  }

  private ignored(source: string, event: { type?: unknown; callId?: unknown; eventId?: unknown }, reason: string): TelephonyEventResult {
    // A duplicate is expected (at-least-once delivery; the desk and the phone system reporting the same answer or end):
    // not a warning. Anything else ignored is worth a look.
    const log = reason === 'duplicate' ? this.e.log.info.bind(this.e.log) : this.e.log.warn.bind(this.e.log);
    log({ source, type: event.type, callId: event.callId, eventId: event.eventId, reason }, 'acd: telephony event ignored');
    return { outcome: 'ignored', reason, decision: null };
  }

  /** A call arrives: its interaction (and citizen) are written, then it queues, is offered, or hears the closed centre. */
  private async arrive(source: string, event: Extract<TelephonyEvent, { type: 'offered' }>, now: number, how: How): Promise<TelephonyEventResult> {
    const e = this.e;
    let queue = e.queues.routeOf(event.dialledNumber, event.ivrChoice);
    const id = newId();
    const phone = parsePhone(event.callerNumber);
    const e164 = phone?.e164;
    const number = e164 ?? event.callerNumber;
    const sealed = e.deps.vault.seal(number);
    const index = e164 ? e.deps.vault.phoneIndex(e164) : e.deps.vault.blindIndex('phone-raw', number);
    const open = e.hours.isOpen(now);
    // 감정노동 보호 (issue #14): what the caller hears on entering the queue, and a flagged caller's senior queue.
    const policy = queue && open && e.callerPolicy ? e.callerPolicy.onEnteringQueue(index, queue.id, now) : null;
    if (policy && policy.queueId !== queue?.id && e.queues.get(policy.queueId)?.isActive) queue = e.queues.get(policy.queueId);
    const at = iso(now);
    const status = queue ? 'offered' : 'ended';
    e.store.shared(async (db) => {
      const citizenId = e164 ? await e.store.citizenOf(db, e164, at) : null;
      await insertInteractionRow(db, {
        id,
        channel: 'phone',
        direction: 'inbound',
        caller_number_sealed: sealed,
        caller_index: index,
        dialled_number: event.dialledNumber,
        citizen_id: citizenId,
        agent_id: null,
        status,
        started_at: at,
        answered_at: null,
        ended_at: status === 'ended' ? at : null,
      });
    });
    e.store.event('call_offered', now, id, null, { dialled: event.dialledNumber, ivrChoice: event.ivrChoice, source, reportedAt: event.at });

    if (!queue) {
      e.store.event('call_ended', now, id, null, { by: 'system', reason: 'no_queue' });
      const announcement: Announcement = { kind: 'no_service', reason: '연결할 상담 대기열이 없습니다.' };
      e.command(source, { type: 'announce', callId: event.callId, announcement });
      e.command(source, { type: 'hang_up', callId: event.callId });
      await this.commitEvent(how);
      return this.applied({ action: 'reject', contactId: null, queueId: null, agentId: null, extension: null, announcement }, 'no_queue');
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
      ...unoffered(),
      callbackSealed: null,
      originId: null,
      callerMasked: maskPhone(phone ? phone.national : number),
      waiting: null,
      countedDay: null,
    };
    this.track(c);
    e.store.created(c);

    if (!open) {
      const nextOpen = e.hours.nextOpening(now);
      const announcement: Announcement = { kind: 'closed', hours: e.hours.describe(), nextOpeningAt: isoOrNull(nextOpen), callbackOffered: true };
      e.command(source, { type: 'announce', callId: event.callId, announcement });
      await this.commitEvent(how);
      return this.applied({ action: 'closed', contactId: id, queueId: queue.id, agentId: null, extension: null, announcement }, 'closed');
    }

    e.counters.rollDay(now);
    e.counters.queued(c, now);
    e.store.event('call_queued', now, id, null, { queueId: queue.id, priority: c.priority, skill: c.skill, ...(policy?.flagged ? { flaggedCaller: true } : {}) });
    for (const announcement of policy?.messages ?? []) e.command(source, { type: 'announce', callId: event.callId, announcement });
    this.enterLine(c, now);
    let decision: RouteDecision;
    if (e.offers.dispatchContact(c, now)) {
      const agent = e.agents.get(c.agentId!)!;
      decision = { action: 'agent', contactId: id, queueId: queue.id, agentId: agent.id, extension: agent.extension, announcement: null };
    } else {
      const { position, estimatedWaitSeconds } = this.positionOf(c);
      const announcement: Announcement = { kind: 'position', position, estimatedWaitSeconds };
      e.command(source, { type: 'announce', callId: event.callId, announcement });
      decision = { action: 'queue', contactId: id, queueId: queue.id, agentId: null, extension: null, announcement };
    }
    await this.commitEvent(how);
    return this.applied(decision);
  }

  /** The contact's position in its queue (1 = next) and EWT(k) = k·AHT/N in seconds (null: no honest estimate). */
  positionOf(c: ContactRec | string): { position: number; estimatedWaitSeconds: number | null } {
    const rec = typeof c === 'string' ? this.contacts.get(c) : c;
    const position = rec ? this.e.queues.positionOf(rec) : null;
    if (!rec || position === null) return { position: 0, estimatedWaitSeconds: null };
    const eta = estimateWait(position, this.e.agents.staffedFor(rec.skill), this.e.counters.ahtOf(rec.queueId));
    return { position, estimatedWaitSeconds: eta === null ? null : Math.round(eta) };
  }

  // ————————————————————————————————————————— a call's life —————————————————————————————————————————

  private connect(c: ContactRec, agent: AgentRec, now: number, source: string): void {
    this.e.agents.transition(agent, 'answer', now, source);
    const first = c.answeredAt === null;
    c.status = 'connected';
    c.answeredAt = now;
    this.e.store.contact(c);
    this.e.store.shared((db) => markInteractionConnected(db, c.id, agent.id, iso(now)));
    this.e.store.event('call_answered', now, c.id, agent.id, { queueId: c.queueId });
    if (first) this.e.counters.answered(c, now - c.enteredAt);
    this.e.callEvent(agent.id, c.id, 'answered', now);
  }

  private putOnHold(c: ContactRec, agent: AgentRec, now: number, source: string): void {
    this.e.agents.transition(agent, 'hold', now, source);
    c.status = 'held';
    this.e.store.contact(c);
    this.e.store.event('call_held', now, c.id, agent.id);
    this.e.callEvent(agent.id, c.id, 'held', now);
  }

  private takeOffHold(c: ContactRec, agent: AgentRec, now: number, source: string): void {
    this.e.agents.transition(agent, 'retrieve', now, source);
    c.status = 'connected';
    this.e.store.contact(c);
    this.e.store.event('call_resumed', now, c.id, agent.id);
    this.e.callEvent(agent.id, c.id, 'resumed', now);
  }

  /** The call left the agent by a completed transfer (blind, or consultative completed): the agent goes to wrap-up. */
  private transferDone(c: ContactRec, agent: AgentRec, now: number, mode: 'blind' | 'consultative', target: string, source: string): void {
    if (agent.snap.status === 'consulting') this.e.agents.transition(agent, 'complete_transfer', now, source);
    else this.e.agents.transition(agent, 'end_call', now, source);
    this.e.store.event('call_transferred', now, c.id, agent.id, { mode, target });
    // The agent's part of the call ends here: handled, AHT and 직접처리율 read call_ended (issue #12 §0).
    this.e.store.event('call_ended', now, c.id, agent.id, { by: source, reason: 'transferred', mode });
    this.close(c, agent, now);
    this.e.store.event('wrap_up_started', now, c.id, agent.id);
    this.e.callEvent(agent.id, c.id, 'transferred', now);
  }

  /** A handled call ended (hang-up by either side, or reconciliation): the agent goes to after-call work. */
  end(c: ContactRec, now: number, source: string, by: 'caller' | 'agent' | 'system' | null): void {
    const agent = c.agentId ? this.e.agents.get(c.agentId) : undefined;
    if (agent && agent.contactId === c.id && (agent.snap.status === 'on_call' || agent.snap.status === 'on_hold' || agent.snap.status === 'consulting')) {
      this.e.agents.transition(agent, 'end_call', now, source);
    }
    this.e.store.event('call_ended', now, c.id, agent?.id ?? null, { by: by ?? source });
    this.close(c, agent, now);
    if (agent) {
      this.e.store.event('wrap_up_started', now, c.id, agent.id);
      this.e.callEvent(agent.id, c.id, 'ended', now);
    }
  }

  private close(c: ContactRec, agent: AgentRec | undefined, now: number): void {
    this.finished(c, 'ended', now);
    const external = externalKey(c.source, c.externalCallId);
    this.byExternal.delete(external);
    remember(this.finishedCalls, external);
    if (agent) this.e.agents.countHandled(agent, now);
    else this.forget(c);
  }

  /** The contact is over (its row and its interaction say so); it stays in memory while its agent wraps up. */
  finished(c: ContactRec, status: 'ended' | 'abandoned', now: number): void {
    c.status = status;
    c.endedAt = now;
    this.e.store.contact(c);
    this.e.store.shared((db) => markInteractionEnded(db, c.id, iso(now)));
  }

  /** The caller hung up before an agent answered: abandoned (or just ended, outside hours). */
  callerLeft(c: ContactRec, now: number, source: string): void {
    const agent = c.agentId ? this.e.agents.get(c.agentId) : undefined;
    if (c.status === 'reserved' && agent && agent.contactId === c.id) this.e.offers.cancel(c, agent, now, source, 'abandoned');
    const position = this.e.queues.positionOf(c);
    this.e.queues.leave(c);
    const wasClosed = c.status === 'closed';
    if (wasClosed) {
      this.e.store.event('call_ended', now, c.id, null, { by: 'caller', reason: 'closed' });
    } else {
      const waitedMs = now - c.enteredAt;
      this.e.store.event('call_abandoned', now, c.id, null, { queueId: c.queueId, position, waitedSeconds: waitedMs / 1000, source });
      this.e.counters.abandoned(c, waitedMs);
    }
    if (wasClosed) c.agentId = null;
    this.finished(c, wasClosed ? 'ended' : 'abandoned', now);
    this.forget(c);
    if (agent && agent.snap.status === 'available') this.e.offers.dispatchAgent(agent, now);
  }

  // ————————————————————————————————————————— the agent's buttons on a call —————————————————————————————————————————

  /** The agent's contact in one of the `allowed` states, or NOT_FOUND / INVALID_TRANSITION. */
  heldBy(agent: AgentRec, contactId: string, allowed: ContactStatus[]): ContactRec {
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
  async answer(agentId: string, contactId: string, viewer: Viewer | null): Promise<{ interaction: Interaction; callerCard: CallerCard | null }> {
    const agent = await this.e.agents.of(agentId);
    const c = this.heldBy(agent, contactId, ['reserved']);
    const now = this.e.now();
    this.connect(c, agent, now, 'agent');
    this.e.command(c.source, { type: 'answer', callId: c.externalCallId, agentId: agent.id });
    await this.e.commit();
    if (this.e.store.mode === 'deferred') {
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
  async connectedCall(agentId: string, contactId: string, viewer: Viewer | null): Promise<{ interaction: Interaction; callerCard: CallerCard | null }> {
    const agent = await this.e.agents.of(agentId);
    this.heldBy(agent, contactId, ['connected', 'held', 'consulting']);
    return this.connectedView(contactId, this.e.now(), viewer);
  }

  private async connectedView(contactId: string, now: number, viewer: Viewer | null): Promise<{ interaction: Interaction; callerCard: CallerCard | null }> {
    const { deps } = this.e;
    const row = await deps.db.selectFrom('interactions').selectAll().where('id', '=', contactId).executeTakeFirst();
    if (!row) throw new AppError('INTERNAL_ERROR', 'interaction not readable after answer');
    deps.caches.calls.set(row.id, { id: row.id, agent_id: row.agent_id, citizen_id: row.citizen_id, started_at: row.started_at }, now);
    let callerNumber = '';
    try {
      callerNumber = formatPhone(deps.vault.open(row.caller_number_sealed));
    } catch {
      callerNumber = '';
    }
    const role = viewer?.role ?? 'agent';
    const fullCard = row.citizen_id ? await getCallerCard(deps, row.citizen_id, row.id, viewer) : null;
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

  /** A button on the agent's own call (hold, resume, hang up …): the change, the command, one commit, the desk. */
  private async onCall(agentId: string, contactId: string, allowed: ContactStatus[], act: (c: ContactRec, agent: AgentRec, now: number) => void): Promise<AgentDeskState> {
    const agent = await this.e.agents.of(agentId);
    const c = this.heldBy(agent, contactId, allowed);
    act(c, agent, this.e.now());
    await this.e.commit();
    return this.e.agents.deskState(agentId);
  }

  async holdCall(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.onCall(agentId, contactId, ['connected'], (c, agent, now) => {
      this.putOnHold(c, agent, now, 'agent');
      this.e.command(c.source, { type: 'hold', callId: c.externalCallId });
    });
  }

  async resume(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.onCall(agentId, contactId, ['held'], (c, agent, now) => {
      this.takeOffHold(c, agent, now, 'agent');
      this.e.command(c.source, { type: 'resume', callId: c.externalCallId });
    });
  }

  /** The agent hangs up: the call ends and after-call work starts (its timer is extendable). */
  async hangUp(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.onCall(agentId, contactId, ['connected', 'held', 'consulting'], (c, _agent, now) => {
      this.end(c, now, 'agent', 'agent');
      this.e.command(c.source, { type: 'hang_up', callId: c.externalCallId });
    });
  }

  /**
   * Ends a call the ACD is handling (connected, held or in consultation) as its agent would: hang-up to the phone
   * system, the agent to after-call work. False when the ACD does not handle this contact.
   */
  async endIfHandled(contactId: string): Promise<boolean> {
    const c = this.contacts.get(contactId);
    const agent = c?.agentId ? this.e.agents.get(c.agentId) : undefined;
    if (!c || !agent || agent.contactId !== c.id || !(c.status === 'connected' || c.status === 'held' || c.status === 'consulting')) return false;
    this.end(c, this.e.now(), 'agent', 'agent');
    this.e.command(c.source, { type: 'hang_up', callId: c.externalCallId });
    await this.e.commit();
    return true;
  }

  /** Blind: the call goes to the target at once and the agent to wrap-up. Consultative: a consultation leg starts. */
  async transfer(agentId: string, contactId: string, body: TransferBody): Promise<AgentDeskState> {
    return this.onCall(agentId, contactId, ['connected', 'held'], (c, agent, now) => {
      // A consultation holds the caller: the phone system plays the wait message over its hold music.
      if (body.mode === 'consultative') this.e.command(c.source, { type: 'announce', callId: c.externalCallId, announcement: TRANSFER_HOLD });
      this.e.command(c.source, { type: 'transfer', callId: c.externalCallId, mode: body.mode, target: body.target });
      if (body.mode === 'blind') this.transferDone(c, agent, now, 'blind', body.target, 'agent');
      else {
        this.e.agents.transition(agent, 'start_consult', now, 'agent');
        c.status = 'consulting';
        this.e.store.contact(c);
        this.consultTargets.set(c.id, body.target);
      }
    });
  }

  async completeTransfer(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.onCall(agentId, contactId, ['consulting'], (c, agent, now) => {
      this.e.command(c.source, { type: 'complete_transfer', callId: c.externalCallId });
      this.transferDone(c, agent, now, 'consultative', this.consultTargets.get(c.id) ?? '', 'agent');
      this.consultTargets.delete(c.id);
    });
  }

  async cancelTransfer(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.onCall(agentId, contactId, ['consulting'], (c, agent, now) => {
      this.e.agents.transition(agent, 'end_consult', now, 'agent');
      c.status = 'connected';
      this.e.store.contact(c);
      this.consultTargets.delete(c.id);
      this.e.command(c.source, { type: 'cancel_transfer', callId: c.externalCallId });
    });
  }

  /** A three-way call with a target (the official joins; the agent stays on the call): the phone system mixes it. */
  async conference(agentId: string, contactId: string, target: string): Promise<AgentDeskState> {
    return this.onCall(agentId, contactId, ['connected', 'held', 'consulting'], (c) => {
      this.e.command(c.source, { type: 'conference', callId: c.externalCallId, target });
    });
  }

  /**
   * The phone system's reference of the agent's current call (its source and call id: recordings are kept under it),
   * or NOT_FOUND when the agent is not talking on this contact now (connected or on hold).
   */
  agentCall(agentId: string, contactId: string): { source: string; callId: string; answeredAt: string | null } {
    const agent = this.e.agents.get(agentId);
    const c = this.contacts.get(contactId);
    if (!agent || !c || c.agentId !== agentId || agent.contactId !== contactId || !(c.status === 'connected' || c.status === 'held')) {
      throw new AppError('NOT_FOUND', '지금 통화 중인 전화가 아닙니다.');
    }
    return { source: c.source, callId: c.externalCallId, answeredAt: isoOrNull(c.answeredAt) };
  }

  /** Plays a message to the caller of the agent's current call (a protection warning) through the telephony port. */
  async playToCaller(agentId: string, contactId: string, announcement: Announcement): Promise<void> {
    const call = this.agentCall(agentId, contactId);
    this.e.command(call.source, { type: 'announce', callId: call.callId, announcement });
    await this.e.commit();
  }

  /**
   * Ends an abusive call by the protocol (issue #14 §2): the termination notice, then the hang-up; the agent goes to
   * 회복 (not ready, no routing) for `recoverySeconds` instead of after-call work.
   */
  async endAbusiveCall(agentId: string, contactId: string, notice: Announcement, recoverySeconds: number): Promise<AgentDeskState> {
    return this.onCall(agentId, contactId, ['connected', 'held'], (c, agent, now) => {
      this.e.command(c.source, { type: 'announce', callId: c.externalCallId, announcement: notice });
      this.e.command(c.source, { type: 'hang_up', callId: c.externalCallId });
      this.e.agents.set(agent, transitionAgent(agent.snap, 'end_abusive_call', now, { config: this.e.agentConfig, seconds: recoverySeconds }), now, 'agent');
      this.e.store.event('call_ended', now, c.id, agent.id, { by: 'agent', reason: 'abusive' });
      this.close(c, agent, now);
      agent.contactId = null;
      this.forget(c);
      this.e.callEvent(agent.id, c.id, 'ended', now);
    });
  }

  // ————————————————————————————————————————— views —————————————————————————————————————————

  /** A contact as lists, the desk and the wallboard show it (the caller's number masked). */
  view(c: ContactRec): AcdContact {
    return {
      id: c.id,
      kind: c.kind,
      queueId: c.queueId,
      queueName: this.e.queues.get(c.queueId)?.name ?? '',
      queueCode: this.e.queues.get(c.queueId)?.code ?? '',
      status: c.status === 'closed' ? 'waiting' : c.status,
      callerNumber: c.callerMasked,
      dialledNumber: c.dialledNumber,
      ivrChoice: c.ivrChoice,
      priority: c.priority,
      enteredAt: iso(c.enteredAt),
      agentId: c.agentId,
    };
  }

  /** One page of the line in line order, and how many wait in all (only the page's views are built). */
  waitingPage(offset: number, limit: number): { items: AcdContact[]; total: number } {
    const out = this.e.queues.ordered();
    return { items: out.slice(offset, offset + limit).map((w) => this.view(this.contacts.get(w.id)!)), total: out.length };
  }
}
