import { sql } from 'kysely';
import { bigramIndexText, toFts5Query, toFts5TitleQuery, type MatchExpr } from '../../../../core/domain/korean-search';
import type { Db } from '../../../db/database';
import type { IndexedDocument, SearchIndex, SearchReader } from './search-index';

// bm25 column weights: title, keywords, body (stack-notes §3.2: weight the title).
const BM25 = sql.raw('bm25(article_search, 10.0, 5.0, 1.0)');
// SQLite allows 32,766 bound variables; 4 per inserted row.
const WRITE_BATCH = 500;

/** The FTS5 index (contentless, rowid = articles.seq): the `article_search` virtual table. */
export function createSqliteSearchIndex(db: Db): SearchIndex {
  const matchOf = (expr: MatchExpr, field: 'all' | 'title') =>
    field === 'title' ? toFts5TitleQuery(expr) : toFts5Query(expr);

  const reader: SearchReader = {
    async count(expr, cap, field = 'all') {
      const { rows } = await sql<{ n: number }>`
        select count(*) as n from (
          select rowid from article_search where article_search match ${matchOf(expr, field)} limit ${cap}
        )`.execute(db);
      return rows[0]?.n ?? 0;
    },

    async ranked(expr, limit, field = 'all') {
      const { rows } = await sql<{ seq: number }>`
        select rowid as seq from article_search
        where article_search match ${matchOf(expr, field)}
        order by
          rowid in (select rowid from article_search where article_search match ${toFts5TitleQuery(expr)}) desc,
          ${BM25}, rowid desc
        limit ${limit}`.execute(db);
      return rows.map((r) => r.seq);
    },

    async newest(expr, limit, field = 'all') {
      const { rows } = await sql<{ seq: number }>`
        select rowid as seq from article_search where article_search match ${matchOf(expr, field)}
        order by rowid desc limit ${limit}`.execute(db);
      return rows.map((r) => r.seq);
    },

    async all(expr) {
      const { rows } = await sql<{ seq: number }>`
        select rowid as seq from article_search where article_search match ${toFts5Query(expr)}`.execute(db);
      return rows.map((r) => r.seq);
    },
  };

  return {
    async write(trx, docs) {
      for (let i = 0; i < docs.length; i += WRITE_BATCH) {
        const batch = docs.slice(i, i + WRITE_BATCH);
        await this.remove(trx, batch.map((d) => d.seq));
        const rows = batch.map(
          (d: IndexedDocument) =>
            sql`(${d.seq}, ${bigramIndexText(d.title)}, ${bigramIndexText(d.keywords.join(' '))}, ${bigramIndexText(d.body)})`,
        );
        await sql`insert into article_search (rowid, title, keywords, body) values ${sql.join(rows)}`.execute(trx);
      }
    },

    async remove(trx, seqs) {
      for (let i = 0; i < seqs.length; i += WRITE_BATCH) {
        const batch = seqs.slice(i, i + WRITE_BATCH);
        await sql`delete from article_search where rowid in (${sql.join(batch)})`.execute(trx);
      }
    },

    async clear(trx) {
      await sql`insert into article_search (article_search) values ('delete-all')`.execute(trx);
    },

    // One connection, no snapshot to share: the reads run as they come.
    read: (fn) => fn(reader),

    async sizeBytes() {
      try {
        const { rows } = await sql<{ bytes: number | null }>`
          select sum(pgsize) as bytes from dbstat where name like 'article_search%'`.execute(db);
        return rows[0]?.bytes ?? null;
      } catch {
        return null; // dbstat is an optional compile-time module
      }
    },
  };
}
