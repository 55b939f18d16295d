import { sql, type Kysely } from 'kysely';
import { idType, isPostgres, timeType } from './helpers';

/*
 * 개인정보 접속기록 (안전성 확보조치 기준 제8조): an append-only, hash-chained record of every access to citizens'
 * data, and the anchors that keep the chain verifiable after records past their keeping period are pruned.
 *
 * The database itself refuses UPDATE on both tables and DELETE of any access record that no anchor covers (the
 * prune job first stores an anchor with the hash of the last record it removes); anchors are never changed or
 * removed, and an anchor must name an existing record with its real hash.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('access_records')
    // seq is the key: on SQLite an INTEGER PRIMARY KEY is the rowid itself, so an append updates one B-tree for the
    // row and one for the time index (appends sit on every request's path; the id needs no index of its own).
    .addColumn('seq', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('id', idType(db), (c) => c.notNull())
    .addColumn('at', timeType(db), (c) => c.notNull())
    .addColumn('user_id', idType(db), (c) => c.notNull())
    .addColumn('user_login', 'varchar(100)', (c) => c.notNull())
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('action', 'varchar(20)', (c) => c.notNull())
    /** Whose data: one citizen id, or the citizen ids of a list, comma-separated. */
    .addColumn('subject', 'text')
    .addColumn('target', 'varchar(200)', (c) => c.notNull())
    .addColumn('record_count', 'integer', (c) => c.notNull())
    .addColumn('reason', 'varchar(500)')
    .addColumn('result', 'varchar(10)', (c) => c.notNull())
    .addColumn('prev_hash', 'char(64)', (c) => c.notNull())
    .addColumn('hash', 'char(64)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_records_at').on('access_records').column('at').execute();

  await db.schema
    .createTable('access_record_anchors')
    .addColumn('id', idType(db), (c) => c.primaryKey())
    .addColumn('at', timeType(db), (c) => c.notNull())
    .addColumn('pruned_before', timeType(db), (c) => c.notNull())
    .addColumn('last_seq', pg ? 'bigint' : 'integer', (c) => c.notNull().unique())
    .addColumn('last_hash', 'char(64)', (c) => c.notNull())
    .addColumn('pruned_count', 'integer', (c) => c.notNull())
    .execute();

  if (pg) {
    await sql`
      create function access_records_guard() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and old.seq <= coalesce((select max(last_seq) from access_record_anchors), 0) then
          return old;
        end if;
        raise exception 'access_records is append-only (%)', tg_op;
      end $$`.execute(db);
    await sql`create trigger access_records_append_only before update or delete on access_records
      for each row execute function access_records_guard()`.execute(db);
    await sql`create function access_records_refuse() returns trigger language plpgsql as $$
      begin raise exception '% is append-only (%)', tg_table_name, tg_op; end $$`.execute(db);
    await sql`create trigger access_records_no_truncate before truncate on access_records
      for each statement execute function access_records_refuse()`.execute(db);
    await sql`create trigger access_record_anchors_append_only before update or delete on access_record_anchors
      for each row execute function access_records_refuse()`.execute(db);
    await sql`create function access_record_anchors_check() returns trigger language plpgsql as $$
      begin
        if not exists (select 1 from access_records where seq = new.last_seq and hash = new.last_hash) then
          raise exception 'an anchor must name an existing access record and its hash';
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger access_record_anchors_valid before insert on access_record_anchors
      for each row execute function access_record_anchors_check()`.execute(db);
  } else {
    await sql`create trigger access_records_no_update before update on access_records
      begin select raise(abort, 'access_records is append-only (UPDATE)'); end`.execute(db);
    await sql`create trigger access_records_no_delete before delete on access_records
      when old.seq > coalesce((select max(last_seq) from access_record_anchors), 0)
      begin select raise(abort, 'access_records is append-only (DELETE)'); end`.execute(db);
    await sql`create trigger access_record_anchors_no_update before update on access_record_anchors
      begin select raise(abort, 'access_record_anchors is append-only (UPDATE)'); end`.execute(db);
    await sql`create trigger access_record_anchors_no_delete before delete on access_record_anchors
      begin select raise(abort, 'access_record_anchors is append-only (DELETE)'); end`.execute(db);
    await sql`create trigger access_record_anchors_valid before insert on access_record_anchors
      when not exists (select 1 from access_records where seq = new.last_seq and hash = new.last_hash)
      begin select raise(abort, 'an anchor must name an existing access record and its hash'); end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('access_record_anchors').execute();
  await db.schema.dropTable('access_records').execute();
  if (isPostgres(db)) {
    await sql`drop function if exists access_records_guard()`.execute(db);
    await sql`drop function if exists access_records_refuse()`.execute(db);
    await sql`drop function if exists access_record_anchors_check()`.execute(db);
  }
}
