import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  buildTsvectorLiteral,
  compactText,
  exprWords,
  phraseText,
  toTsQuery,
  type MatchExpr,
} from '../../../../core/domain/korean-search';
import type { Database } from '../../../db/tables';
import type { IndexedDocument, SearchField, SearchIndex, SearchReader } from './search-index';

const WRITE_BATCH = 500;

/**
 * The PostgreSQL index: `article_search(seq, title_text, doc_text, title_vector, vector)`.
 *
 * A query runs in two steps inside one statement: the GIN index finds candidates whose bigram bag contains every
 * bigram of the query (an AND of lexemes, which GIN answers without reading the vectors back), then `strpos` on the
 * stored compact text keeps the rows where each term really is contiguous. Phrase operators (`<->`) would give the
 * same rows but make PostgreSQL recheck, i.e. detoast, the vector of every candidate: 40-50 ms for a term found in
 * a few thousand articles of 100k (measured; see bench/search.bench.ts). Fields are joined by a space in the compact
 * text, and a term has no spaces, so it never matches across two fields.
 *
 * The planner prices `@@` as nearly free and would often filter a sequential or primary-key scan with it, which
 * detoasts each row's vector (17 ms to count 1,000 hits of 발급). The reads of a search therefore run in one
 * transaction with sequential and index scans off (SET LOCAL via set_config), leaving the bitmap scan, whose
 * bag-of-bigrams condition needs no recheck. Newest-first over a large hit set switches index scans back on and
 * walks the primary key backwards over a window, filtering with strpos alone, never touching the vectors.
 */
export function createPostgresSearchIndex(db: Kysely<Database>): SearchIndex {
  const vector = (field: SearchField) => sql.ref(field === 'title' ? 'title_vector' : 'vector');
  const text = (field: SearchField) => sql.ref(field === 'title' ? 'title_text' : 'doc_text');

  /** The exact condition for a GIN-driven read: the candidate query plus strpos where bigrams are not enough. */
  const exact = (expr: MatchExpr, field: SearchField): RawBuilder<boolean> =>
    sql<boolean>`${vector(field)} @@ ${toTsQuery(expr)}::tsquery and ${confirm(expr, text(field), false)}`;

  /** Rank of a small hit set: whole query in title/keywords first, then a title-weighted term frequency. */
  const rankOrder = (expr: MatchExpr) => {
    const terms = exprWords(expr).map(
      (w) => sql`(case when strpos(title_text, ${w}) > 0 then 10 else 0 end
        + least(5, (length(doc_text) - length(replace(doc_text, ${w}, ''))) / ${Array.from(w).length}))`,
    );
    return sql`${confirm(expr, sql.ref('title_text'), true)} desc, (${sql.join(terms, sql` + `)}) desc, seq desc`;
  };

  return {
    async write(trx, docs) {
      for (let i = 0; i < docs.length; i += WRITE_BATCH) {
        const rows = docs.slice(i, i + WRITE_BATCH).map((d: IndexedDocument) => {
          const fields = [d.title, d.keywords.join(' ')];
          const titleText = fields.map(compactText).join(' ');
          const docText = [...fields, d.body].map(compactText).join(' ');
          return sql`(${d.seq}, ${titleText}, ${docText}, ${buildTsvectorLiteral(fields)}::tsvector, ${buildTsvectorLiteral([...fields, d.body])}::tsvector)`;
        });
        await sql`
          insert into article_search (seq, title_text, doc_text, title_vector, vector) values ${sql.join(rows)}
          on conflict (seq) do update set title_text = excluded.title_text, doc_text = excluded.doc_text,
            title_vector = excluded.title_vector, vector = excluded.vector`.execute(trx);
      }
    },

    async remove(trx, seqs) {
      if (seqs.length === 0) return;
      await sql`delete from article_search where seq = any(${[...seqs]}::int[])`.execute(trx);
    },

    async clear(trx) {
      await sql`delete from article_search`.execute(trx);
    },

    read: (fn) =>
      db.transaction().execute(async (trx) => {
        await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`.execute(trx);
        let isIndexScanOn = false;
        const indexScan = async (on: boolean) => {
          if (on === isIndexScanOn) return;
          await sql`select set_config('enable_indexscan', ${on ? 'on' : 'off'}, true)`.execute(trx);
          isIndexScanOn = on;
        };

        const reader: SearchReader = {
          async count(expr, cap, field = 'all') {
            await indexScan(false);
            const { rows } = await sql<{ n: number }>`
              select count(*)::int as n from (select 1 from article_search where ${exact(expr, field)} limit ${cap}) hits`.execute(trx);
            return rows[0]?.n ?? 0;
          },

          async ranked(expr, limit, field = 'all') {
            await indexScan(false);
            const { rows } = await sql<{ seq: number }>`
              select seq from article_search where ${exact(expr, field)}
              order by ${rankOrder(expr)} limit ${limit}`.execute(trx);
            return rows.map((r) => r.seq);
          },

          async newest(expr, limit, field = 'all') {
            // Windows of the newest rows: enough when hits are dense, which is when the engine asks for newest-first.
            await indexScan(true);
            for (const window of [limit * 40, limit * 400]) {
              const { rows } = await sql<{ seq: number }>`
                select seq from (select seq, title_text, doc_text from article_search order by seq desc limit ${window}) newest
                where ${confirm(expr, text(field), true)} order by seq desc limit ${limit}`.execute(trx);
              if (rows.length >= limit) return rows.map((r) => r.seq);
            }
            await indexScan(false);
            const { rows } = await sql<{ seq: number }>`
              select seq from article_search where ${exact(expr, field)} order by seq desc limit ${limit}`.execute(trx);
            return rows.map((r) => r.seq);
          },

          async all(expr) {
            await indexScan(false);
            const { rows } = await sql<{ seq: number }>`select seq from article_search where ${exact(expr, 'all')}`.execute(trx);
            return rows.map((r) => r.seq);
          },
        };
        return fn(reader);
      }),

    async sizeBytes() {
      const { rows } = await sql<{ bytes: number }>`
        select pg_total_relation_size('article_search')::bigint as bytes`.execute(db);
      return rows[0]?.bytes ?? null;
    },
  };
}

/**
 * strpos conditions mirroring the expression on a compact-text column. With `isComplete` false (after a GIN match)
 * single bigrams and one-character prefixes are left out, since the vector already decided them exactly; with it
 * true the condition alone is exact.
 */
function confirm(expr: MatchExpr, column: ReturnType<typeof sql.ref>, isComplete: boolean): RawBuilder<boolean> {
  switch (expr.kind) {
    case 'phrase':
      return expr.tokens.length > 1 || isComplete
        ? sql<boolean>`strpos(${column}, ${phraseText(expr.tokens)}) > 0`
        : sql<boolean>`true`;
    case 'prefix':
      return isComplete ? sql<boolean>`strpos(${column}, ${expr.token}) > 0` : sql<boolean>`true`;
    case 'and':
      return sql<boolean>`(${sql.join(expr.items.map((e) => confirm(e, column, isComplete)), sql` and `)})`;
    case 'or':
      return sql<boolean>`(${sql.join(expr.items.map((e) => confirm(e, column, isComplete)), sql` or `)})`;
  }
}
