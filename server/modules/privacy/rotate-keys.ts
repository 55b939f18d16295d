import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables';
import { KeyRingError, parseKeyRing, writeKeyFile } from '../../lib/key-ring';
import { isPostgres } from '../../db/migrations/helpers';
import { generateAuditKeys, Vault, type AuditKeys, type KeyRing } from '../../lib/vault';
import { nameIndex } from './name-index';
import { sealLeftoverPlaintext } from './seal-plaintext';
import { SEALED_COLUMNS, type SealedColumnSet } from './sealed-columns';

export type RotationReport = {
  /** Columns (table.column: rows) that still hold values of an old key because they are not in SEALED_COLUMNS. */
  unlisted: string[];
  /** True when this run finished an interrupted rotation instead of starting a new one. */
  resumed: boolean;
  keyId: string;
  /** The audit key id new access records are chained with (old audit keys stay, to verify old records). */
  auditKeyId: string;
  retiredKeyIds: string[];
  indexKeyChanged: boolean;
  /** Plain values left by an older database, sealed on the way. */
  plaintextSealed: number;
  /** Rows re-encrypted (and re-indexed), by table. */
  resealed: Record<string, number>;
};

export type RotateOptions = {
  keyFile: string;
  /** Also replace the blind-index key (every index is recomputed). */
  newIndexKey: boolean;
  batchSize?: number;
  /** Test hook: stop after this many batches, as a crash would (the key file then still holds both keys). */
  stopAfterBatches?: number;
};

/** Next key id: k1 → k2 (any other id gets a numbered successor that is not taken). */
export function nextKeyId(ring: KeyRing): string {
  let n = Number(/(\d+)$/.exec(ring.current)?.[1] ?? 0) + 1;
  while (ring.keys[`k${n}`]) n++;
  return `k${n}`;
}

/**
 * The access-record chain's keys after a rotation: a new current key (a1 → a2), every old one kept, because records
 * and prune anchors chained with them stay verifiable only with them (an HMAC cannot be re-keyed without rewriting the
 * chain, which is exactly what the keys exist to prevent). A ring without audit keys gets its first.
 */
export function rotateAuditKeys(audit: AuditKeys | undefined): AuditKeys {
  if (!audit) return generateAuditKeys();
  let n = Number(/(\d+)$/.exec(audit.current)?.[1] ?? 0) + 1;
  while (audit.keys[`a${n}`]) n++;
  const id = `a${n}`;
  return { current: id, keys: { ...audit.keys, [id]: crypto.randomBytes(32) } };
}

/** A rotation is unfinished while the key file still holds retired keys or the previous index key. */
export function isUnfinished(ring: KeyRing): boolean {
  return Object.keys(ring.keys).length > 1 || ring.previousIndexKey !== undefined;
}

export class RotationStopped extends Error {}

/**
 * `npm run keys:rotate`: a new key id (and with `--index-key` a new blind-index key), every sealed value re-encrypted
 * under it in batches, one transaction each, indexes recomputed with the value when the index key changes.
 *
 * Crash safety: the new key file (new key + every old key + the previous index key) is written atomically BEFORE the
 * first row changes, and a row's values and index change together; so after a crash every value opens with the file
 * on disk and every number is found (look-ups try both index keys while the previous one is listed). Run again: an
 * unfinished rotation is finished first (no new key); only when no value uses an old key are the old keys removed.
 * The application must be stopped during a rotation (its key ring is read at start).
 */
export async function rotateKeys(db: Kysely<Database>, options: RotateOptions): Promise<RotationReport> {
  if (!fs.existsSync(options.keyFile)) throw new KeyRingError(`key file ${options.keyFile} does not exist`);
  const before = parseKeyRing(fs.readFileSync(options.keyFile, 'utf8'), options.keyFile);
  const resumed = isUnfinished(before);
  let ring: KeyRing = before;
  if (!resumed) {
    const id = nextKeyId(before);
    ring = {
      current: id,
      keys: { ...before.keys, [id]: crypto.randomBytes(32) },
      indexKey: options.newIndexKey ? crypto.randomBytes(32) : before.indexKey,
      previousIndexKey: options.newIndexKey ? before.indexKey : undefined,
      audit: rotateAuditKeys(before.audit),
    };
    new Vault(ring); // validates before anything is written
    writeKeyFile(options.keyFile, ring);
  }
  const vault = new Vault(ring);
  const plain = await sealLeftoverPlaintext(db, vault);
  const resealed: Record<string, number> = {};
  const budget = { batches: options.stopAfterBatches ?? Number.POSITIVE_INFINITY };
  for (const set of SEALED_COLUMNS) {
    resealed[set.table] = await resealTable(db as unknown as Kysely<any>, vault, set, options.batchSize ?? 500, budget);
  }

  // A safety net for a sealed column missing from SEALED_COLUMNS: if any text column still holds a value of an old key,
  // the old keys stay in the file (nothing becomes unreadable) and the report names the column.
  const unlisted = await findValuesUnderOtherKeys(db as unknown as Kysely<any>, vault.currentKeyId);
  const retiredKeyIds = unlisted.length > 0 ? [] : Object.keys(ring.keys).filter((id) => id !== ring.current);
  if (unlisted.length === 0) {
    writeKeyFile(options.keyFile, { current: ring.current, keys: { [ring.current]: ring.keys[ring.current]! }, indexKey: ring.indexKey, audit: ring.audit });
  }
  return {
    unlisted,
    resumed,
    keyId: ring.current,
    auditKeyId: ring.audit?.current ?? '',
    retiredKeyIds,
    indexKeyChanged: ring.previousIndexKey !== undefined,
    plaintextSealed: plain.citizens + plain.interactions,
    resealed,
  };
}

/** Re-seals the rows of one table whose values are not under the current key; returns how many rows changed. */
async function resealTable(db: Kysely<any>, vault: Vault, set: SealedColumnSet, batchSize: number, budget: { batches: number }): Promise<number> {
  const prefix = `v1.${vault.currentKeyId}.`;
  // substr instead of LIKE: key ids may contain '_', a LIKE wildcard. '' is an erased value (retention job).
  const stale = (col: string) => sql<boolean>`(${sql.ref(col)} is not null and ${sql.ref(col)} <> '' and substr(${sql.ref(col)}, 1, ${prefix.length}) <> ${prefix})`;
  let total = 0;
  for (;;) {
    if (budget.batches <= 0) throw new RotationStopped('stopped before finishing (test hook)');
    budget.batches--;
    const n = await db.transaction().execute(async (trx) => {
      const rows: Array<Record<string, string | null>> = await trx
        .selectFrom(set.table)
        .select(['id', ...set.columns])
        .where((eb) => eb.or(set.columns.map((c) => eb(stale(c), '=', sql<boolean>`true`))))
        .limit(batchSize)
        .execute();
      for (const row of rows) {
        const values: Record<string, string | null> = {};
        for (const col of set.columns) {
          const v = row[col];
          values[col] = v == null || v === '' || v.startsWith(prefix) ? (v ?? null) : vault.seal(vault.open(v));
        }
        // Indexes change only when the index key does (then with the value, in the same update).
        if (set.phoneIndex && vault.keyRing.previousIndexKey) {
          const from = row[set.phoneIndex.from];
          if (from) values[set.phoneIndex.column] = vault.phoneIndex(vault.open(values[set.phoneIndex.from]!));
        }
        if (set.nameIndex && vault.keyRing.previousIndexKey) {
          const from = values[set.nameIndex.from];
          if (from) values[set.nameIndex.column] = nameIndex(vault, vault.open(from)) ?? '';
        }
        let q = trx.updateTable(set.table).set(values).where('id', '=', row.id);
        // Only if nobody changed the row meanwhile; a skipped row is picked up by the next batch.
        for (const col of set.columns) q = row[col] == null ? q.where(col, 'is', null) : q.where(col, '=', row[col]);
        await q.execute();
      }
      return rows.length;
    });
    total += n;
    if (n < batchSize) return total;
  }
}

/** Every text column of the schema with values sealed under a key other than `currentKeyId`, as `table.column: n`. */
async function findValuesUnderOtherKeys(db: Kysely<any>, currentKeyId: string): Promise<string[]> {
  const columns: Array<{ table: string; column: string }> = [];
  if (isPostgres(db)) {
    const r = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type in ('text', 'character varying')`.execute(db);
    for (const row of r.rows) columns.push({ table: row.table_name, column: row.column_name });
  } else {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    for (const t of tables.rows) {
      const info = await sql<{ name: string; type: string }>`select name, type from pragma_table_info(${t.name})`.execute(db);
      for (const c of info.rows) if (/char|text|clob/i.test(c.type)) columns.push({ table: t.name, column: c.name });
    }
  }
  const prefix = `v1.${currentKeyId}.`;
  const found: string[] = [];
  for (const { table, column } of columns) {
    const col = sql.ref(column);
    const r = await sql<{ n: number | string }>`
      select count(*) as n from ${sql.table(table)}
      where substr(${col}, 1, 3) = 'v1.' and substr(${col}, 1, ${prefix.length}) <> ${prefix}`.execute(db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n > 0) found.push(`${table}.${column}: ${n}`);
  }
  return found;
}
