import type { Insertable, Updateable } from 'kysely';
import type { TransferStatus } from '../../../core/domain/transfer-attempt';
import type { Db } from '../../db/database';
import type { TransferAttemptTable } from '../../db/tables';
import type { Viewer } from '../privacy/access-context';

/** An attempt with the names the screens show. */
export type TransferAttemptRow = TransferAttemptTable & {
  agent_name: string;
  official_name: string;
  official_extension: string | null;
  department_name: string | null;
  category_path: string;
  case_number: string | null;
  handoff_due_at: string | null;
};

function attempts(db: Db) {
  return db
    .selectFrom('transfer_attempts as t')
    .innerJoin('users as a', 'a.id', 't.agent_id')
    .innerJoin('users as o', 'o.id', 't.official_id')
    .innerJoin('categories as c', 'c.id', 't.category_id')
    .leftJoin('departments as d', 'd.id', 't.department_id')
    .leftJoin('cases as k', 'k.id', 't.case_id')
    .leftJoin('handoffs as h', 'h.id', 't.handoff_id')
    .selectAll('t')
    .select([
      'a.name as agent_name',
      'o.name as official_name',
      'o.extension as official_extension',
      'd.name as department_name',
      'c.path as category_path',
      'k.number as case_number',
      'h.due_at as handoff_due_at',
    ]);
}

export async function insertTransferAttempt(db: Db, row: Insertable<TransferAttemptTable>): Promise<void> {
  await db.insertInto('transfer_attempts').values(row).execute();
}

export async function findTransferAttempt(db: Db, id: string): Promise<TransferAttemptRow | undefined> {
  return attempts(db).where('t.id', '=', id).executeTakeFirst();
}

/** The live attempt (ringing or consulting) of a call, if any: one at a time per call. */
export async function findLiveAttemptOfCall(db: Db, interactionId: string): Promise<TransferAttemptRow | undefined> {
  return attempts(db).where('t.interaction_id', '=', interactionId).where('t.status', 'in', ['ringing', 'consulting']).executeTakeFirst();
}

/**
 * Moves an attempt from one of `from` to a new status; false when it was no longer in one of them (someone else —
 * the official, the agent, the ring timer — got there first): the compare-and-set that makes double and late
 * answers harmless.
 */
export async function updateAttemptIf(db: Db, id: string, from: readonly TransferStatus[], set: Updateable<TransferAttemptTable>): Promise<boolean> {
  const result = await db.updateTable('transfer_attempts').set(set).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setAttemptFallback(db: Db, id: string, caseId: string, handOffId: string): Promise<void> {
  await db.updateTable('transfer_attempts').set({ case_id: caseId, handoff_id: handOffId }).where('id', '=', id).execute();
}

/** Ringing attempts whose ring time is up. */
export async function listExpiredRinging(db: Db, now: string): Promise<string[]> {
  const rows = await db.selectFrom('transfer_attempts').select('id').where('status', '=', 'ringing').where('ring_deadline_at', '<=', now).execute();
  return rows.map((r) => r.id);
}

/** Every live attempt (at start-up nothing is ringing any more: each one falls back). */
export async function listLiveAttempts(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('transfer_attempts').select('id').where('status', 'in', ['ringing', 'consulting']).execute();
  return rows.map((r) => r.id);
}

/** Attempts that ended in a fall-back whose hand-off was not written yet (a crash between the two steps). */
export async function listFallbacksWithoutHandOff(db: Db, statuses: readonly TransferStatus[]): Promise<string[]> {
  const rows = await db
    .selectFrom('transfer_attempts')
    .select('id')
    .where('status', 'in', [...statuses])
    .where('handoff_id', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** An official's attempts still ringing or in consultation (the official's screen after a reload). */
export async function listLiveAttemptsForOfficial(db: Db, officialId: string): Promise<TransferAttemptRow[]> {
  return attempts(db).where('t.official_id', '=', officialId).where('t.status', 'in', ['ringing', 'consulting']).orderBy('t.created_at').execute();
}

/** The official a transfer may go to: an active official with department and extension, and whether the task is theirs. */
export async function findTransferTarget(db: Db, officialId: string, categoryId: string) {
  const official = await db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select(['u.id', 'u.name', 'u.role', 'u.is_active', 'u.department_id', 'u.extension', 'd.name as department_name'])
    .where('u.id', '=', officialId)
    .executeTakeFirst();
  if (!official) return undefined;
  // A duty names a task (업무) or a detail (세부): the called-about category or its parent counts.
  const duty = await db
    .selectFrom('duties as y')
    .innerJoin('categories as c', (join) => join.on((eb) => eb.or([eb('c.id', '=', eb.ref('y.category_id')), eb('c.parent_id', '=', eb.ref('y.category_id'))])))
    .select('y.user_id')
    .where('y.user_id', '=', officialId)
    .where('c.id', '=', categoryId)
    .executeTakeFirst();
  return { ...official, isOnDuty: duty !== undefined };
}

/** The fall-back hand-off goes to the official who was asked (the department may delegate it later). */
export async function assignHandOffTo(db: Db, handOffId: string, officialId: string): Promise<void> {
  await db.updateTable('handoffs').set({ assignee_id: officialId }).where('id', '=', handOffId).where('assignee_id', 'is', null).execute();
}

/**
 * A user as the viewer of work done on their behalf (the agent whose case a fall-back records, the official whose
 * card shows the caller's history): their access records name them; `sessionId` says which background step it was.
 */
export async function findActingViewer(db: Db, userId: string, sessionId: string): Promise<Viewer> {
  const u = await db
    .selectFrom('users as u')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .select(['u.id', 'u.login', 'u.name', 'u.role', 'u.department_id', 'd.name as department_name'])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
  return { id: u.id, login: u.login, name: u.name, role: u.role, departmentId: u.department_id, departmentName: u.department_name, sessionId, ip: null };
}

/** The citizen of a call, when known. */
export async function findCitizenOfCall(db: Db, interactionId: string): Promise<string | null> {
  const row = await db.selectFrom('interactions').select('citizen_id').where('id', '=', interactionId).executeTakeFirst();
  return row?.citizen_id ?? null;
}

export async function findCategoryLevel(db: Db, categoryId: string) {
  return db.selectFrom('categories').select(['id', 'level']).where('id', '=', categoryId).executeTakeFirst();
}
