import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers';

/*
 * The knowledge-base search index: a side table keyed by articles.seq that holds published articles only, filled by
 * the app with syllable bigrams (core/domain/korean-search.ts; design in server/modules/kb/search/kb-search.ts).
 * SQLite: a contentless FTS5 table (rowid = seq) with title, keywords and body columns.
 * PostgreSQL: stored bigram tsvectors without positions, built by the app as literals (no text-search parser, so
 * the database locale does not matter), with GIN indexes: `vector` (title, keywords, body) and `title_vector` (title
 * and keywords, for "title matches first"); and the fields' compact text (letters and digits) that confirms each
 * candidate with strpos: `doc_text` and `title_text`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await db.schema
      .createTable('article_search')
      .addColumn('seq', 'integer', (c) => c.primaryKey().references('articles.seq').onDelete('cascade'))
      .addColumn('title_text', 'text', (c) => c.notNull())
      .addColumn('doc_text', 'text', (c) => c.notNull())
      .addColumn('title_vector', sql`tsvector`, (c) => c.notNull())
      .addColumn('vector', sql`tsvector`, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('article_search_vector_idx').on('article_search').using('gin').column('vector').execute();
    await db.schema
      .createIndex('article_search_title_vector_idx')
      .on('article_search')
      .using('gin')
      .column('title_vector')
      .execute();
  } else {
    await sql`create virtual table article_search using fts5(title, keywords, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists article_search`.execute(db);
}
