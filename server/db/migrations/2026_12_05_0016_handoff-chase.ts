import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * 추가 민원 / 독촉 (issue #11 §3): a repeat call about an open hand-off adds to it instead of opening a duplicate.
 * - handoffs.chase_count / last_chased_at: how many times the citizen called again about it, and the last time (the
 *   official's inbox shows "독촉 n회").
 * - handoff_additions: the cases of those calls, in order (the call's own case, closed at once, carries the new
 *   summary and notes, masked like every note); a case adds to one hand-off at most.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const time = timeType(db);
  const id = idType(db);
  await db.schema.alterTable('handoffs').addColumn('chase_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('handoffs').addColumn('last_chased_at', time).execute();
  await db.schema
    .createTable('handoff_additions')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('handoff_id', id, (c) => c.notNull().references('handoffs.id'))
    .addColumn('case_id', id, (c) => c.notNull().unique().references('cases.id'))
    .addColumn('added_at', time, (c) => c.notNull())
    .addColumn('added_by', id, (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('handoff_additions_handoff_idx').on('handoff_additions').columns(['handoff_id', 'added_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('handoff_additions').execute();
  await db.schema.alterTable('handoffs').dropColumn('last_chased_at').execute();
  await db.schema.alterTable('handoffs').dropColumn('chase_count').execute();
}
