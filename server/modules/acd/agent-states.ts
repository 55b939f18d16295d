import type { AgentDeskState, AgentStateChangeBody, RealtimeServerMessage } from '../../../core/contracts/acd';
import {
  allowedAgentActions,
  assertRecoveryOver,
  isHandling,
  loggedOutAgent,
  requestLogoutAfterCall,
  requestNotReady,
  transitionAgent,
  type AgentAction,
  type AgentSnapshot,
  type AgentStatus,
  type NotReadyReason,
} from '../../../core/domain/agent-state';
import { kstDay } from '../../../core/domain/business-hours';
import { AppError } from '../../../core/errors';
import { listAgentUsers } from './acd.repository';
import type { AcdEngine } from './engine';
import { iso, isoOrNull, msOrNull, type AcdNotice, type AgentRec } from './model';

type AgentRow = Awaited<ReturnType<typeof listAgentUsers>>[number];

/** What the ACD reports of an agent without the desk's view (the simulator, transfers, protection read it). */
export type AgentActivity = { status: AgentStatus; contactId: string | null; pendingNotReady: NotReadyReason | null; pendingLogout: boolean };

/**
 * Agent states (core/domain/agent-state.ts applied to the people on the phones): login, ready and not ready with a
 * reason, offers, calls, wrap-up and its end, 회복 (recovery after an abusive call), logout; each change written to
 * the state row and its log; the desk's view of the agent. An agent who becomes available is offered the next
 * contact of the line (offers.ts).
 */
export class AgentStates {
  private readonly agents = new Map<string, AgentRec>();
  /** Skills by agent as last read from the database (an agent loaded later gets them). */
  private skillsByAgent = new Map<string, Record<string, number>>();

  constructor(private readonly e: AcdEngine) {}

  get(agentId: string): AgentRec | undefined {
    return this.agents.get(agentId);
  }

  all(): IterableIterator<AgentRec> {
    return this.agents.values();
  }

  get size(): number {
    return this.agents.size;
  }

  /** Forgets every agent (before a rebuild from the database). */
  clear(): void {
    this.agents.clear();
  }

  /** New skills for every agent (after an admin change). */
  applySkills(skillsByAgent: Map<string, Record<string, number>>): void {
    for (const agent of this.agents.values()) {
      agent.skills = skillsByAgent.get(agent.id) ?? {};
      agent.routable.skills = agent.skills;
    }
    this.skillsByAgent = skillsByAgent;
  }

  /** An agent as stored (state row, if any) becomes known; an available one is routable at once. */
  addFromRow(row: AgentRow, today: string, now: number): AgentRec {
    const snap: AgentSnapshot = row.status
      ? {
          status: row.status as AgentStatus,
          since: Date.parse(row.since ?? iso(now)),
          reason: (row.reason as NotReadyReason | null) ?? null,
          missedOffers: row.missed_offers ?? 0,
          pendingNotReady: (row.pending_not_ready as NotReadyReason | null) ?? null,
          pendingLogout: row.pending_logout === 1,
          timerEndsAt: msOrNull(row.timer_ends_at),
        }
      : loggedOutAgent(now);
    const skills = this.skillsByAgent.get(row.id) ?? {};
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
    if (snap.status === 'available') this.e.queues.addAvailable(agent.routable);
    return agent;
  }

  /** The agent, loading a user created after start; NOT_FOUND for users who cannot take calls. */
  async of(agentId: string): Promise<AgentRec> {
    const known = this.agents.get(agentId);
    if (known) return known;
    const [row] = await listAgentUsers(this.e.deps.db, agentId);
    if (!row) throw new AppError('NOT_FOUND', '상담 가능한 사용자가 아닙니다.');
    const now = this.e.now();
    return this.agents.get(agentId) ?? this.addFromRow(row, kstDay(now), now);
  }

  /** Moves an agent to a new snapshot: indexes, the state row, the log, the desk message. */
  set(agent: AgentRec, next: AgentSnapshot, now: number, source: string, contactId: string | null = agent.contactId): void {
    const prev = agent.snap;
    agent.snap = next;
    agent.routable.status = next.status;
    if (next.status === 'available' && prev.status !== 'available') agent.routable.idleSince = now;
    if (next.status === 'available') this.e.queues.addAvailable(agent.routable);
    else this.e.queues.removeAvailable(agent.id);
    if (next.timerEndsAt !== null && next.timerEndsAt !== prev.timerEndsAt) this.e.timers.atAgent(agent.id, next.timerEndsAt);
    if (prev.status !== next.status || prev.reason !== next.reason) this.e.store.stateChange(agent.id, now, next.status, next.reason, source, contactId);
    this.e.store.agent(agent);
  }

  transition(agent: AgentRec, action: AgentAction, now: number, source: string, reason?: NotReadyReason): void {
    this.set(agent, transitionAgent(agent.snap, action, now, { config: this.e.agentConfig, ...(reason ? { reason } : {}) }), now, source);
  }

  /**
   * After-call work ends (the agent's button, its timer, logout or reconciliation): the contact is done; next offer —
   * unless the agent is leaving (`offerNext` false: a logout, which must not reserve a waiting contact for an agent
   * who is gone the next moment).
   */
  finishWrapUp(agent: AgentRec, now: number, source: string, offerNext = true): void {
    const c = agent.contactId ? this.e.calls.get(agent.contactId) : undefined;
    this.transition(agent, 'end_wrap_up', now, source);
    agent.contactId = null;
    if (c) {
      this.e.store.event('wrap_up_ended', now, c.id, agent.id);
      if (c.answeredAt !== null) this.e.counters.handled(c.queueId, (now - c.answeredAt) / 1000);
      this.e.calls.forget(c);
    }
    if (offerNext) this.e.offers.dispatchAgent(agent, now);
  }

  /** A handled call ended for the agent (counts toward today's calls). */
  countHandled(agent: AgentRec, now: number): void {
    const day = kstDay(now);
    agent.callsHandled = agent.callsDay === day ? agent.callsHandled + 1 : 1;
    agent.callsDay = day;
    agent.routable.callsHandled = agent.callsHandled;
    this.e.store.agent(agent);
  }

  // ————————————————————————————————————————— the agent's buttons —————————————————————————————————————————

  /** The agent's state buttons: available (logging in if needed), not ready with a reason, logged out. */
  async setState(agentId: string, body: AgentStateChangeBody, source: 'agent' | 'supervisor'): Promise<AgentDeskState> {
    const agent = await this.of(agentId);
    const now = this.e.now();
    const s = agent.snap.status;
    // 회복 (issue #14): the agent cannot end the forced rest by any button; only its timer ends it.
    if (source === 'agent') assertRecoveryOver(agent.snap, now);
    if (body.status === 'available') {
      if (s === 'logged_out') {
        this.transition(agent, 'login', now, source);
        this.transition(agent, 'set_ready', now, source);
      } else if (s === 'not_ready') this.transition(agent, 'set_ready', now, source);
      else if (agent.snap.pendingNotReady || agent.snap.pendingLogout) this.set(agent, { ...agent.snap, pendingNotReady: null, pendingLogout: false }, now, source);
      else if (s !== 'available') throw new AppError('INVALID_TRANSITION', '지금은 상담 가능 상태로 바꿀 수 없습니다.', { status: s });
      this.e.offers.dispatchAgent(agent, now);
    } else if (body.status === 'not_ready') {
      if (s === 'logged_out') this.transition(agent, 'login', now, source);
      this.set(agent, requestNotReady(agent.snap, body.reason, now), now, source);
    } else if (s === 'on_call' || s === 'on_hold' || s === 'consulting') {
      // 통화 후 로그아웃 (issue #19): when the after-call work ends, with no offer meanwhile.
      this.set(agent, requestLogoutAfterCall(agent.snap), now, source);
    } else {
      if (s === 'reserved') {
        const c = agent.contactId ? this.e.calls.get(agent.contactId) : undefined;
        if (c) this.e.offers.withdraw(c, agent, now, source);
      }
      // No offer between the end of the wrap-up and the logout: it would leave a contact reserved for a logged-out agent.
      if (agent.snap.status === 'after_call_work') this.finishWrapUp(agent, now, source, false);
      if (agent.snap.status !== 'logged_out') this.transition(agent, 'logout', now, source);
    }
    await this.e.commit();
    return this.deskState(agentId);
  }

  /** A supervisor gives an agent in 회복 more rest (issue #14 §3); INVALID_TRANSITION when the agent is not resting. */
  async extendRecovery(agentId: string, seconds: number): Promise<AgentDeskState> {
    const agent = await this.of(agentId);
    const now = this.e.now();
    this.set(agent, transitionAgent(agent.snap, 'extend_recovery', now, { config: this.e.agentConfig, seconds }), now, 'supervisor');
    await this.e.commit();
    return this.deskState(agentId);
  }

  async extendWrapUp(agentId: string): Promise<AgentDeskState> {
    const agent = await this.of(agentId);
    this.transition(agent, 'extend_wrap_up', this.e.now(), 'agent');
    await this.e.commit();
    return this.deskState(agentId);
  }

  async endWrapUp(agentId: string): Promise<AgentDeskState> {
    const agent = await this.of(agentId);
    if (agent.snap.status !== 'after_call_work') {
      throw new AppError('INVALID_TRANSITION', '후처리 중이 아닙니다.', { status: agent.snap.status, allowed: allowedAgentActions(agent.snap.status) });
    }
    this.finishWrapUp(agent, this.e.now(), 'agent');
    await this.e.commit();
    return this.deskState(agentId);
  }

  // ————————————————————————————————————————— reads —————————————————————————————————————————

  /** Agents on the phones (not logged out, not ready or resting) with the skill; all of them when none has it. */
  staffedFor(skill: string | null): number {
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

  /**
   * An agent's status, the contact they hold (the one {@link deskState} shows) and what they asked for after the call
   * (a not-ready reason, a logout), without building the desk's view.
   */
  activity(agentId: string): AgentActivity {
    const agent = this.agents.get(agentId);
    if (!agent) return { status: 'logged_out', contactId: null, pendingNotReady: null, pendingLogout: false };
    return {
      status: agent.snap.status,
      contactId: agent.contactId && this.e.calls.get(agent.contactId) ? agent.contactId : null,
      pendingNotReady: agent.snap.pendingNotReady,
      pendingLogout: agent.snap.pendingLogout,
    };
  }

  isHandling(agentId: string): boolean {
    const a = this.agents.get(agentId);
    return a ? isHandling(a.snap.status) : false;
  }

  /** The agent's desk: state, timer, the offered or handled contact, the actions open now. */
  deskState(agentId: string): AgentDeskState {
    const agent = this.agents.get(agentId);
    const now = this.e.now();
    if (!agent) {
      return {
        agentId,
        status: 'logged_out',
        since: iso(now),
        reason: null,
        pendingNotReady: null,
        pendingLogout: false,
        missedOffers: 0,
        timerEndsAt: null,
        contact: null,
        offer: null,
        allowedActions: allowedAgentActions('logged_out'),
        callsHandledToday: 0,
      };
    }
    const c = agent.contactId ? this.e.calls.get(agent.contactId) : undefined;
    return {
      agentId,
      status: agent.snap.status,
      since: iso(agent.snap.since),
      reason: agent.snap.reason,
      pendingNotReady: agent.snap.pendingNotReady,
      pendingLogout: agent.snap.pendingLogout,
      missedOffers: agent.snap.missedOffers,
      timerEndsAt: isoOrNull(agent.snap.timerEndsAt),
      contact: c ? this.e.calls.view(c) : null,
      offer: c && agent.snap.status === 'reserved' ? this.e.offers.offerOf(c) : null,
      allowedActions: allowedAgentActions(agent.snap.status),
      callsHandledToday: agent.callsDay === kstDay(now) ? agent.callsHandled : 0,
    };
  }

  /** An agent's new state for the desk, built when (and if) a listener reads it, once. */
  notice(agentId: string): AcdNotice {
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
}
