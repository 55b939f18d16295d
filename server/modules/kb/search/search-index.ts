import type { MatchExpr } from '../../../../core/domain/korean-search';
import type { Db } from '../../../db/database';

/** What the index stores of one published article. */
export type IndexedDocument = { seq: number; title: string; keywords: readonly string[]; body: string };

/** Which fields a read matches: all of them, or only title and keywords. */
export type SearchField = 'all' | 'title';

/** The reads of one search, run by SearchIndex.read (one transaction on PostgreSQL). */
export type SearchReader = {
  /** Number of matching documents, counting stops at `cap` (so the result is min(actual, cap)). */
  count(expr: MatchExpr, cap: number, field?: SearchField): Promise<number>;
  /**
   * Best `limit` seqs of a small hit set: documents whose title or keywords match the whole expression first,
   * then by relevance with title and keywords weighted over body, then newest.
   */
  ranked(expr: MatchExpr, limit: number, field?: SearchField): Promise<number[]>;
  /** Newest `limit` matching seqs (highest seq first); meant for large hit sets, where it is cheap. */
  newest(expr: MatchExpr, limit: number, field?: SearchField): Promise<number[]>;
  /** Every matching seq, unranked and uncapped (recall checks, bulk tools). */
  all(expr: MatchExpr): Promise<number[]>;
};

/**
 * The dialect-specific half of the search: the `article_search` table and the few queries the engine needs.
 * Writes take the caller's transaction; reads run in `read`, on the engine's database handle.
 */
export type SearchIndex = {
  /** Inserts or replaces documents (keyed by seq). */
  write(trx: Db, docs: readonly IndexedDocument[]): Promise<void>;
  /** Removes documents; unknown seqs are ignored. */
  remove(trx: Db, seqs: readonly number[]): Promise<void>;
  /** Empties the index. */
  clear(trx: Db): Promise<void>;
  /**
   * Runs the reads of one search: directly on SQLite, in one transaction on PostgreSQL. `fn` may still query the
   * database handle (the typo vocabulary does), but must not open a transaction on it.
   */
  read<T>(fn: (reader: SearchReader) => Promise<T>): Promise<T>;
  /** Bytes the index takes on disk, when the dialect can tell. */
  sizeBytes(): Promise<number | null>;
};
