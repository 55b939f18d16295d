import type { Db } from '../../db/database';
import type { InteractionTable } from '../../db/tables';
import type { Vault } from '../../lib/vault';

/*
 * Citizens' numbers and names, and callers' numbers, are sealed by the vault on the way in and opened on the way out
 * (layer 1, migration 0004): callers of these functions only ever see plain values, the database only sealed ones.
 */

/** A citizen as the services see it: plain values, opened from the sealed columns. */
export type CitizenRecord = { id: string; phone: string; name: string | null; created_at: string };

/** An interaction as the services see it: the caller's number opened ('' once erased by the retention job). */
export type InteractionRecord = Omit<InteractionTable, 'caller_number_sealed' | 'caller_index'> & { caller_number: string };

type CitizenRow = { id: string; phone_sealed: string; name_sealed: string | null; created_at: string };

function openCitizen(vault: Vault, row: CitizenRow): CitizenRecord {
  return { id: row.id, phone: vault.open(row.phone_sealed), name: vault.openNullable(row.name_sealed), created_at: row.created_at };
}

/** Opens a sealed caller number; the retention job leaves '' where it erased one. */
export function openCallerNumber(vault: Vault, sealed: string): string {
  return sealed === '' ? '' : vault.open(sealed);
}

/** Finds a citizen by E.164 number through the blind index (never by the number itself). */
export async function findCitizenByPhone(db: Db, vault: Vault, e164: string): Promise<CitizenRecord | undefined> {
  const row = await db
    .selectFrom('citizens')
    .select(['id', 'phone_sealed', 'name_sealed', 'created_at'])
    .where('phone_index', 'in', vault.phoneIndexCandidates(e164))
    .executeTakeFirst();
  return row && openCitizen(vault, row);
}

export async function findCitizen(db: Db, vault: Vault, id: string): Promise<CitizenRecord | undefined> {
  const row = await db.selectFrom('citizens').select(['id', 'phone_sealed', 'name_sealed', 'created_at']).where('id', '=', id).executeTakeFirst();
  return row && openCitizen(vault, row);
}

export async function insertCitizen(db: Db, vault: Vault, row: CitizenRecord): Promise<void> {
  await db
    .insertInto('citizens')
    .values({ id: row.id, phone_sealed: vault.seal(row.phone), name_sealed: vault.sealNullable(row.name), phone_index: vault.phoneIndex(row.phone), created_at: row.created_at })
    .execute();
}

/** When the citizen last called before this call (derived from interactions, never stored twice). */
export async function findPreviousContactAt(db: Db, citizenId: string, exceptInteractionId: string | null): Promise<string | null> {
  let q = db.selectFrom('interactions').select((eb) => eb.fn.max('started_at').as('at')).where('citizen_id', '=', citizenId);
  if (exceptInteractionId) q = q.where('id', '<>', exceptInteractionId);
  const row = await q.executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}

/** Records an interaction; the caller's number (E.164) is sealed and indexed here. */
export async function insertInteraction(db: Db, vault: Vault, row: InteractionRecord): Promise<void> {
  const { caller_number, ...rest } = row;
  await db
    .insertInto('interactions')
    .values({ ...rest, caller_number_sealed: vault.seal(caller_number), caller_index: vault.phoneIndex(caller_number) })
    .execute();
}

export async function findInteraction(db: Db, vault: Vault, id: string): Promise<InteractionRecord | undefined> {
  const row = await db.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const { caller_number_sealed, caller_index: _index, ...rest } = row;
  return { ...rest, caller_number: openCallerNumber(vault, caller_number_sealed) };
}

/** The immutable facts of a call (for recording its cases), without opening the caller's number. */
export async function findConnectedCall(db: Db, id: string) {
  return db.selectFrom('interactions').select(['id', 'agent_id', 'citizen_id', 'started_at']).where('id', '=', id).executeTakeFirst();
}

export async function endInteraction(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('interactions').set({ status: 'ended', ended_at: at }).where('id', '=', id).execute();
}
