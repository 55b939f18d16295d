import type { Kysely } from 'kysely';
import { normaliseFullName } from '../../../core/domain/person-name';
import type { Database } from '../../db/tables';
import { Vault } from '../../lib/vault';

/*
 * Search by name without the name in plain text (issue #18 item 11): citizens.name_index holds the vault's keyed
 * blind index (HMAC-SHA256 under the index key, like phone numbers) of the normalised full name. Exact full-name
 * match only: see core/domain/person-name.ts for why a part of a name cannot be searched.
 */

const KIND = 'name';

/** The blind index of a name, or null when there is none (no name, or one that normalises to nothing). */
export function nameIndex(vault: Vault, name: string | null | undefined): string | null {
  if (name == null) return null;
  const n = normaliseFullName(name);
  return n === '' ? null : vault.blindIndex(KIND, n);
}

/** Every index a stored name may carry: the current key's and, during an index-key rotation, the previous key's. */
export function nameIndexCandidates(vault: Vault, name: string): string[] {
  const current = nameIndex(vault, name);
  if (current === null) return [];
  const ring = vault.keyRing;
  if (!ring.previousIndexKey) return [current];
  const previous = new Vault({ ...ring, indexKey: ring.previousIndexKey, previousIndexKey: undefined }).blindIndex(KIND, normaliseFullName(name));
  return [current, previous];
}

const BATCH = 500;

/**
 * Start-up step of migration 0025: fills name_index for citizens that have a (sealed) name and no index yet, in
 * batches, one transaction each; safe to run on every start (indexed rows are never read again). Runs after the
 * plain-text sealing step, so every name it opens is sealed.
 */
export async function fillNameIndexes(db: Kysely<Database>, vault: Vault): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('citizens')
        .select(['id', 'name_sealed'])
        .where('name_sealed', 'is not', null)
        .where('name_sealed', '<>', '')
        .where('name_index', 'is', null)
        .limit(BATCH)
        .execute();
      let filled = 0;
      for (const r of rows) {
        const index = nameIndex(vault, vault.open(r.name_sealed!));
        // A name that normalises to nothing keeps no index but is marked '' so that it is not read again.
        await trx.updateTable('citizens').set({ name_index: index ?? '' }).where('id', '=', r.id).where('name_index', 'is', null).execute();
        filled++;
      }
      return filled;
    });
    total += n;
    if (n < BATCH) return total;
  }
}
