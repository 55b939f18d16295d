import { kstDay } from '../../../core/domain/business-hours';
import { reconcileAgent } from '../../../core/domain/agent-state';
import { maskPhone } from '../../../core/domain/masking';
import { formatPhone } from '../../../core/domain/phone';
import type { TelephonyPort } from '../../ports/telephony/telephony.port';
import {
  listAgentUsers,
  listBusinessHours,
  listCallEventsSince,
  listClosedDays,
  listOpenContacts,
  listQueues,
  listRoutes,
  listSkills,
  pruneWebhookEvents,
} from './acd.repository';
import type { AcdEngine } from './engine';
import { iso, msOrNull, REOFFER_AFTER_MISS_MS, type ContactRec, type ContactStatus } from './model';

/**
 * The ACD's memory against the facts: at start (and after a failed write) everything is rebuilt from the database —
 * configuration, agents, the line, callbacks, calls being handled, today's counters — so a restart loses no waiting
 * call; every 10 s the agents and calls are compared with the phone systems' facts (contact-center.md §3) and drift
 * is corrected with source `reconciliation`.
 */
export class Reconciliation {
  private nextPruneAt = 0;

  constructor(private readonly e: AcdEngine) {}

  /** Re-reads queues, routes, skills, hours and closed days (after an admin change). Agents and calls stay. */
  async reloadConfig(): Promise<void> {
    const db = this.e.deps.db;
    const [queues, routes, skills, hours, closed] = await Promise.all([listQueues(db), listRoutes(db), listSkills(db), listBusinessHours(db), listClosedDays(db)]);
    this.e.queues.configure(queues, routes);
    this.e.hours.set(hours, closed.map((d) => d.day));
    const skillsByAgent = new Map<string, Record<string, number>>();
    for (const s of skills) {
      const m = skillsByAgent.get(s.user_id) ?? {};
      m[s.skill] = s.level;
      skillsByAgent.set(s.user_id, m);
    }
    this.e.agents.applySkills(skillsByAgent);
    // Skills or hours may now allow matches that were impossible: offer what can be offered.
    if (this.e.agents.size > 0) {
      this.e.offers.dispatchAll(this.e.now());
      await this.e.commit();
    }
  }

  /** Loads configuration and state from the database: agents, open contacts (back in line), timers, counters. */
  async load(): Promise<void> {
    const e = this.e;
    await this.reloadConfig();
    const now = e.now();
    const today = kstDay(now);
    for (const row of await listAgentUsers(e.deps.db)) e.agents.addFromRow(row, today, now);

    for (const row of await listOpenContacts(e.deps.db)) {
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
      e.calls.track(c);
      // The in-process phone system lives in this process: its calls come back with it.
      if (c.source === e.simulator.name && c.status !== 'closed') e.simulator.markLive(c.externalCallId);
      const agent = c.agentId ? e.agents.get(c.agentId) : undefined;
      if (c.status === 'waiting') e.calls.enterLine(c, now);
      else if (c.status === 'reserved' && (!agent || agent.snap.status !== 'reserved' || agent.contactId !== c.id)) {
        // The agent's side was lost: the call goes back to its place in line.
        c.status = 'waiting';
        c.agentId = null;
        e.store.contact(c);
        e.calls.enterLine(c, now);
      }
    }
    for (const agent of e.agents.all()) if (agent.snap.timerEndsAt !== null) e.timers.atAgent(agent.id, agent.snap.timerEndsAt);
    e.counters.rebuild(await listCallEventsSince(e.deps.db, iso(Date.parse(`${today}T00:00:00+09:00`))), now);
    e.timers.startReconciling(now);
    e.offers.dispatchAll(now);
    await e.commit();
  }

  /** After a failed write: memory is thrown away and read again from the database (what was committed). */
  async rebuildFromDatabase(): Promise<void> {
    const e = this.e;
    e.store.clear();
    e.agents.clear();
    e.calls.clear();
    e.queues.clear();
    e.timers.clear();
    e.dropEffects();
    try {
      await this.load();
    } catch (err) {
      e.log.error({ err }, 'acd: rebuilding from the database failed');
    }
  }

  private async maskedCallerOf(c: ContactRec): Promise<string> {
    const vault = this.e.deps.vault;
    if (c.callbackSealed) return maskPhone(formatPhone(vault.open(c.callbackSealed)));
    const row = await this.e.deps.db.selectFrom('interactions').select('caller_number_sealed').where('id', '=', c.id).executeTakeFirst();
    if (!row?.caller_number_sealed) return '';
    try {
      return maskPhone(formatPhone(vault.open(row.caller_number_sealed)));
    } catch {
      return '';
    }
  }

  /**
   * Compares agents and contacts with the phone systems' facts (contact-center.md §3 lines 101–104) and corrects
   * drift with source `reconciliation`: a handled call that is no longer live ends (→ after-call work), a waiting or
   * ringing call that is gone was abandoned, overrun timers fire, unregistered devices pause the agent.
   * Returns the number of corrections.
   */
  async reconcile(): Promise<number> {
    const e = this.e;
    const facts = new Map<string, Awaited<ReturnType<TelephonyPort['facts']>>>();
    for (const [name, adapter] of e.adapters) {
      try {
        facts.set(name, await adapter.facts());
      } catch (err) {
        e.log.warn({ err, adapter: name }, 'acd: telephony facts unavailable, skipping its reconciliation');
      }
    }
    const now = e.now();
    let corrections = 0;
    const registered = [...facts.values()].map((f) => f.registeredAgentIds).filter((s): s is ReadonlySet<string> => s !== null);

    for (const c of [...e.calls.all()]) {
      const live = facts.get(c.source)?.liveCallIds;
      if (!live || c.kind === 'callback') continue;
      if ((c.status === 'waiting' || c.status === 'reserved' || c.status === 'closed') && !live.has(c.externalCallId)) {
        e.calls.callerLeft(c, now, 'reconciliation');
        corrections++;
      }
    }
    for (const agent of e.agents.all()) {
      const c = agent.contactId ? e.calls.get(agent.contactId) : undefined;
      const live = c ? facts.get(c.source)?.liveCallIds : undefined;
      const talking = agent.snap.status === 'on_call' || agent.snap.status === 'on_hold' || agent.snap.status === 'consulting';
      const hasLiveDialog = talking ? (c ? (live ? live.has(c.externalCallId) : true) : false) : false;
      const isRegistered = registered.length === 0 || registered.some((s) => s.has(agent.id));
      const action = reconcileAgent(agent.snap, { isRegistered, hasLiveDialog }, now, e.agentConfig);
      if (!action) continue;
      corrections++;
      e.log.info({ agentId: agent.id, status: agent.snap.status, action }, 'acd: reconciliation corrected an agent state');
      if (action === 'end_call') {
        if (c && c.status !== 'ended') e.calls.end(c, now, 'reconciliation', null);
        else e.agents.transition(agent, 'end_call', now, 'reconciliation');
      } else if (action === 'offer_timeout') e.offers.miss(agent, now, 'offer_timeout', 'reconciliation');
      else if (action === 'end_wrap_up') e.agents.finishWrapUp(agent, now, 'reconciliation');
      else if (action === 'device_lost') {
        if (agent.snap.status === 'reserved' && c) e.offers.withdraw(c, agent, now, 'reconciliation');
        if (talking && c) e.calls.end(c, now, 'reconciliation', null);
        e.agents.transition(agent, 'device_lost', now, 'reconciliation');
      } else if (action === 'end_recovery') e.agents.transition(agent, 'end_recovery', now, 'reconciliation');
    }
    if (now >= this.nextPruneAt) {
      this.nextPruneAt = now + 60_000;
      e.store.op((db) => pruneWebhookEvents(db, iso(now - 10 * 60_000)));
    }
    await e.commit();
    return corrections;
  }
}
