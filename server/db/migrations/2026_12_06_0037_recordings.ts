import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * Call recordings (issue #17 §3): rtpengine records the call (pcap) when the city turns recording on; OneCall seals the
 * finished file at rest with a per-recording data key (AES-256-GCM) wrapped by the vault, deletes the plain file, and
 * destroys both after the retention period. One row per recorded call: the contact (interaction) it belongs to, the
 * SIP Call-ID, the sealed file's path, the wrapped key, its size, when it started / ended / was sealed, and the date
 * after which the retention job destroys it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('recordings')
    .addColumn('id', idType(db), (c) => c.primaryKey())
    .addColumn('interaction_id', idType(db), (c) => c.notNull())
    .addColumn('call_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('file_ref', 'text')
    .addColumn('key_sealed', 'text')
    .addColumn('size_bytes', 'bigint')
    .addColumn('started_at', timeType(db), (c) => c.notNull())
    .addColumn('ended_at', timeType(db))
    .addColumn('sealed_at', timeType(db))
    .addColumn('retain_until', timeType(db), (c) => c.notNull())
    .addColumn('failure', 'text')
    .execute();
  await db.schema.createIndex('recordings_interaction_idx').on('recordings').column('interaction_id').execute();
  await db.schema.createIndex('recordings_call_idx').on('recordings').column('call_id').unique().execute();
  await db.schema.createIndex('recordings_status_idx').on('recordings').column('status').execute();
  await db.schema.createIndex('recordings_started_idx').on('recordings').column('started_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recordings').execute();
}
