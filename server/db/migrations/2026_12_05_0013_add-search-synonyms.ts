import type { Kysely } from 'kysely';
import { idType, timeType } from './helpers';

/*
 * Spoken-question search (issue #13): the city's synonym and colloquial-term dictionary (쓰레기봉투 → 종량제봉투),
 * edited by KB owners, and the search feedback log: which article an agent opened or used after a search (the query
 * masked by the PII detector, never the caller's data), and questions that found nothing or were recorded as a
 * missing article.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idType(db);
  const time = timeType(db);
  await db.schema
    .createTable('search_synonyms')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('term', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('expansions', 'text', (c) => c.notNull())
    .addColumn('note', 'varchar(200)')
    .addColumn('updated_by', id, (c) => c.references('users.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('search_feedback')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('query', 'varchar(200)', (c) => c.notNull())
    .addColumn('query_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('article_id', id, (c) => c.references('articles.id'))
    .addColumn('user_id', id, (c) => c.references('users.id'))
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_feedback_key_idx').on('search_feedback').columns(['query_key', 'kind']).execute();
  await db.schema.createIndex('search_feedback_time_idx').on('search_feedback').columns(['kind', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_feedback').execute();
  await db.schema.dropTable('search_synonyms').execute();
}
