import type { Insertable } from 'kysely';
import type { Db } from '../../db/database';
import type { InteractionTable } from '../../db/tables';

export async function findCitizenByPhone(db: Db, phone: string) {
  return db.selectFrom('citizens').selectAll().where('phone', '=', phone).executeTakeFirst();
}

export async function findCitizen(db: Db, id: string) {
  return db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCitizen(db: Db, row: { id: string; phone: string; name: string | null; created_at: string }): Promise<void> {
  await db.insertInto('citizens').values(row).execute();
}

/** When the citizen last called before this call (derived from interactions, never stored twice). */
export async function findPreviousContactAt(db: Db, citizenId: string, exceptInteractionId: string | null): Promise<string | null> {
  let q = db.selectFrom('interactions').select((eb) => eb.fn.max('started_at').as('at')).where('citizen_id', '=', citizenId);
  if (exceptInteractionId) q = q.where('id', '<>', exceptInteractionId);
  const row = await q.executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}

export async function insertInteraction(db: Db, row: Insertable<InteractionTable>): Promise<void> {
  await db.insertInto('interactions').values(row).execute();
}

export async function findInteraction(db: Db, id: string) {
  return db.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function endInteraction(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('interactions').set({ status: 'ended', ended_at: at }).where('id', '=', id).execute();
}
