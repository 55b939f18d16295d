import type { MatchExpr } from '../../../../core/domain/korean-search';
import type { Db } from '../../../db/database';

/** What the index stores of one published article. */
export type IndexedDocument = { seq: number; title: string; keywords: readonly string[]; body: string };

/**
 * The dialect-specific half of the search: the `article_search` table and the few queries the engine needs.
 * Writes take the caller's transaction; reads use the engine's database handle.
 */
export type SearchIndex = {
  /** Inserts or replaces documents (keyed by seq). */
  write(trx: Db, docs: readonly IndexedDocument[]): Promise<void>;
  /** Removes documents; unknown seqs are ignored. */
  remove(trx: Db, seqs: readonly number[]): Promise<void>;
  /** Empties the index. */
  clear(trx: Db): Promise<void>;
  /** Number of matching documents, counting stops at `cap` (so the result is min(actual, cap)). */
  count(expr: MatchExpr, cap: number, field?: 'all' | 'title'): Promise<number>;
  /**
   * Best `limit` seqs of a small hit set: documents whose title or keywords match the whole expression first,
   * then by relevance (bm25 / ts_rank with title and keywords weighted over body), then newest.
   */
  ranked(expr: MatchExpr, limit: number, field?: 'all' | 'title'): Promise<number[]>;
  /** Newest `limit` matching seqs (highest seq first): cheap at any hit count. */
  newest(expr: MatchExpr, limit: number, field?: 'all' | 'title'): Promise<number[]>;
  /** Every matching seq, unranked and uncapped (recall checks, bulk tools). */
  all(expr: MatchExpr): Promise<number[]>;
  /** Bytes the index takes on disk, when the dialect can tell. */
  sizeBytes(): Promise<number | null>;
};
