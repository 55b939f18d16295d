import type { HandOffStatus } from '../../../core/contracts/enums';
import type { Db } from '../../db/database';
import type { HandOffUpdate } from '../../db/tables';
import { VaultError, type Vault } from '../../lib/vault';

function inboxQuery(db: Db) {
  return db
    .selectFrom('handoffs as h')
    .innerJoin('departments as d', 'd.id', 'h.department_id')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .leftJoin('categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('users as asg', 'asg.id', 'h.assignee_id')
    .leftJoin('users as ag', 'ag.id', 'c.agent_id')
    .leftJoin('citizens as z', 'z.id', 'c.citizen_id')
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
      'c.citizen_id',
      'z.phone_sealed as citizen_phone_sealed',
      'z.name_sealed as citizen_name_sealed',
      'ag.name as agent_name',
      'h.received_at',
      'h.due_at',
      'h.answer',
      'h.acknowledged_at',
      'h.answered_at',
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

/** Hand-offs of one department (or all, for supervisors), most urgent first. */
export async function listInbox(db: Db, vault: Vault, filter: { departmentId: string | null; statuses: HandOffStatus[] | null; limit: number; assignedTo?: string }): Promise<InboxRow[]> {
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
  const result = await db.updateTable('handoffs').set(set).where('id', '=', id).where('status', '=', fromStatus).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
