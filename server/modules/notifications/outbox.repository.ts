import type { Selectable } from 'kysely';
import type { Db } from '../../db/database';
import type { OutboxMessageTable } from '../../db/tables';
import { newId } from '../../lib/ids';

export type OutboxRow = Selectable<OutboxMessageTable>;

export type EnqueueInput = {
  kind: string;
  channel: OutboxMessageTable['channel'];
  payloadSealed: string;
  idempotencyKey: string;
  maxAttempts: number;
  at: string;
  caseId?: string | null;
  handOffId?: string | null;
};

/**
 * Queues a message in the caller's transaction (the outbox pattern: it exists exactly when the change that caused
 * it committed). A second message with the same idempotency key is refused by the unique index.
 */
export async function enqueueMessage(db: Db, m: EnqueueInput): Promise<string> {
  const id = newId();
  await db
    .insertInto('outbox_messages')
    .values({
      id,
      kind: m.kind,
      channel: m.channel,
      payload_sealed: m.payloadSealed,
      idempotency_key: m.idempotencyKey,
      status: 'pending',
      attempts: 0,
      max_attempts: m.maxAttempts,
      next_attempt_at: m.at,
      claimed_until: null,
      last_error: null,
      case_id: m.caseId ?? null,
      handoff_id: m.handOffId ?? null,
      created_at: m.at,
      updated_at: m.at,
      sent_at: null,
    })
    .execute();
  return id;
}

/**
 * Takes up to `limit` due messages for one worker until `leaseUntil`: pending, due, and not leased by a live worker.
 * One conditional UPDATE … RETURNING, so two workers (or two nodes) never take the same message; a worker that died
 * mid-send leaves a lease that simply runs out, and the message is taken again (at-least-once, the gateway gets the
 * message id as Idempotency-Key to drop a repeat).
 */
export async function claimDueMessages(db: Db, now: string, leaseUntil: string, limit: number): Promise<OutboxRow[]> {
  const due = db
    .selectFrom('outbox_messages')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    // In order per hand-off for the case system: a message waits while an earlier one of its hand-off is pending or failed.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('outbox_messages as e')
            .select('e.id')
            .where('e.kind', '=', 'case_system')
            .whereRef('e.kind', '=', 'outbox_messages.kind')
            .whereRef('e.handoff_id', '=', 'outbox_messages.handoff_id')
            .where('e.status', 'in', ['pending', 'failed'])
            .whereRef('e.id', '<', 'outbox_messages.id'),
        ),
      ),
    )
    .orderBy('next_attempt_at')
    .limit(limit);
  return db
    .updateTable('outbox_messages')
    .set({ claimed_until: leaseUntil })
    .where('id', 'in', due)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .returningAll()
    .execute();
}

/** Records a delivery (only while the message is still pending: a message is sent once). True when it changed. */
export async function markMessageSent(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('outbox_messages')
    .set((eb) => ({ status: 'sent', attempts: eb('attempts', '+', 1), sent_at: at, updated_at: at, claimed_until: null, next_attempt_at: null, last_error: null }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a failed try: pending again at `nextAttemptAt`, or failed for good when it is null. */
export async function markMessageFailed(db: Db, id: string, at: string, error: string, nextAttemptAt: string | null): Promise<boolean> {
  const r = await db
    .updateTable('outbox_messages')
    .set((eb) => ({
      status: nextAttemptAt ? 'pending' : 'failed',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: nextAttemptAt,
      claimed_until: null,
      last_error: error,
      updated_at: at,
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The admin's retry: a failed (or waiting) message is due now with a fresh set of attempts. */
export async function requeueMessage(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('outbox_messages')
    .set({ status: 'pending', attempts: 0, next_attempt_at: at, claimed_until: null, updated_at: at })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'pending'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

const LISTED = [
  'm.id',
  'm.kind',
  'm.channel',
  'm.status',
  'm.attempts',
  'm.max_attempts',
  'm.next_attempt_at',
  'm.last_error',
  'm.created_at',
  'm.sent_at',
  'm.case_id',
  'c.number as case_number',
] as const;

export type ListedMessage = Awaited<ReturnType<typeof listMessages>>[number];

/** The citizen's messages (sms / email): the case system's messages have their own screen (connectors). */
const citizenMessages = (db: Db) =>
  db
    .selectFrom('outbox_messages as m')
    .leftJoin('cases as c', 'c.id', 'm.case_id')
    .select(LISTED)
    .where('m.kind', '<>', 'case_system')
    .$narrowType<{ channel: 'sms' | 'email'; status: 'pending' | 'sent' | 'failed' }>();

/** Messages for the admin: failed (given up), retrying (pending after a failure), pending, sent or all; newest first. */
export async function listMessages(db: Db, filter: { status: 'failed' | 'retrying' | 'pending' | 'sent' | 'all'; limit: number }) {
  let q = citizenMessages(db);
  if (filter.status === 'retrying') q = q.where('m.status', '=', 'pending').where('m.attempts', '>', 0);
  else if (filter.status !== 'all') q = q.where('m.status', '=', filter.status);
  return q.orderBy('m.updated_at', 'desc').orderBy('m.id', 'desc').limit(filter.limit).execute();
}

/** A case's messages, oldest first. */
export async function listMessagesOfCase(db: Db, caseId: string): Promise<ListedMessage[]> {
  return citizenMessages(db).where('m.case_id', '=', caseId).orderBy('m.created_at').orderBy('m.id').execute();
}

export async function findListedMessage(db: Db, id: string): Promise<ListedMessage | undefined> {
  return citizenMessages(db).where('m.id', '=', id).executeTakeFirst();
}

/**
 * 파기 of what the outbox keeps about citizens: the sealed payload (address and text) of messages finished before
 * `cutoff` and the reply addresses recorded before it whose case has no message still waiting. The rows stay (how
 * and when the citizen was told is the case's record); the values become '' / null. Returns how many values.
 */
export async function eraseReplyContactsBefore(db: Db, cutoff: string, dryRun: boolean): Promise<number> {
  const finished = db.selectFrom('outbox_messages').where('status', '<>', 'pending').where('updated_at', '<', cutoff).where('payload_sealed', '<>', '');
  const old = db
    .selectFrom('reply_preferences as p')
    .where('p.recorded_at', '<', cutoff)
    .where('p.address_sealed', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('outbox_messages as m').select('m.id').whereRef('m.case_id', '=', 'p.case_id').where('m.status', '=', 'pending'))),
    );
  if (dryRun) {
    const [m, p] = await Promise.all([
      finished.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      old.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return Number(m.n) + Number(p.n);
  }
  const ids = (await old.select('p.id').execute()).map((r) => r.id);
  const m = await db.updateTable('outbox_messages').set({ payload_sealed: '' }).where('status', '<>', 'pending').where('updated_at', '<', cutoff).where('payload_sealed', '<>', '').executeTakeFirst();
  if (ids.length > 0) await db.updateTable('reply_preferences').set({ address_sealed: null }).where('id', 'in', ids).execute();
  return Number(m.numUpdatedRows) + ids.length;
}
