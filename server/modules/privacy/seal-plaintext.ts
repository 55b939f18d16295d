import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables';
import type { Vault } from '../../lib/vault';

const BATCH = 500;

export type SealReport = { citizens: number; interactions: number };

/**
 * Start-up step of migration 0004 (which cannot encrypt: the keys are never in the database). Rows written before it
 * still hold plain values in their `*_sealed` columns and have no blind index; this seals them in place and fills the
 * index, in batches, one transaction each, so that no plain value remains and an existing demo database loses
 * nothing. A row is plain exactly when its index is null (every write through the repositories sets it). Safe to run
 * on every start and after a crash: sealed rows are never touched again.
 */
export async function sealLeftoverPlaintext(db: Kysely<Database>, vault: Vault): Promise<SealReport> {
  const report: SealReport = { citizens: 0, interactions: 0 };
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('citizens').select(['id', 'phone_sealed', 'name_sealed']).where('phone_index', 'is', null).limit(BATCH).execute();
      for (const r of rows) {
        await trx
          .updateTable('citizens')
          .set({ phone_sealed: vault.seal(r.phone_sealed), name_sealed: vault.sealNullable(r.name_sealed), phone_index: vault.phoneIndex(r.phone_sealed) })
          .where('id', '=', r.id)
          .where('phone_index', 'is', null)
          .execute();
      }
      return rows.length;
    });
    report.citizens += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('interactions')
        .select(['id', 'caller_number_sealed'])
        .where('caller_index', 'is', null)
        .limit(BATCH)
        .execute();
      for (const r of rows) {
        // '' is a number the retention job erased: nothing to seal, only the index to mark.
        const plain = r.caller_number_sealed;
        await trx
          .updateTable('interactions')
          .set(plain === '' ? { caller_index: '' } : { caller_number_sealed: vault.seal(plain), caller_index: vault.phoneIndex(plain) })
          .where('id', '=', r.id)
          .where('caller_index', 'is', null)
          .execute();
      }
      return rows.length;
    });
    report.interactions += n;
    if (n < BATCH) break;
  }
  return report;
}
