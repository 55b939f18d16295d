import type { Insertable } from 'kysely';
import type { Db } from '../../db/database';
import type { InteractionTable, UserTable } from '../../db/tables';

/** Queries of the day simulator (setup of a fresh database and the read-back of the day's log). */

export async function insertUsers(db: Db, rows: Insertable<UserTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('users').values(rows.slice(i, i + 200)).execute();
}

export async function insertSkills(db: Db, rows: { user_id: string; skill: string; level: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 300) await db.insertInto('agent_skills').values(rows.slice(i, i + 300)).execute();
}

export async function listCategoryCodes(db: Db) {
  return db.selectFrom('categories').select(['id', 'code', 'level']).orderBy('code').execute();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The call a callback task was made from. */
export async function findCallbackOrigin(db: Db, contactId: string): Promise<string | undefined> {
  const row = await db.selectFrom('acd_contacts').select('origin_id').where('id', '=', contactId).executeTakeFirst();
  return row?.origin_id ?? undefined;
}

/** Every contact event with an interaction or a case from `fromIso` on (the day's log). */
export async function listDayEvents(db: Db, fromIso: string) {
  return db
    .selectFrom('contact_events')
    .select(['interaction_id', 'case_id', 'type', 'at', 'actor_id', 'data'])
    .where('at', '>=', fromIso)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function listAgentStateChangesSince(db: Db, fromIso: string) {
  return db.selectFrom('agent_state_changes').select(['user_id', 'at', 'status']).where('at', '>=', fromIso).orderBy('at').orderBy('id').execute();
}

/** Callback tasks (origin → callback contact, status) and how many contacts are still open. */
export async function listCallbackContacts(db: Db) {
  return db.selectFrom('acd_contacts').select(['id', 'origin_id', 'status']).where('kind', '=', 'callback').execute();
}

export async function countHandOffs(db: Db): Promise<{ handOffs: number; withDeadline: number }> {
  const rows = await db.selectFrom('handoffs').select(['due_at']).execute();
  return { handOffs: rows.length, withDeadline: rows.filter((r) => Boolean(r.due_at)).length };
}

/** The IVR choice of each queue of the simulated centre ('' = no choice). */
export async function listQueueChoices(db: Db) {
  return db.selectFrom('acd_queue_routes').select(['queue_id', 'ivr_choice']).execute();
}

/** Interaction rows of simulated history, a few hundred per statement. */
export async function insertInteractions(db: Db, rows: readonly Insertable<InteractionTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('interactions').values(rows.slice(i, i + 500)).execute();
}

/** Distinct callers (blind index of the number) of the inbound calls from `fromIso` on: retrials are one caller. */
export async function countUniqueCallers(db: Db, fromIso: string): Promise<number> {
  const row = await db
    .selectFrom('interactions')
    .select((eb) => eb.fn.count<number>('caller_index').distinct().as('n'))
    .where('direction', '=', 'inbound')
    .where('started_at', '>=', fromIso)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** What a hand-off of a category needs: its department, 민원 type, own deadline and path (for the deadline rule). */
export async function listCategoryRules(db: Db) {
  return db.selectFrom('categories').select(['id', 'department_id', 'complaint_type', 'deadline_days', 'path']).execute();
}
