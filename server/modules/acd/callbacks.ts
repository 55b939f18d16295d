import { normalizePhone } from '../../../core/domain/phone';
import { HAPPY_CALL_QUEUE_NAME } from '../../../core/domain/surveys';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import { newId } from '../../lib/ids';
import { insertInteractionRow } from '../calls/calls.repository';
import { hasContactOfExternalCall, insertQueueIfMissing } from './acd.repository';
import type { AcdEngine } from './engine';
import { HAPPY_CALL_QUEUE, iso, isoOrNull, newCallbackState, OUTBOUND_CALLBACK_QUEUE, type ContactRec, type OutboundQueueCode, type QueueRec } from './model';

/** The name agents see on the offer of each outbound queue. */
const OUTBOUND_QUEUE_NAMES: Record<OutboundQueueCode, string> = { [OUTBOUND_CALLBACK_QUEUE]: '회신 전화', [HAPPY_CALL_QUEUE]: HAPPY_CALL_QUEUE_NAME };

/**
 * Callbacks: a waiting caller who asks to be called back keeps his place in line as a callback contact (offered to
 * an agent, who dials it); one asked for outside hours becomes ready when the centre opens (hours.ts). 회신 전화
 * (issue #11 §4): outbound callbacks that tell a citizen a department's answer, queued on their own queue.
 */
export class Callbacks {
  constructor(private readonly e: AcdEngine) {}

  /** The caller asked for a callback: the call leaves the line and a callback keeps its place (line 139). */
  request(c: ContactRec, callbackNumber: string, now: number): void {
    const e = this.e;
    const e164 = normalizePhone(callbackNumber) ?? callbackNumber;
    const wasClosed = c.status === 'closed';
    const readyAt = e.hours.isOpen(now) ? null : e.hours.nextOpening(now);
    const id = newId();
    const sealed = e.deps.vault.seal(e164);
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
    const position = e.queues.positionOf(c) ?? 1;
    e.queues.leave(c);
    e.store.event('callback_requested', now, c.id, null, { callbackId: id, queueId: c.queueId, readyAt: isoOrNull(readyAt) });
    if (!wasClosed) e.counters.callbackRequested(c);
    e.calls.finished(c, 'ended', now);
    e.command(c.source, { type: 'announce', callId: c.externalCallId, announcement: { kind: 'callback_confirmed', position: Math.max(1, position) } });
    e.calls.forget(c);

    this.enterCalledBack(cb, e164, now);
  }

  /**
   * A caller the centre could not take — OneCall did not answer Kamailio's route request (down, restarting, shedding
   * load) — who stayed on the line through the fallback announcement to be called back (ports/telephony/sip/fallback.ts):
   * a callback in the line of the queue serving the dialled number, its place from the time of the call, ready now or
   * at the next opening. null (nothing written) when that call was queued before (the spool read again after a crash)
   * or no queue serves the number. The call itself never reached the ACD, so it is in no KPI; its callback is.
   */
  async missedCall(input: { callId: string; callerNumber: string; dialledNumber: string; at: number }): Promise<string | null> {
    const e = this.e;
    const externalCallId = `fallback-${input.callId}`;
    const queue = e.queues.routeOf(input.dialledNumber, null);
    if (!queue || (await hasContactOfExternalCall(e.deps.db, externalCallId))) return null;
    const now = e.now();
    const e164 = normalizePhone(input.callerNumber) ?? input.callerNumber;
    const id = newId();
    const cb: ContactRec = {
      id,
      kind: 'callback',
      source: this.dialSource(),
      externalCallId,
      queueId: queue.id,
      skill: queue.skill,
      priority: queue.priority,
      dialledNumber: input.dialledNumber,
      ivrChoice: null,
      enteredAt: now,
      virtualStartAt: Math.min(input.at, now),
      readyAt: e.hours.isOpen(now) ? null : e.hours.nextOpening(now),
      ...newCallbackState(e.deps.vault.seal(e164), e164),
      originId: null,
    };
    this.enterCalledBack(cb, e164, now);
    await e.commit();
    return id;
  }

  /** Which phone system dials callbacks: the CTI when one is configured; otherwise the in-process phone system. */
  private dialSource(): string {
    const e = this.e;
    return [...e.adapters.keys()].find((name) => name !== e.simulator.name) ?? e.simulator.name;
  }

  /** A callback contact enters the line: its interaction is written (`interaction`), then its row; offered if it may be. */
  private enter(cb: ContactRec, now: number, interaction: (db: Db) => Promise<void>): void {
    this.e.calls.track(cb);
    this.e.store.shared(interaction);
    this.e.store.created(cb);
    this.e.calls.enterLine(cb, now);
    this.e.offers.dispatchContact(cb, now);
  }

  /** A callback of a caller who asked for it: enters the line, its interaction tied to the citizen of that number. */
  private enterCalledBack(cb: ContactRec, e164: string, now: number): void {
    const at = iso(now);
    this.enter(cb, now, async (db) => {
      const citizenId = normalizePhone(e164) ? await this.e.store.citizenOf(db, e164, at) : null;
      await this.insertInteraction(db, cb, e164, citizenId, at);
    });
  }

  /** The outbound interaction of a callback (the call the agent makes), before its contact row. */
  private async insertInteraction(db: Db, cb: ContactRec, e164: string, citizenId: string | null, at: string): Promise<void> {
    const vault = this.e.deps.vault;
    await insertInteractionRow(db, {
      id: cb.id,
      channel: 'phone',
      direction: 'outbound',
      caller_number_sealed: cb.callbackSealed!,
      caller_index: normalizePhone(e164) ? vault.phoneIndex(e164) : vault.blindIndex('phone-raw', e164),
      dialled_number: cb.dialledNumber,
      citizen_id: citizenId,
      agent_id: null,
      status: 'offered',
      started_at: at,
      answered_at: null,
      ended_at: null,
    });
  }

  // ————————————————————————————————————————— outbound callbacks (회신 전화) —————————————————————————————————————————

  /**
   * The queue of outbound callbacks that tell citizens a department's answer (issue #11 §4), or with `code` another
   * outbound queue (만족도 조사 전화, issue #15), created on first use: no routes (nobody dials into it), no skill (any
   * agent may make the call), priority 0 so outbound calls take their turn by the time they entered among the waiting
   * calls. Without `create`, null until then. A happy-call queue a supervisor made inactive is null (nothing offered).
   */
  async outboundQueue(create: boolean, code: OutboundQueueCode = OUTBOUND_CALLBACK_QUEUE): Promise<string | null> {
    const known = this.outboundQueueRec(code);
    if (known || !create) return known?.id ?? null;
    const at = iso(this.e.now());
    await insertQueueIfMissing(this.e.deps.db, {
      id: newId(),
      code,
      name: OUTBOUND_QUEUE_NAMES[code],
      skill: null,
      strategy: 'longest_idle',
      escalation: null,
      priority: 0,
      is_active: 1,
      created_at: at,
      updated_at: at,
    });
    await this.e.reconciliation.reloadConfig();
    return this.outboundQueueRec(code)?.id ?? null;
  }

  private outboundQueueRec(code: OutboundQueueCode): QueueRec | undefined {
    return code === OUTBOUND_CALLBACK_QUEUE ? this.e.queues.outboundCallbackQueue() : this.e.queues.active().find((q) => q.code === code);
  }

  /**
   * 회신 전화: an outbound call to tell a citizen the department's answer, queued like a call on `queueId` (not before
   * `readyAt`, nor outside opening hours) and offered to an available agent; on the offer the phone system dials the
   * number (dial_callback). `link` runs in the transaction that writes the contact (the task's pointer to it), so a
   * crash never leaves a task queued twice or a contact without its task.
   */
  async queueOutbound(
    input: { number: string; citizenId: string | null; queueId: string; readyAt: number | null },
    link: (db: Db, contactId: string) => Promise<void>,
  ): Promise<string> {
    const e = this.e;
    const queue = e.queues.get(input.queueId);
    if (!queue) throw new AppError('NOT_FOUND', '회신 전화 대기열이 없습니다.');
    const now = e.now();
    const e164 = normalizePhone(input.number) ?? input.number;
    const sealed = e.deps.vault.seal(e164);
    const opensAt = e.hours.isOpen(now) ? null : e.hours.nextOpening(now);
    const readyAt = Math.max(input.readyAt ?? now, opensAt ?? now);
    const id = newId();
    const source = this.dialSource();
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
    const at = iso(now);
    e.store.op((db) => link(db, id));
    this.enter(c, now, (db) => this.insertInteraction(db, c, e164, input.citizenId, at));
    await e.commit();
    return id;
  }

  /**
   * Takes an outbound callback off the line, or back from the agent it is offered to (the citizen was told another
   * way meanwhile). False when the ACD does not hold it waiting or offered (an agent has it, or it is over).
   */
  async withdrawOutbound(contactId: string): Promise<boolean> {
    const e = this.e;
    const c = e.calls.get(contactId);
    if (!c || c.kind !== 'callback' || (c.status !== 'waiting' && c.status !== 'reserved')) return false;
    const now = e.now();
    const agent = c.status === 'reserved' && c.agentId ? e.agents.get(c.agentId) : undefined;
    if (agent && agent.contactId === c.id) e.offers.cancel(c, agent, now, 'system', 'offer_withdrawn');
    e.queues.leave(c);
    e.store.event('call_ended', now, c.id, null, { by: 'system', reason: 'callback_withdrawn' });
    c.agentId = null;
    e.calls.finished(c, 'ended', now);
    e.calls.forget(c);
    if (agent && agent.snap.status === 'available') e.offers.dispatchAgent(agent, now);
    await e.commit();
    return true;
  }

  /** The outbound callbacks of `queueId` still in line or offered to an agent (not yet answered). */
  pendingOutbound(queueId: string): string[] {
    const out: string[] = [];
    for (const c of this.e.calls.all()) {
      if (c.kind === 'callback' && c.queueId === queueId && (c.status === 'waiting' || c.status === 'reserved')) out.push(c.id);
    }
    return out;
  }
}
