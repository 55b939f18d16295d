import type { ContactEventType } from '../../../core/contracts/enums';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { insertCitizen } from '../calls/calls.repository';
import { appendEvents, type ContactEventInput } from '../events/events.repository';
import type { StateRow } from '../statistics/rollups.repository';
import { appendAgentStateChanges, findCitizenIdByPhoneIndex, insertContact, writeAgentStateRow, writeContactState } from './acd.repository';
import { iso, isoOrNull, type AgentRec, type ContactRec } from './model';

type Op = (db: Db) => Promise<void>;
type StateChange = { id: string; user_id: string; at: string; status: string; reason: string | null; source: string; contact_id: string | null };

/** The writes of one decision (or, deferred, of many). */
export type UnitOfWork = {
  /**
   * Writes of rows other services read (interactions, citizens: the cases service records a case against the call's
   * interaction): written with the decision in every mode, before the ACD's own rows.
   */
  sharedOps: Op[];
  /** Writes of the ACD's own rows. */
  ops: Op[];
  events: ContactEventInput[];
  stateChanges: StateChange[];
  contacts: Map<string, ContactRec>;
  /** Contacts created by the unit: inserted with their latest state when it is written, never updated in it. */
  newContacts: Map<string, ContactRec>;
  agents: Map<string, AgentRec>;
};

const emptyUnit = (): UnitOfWork => ({ sharedOps: [], ops: [], events: [], stateChanges: [], contacts: new Map(), newContacts: new Map(), agents: new Map() });

function mergeUnits(a: UnitOfWork | null, b: UnitOfWork): UnitOfWork {
  if (!a) return b;
  a.sharedOps.push(...b.sharedOps);
  a.ops.push(...b.ops);
  for (const e of b.events) a.events.push(e);
  for (const c of b.stateChanges) a.stateChanges.push(c);
  for (const [k, v] of b.contacts) a.contacts.set(k, v);
  for (const [k, v] of b.newContacts) a.newContacts.set(k, v);
  for (const [k, v] of b.agents) a.agents.set(k, v);
  return a;
}

/** A deferred batch is written once this many rows are pending. */
const DEFERRED_BATCH = 5_000;

/**
 * What the ACD writes and when: each decision's rows collect here (contacts, agent states and their log, contact
 * events, the interactions and citizens other services read) and are written in ONE transaction before the decision
 * takes effect (commands to the phone system, messages to the desks), so a restart loses nothing. The day simulator's
 * `deferred` mode batches the ACD's own rows instead (each contact's and agent's row once per batch).
 *
 * On SQLite every statement of the transaction is built once (acd.repository.ts, server/db/prepared.ts); a contact's
 * row is inserted once with every column and afterwards only its changing columns are written.
 */
export class Persistence {
  private unit: UnitOfWork = emptyUnit();
  private deferred: UnitOfWork | null = null;
  private chain: Promise<void> = Promise.resolve();
  /**
   * Each agent's latest state change this process committed (the ACD is the one writer of the state log): the
   * statistics' state rollups need the previous state of every change and need not read it back. Forgotten when a
   * write fails or the engine rebuilds from the database.
   */
  private lastState = new Map<string, StateRow>();
  /** The simulator's repeat callers (deferred mode only): blind index → citizen id. */
  private readonly citizenIds = new Map<string, string>();

  constructor(
    private readonly deps: AppDeps,
    readonly mode: 'immediate' | 'deferred',
    private readonly onWriteFailed: (err: unknown) => Promise<void>,
  ) {}

  /** A write of rows other services read, in this decision's transaction (also when deferred). */
  shared(op: Op): void {
    this.unit.sharedOps.push(op);
  }

  /** A write that must come first in the transaction (a webhook event's receipt). */
  first(op: Op): void {
    this.unit.sharedOps.unshift(op);
  }

  /** A write of the ACD's own rows. */
  op(op: Op): void {
    this.unit.ops.push(op);
  }

  event(type: ContactEventType, at: number, interactionId: string, actorId: string | null, data?: Record<string, unknown>): void {
    this.unit.events.push({ type, at: iso(at), interactionId, actorId, data: data ?? null });
  }

  /** A new contact: its row is inserted (with its state at the time of writing). */
  created(c: ContactRec): void {
    this.unit.newContacts.set(c.id, c);
  }

  /** The contact's state changed: its row is written. */
  contact(c: ContactRec): void {
    this.unit.contacts.set(c.id, c);
  }

  /** The agent's state changed: the state row is written. */
  agent(a: AgentRec): void {
    this.unit.agents.set(a.id, a);
  }

  /** An entry of the agent state log (agent_state_changes). */
  stateChange(agentId: string, at: number, status: string, reason: string | null, source: string, contactId: string | null): void {
    this.unit.stateChanges.push({ id: newId(), user_id: agentId, at: iso(at), status, reason, source, contact_id: contactId });
  }

  /** The agents whose state changed in the current decision. */
  changedAgents(): IterableIterator<AgentRec> {
    return this.unit.agents.values();
  }

  /** Takes the current decision's writes (a fresh unit starts). */
  take(): UnitOfWork {
    const u = this.unit;
    this.unit = emptyUnit();
    return u;
  }

  /** Drops everything not written (before a rebuild from the database). */
  clear(): void {
    this.unit = emptyUnit();
    this.citizenIds.clear();
    this.lastState.clear();
  }

  static hasWrites(u: UnitOfWork): boolean {
    return u.sharedOps.length + u.ops.length + u.events.length + u.stateChanges.length + u.contacts.size + u.newContacts.size + u.agents.size > 0;
  }

  /**
   * Writes a decision: at once in one transaction (immediate), or, deferred, its shared rows now and the ACD's own rows
   * with the batch (written when 5,000 rows are pending or on {@link flush}).
   */
  async save(u: UnitOfWork, now: number): Promise<void> {
    if (this.mode !== 'deferred') {
      if (Persistence.hasWrites(u)) await this.write(u, now);
      return;
    }
    if (u.sharedOps.length > 0) {
      await this.write({ ...emptyUnit(), sharedOps: u.sharedOps }, now);
      u.sharedOps = [];
    }
    if (Persistence.hasWrites(u)) this.deferred = mergeUnits(this.deferred, u);
    if (this.deferred && this.deferred.ops.length + this.deferred.events.length > DEFERRED_BATCH) await this.flush(now);
  }

  /** Writes the deferred batch now (a no-op unless deferred); waits for writes under way. */
  async flush(now: number): Promise<void> {
    const u = this.deferred;
    this.deferred = null;
    if (u) await this.write(u, now);
    else await this.chain;
  }

  private async write(u: UnitOfWork, now: number): Promise<void> {
    const run = this.chain.then(async () => {
      const at = iso(now);
      await this.deps.db.transaction().execute(async (trx) => {
        for (const op of u.sharedOps) await op(trx);
        for (const c of u.newContacts.values()) await insertContact(trx, contactRow(c, at));
        for (const op of u.ops) await op(trx);
        for (const c of u.contacts.values()) if (!u.newContacts.has(c.id)) await writeContactState(trx, contactState(c, at));
        for (const a of u.agents.values()) await writeAgentStateRow(trx, agentRow(a, at));
        await appendAgentStateChanges(trx, u.stateChanges, this.lastState);
        // A decision's new contacts were created in this transaction: none has events to read back. (Not for a
        // deferred batch: the cases service records against a contact before the batch that created it is written.)
        await appendEvents(trx, u.events, this.mode === 'immediate' && u.newContacts.size > 0 ? new Set(u.newContacts.keys()) : undefined);
      });
      for (const c of u.stateChanges) this.lastState.set(c.user_id, { user_id: c.user_id, at: c.at, status: c.status, reason: c.reason });
    });
    this.chain = run.catch(() => undefined);
    try {
      await run;
    } catch (err) {
      this.lastState.clear();
      await this.onWriteFailed(err);
      throw err;
    }
  }

  /**
   * The citizen of a caller's number, created on first contact (in the decision's transaction). The look-up matches
   * every blind-index key in rotation (a citizen indexed under the old key is found, not duplicated) and opens nothing:
   * the call needs the id only.
   */
  async citizenOf(db: Db, e164: string, at: string): Promise<string> {
    // The simulator's repeat callers skip the look-up (only deferred: in the server, retention may remove citizens
    // behind the process's back).
    const deferred = this.mode === 'deferred';
    const index = deferred ? this.deps.vault.phoneIndex(e164) : '';
    const cached = deferred ? this.citizenIds.get(index) : undefined;
    if (cached) return cached;
    const found = await findCitizenIdByPhoneIndex(db, this.deps.vault.phoneIndexCandidates(e164));
    const id = found ?? newId();
    if (!found) await insertCitizen(db, this.deps.vault, { id, phone: e164, name: null, created_at: at });
    if (deferred) {
      if (this.citizenIds.size >= 50_000) this.citizenIds.clear();
      this.citizenIds.set(index, id);
    }
    return id;
  }
}

/** A contact's row with every column (its insert). */
export function contactRow(c: ContactRec, at: string) {
  return {
    ...contactState(c, at),
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
    callback_number_sealed: c.callbackSealed,
    origin_id: c.originId,
  };
}

/**
 * The columns of a contact that change after its insert (its status, agent, offer, answer and end, who is passed
 * over). The others (queue, source and call id, caller, place in line) are fixed when it enters: writing them again
 * would check their foreign keys and rewrite their indexes for nothing.
 */
export function contactState(c: ContactRec, at: string) {
  return {
    id: c.id,
    ready_at: isoOrNull(c.readyAt),
    status: c.status,
    agent_id: c.agentId,
    offered_at: isoOrNull(c.offeredAt),
    offer_expires_at: isoOrNull(c.offerExpiresAt),
    answered_at: isoOrNull(c.answeredAt),
    ended_at: isoOrNull(c.endedAt),
    excluded_agents: c.excluded.length ? JSON.stringify(c.excluded) : null,
    updated_at: at,
  };
}

function agentRow(a: AgentRec, at: string) {
  return {
    user_id: a.id,
    status: a.snap.status,
    reason: a.snap.reason,
    since: iso(a.snap.since),
    missed_offers: a.snap.missedOffers,
    pending_not_ready: a.snap.pendingNotReady,
    pending_logout: a.snap.pendingLogout ? 1 : 0,
    timer_ends_at: isoOrNull(a.snap.timerEndsAt),
    contact_id: a.contactId,
    last_offered_at: isoOrNull(a.lastOfferedAt),
    calls_handled: a.callsHandled,
    calls_day: a.callsDay,
    updated_at: at,
  };
}
