import type { HandOffStatus } from '../../../core/contracts/enums';
import type { Db } from '../../db/database';
import type { Insertable } from 'kysely';
import type { HandOffNoticeTable, HandOffUpdate } from '../../db/tables';
import { VaultError, type Vault } from '../../lib/vault';
import { findHandOffForChange, keepHandOffRollups, handOffFactOf, HANDOFF_FACT_COLUMNS } from '../statistics/handoff-rollups.repository';

function inboxQuery(db: Db) {
  return db
    .selectFrom('handoffs as h')
    .innerJoin('departments as d', 'd.id', 'h.department_id')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('users as asg', 'asg.id', 'h.assignee_id')
    .leftJoin('users as ag', 'ag.id', 'c.agent_id')
    .leftJoin('citizens as z', 'z.id', 'c.citizen_id')
    .leftJoin('departments as rd', 'rd.id', 'h.returned_from_department_id')
    .select([
      'h.id',
      'h.case_id',
      'h.chase_count',
      'h.last_chased_at',
      'c.number as case_number',
      'h.status',
      'h.department_id',
      'd.name as department_name',
      'asg.name as assignee_name',
      'h.complaint_type',
      'cat.path as category_path',
      'c.summary',
      'c.notes',
      'c.location',
      'c.citizen_id',
      'z.phone_sealed as citizen_phone_sealed',
      'z.name_sealed as citizen_name_sealed',
      'ag.name as agent_name',
      'h.received_at',
      'h.due_at',
      'h.answer',
      'h.acknowledged_at',
      'h.answered_at',
      'h.assignee_id',
      'h.returned_at',
      'h.return_reason',
      'rd.name as returned_from_department_name',
      'h.extended_at',
      'h.extension_reason',
      'h.original_due_at',
      'cat.deadline_days',
    ]);
}

type SealedInboxRow = Awaited<ReturnType<ReturnType<typeof inboxQuery>['execute']>>[number];

/** An inbox row with the citizen's number and name opened from their sealed columns. */
export type InboxRow = Omit<SealedInboxRow, 'citizen_phone_sealed' | 'citizen_name_sealed'> & { citizen_phone: string | null; citizen_name: string | null };

/**
 * A sealed value the vault cannot open (sealed with other keys, e.g. the simulator's throwaway keys, or damaged) shows
 * as unknown on its row: one such citizen must not answer the whole inbox with a 500 (issue #12 §0). The number and
 * name are not needed to work the hand-off, and nothing is guessed.
 */
function openOrUnknown(vault: Vault, sealed: string | null): string | null {
  try {
    return vault.openNullable(sealed);
  } catch (err) {
    if (err instanceof VaultError) return null;
    throw err;
  }
}

function openRow(vault: Vault, row: SealedInboxRow): InboxRow {
  const { citizen_phone_sealed, citizen_name_sealed, ...rest } = row;
  return { ...rest, citizen_phone: openOrUnknown(vault, citizen_phone_sealed), citizen_name: openOrUnknown(vault, citizen_name_sealed) };
}

/** Hand-offs of one department (or all, for supervisors), most urgent first; `dueBefore` keeps the overdue ones. */
export async function listInbox(db: Db, vault: Vault, filter: { departmentId: string | null; statuses: HandOffStatus[] | null; limit: number; dueBefore?: string; assignedTo?: string }): Promise<InboxRow[]> {
  let q = inboxQuery(db);
  if (filter.departmentId) q = q.where('h.department_id', '=', filter.departmentId);
  if (filter.statuses) q = q.where('h.status', 'in', filter.statuses);
  // '나에게 배정' (issue #11 §3): assigned to me, or of a category (or the task above it) of a duty where I am primary
  // or backup (the flat duties table the directory keeps in step).
  if (filter.assignedTo) {
    const userId = filter.assignedTo;
    q = q.where((eb) => {
      const myCategories = eb.selectFrom('duties').select('duties.category_id').where('duties.user_id', '=', userId);
      return eb.or([eb('h.assignee_id', '=', userId), eb('c.category_id', 'in', myCategories), eb('cat.parent_id', 'in', myCategories)]);
    });
  }
  if (filter.dueBefore) q = q.where('h.due_at', '<', filter.dueBefore);
  const rows = await q.orderBy('h.due_at').orderBy('h.id').limit(filter.limit).execute();
  return rows.map((r) => openRow(vault, r));
}

/**
 * Open hand-offs of one department (or all) counted in the database: all, overdue (due before `now`) and due later
 * today (`now` ≤ due < `endOfDay`). Times are ISO strings in UTC, compared as the rest of the schema does.
 */
export async function countOpenHandOffs(db: Db, filter: { departmentId: string | null; statuses: HandOffStatus[]; now: string; endOfDay: string }) {
  let q = db
    .selectFrom('handoffs as h')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('open'),
      eb.fn.countAll<number | string>().filterWhere('h.due_at', '<', filter.now).as('overdue'),
      eb.fn
        .countAll<number | string>()
        .filterWhere((w) => w.and([w('h.due_at', '>=', filter.now), w('h.due_at', '<', filter.endOfDay)]))
        .as('due_today'),
    ])
    .where('h.status', 'in', filter.statuses);
  if (filter.departmentId) q = q.where('h.department_id', '=', filter.departmentId);
  const row = await q.executeTakeFirstOrThrow();
  return { open: Number(row.open), overdue: Number(row.overdue), dueToday: Number(row.due_today) };
}

export async function findInboxItem(db: Db, vault: Vault, id: string): Promise<InboxRow | undefined> {
  const row = await inboxQuery(db).where('h.id', '=', id).executeTakeFirst();
  return row && openRow(vault, row);
}

export async function findHandOff(db: Db, id: string) {
  return db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Moves a hand-off only if it is still in the state the caller saw (optimistic guard against double clicks). */
export async function updateHandOffFrom(db: Db, id: string, fromStatus: HandOffStatus, set: HandOffUpdate): Promise<boolean> {
  const before = await findHandOffForChange(db, id);
  const result = await db.updateTable('handoffs').set(set).where('id', '=', id).where('status', '=', fromStatus).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await keepRollupsOfChange(db, before, set);
  return true;
}

/** 부서별's rollups (statistics/handoff-rollups.repository.ts) follow the change in its transaction: before → before + set. */
async function keepRollupsOfChange(db: Db, before: Awaited<ReturnType<typeof findHandOffForChange>>, set: HandOffUpdate): Promise<void> {
  if (!before || !HANDOFF_FACT_COLUMNS.some((k) => k in set)) return;
  const after = { ...before, ...Object.fromEntries(HANDOFF_FACT_COLUMNS.filter((k) => k in set).map((k) => [k, set[k]])) } as typeof before;
  await keepHandOffRollups(db, [handOffFactOf(before)], [handOffFactOf(after)]);
}

/** Extension guard: sets the one extension only if none was set yet (two officials at once: one wins). */
export async function extendHandOffOnce(db: Db, id: string, fromStatus: HandOffStatus, set: HandOffUpdate): Promise<boolean> {
  const before = await findHandOffForChange(db, id);
  const result = await db.updateTable('handoffs').set(set).where('id', '=', id).where('status', '=', fromStatus).where('extended_at', 'is', null).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await keepRollupsOfChange(db, before, set);
  return true;
}

/** Delegation guard: moves the assignee only if status and assignee are still what the caller saw. */
export async function reassignHandOff(db: Db, id: string, from: { status: HandOffStatus; assigneeId: string | null }, set: HandOffUpdate): Promise<boolean> {
  let q = db.updateTable('handoffs').set(set).where('id', '=', id).where('status', '=', from.status);
  q = from.assigneeId === null ? q.where('assignee_id', 'is', null) : q.where('assignee_id', '=', from.assigneeId);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The category rule inputs of a hand-off's case (for the extension limit). */
export async function findHandOffRuleInputs(db: Db, id: string) {
  return db
    .selectFrom('handoffs as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .select(['h.complaint_type', 'cat.deadline_days', 'cat.path as category_path'])
    .where('h.id', '=', id)
    .executeTakeFirst();
}

export async function findDepartmentName(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('departments').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

/** An active official of the department, or undefined. */
export async function findDepartmentOfficial(db: Db, departmentId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('id', '=', userId)
    .where('role', '=', 'official')
    .where('department_id', '=', departmentId)
    .where('is_active', '=', 1)
    .executeTakeFirst();
}

/** Active officials of a department, the head first, then by name. */
export async function listDepartmentOfficials(db: Db, departmentId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'title', 'is_department_head'])
    .where('role', '=', 'official')
    .where('department_id', '=', departmentId)
    .where('is_active', '=', 1)
    .orderBy('is_department_head', 'desc')
    .orderBy('name')
    .execute();
}

/** Overdue open hand-offs counted by department, with the department head's name. */
export async function countOverdueByDepartment(db: Db, filter: { statuses: HandOffStatus[]; now: string }) {
  const rows = await db
    .selectFrom('handoffs as h')
    .innerJoin('departments as d', 'd.id', 'h.department_id')
    .select((eb) => ['h.department_id', 'd.name as department_name', eb.fn.countAll<number | string>().as('overdue'), eb.fn.min('h.due_at').as('oldest_due_at')])
    .where('h.status', 'in', filter.statuses)
    .where('h.due_at', '<', filter.now)
    .groupBy(['h.department_id', 'd.name'])
    .execute();
  const heads = await db.selectFrom('users').select(['department_id', 'name']).where('is_department_head', '=', 1).where('is_active', '=', 1).orderBy('name').execute();
  const headOf = new Map<string, string>();
  for (const h of heads) if (h.department_id && !headOf.has(h.department_id)) headOf.set(h.department_id, h.name);
  return rows.map((r) => ({ departmentId: r.department_id, departmentName: r.department_name, overdue: Number(r.overdue), oldestDueAt: String(r.oldest_due_at), headName: headOf.get(r.department_id) ?? null }));
}

/** Open hand-offs the reminder job looks at, with the notices already recorded for their current due time. */
export async function listOpenForReminders(db: Db, statuses: HandOffStatus[]) {
  const rows = await db
    .selectFrom('handoffs as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .select(['h.id', 'h.case_id', 'h.department_id', 'h.assignee_id', 'h.received_at', 'h.due_at', 'c.number as case_number'])
    .where('h.status', 'in', statuses)
    .execute();
  // Joined rather than an IN list of ids: thousands of open hand-offs stay one statement within every parameter limit.
  const notices = await db
    .selectFrom('handoff_notices as n')
    .innerJoin('handoffs as h', 'h.id', 'n.handoff_id')
    .select(['n.handoff_id', 'n.kind', 'n.due_at'])
    .where('h.status', 'in', statuses)
    .execute();
  return { rows, notices };
}

/** The active heads of a department (부서장). */
export async function listDepartmentHeads(db: Db, departmentId: string) {
  return db.selectFrom('users').select(['id', 'name']).where('department_id', '=', departmentId).where('is_department_head', '=', 1).where('is_active', '=', 1).execute();
}

/**
 * Records a notice once: the unique (hand-off, kind, due time) makes a second insert (another scan, another node)
 * insert nothing. True when this call recorded it.
 */
export async function recordNotice(db: Db, row: Insertable<HandOffNoticeTable>): Promise<boolean> {
  const result = await db.insertInto('handoff_notices').values(row).onConflict((oc) => oc.columns(['handoff_id', 'kind', 'due_at']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** An official's notices: his own and his department's unassigned ones, newest first. */
export async function listNotices(db: Db, user: { id: string; departmentId: string }, limit: number) {
  const items = await db
    .selectFrom('handoff_notices as n')
    .innerJoin('handoffs as h', 'h.id', 'n.handoff_id')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .select(['n.id', 'n.handoff_id', 'c.number as case_number', 'n.kind', 'n.due_at', 'n.at', 'n.read_at'])
    .where((eb) => eb.or([eb('n.user_id', '=', user.id), eb.and([eb('n.user_id', 'is', null), eb('n.department_id', '=', user.departmentId)])]))
    .orderBy('n.at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
  const unread = await db
    .selectFrom('handoff_notices as n')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where((eb) => eb.or([eb('n.user_id', '=', user.id), eb.and([eb('n.user_id', 'is', null), eb('n.department_id', '=', user.departmentId)])]))
    .where('n.read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { items, unread: Number(unread.n) };
}

/** Marks the official's notices read (only his own or his department's unassigned ones). */
export async function markNoticesRead(db: Db, user: { id: string; departmentId: string }, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('handoff_notices')
    .set({ read_at: at })
    .where('id', 'in', ids)
    .where('read_at', 'is', null)
    .where((eb) => eb.or([eb('user_id', '=', user.id), eb.and([eb('user_id', 'is', null), eb('department_id', '=', user.departmentId)])]))
    .execute();
}
