import type { Db } from '../../db/database';
import type { CallbackTaskTable, ReplyPreferenceTable } from '../../db/tables';
import { newId } from '../../lib/ids';

/** The citizen's reply preference of a case, or undefined when the agent recorded none. */
export async function findReplyPreference(db: Db, caseId: string) {
  return db.selectFrom('reply_preferences').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Records (or replaces) the reply preference of a case. */
export async function upsertReplyPreference(db: Db, row: Omit<ReplyPreferenceTable, 'id'>): Promise<void> {
  await db
    .insertInto('reply_preferences')
    .values({ id: newId(), ...row })
    .onConflict((oc) =>
      oc.column('case_id').doUpdateSet({
        channel: row.channel,
        consent: row.consent,
        address_sealed: row.address_sealed,
        recorded_by: row.recorded_by,
        recorded_at: row.recorded_at,
      }),
    )
    .execute();
}

/** What the reply preference route needs of a case: its citizen, the caller's sealed number, its hand-offs' states. */
export async function findCaseForPreference(db: Db, caseId: string) {
  const row = await db
    .selectFrom('cases as c')
    .leftJoin('interactions as i', 'i.id', 'c.interaction_id')
    .leftJoin('citizens as z', 'z.id', 'c.citizen_id')
    .select(['c.id', 'c.citizen_id', 'c.agent_id', 'i.caller_number_sealed', 'z.phone_sealed'])
    .where('c.id', '=', caseId)
    .executeTakeFirst();
  if (!row) return undefined;
  const handOffs = await db.selectFrom('handoffs').select(['id', 'status', 'department_id']).where('case_id', '=', caseId).execute();
  return { ...row, handOffs };
}

/** Everything the answer message says: case number and day, category, department, the answer. */
export async function findAnswerContext(db: Db, handOffId: string) {
  return db
    .selectFrom('handoffs as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .innerJoin('departments as d', 'd.id', 'h.department_id')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .select(['h.id', 'h.case_id', 'h.answer', 'c.number as case_number', 'c.created_at as case_created_at', 'cat.name as category_name', 'd.name as department_name'])
    .where('h.id', '=', handOffId)
    .executeTakeFirst();
}

/** The admin's edited templates (keys without a row use their default). */
export async function listTemplateRows(db: Db) {
  return db.selectFrom('notification_templates').selectAll().execute();
}

export async function findTemplateRow(db: Db, key: string) {
  return db.selectFrom('notification_templates').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function saveTemplateRow(db: Db, row: { key: string; subject: string | null; body: string; updated_at: string; updated_by: string }): Promise<void> {
  await db
    .insertInto('notification_templates')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ subject: row.subject, body: row.body, updated_at: row.updated_at, updated_by: row.updated_by }))
    .execute();
}

/** Opens a callback task unless the hand-off already has an open one. */
export async function openCallbackTask(db: Db, task: Pick<CallbackTaskTable, 'case_id' | 'handoff_id' | 'outbox_message_id' | 'reason' | 'created_at'>): Promise<void> {
  if (task.handoff_id) {
    const open = await db.selectFrom('callback_tasks').select('id').where('handoff_id', '=', task.handoff_id).where('status', '=', 'open').executeTakeFirst();
    if (open) return;
  }
  await db
    .insertInto('callback_tasks')
    .values({ id: newId(), ...task, status: 'open', done_at: null, done_by: null })
    .execute();
}

/** Finishes a callback task: done by an agent, or cancelled because the citizen was told another way. */
export async function finishCallbackTask(db: Db, id: string, status: 'done' | 'cancelled', at: string, by: string | null): Promise<boolean> {
  const r = await db.updateTable('callback_tasks').set({ status, done_at: at, done_by: by }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function cancelOpenCallbackTasks(db: Db, handOffId: string, at: string): Promise<void> {
  await db.updateTable('callback_tasks').set({ status: 'cancelled', done_at: at }).where('handoff_id', '=', handOffId).where('status', '=', 'open').execute();
}

function callbackTaskQuery(db: Db) {
  return db
    .selectFrom('callback_tasks as t')
    .innerJoin('cases as c', 'c.id', 't.case_id')
    .leftJoin('handoffs as h', 'h.id', 't.handoff_id')
    .leftJoin('departments as d', 'd.id', 'h.department_id')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('reply_preferences as p', 'p.case_id', 't.case_id')
    .leftJoin('interactions as i', 'i.id', 'c.interaction_id')
    .select([
      't.id',
      't.case_id',
      'c.number as case_number',
      't.handoff_id',
      't.status',
      't.reason',
      'c.citizen_id',
      'p.address_sealed',
      'p.channel as preference_channel',
      'i.caller_number_sealed',
      'd.name as department_name',
      'cat.path as category_path',
      'h.answer',
      't.created_at',
      't.done_at',
      't.attempts',
      't.next_attempt_at',
      't.contact_id',
    ]);
}

export type CallbackTaskRow = Awaited<ReturnType<ReturnType<typeof callbackTaskQuery>['execute']>>[number];

/** Callback tasks of a status (open: still owed; gave_up: every attempt failed), oldest first. */
export async function listCallbackTasksByStatus(db: Db, status: 'open' | 'gave_up', limit: number): Promise<CallbackTaskRow[]> {
  return callbackTaskQuery(db).where('t.status', '=', status).orderBy('t.created_at').orderBy('t.id').limit(limit).execute();
}

/** Open tasks no attempt is under way for and whose next attempt is due: the ACD queues them. */
export async function listDueCallbackTasks(db: Db, now: string, limit: number): Promise<CallbackTaskRow[]> {
  return callbackTaskQuery(db)
    .where('t.status', '=', 'open')
    .where('t.contact_id', 'is', null)
    .where((eb) => eb.or([eb('t.next_attempt_at', 'is', null), eb('t.next_attempt_at', '<=', now)]))
    .orderBy('t.created_at')
    .orderBy('t.id')
    .limit(limit)
    .execute();
}

/** Open tasks with an attempt under way (their ACD contact). */
export async function listCallbackTasksInCall(db: Db) {
  return db.selectFrom('callback_tasks').select(['id', 'contact_id']).where('status', '=', 'open').where('contact_id', 'is not', null).execute();
}

/** The tasks whose attempt is one of these ACD contacts. */
export async function listCallbackTasksOfContacts(db: Db, contactIds: string[]) {
  if (contactIds.length === 0) return [];
  return db.selectFrom('callback_tasks').select(['id', 'status', 'contact_id']).where('contact_id', 'in', contactIds).execute();
}

export async function findCallbackTaskOfContact(db: Db, contactId: string): Promise<CallbackTaskRow | undefined> {
  return callbackTaskQuery(db).where('t.contact_id', '=', contactId).executeTakeFirst();
}

/**
 * Links an open task to the ACD contact of its new attempt, in the ACD's transaction. Throws when the task is no
 * longer waiting for one (another process queued it, or it was finished): the contact is then not written either.
 */
export async function linkCallbackContact(db: Db, id: string, contactId: string, at: string): Promise<void> {
  const r = await db
    .updateTable('callback_tasks')
    .set({ contact_id: contactId, last_attempt_at: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('contact_id', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Error(`callback task ${id} is no longer waiting for an attempt`);
}

/** Gives up a task no attempt can be made for (no number to call), while it waits for one. True when it changed. */
export async function giveUpCallbackTask(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('callback_tasks')
    .set({ status: 'gave_up', done_at: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('contact_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * An attempt did not reach the citizen: counted, and the task waits for `nextAttemptAt`, or is given up when that is
 * null. Compare-and-set on the attempt's contact: a second report of the same attempt changes nothing (false).
 */
export async function recordCallbackNotReached(db: Db, id: string, contactId: string, at: string, nextAttemptAt: string | null, by: string | null): Promise<boolean> {
  const r = await db
    .updateTable('callback_tasks')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      contact_id: null,
      next_attempt_at: nextAttemptAt,
      ...(nextAttemptAt === null ? { status: 'gave_up' as const, done_at: at, done_by: by } : {}),
    }))
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findCallbackTask(db: Db, id: string): Promise<CallbackTaskRow | undefined> {
  return callbackTaskQuery(db).where('t.id', '=', id).executeTakeFirst();
}

export async function listCallbackTasksOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('callback_tasks')
    .select(['id', 'status', 'reason', 'created_at', 'done_at', 'attempts', 'next_attempt_at'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}

/**
 * Closes an answered hand-off with how and when the citizen was told (or that the citizen declined). Only from
 * `answered`: true when it changed, false when it was already closed (a second delivery or a late callback).
 */
export async function closeToldHandOff(db: Db, handOffId: string, channel: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('handoffs')
    .set({ status: 'closed', told_channel: channel, told_at: at, closed_at: at, updated_at: at })
    .where('id', '=', handOffId)
    .where('status', '=', 'answered')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How and when the citizen of a case was told (the newest hand-off that says so). */
export async function findToldOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('handoffs')
    .select(['told_channel', 'told_at'])
    .where('case_id', '=', caseId)
    .where('told_at', 'is not', null)
    .orderBy('told_at', 'desc')
    .executeTakeFirst();
}

/** True while a hand-off is answered but the citizen not yet told. */
export async function isAwaitingTold(db: Db, handOffId: string): Promise<boolean> {
  const row = await db.selectFrom('handoffs').select('status').where('id', '=', handOffId).executeTakeFirst();
  return row?.status === 'answered';
}
