import type { Db } from '../../db/database';
import type { AgentBreakTable } from '../../db/tables';

/** Queries of the scheduled breaks (issue #14 §4, migration 0028). */

export async function listPlanRows(db: Db) {
  return db
    .selectFrom('break_plans as p')
    .leftJoin('users as u', 'u.id', 'p.agent_id')
    .select(['p.id', 'p.agent_id', 'p.plan', 'u.name as agent_name'])
    .execute();
}

export async function savePlanRow(db: Db, agentId: string | null, plan: string, at: string, by: string): Promise<void> {
  const id = agentId ?? 'default';
  await db
    .insertInto('break_plans')
    .values({ id, agent_id: agentId, plan, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('id').doUpdateSet({ plan, updated_at: at, updated_by: by }))
    .execute();
}

export async function deletePlanRow(db: Db, agentId: string): Promise<void> {
  await db.deleteFrom('break_plans').where('id', '=', agentId).execute();
}

const withName = (db: Db) =>
  db.selectFrom('agent_breaks as b').innerJoin('users as u', 'u.id', 'b.agent_id').selectAll('b').select('u.name as agent_name');

export type AgentBreakRow = AgentBreakTable & { agent_name: string };

/** The breaks of KST days `from`..`to` (inclusive), of one agent or all. */
export async function listBreaks(db: Db, from: string, to: string, agentId?: string): Promise<AgentBreakRow[]> {
  let q = withName(db).where('b.day', '>=', from).where('b.day', '<=', to);
  if (agentId) q = q.where('b.agent_id', '=', agentId);
  return q.orderBy('b.due_at').orderBy('u.name').execute();
}

/** Inserts a break put due; false when another check (or node) scheduled the same slot first. */
export async function insertBreak(db: Db, row: AgentBreakTable): Promise<boolean> {
  const res = await db
    .insertInto('agent_breaks')
    .values(row)
    .onConflict((oc) => oc.columns(['agent_id', 'day', 'slot']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Moves a break on from the status it was read in (false: someone else moved it first). */
export async function moveBreak(
  db: Db,
  id: string,
  from: string,
  patch: Pick<AgentBreakTable, 'status' | 'updated_at'> & Partial<Pick<AgentBreakTable, 'started_at' | 'ended_at'>>,
): Promise<boolean> {
  const res = await db.updateTable('agent_breaks').set(patch).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
