import { sql, type Kysely } from 'kysely';
import { idType, isPostgres, timeType } from './helpers';

/*
 * Protecting agents from abusive callers (감정노동 보호, issue #14):
 * - protection_settings: the protocol's settings (one row, JSON), the defaults of core/domain/protection.ts until set;
 * - queue_notices: the notice each queue plays on entry (text + audio id), the Korean default for queues without one;
 * - protection_warnings: every warning played (append-only), per call and type;
 * - protection_incidents: the incident record, append-only: a correction is a new version of the same incident;
 * - protection_recoveries: each 회복 started or extended (append-only), for the wellbeing page;
 * - protection_requests: 심리상담, "off the phones today" and 고소·고발 지원, tracked to their outcome;
 * - caller_flags: repeat callers by blind index only (never the number), expiring or cleared with a reason.
 * The append-only tables refuse UPDATE and DELETE in the database, like access_records (0006).
 */
const APPEND_ONLY = ['protection_warnings', 'protection_incidents', 'protection_recoveries'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema
    .createTable('protection_settings')
    .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', id, (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createTable('queue_notices')
    .addColumn('queue_id', id, (c) => c.primaryKey().references('acd_queues.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('audio_id', 'varchar(128)')
    .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', id, (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createTable('protection_warnings')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('interaction_id', id, (c) => c.notNull().references('interactions.id'))
    .addColumn('agent_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('protection_warnings_interaction_idx').on('protection_warnings').columns(['interaction_id', 'at']).execute();
  await db.schema
    .createTable('protection_incidents')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('incident_id', id, (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('interaction_id', id, (c) => c.references('interactions.id'))
    .addColumn('agent_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('end_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('warnings_given', 'integer', (c) => c.notNull())
    .addColumn('call_answered_at', time)
    .addColumn('first_warning_at', time)
    .addColumn('ended_at', time)
    .addColumn('recording_ref', 'varchar(200)')
    .addColumn('notes', 'text')
    .addColumn('caller_index', 'varchar(128)')
    .addColumn('correction_reason', 'text')
    .addColumn('recorded_by', id, (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', time, (c) => c.notNull())
    .addUniqueConstraint('protection_incidents_version_uq', ['incident_id', 'version'])
    .execute();
  await db.schema.createIndex('protection_incidents_agent_idx').on('protection_incidents').columns(['agent_id', 'recorded_at']).execute();
  await db.schema.createIndex('protection_incidents_at_idx').on('protection_incidents').column('recorded_at').execute();
  await db.schema
    .createTable('protection_recoveries')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('agent_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('incident_id', id)
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('seconds', 'integer', (c) => c.notNull())
    .addColumn('at', time, (c) => c.notNull())
    .addColumn('ends_at', time, (c) => c.notNull())
    .addColumn('by_user', id, (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('protection_recoveries_agent_idx').on('protection_recoveries').columns(['agent_id', 'at']).execute();
  await db.schema
    .createTable('protection_requests')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('agent_id', id, (c) => c.notNull().references('users.id'))
    .addColumn('incident_id', id)
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('outcome', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('updated_by', id, (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('protection_requests_status_idx').on('protection_requests').columns(['status', 'created_at']).execute();
  await db.schema
    .createTable('caller_flags')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('caller_index', 'varchar(128)', (c) => c.notNull())
    .addColumn('incident_id', id)
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('flagged_by', id, (c) => c.notNull().references('users.id'))
    .addColumn('flagged_at', time, (c) => c.notNull())
    .addColumn('expires_at', time, (c) => c.notNull())
    .addColumn('cleared_at', time)
    .addColumn('cleared_by', id, (c) => c.references('users.id'))
    .addColumn('clear_reason', 'text')
    .execute();
  await db.schema.createIndex('caller_flags_index_idx').on('caller_flags').columns(['caller_index', 'expires_at']).execute();

  if (isPostgres(db)) {
    await sql`create function protection_append_only() returns trigger language plpgsql as $$
      begin raise exception '% is append-only (%)', tg_table_name, tg_op; end $$`.execute(db);
    for (const t of APPEND_ONLY) {
      await sql`create trigger ${sql.raw(`${t}_append_only`)} before update or delete on ${sql.table(t)}
        for each row execute function protection_append_only()`.execute(db);
    }
  } else {
    for (const t of APPEND_ONLY) {
      await sql`create trigger ${sql.raw(`${t}_no_update`)} before update on ${sql.table(t)}
        begin select raise(abort, ${sql.lit(`${t} is append-only (UPDATE)`)}); end`.execute(db);
      await sql`create trigger ${sql.raw(`${t}_no_delete`)} before delete on ${sql.table(t)}
        begin select raise(abort, ${sql.lit(`${t} is append-only (DELETE)`)}); end`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['caller_flags', 'protection_requests', 'protection_recoveries', 'protection_incidents', 'protection_warnings', 'queue_notices', 'protection_settings']) {
    await db.schema.dropTable(t).execute();
  }
  if (isPostgres(db)) await sql`drop function if exists protection_append_only()`.execute(db);
}
