import type { AcdOffer, AgentDeskState } from '../../../core/contracts/acd';
import type { CallerCard } from '../../../core/contracts/calls';
import { formatPhone } from '../../../core/domain/phone';
import { pickAgentForCall, pickCallForAgent, type RoutingDecision } from '../../../core/domain/routing';
import { getCallerCard } from '../calls/calls.service';
import type { Viewer } from '../privacy/access-context';
import { presentCallerCard, presentCitizenField } from '../privacy/citizen-data.presenter';
import type { AcdEngine } from './engine';
import { iso, REOFFER_AFTER_MISS_MS, type AgentRec, type ContactRec } from './model';

const DECISION_SAMPLES = 100_000;

/**
 * Offers: the routing decision (core/domain/routing.ts) when a contact enters the line or an agent becomes available,
 * the reservation of the agent with its offer timeout, the offer on the desk with the caller card, and what follows
 * when the agent does not take it: a rejected or missed offer goes back to its place in line and to the next agent
 * (the agent who let it go gets it again only after 15 s, when nobody else took it: issue #18 item 2); rejecting is
 * not missing (core/domain/agent-state.ts counts only timeouts toward auto-pause).
 */
export class Offers {
  private readonly cards = new Map<string, CallerCard | null>();
  private readonly decisionMs: number[] = [];
  private decisionCount = 0;

  constructor(private readonly e: AcdEngine) {}

  /** A contact entered (or re-entered) the line: the best available agent gets it, if any may. */
  dispatchContact(c: ContactRec, now: number): boolean {
    const available = this.e.queues.available;
    if (!c.waiting || available.length === 0) return false;
    const w = c.waiting;
    const decision = this.timed(() => pickAgentForCall(w, available, now, this.e.queues.routing));
    if (!decision) return false;
    this.reserve(c, this.e.agents.get(decision.agentId)!, decision, now);
    return true;
  }

  /** An agent became available: the first contact of the one line they may take, if any. */
  dispatchAgent(agent: AgentRec, now: number): boolean {
    const line = this.e.queues.line;
    if (agent.snap.status !== 'available' || line.length === 0) return false;
    const decision = this.timed(() => pickCallForAgent(agent.routable, line, now, this.e.queues.routing));
    if (!decision) return false;
    this.reserve(this.e.calls.get(decision.callId)!, agent, decision, now);
    return true;
  }

  /** Offers whatever can be offered (after a restart or a configuration change): available agents, longest idle first. */
  dispatchAll(now: number): void {
    const agents = [...this.e.queues.available].sort((a, b) => a.idleSince - b.idleSince);
    for (const r of agents) {
      const agent = this.e.agents.get(r.id);
      if (agent) this.dispatchAgent(agent, now);
    }
  }

  private reserve(c: ContactRec, agent: AgentRec, decision: RoutingDecision, now: number): void {
    this.e.queues.leave(c);
    this.e.agents.transition(agent, 'offer', now, 'system');
    agent.contactId = c.id;
    agent.lastOfferedAt = now;
    agent.routable.lastOfferedAt = now;
    c.status = 'reserved';
    c.agentId = agent.id;
    c.offeredAt = now;
    c.offerExpiresAt = agent.snap.timerEndsAt;
    this.e.store.contact(c);
    this.e.store.event(c.kind === 'callback' ? 'callback_offered' : 'call_reserved', now, c.id, agent.id, {
      queueId: c.queueId,
      skillLevel: decision.skillLevel,
      allowedLevel: decision.allowedLevel,
      strategy: decision.strategy,
      waitedSeconds: decision.waitedSeconds,
    });
    if (c.kind === 'callback' && c.callbackSealed) {
      this.e.command(c.source, { type: 'dial_callback', callId: c.externalCallId, agentId: agent.id, extension: agent.extension, number: this.e.deps.vault.open(c.callbackSealed) });
    } else {
      this.e.command(c.source, { type: 'offer', callId: c.externalCallId, agentId: agent.id, extension: agent.extension, timeoutSeconds: this.e.agentConfig.offerTimeoutSeconds });
    }
    this.e.announce(c);
  }

  /** The offered agent did not answer in time, or rejected: the contact goes back to its place; the agent may auto-pause. */
  miss(agent: AgentRec, now: number, action: 'offer_timeout' | 'reject_offer', source = 'system'): void {
    const c = agent.contactId ? this.e.calls.get(agent.contactId) : undefined;
    this.e.agents.transition(agent, action, now, source);
    agent.contactId = null;
    if (c && c.status === 'reserved' && c.agentId === agent.id) {
      this.e.store.event('call_offer_missed', now, c.id, agent.id, { reason: action === 'offer_timeout' ? 'timeout' : 'rejected', missedOffers: agent.snap.missedOffers });
      this.e.command(c.source, { type: 'withdraw_offer', callId: c.externalCallId, agentId: agent.id });
      this.e.callEvent(agent.id, c.id, 'offer_withdrawn', now);
      this.requeue(c, agent.id, now);
    }
    this.dispatchAgent(agent, now);
  }

  /** The offer is taken back from the agent (logout, lost device): the contact goes back to its place. */
  withdraw(c: ContactRec, agent: AgentRec, now: number, source: string): void {
    this.e.agents.transition(agent, 'withdraw_offer', now, source);
    agent.contactId = null;
    this.e.command(c.source, { type: 'withdraw_offer', callId: c.externalCallId, agentId: agent.id });
    this.requeue(c, agent.id, now);
  }

  /** The offer ends without a requeue (the caller left, the callback was withdrawn): the agent is free again. */
  cancel(c: ContactRec, agent: AgentRec, now: number, source: string, event: 'abandoned' | 'offer_withdrawn'): void {
    this.e.agents.transition(agent, 'withdraw_offer', now, source);
    agent.contactId = null;
    this.e.command(c.source, { type: 'withdraw_offer', callId: c.externalCallId, agentId: agent.id });
    this.e.callEvent(agent.id, c.id, event, now);
  }

  /** Back to the contact's own place in line (virtual start unchanged), not offered again soon to the agent who let it go. */
  private requeue(c: ContactRec, excludeAgentId: string | null, now: number): void {
    c.status = 'waiting';
    c.agentId = null;
    c.offeredAt = null;
    c.offerExpiresAt = null;
    c.excluded = excludeAgentId ? [excludeAgentId] : [];
    c.excludedUntil = excludeAgentId ? now + REOFFER_AFTER_MISS_MS : null;
    this.e.store.contact(c);
    this.e.calls.enterLine(c, now);
    this.dispatchContact(c, now);
  }

  /** The agent rejects the offer (not a miss: it does not count toward auto-pause). */
  async reject(agentId: string, contactId: string): Promise<AgentDeskState> {
    const agent = await this.e.agents.of(agentId);
    this.e.calls.heldBy(agent, contactId, ['reserved']);
    this.miss(agent, this.e.now(), 'reject_offer', 'agent');
    await this.e.commit();
    return this.e.agents.deskState(agentId);
  }

  // ————————————————————————————————————————— the offer on the desk —————————————————————————————————————————

  /** Sends the offer to the ringing agent's desk, with the caller's card when desks listen (the screen pop). */
  async announce(c: ContactRec): Promise<void> {
    if (c.status !== 'reserved' || !c.agentId) return;
    const agentId = c.agentId;
    let card: CallerCard | null = null;
    if (this.e.callerCards && this.e.listeners.size > 0) {
      const row = await this.e.deps.db.selectFrom('interactions').select('citizen_id').where('id', '=', c.id).executeTakeFirst();
      const viewer = row?.citizen_id ? await this.viewerOfAgent(agentId) : null;
      // The ringing agent sees the caller's history: masked as their role sees it, and recorded as an access (제8조).
      if (row?.citizen_id && viewer) {
        card = await getCallerCard(this.e.deps, row.citizen_id, c.id, viewer)
          .then((full) => presentCallerCard(viewer.role, full))
          .catch(() => null);
      }
      this.cards.set(c.id, card);
    }
    const offer = this.offerOf(c);
    if (offer) this.e.notify({ kind: 'agent', agentId, type: 'offer', message: { type: 'offer', offer } });
  }

  /** The offer as the desk shows it (null unless the contact is offered now). */
  offerOf(c: ContactRec): AcdOffer | null {
    if (c.status !== 'reserved' || c.offeredAt === null) return null;
    return {
      contact: this.e.calls.view(c),
      offeredAt: iso(c.offeredAt),
      expiresAt: iso(c.offerExpiresAt ?? c.offeredAt),
      callerCard: this.cards.get(c.id) ?? null,
      // The phone system dials the callback (dial_callback carries the number); the desk only needs to recognise it.
      callbackNumber: c.callbackSealed ? presentCitizenField('agent', 'phone', formatPhone(this.e.deps.vault.open(c.callbackSealed))) : null,
    };
  }

  /** The contact is over: its caller card is dropped. */
  forget(contactId: string): void {
    this.cards.delete(contactId);
  }

  /** Who the ringing agent is, for the access record of the offer's caller card (the socket has no request IP). */
  private async viewerOfAgent(agentId: string): Promise<Viewer | null> {
    const u = await this.e.deps.db
      .selectFrom('users')
      .leftJoin('departments', 'departments.id', 'users.department_id')
      .select(['users.id', 'users.login', 'users.name', 'users.role', 'users.department_id', 'departments.name as department_name'])
      .where('users.id', '=', agentId)
      .executeTakeFirst();
    if (!u) return null;
    return { id: u.id, login: u.login, name: u.name, role: u.role, departmentId: u.department_id, departmentName: u.department_name ?? null, sessionId: 'acd-offer', ip: null };
  }

  // ————————————————————————————————————————— decision times —————————————————————————————————————————

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
  routingStats(reset: boolean): number[] {
    const out = [...this.decisionMs];
    if (reset) {
      this.decisionMs.length = 0;
      this.decisionCount = 0;
    }
    return out;
  }
}
