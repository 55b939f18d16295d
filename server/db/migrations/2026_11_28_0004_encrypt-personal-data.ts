import { sql, type Kysely } from 'kysely';
import { idType, isPostgres, timeType } from './helpers';

/*
 * Layer 1 of personal-data protection (개인정보의 안전성 확보조치 기준 제7조; privacy-security-kr.md §4): citizens'
 * phone numbers and names and the caller number of each interaction are stored sealed (AES-256-GCM, key id per value),
 * and looked up through a keyed blind index (HMAC-SHA256 of the E.164 number).
 *
 * The keys never live in the database, so this migration cannot encrypt: it renames the personal columns to their
 * sealed names (keeping NOT NULL and the rows) and adds the index columns, null for rows written before. At start-up
 * `sealLeftoverPlaintext` (server/modules/privacy/seal-plaintext.ts) seals every row whose index is still null, in place, so an
 * existing demo database keeps its data and no plain value is left behind. Renaming instead of rebuilding keeps the
 * foreign keys of SQLite intact.
 *
 * Also the destruction log (파기 기록, 고시 제13조; privacy-security-kr.md §8): one row per kind of data per run of the
 * retention job: what, how many, when, how, by whom. Never deleted by the job itself.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema.alterTable('citizens').renameColumn('phone', 'phone_sealed').execute();
  await db.schema.alterTable('citizens').renameColumn('name', 'name_sealed').execute();
  await db.schema.alterTable('citizens').addColumn('phone_index', 'varchar(64)').execute();
  await db.schema.createIndex('citizens_phone_index_uq').unique().on('citizens').column('phone_index').execute();

  await db.schema.alterTable('interactions').renameColumn('caller_number', 'caller_number_sealed').execute();
  await db.schema.alterTable('interactions').addColumn('caller_index', 'varchar(64)').execute();
  await db.schema.createIndex('interactions_caller_index_idx').on('interactions').column('caller_index').execute();

  if (pg) {
    // Sealed values are longer than the plain ones; a unique constraint on random ciphertext checks nothing.
    await sql`alter table citizens alter column phone_sealed type text`.execute(db);
    await sql`alter table citizens alter column name_sealed type text`.execute(db);
    await sql`alter table citizens drop constraint if exists citizens_phone_key`.execute(db);
    await sql`alter table interactions alter column caller_number_sealed type text`.execute(db);
  }

  await db.schema
    .createTable('destruction_log')
    .addColumn('id', idType(db), (c) => c.primaryKey())
    .addColumn('run_id', idType(db), (c) => c.notNull())
    .addColumn('at', timeType(db), (c) => c.notNull())
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('method', 'varchar(20)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('cutoff', timeType(db), (c) => c.notNull())
    .addColumn('actor', 'varchar(100)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('destruction_log_at_idx').on('destruction_log').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  // Without the keys a sealed value cannot be turned back into the plain one: refuse rather than leave ciphertext in
  // columns that would then claim to be plain.
  const sealed = await sql<{ n: number | string }>`select count(*) as n from citizens where phone_index is not null`.execute(db);
  const calls = await sql<{ n: number | string }>`select count(*) as n from interactions where caller_index is not null`.execute(db);
  if (Number(sealed.rows[0]?.n ?? 0) + Number(calls.rows[0]?.n ?? 0) > 0) {
    throw new Error('cannot undo 0004: citizens and calls are encrypted and migrations have no keys (restore a backup instead)');
  }
  await db.schema.dropTable('destruction_log').ifExists().execute();
  await db.schema.dropIndex('interactions_caller_index_idx').execute();
  await db.schema.alterTable('interactions').dropColumn('caller_index').execute();
  await db.schema.alterTable('interactions').renameColumn('caller_number_sealed', 'caller_number').execute();
  await db.schema.dropIndex('citizens_phone_index_uq').execute();
  await db.schema.alterTable('citizens').dropColumn('phone_index').execute();
  await db.schema.alterTable('citizens').renameColumn('name_sealed', 'name').execute();
  await db.schema.alterTable('citizens').renameColumn('phone_sealed', 'phone').execute();
  if (isPostgres(db)) {
    await sql`alter table citizens alter column phone type varchar(32)`.execute(db);
    await sql`alter table citizens alter column name type varchar(100)`.execute(db);
    await sql`alter table citizens add constraint citizens_phone_key unique (phone)`.execute(db);
    await sql`alter table interactions alter column caller_number type varchar(32)`.execute(db);
  }
}
