import { sql, type Kysely } from 'kysely';
import { isPostgres, timeType } from './helpers';

/*
 * Keys the access-record chain (issue #10 findings 3 and 4; docs/OPERATIONS.md "Access records").
 *
 * - access_records.key_id: the audit key (key ring, outside the database) whose HMAC-SHA256 the record's hash is.
 *   Records written before this migration were chained by plain SHA-256: adding the column with a default marks
 *   them 'legacy-sha256' without an UPDATE (the append-only guard stays untouched). New records always name their key;
 *   verification accepts the legacy form only before the first keyed record, whose HMAC commits to the last legacy hash.
 * - access_record_anchors.key_id, signature, last_at: a prune anchor is signed (HMAC over its fields, last_at = time
 *   of the newest record it covers). Unsigned anchors fail verification: the chain exists since 2026-11-28 and only
 *   records older than two years are pruned, so no genuine anchor predates this migration.
 * - The database also refuses an anchor whose named record is not older than its pruned_before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('access_records').addColumn('key_id', 'varchar(32)', (c) => c.notNull().defaultTo('legacy-sha256')).execute();
  await db.schema.alterTable('access_record_anchors').addColumn('key_id', 'varchar(32)').execute();
  await db.schema.alterTable('access_record_anchors').addColumn('last_at', timeType(db)).execute();
  await db.schema.alterTable('access_record_anchors').addColumn('signature', 'char(64)').execute();
  await replaceAnchorCheck(db, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  await replaceAnchorCheck(db, false);
  await db.schema.alterTable('access_record_anchors').dropColumn('signature').execute();
  await db.schema.alterTable('access_record_anchors').dropColumn('last_at').execute();
  await db.schema.alterTable('access_record_anchors').dropColumn('key_id').execute();
  await db.schema.alterTable('access_records').dropColumn('key_id').execute();
}

/** The anchor insert check of migration 0006, with (up) or without (down) "the named record is older than the cut". */
async function replaceAnchorCheck(db: Kysely<any>, olderThanCut: boolean): Promise<void> {
  const older = olderThanCut ? sql` and at < new.pruned_before` : sql``;
  if (isPostgres(db)) {
    await sql`create or replace function access_record_anchors_check() returns trigger language plpgsql as $$
      begin
        if not exists (select 1 from access_records where seq = new.last_seq and hash = new.last_hash${older}) then
          raise exception 'an anchor must name an existing access record and its hash';
        end if;
        return new;
      end $$`.execute(db);
    return;
  }
  await sql`drop trigger access_record_anchors_valid`.execute(db);
  await sql`create trigger access_record_anchors_valid before insert on access_record_anchors
    when not exists (select 1 from access_records where seq = new.last_seq and hash = new.last_hash${older})
    begin select raise(abort, 'an anchor must name an existing access record and its hash'); end`.execute(db);
}
