import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * - editor_changes (issue #18 item 13): every change made in the org editor (departments, categories) and the article
 *   editor (create, edit, deactivate, delete, publish, archive), with who, when and what, for the admin's 변경 이력.
 *   Append-only; `detail` is JSON of the changed fields (names and values, never personal data: these are the
 *   city's own records).
 * - agent_states.pending_logout (issue #19): an agent on a call asked to log out; it happens when the after-call work
 *   ends (no offer meanwhile), and must survive a restart like pending_not_ready.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('editor_changes')
    .addColumn('id', idType(db), (c) => c.primaryKey())
    .addColumn('at', timeType(db), (c) => c.notNull())
    .addColumn('actor_id', idType(db), (c) => c.references('users.id'))
    .addColumn('entity', 'varchar(16)', (c) => c.notNull())
    .addColumn('entity_id', idType(db), (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('label', 'varchar(300)', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('editor_changes_at').on('editor_changes').columns(['at', 'id']).execute();
  await db.schema.createIndex('editor_changes_entity').on('editor_changes').columns(['entity', 'entity_id']).execute();
  await db.schema.alterTable('agent_states').addColumn('pending_logout', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agent_states').dropColumn('pending_logout').execute();
  await db.schema.dropTable('editor_changes').execute();
}
