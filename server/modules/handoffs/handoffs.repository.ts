import type { HandOffStatus } from '../../../core/contracts/enums';
import type { Db } from '../../db/database';
import type { HandOffUpdate } from '../../db/tables';

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
      'c.number as case_number',
      'h.status',
      'h.department_id',
      'd.name as department_name',
      'asg.name as assignee_name',
      'h.complaint_type',
      'cat.path as category_path',
      'c.summary',
      'c.notes',
      'z.phone as citizen_phone',
      'z.name as citizen_name',
      'ag.name as agent_name',
      'h.received_at',
      'h.due_at',
      'h.answer',
      'h.acknowledged_at',
      'h.answered_at',
    ]);
}

export type InboxRow = Awaited<ReturnType<ReturnType<typeof inboxQuery>['execute']>>[number];

/** Hand-offs of one department (or all, for supervisors), most urgent first. */
export async function listInbox(db: Db, filter: { departmentId: string | null; statuses: HandOffStatus[] | null; limit: number }) {
  let q = inboxQuery(db);
  if (filter.departmentId) q = q.where('h.department_id', '=', filter.departmentId);
  if (filter.statuses) q = q.where('h.status', 'in', filter.statuses);
  return q.orderBy('h.due_at').orderBy('h.id').limit(filter.limit).execute();
}

export async function findInboxItem(db: Db, id: string) {
  return inboxQuery(db).where('h.id', '=', id).executeTakeFirst();
}

export async function findHandOff(db: Db, id: string) {
  return db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Moves a hand-off only if it is still in the state the caller saw (optimistic guard against double clicks). */
export async function updateHandOffFrom(db: Db, id: string, fromStatus: HandOffStatus, set: HandOffUpdate): Promise<boolean> {
  const result = await db.updateTable('handoffs').set(set).where('id', '=', id).where('status', '=', fromStatus).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
