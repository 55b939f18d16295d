import { sql } from 'kysely';
import { buildTsvectorLiteral, toTsQuery, type MatchExpr } from '../../../../core/domain/korean-search';
import type { Db } from '../../../db/database';
import type { IndexedDocument, SearchIndex } from './search-index';

const WRITE_BATCH = 500;

/**
 * The PostgreSQL index: `article_search(seq, title_vector, vector)` with GIN indexes. Vectors and queries are cast
 * from literals (`::tsvector`, `::tsquery`) built in core, never parsed by a text-search configuration, so the
 * database's locale does not matter.
 */
export function createPostgresSearchIndex(db: Db): SearchIndex {
  const column = (field: 'all' | 'title') => sql.ref(field === 'title' ? 'title_vector' : 'vector');

  return {
    async write(trx, docs) {
      for (let i = 0; i < docs.length; i += WRITE_BATCH) {
        const rows = docs.slice(i, i + WRITE_BATCH).map((d: IndexedDocument) => {
          const title = { text: d.title, weight: 'A' as const };
          const keywords = { text: d.keywords.join(' '), weight: 'B' as const };
          const titleVector = buildTsvectorLiteral([title, keywords]);
          const vector = buildTsvectorLiteral([title, keywords, { text: d.body, weight: 'D' }]);
          return sql`(${d.seq}, ${titleVector}::tsvector, ${vector}::tsvector)`;
        });
        await sql`
          insert into article_search (seq, title_vector, vector) values ${sql.join(rows)}
          on conflict (seq) do update set title_vector = excluded.title_vector, vector = excluded.vector`.execute(trx);
      }
    },

    async remove(trx, seqs) {
      if (seqs.length === 0) return;
      await sql`delete from article_search where seq = any(${[...seqs]}::int[])`.execute(trx);
    },

    async clear(trx) {
      await sql`delete from article_search`.execute(trx);
    },

    async count(expr, cap, field = 'all') {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from (
          select 1 from article_search where ${column(field)} @@ ${toTsQuery(expr)}::tsquery limit ${cap}
        ) hits`.execute(db);
      return rows[0]?.n ?? 0;
    },

    async ranked(expr, limit, field = 'all') {
      const q = toTsQuery(expr);
      const { rows } = await sql<{ seq: number }>`
        select seq from article_search
        where ${column(field)} @@ ${q}::tsquery
        order by title_vector @@ ${q}::tsquery desc, ts_rank(vector, ${q}::tsquery) desc, seq desc
        limit ${limit}`.execute(db);
      return rows.map((r) => r.seq);
    },

    async newest(expr, limit, field = 'all') {
      const { rows } = await sql<{ seq: number }>`
        select seq from article_search where ${column(field)} @@ ${toTsQuery(expr)}::tsquery
        order by seq desc limit ${limit}`.execute(db);
      return rows.map((r) => r.seq);
    },

    async all(expr) {
      const { rows } = await sql<{ seq: number }>`
        select seq from article_search where vector @@ ${toTsQuery(expr)}::tsquery`.execute(db);
      return rows.map((r) => r.seq);
    },

    async sizeBytes() {
      const { rows } = await sql<{ bytes: number }>`
        select pg_total_relation_size('article_search')::bigint as bytes`.execute(db);
      return rows[0]?.bytes ?? null;
    },
  };
}
