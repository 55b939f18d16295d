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
  await db.insertInto('citizens').values({ ...row, last_contact_at: null }).execute();
}

export async function touchCitizen(db: Db, citizenId: string, at: string): Promise<void> {
  await db.updateTable('citizens').set({ last_contact_at: at }).where('id', '=', citizenId).execute();
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
