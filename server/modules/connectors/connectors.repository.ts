import type { Db } from '../../db/database';
import type { ConnectorLookupTable } from '../../db/tables';

/** Department look-ups as stored (connector_lookups, migration 0023). */
export type LookupRow = ConnectorLookupTable;

export async function listLookupRows(db: Db): Promise<LookupRow[]> {
  return db.selectFrom('connector_lookups').selectAll().orderBy('name').execute();
}

export async function findLookupRow(db: Db, id: string): Promise<LookupRow | undefined> {
  return db.selectFrom('connector_lookups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLookupIdByName(db: Db, name: string): Promise<string | undefined> {
  return (await db.selectFrom('connector_lookups').select('id').where('name', '=', name).executeTakeFirst())?.id;
}

export async function insertLookupRow(db: Db, row: LookupRow): Promise<void> {
  await db.insertInto('connector_lookups').values(row).execute();
}

export async function updateLookupRow(db: Db, id: string, row: Omit<LookupRow, 'id' | 'created_at'>): Promise<void> {
  await db.updateTable('connector_lookups').set(row).where('id', '=', id).execute();
}

export async function deleteLookupRow(db: Db, id: string): Promise<number> {
  const res = await db.deleteFrom('connector_lookups').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** The call a look-up is made for: whose it is and whose caller. */
export async function findCallForLookup(db: Db, interactionId: string) {
  return db.selectFrom('interactions').select(['id', 'agent_id', 'citizen_id', 'status']).where('id', '=', interactionId).executeTakeFirst();
}
