import type { Insertable } from 'kysely';
import type { Db } from '../../db/database';
import { prepared, slotsOf } from '../../db/prepared';
import type { CitizenTable, InteractionTable } from '../../db/tables';
import type { Vault } from '../../lib/vault';
import { nameIndex } from '../privacy/name-index';

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

const citizenByIndex = [1, 2].map((n) =>
  prepared<Record<string, string>, CitizenRow>(`citizens.by_phone_index.${n}`, (db, p) =>
    db
      .selectFrom('citizens')
      .select(['id', 'phone_sealed', 'name_sealed', 'created_at'])
      .where('phone_index', 'in', Array.from({ length: n }, (_, i) => p[`i${i}`]!))
      .limit(1),
  ),
);

/**
 * Finds a citizen by E.164 number through the blind index (never by the number itself), under the current index key
 * and, during a key rotation, the previous one.
 */
export async function findCitizenByPhone(db: Db, vault: Vault, e164: string): Promise<CitizenRecord | undefined> {
  const candidates = vault.phoneIndexCandidates(e164);
  const find = citizenByIndex[candidates.length - 1];
  if (!find) throw new Error('findCitizenByPhone: more than two index keys');
  const [row] = await find(db, Object.fromEntries(candidates.map((c, i) => [`i${i}`, c])));
  return row && openCitizen(vault, row);
}

const citizenById = prepared<{ id: string }, CitizenRow>('citizens.by_id', (db, p) =>
  db.selectFrom('citizens').select(['id', 'phone_sealed', 'name_sealed', 'created_at']).where('id', '=', p.id),
);

export async function findCitizen(db: Db, vault: Vault, id: string): Promise<CitizenRecord | undefined> {
  const [row] = await citizenById(db, { id });
  return row && openCitizen(vault, row);
}

/** The citizen's name, sealed (a name the caller gave, or a correction). */
export async function setCitizenName(db: Db, vault: Vault, id: string, name: string): Promise<void> {
  await db.updateTable('citizens').set({ name_sealed: vault.seal(name), name_index: nameIndex(vault, name) ?? '' }).where('id', '=', id).execute();
}

const insertCitizenRow = prepared<Insertable<CitizenTable>>('citizens.insert', (db, p) =>
  db.insertInto('citizens').values(slotsOf(p, ['id', 'phone_sealed', 'name_sealed', 'phone_index', 'name_index', 'created_at'])),
);

export async function insertCitizen(db: Db, vault: Vault, row: CitizenRecord): Promise<void> {
  await insertCitizenRow(db, {
    id: row.id,
    phone_sealed: vault.seal(row.phone),
    name_sealed: vault.sealNullable(row.name),
    phone_index: vault.phoneIndex(row.phone),
    name_index: nameIndex(vault, row.name),
    created_at: row.created_at,
  });
}

/** When the citizen last called before this call (derived from interactions, never stored twice). */
export async function findPreviousContactAt(db: Db, citizenId: string, exceptInteractionId: string | null): Promise<string | null> {
  let q = db.selectFrom('interactions').select((eb) => eb.fn.max('started_at').as('at')).where('citizen_id', '=', citizenId);
  if (exceptInteractionId) q = q.where('id', '<>', exceptInteractionId);
  const row = await q.executeTakeFirst();
  return (row?.at as string | null | undefined) ?? null;
}

const INTERACTION_COLUMNS = [
  'id', 'channel', 'direction', 'caller_number_sealed', 'caller_index', 'dialled_number', 'citizen_id', 'agent_id', 'status',
  'started_at', 'answered_at', 'ended_at',
] as const satisfies readonly (keyof InteractionTable)[];

/** Inserts an interaction whose caller number is already sealed and indexed (the ACD's call path). */
export const insertInteractionRow = prepared<InteractionTable>('interactions.insert', (db, p) =>
  db.insertInto('interactions').values(slotsOf(p, INTERACTION_COLUMNS)),
);

/** Records an interaction; the caller's number (E.164) is sealed and indexed here. */
export async function insertInteraction(db: Db, vault: Vault, row: InteractionRecord): Promise<void> {
  const { caller_number, ...rest } = row;
  await insertInteractionRow(db, { ...rest, caller_number_sealed: vault.seal(caller_number), caller_index: vault.phoneIndex(caller_number) });
}

export async function findInteraction(db: Db, vault: Vault, id: string): Promise<InteractionRecord | undefined> {
  const row = await db.selectFrom('interactions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const { caller_number_sealed, caller_index: _index, ...rest } = row;
  return { ...rest, caller_number: openCallerNumber(vault, caller_number_sealed) };
}

const connectedCall = prepared<{ id: string }, { id: string; agent_id: string | null; citizen_id: string | null; started_at: string }>(
  'interactions.facts',
  (db, p) => db.selectFrom('interactions').select(['id', 'agent_id', 'citizen_id', 'started_at']).where('id', '=', p.id),
);

/** The immutable facts of a call (for recording its cases), without opening the caller's number. */
export async function findConnectedCall(db: Db, id: string) {
  const [row] = await connectedCall(db, { id });
  return row;
}

export async function endInteraction(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('interactions').set({ status: 'ended', ended_at: at }).where('id', '=', id).execute();
}
