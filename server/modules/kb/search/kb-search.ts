/*
 * Knowledge-base search (상담 지식 검색) on SQLite and PostgreSQL.
 *
 * Index. Every published article has one row in `article_search`, keyed by articles.seq, made from the syllable
 * bigrams of each field's letters and digits by the one function in core/domain/korean-search.ts (indexTokens), used
 * at index and at query time. SQLite: a contentless FTS5 table (title, keywords, body); a term is an FTS5 phrase of
 * its bigrams. PostgreSQL: position-less bigram tsvectors with GIN (`vector`, `title_vector`) plus the compact text
 * of the fields; a term is the AND of its bigrams, confirmed by strpos on the compact text (a phrase `<->` query
 * would recheck, i.e. detoast, every candidate's vector: 40-50 ms at 100k; see search-index.postgres.ts). Drafts and
 * archived articles are not in the index: indexArticle removes them. The kb service calls indexArticle/removeArticle
 * in the transaction that changes the article, so index and article commit (or roll back) together.
 *
 * Matching. Query terms are split at whitespace and ANDed; each term is a phrase of its bigrams, so a term matches
 * where its letters appear contiguously, ignoring spacing and punctuation: 여권 (two syllables), 여권발급 = 여권 발급
 * both ways (bigrams cross word boundaries), 신고 inside 전입신고를, particles free. A one-character term is a prefix
 * query on the bigrams ("세" → `세*`), which with cross-word bigrams is again "the character occurs anywhere".
 *
 * Ranking. Counting stops at SEARCH_TOTAL_CAP (1,000): `total` is exact below it and means "1,000+" at it. When the
 * hit set is under the cap, all hits are ranked: articles whose title/keywords match the whole query first, then
 * bm25 (SQLite, weights title 10 : keywords 5 : body 1) or a title-weighted term frequency (PostgreSQL: 10 per term
 * in title/keywords + occurrences up to 5), then newest.
 * At the cap, ranking every hit would cost tens of milliseconds (stack-notes §3.2-3.3), so title/keyword hits come
 * first, newest first (ranked when there are fewer than a page of them), then body hits newest first.
 *
 * Typos. When the exact query finds fewer than FEW_HITS (3), each term that is itself rare and is not a vocabulary
 * word is corrected to the closest word of published titles and keywords by jamo edit distance (1 for words of up to
 * two syllables, 2 for longer: 발금 → 발급, 자동차쎄 → 자동차세); the corrected query is used when it finds more, and
 * reported as `correctedQuery`. The vocabulary lives in memory per engine, rebuilt lazily after any index change by
 * this engine, or after vocabularyMaxAgeMs (changes made by other processes). When even that finds nothing, a
 * bigram fallback returns articles that contain most of the query's bigrams (buildFallbackMatch), highlighting bigrams.
 *
 * Highlights are {text, hit} segments computed in core from the fetched title and body (never HTML); the snippet
 * is a ~120-character window of the body around the first hit.
 */
import type { Kysely } from 'kysely';
import {
  SEARCH_TOTAL_CAP,
  buildExactMatch,
  buildFallbackMatch,
  buildSnippet,
  buildVocabulary,
  correctTerm,
  fallbackHighlightWords,
  highlightText,
  parseSearchQuery,
  termExpr,
  toSearchTerm,
  type MatchExpr,
  type SearchTerm,
  type Vocabulary,
} from '../../../../core/domain/korean-search';
import type { ArticleStatus } from '../../../../core/contracts/enums';
import type { KbSearchHit, KbSearchResult } from '../../../../core/contracts/kb';
import type { Db, Dialect } from '../../../db/database';
import type { Database } from '../../../db/tables';
import type { SearchIndex, SearchReader } from './search-index';
import { createPostgresSearchIndex } from './search-index.postgres';
import { createSqliteSearchIndex } from './search-index.sqlite';

/** Below this many exact hits, typo correction is tried. */
export const FEW_HITS = 3;

/** The fields of an article the index needs (keywords parsed from their JSON text). */
export type SearchableArticle = {
  id: string;
  seq: number;
  title: string;
  body: string;
  keywords: readonly string[];
  status: ArticleStatus;
};

/** A search request; `q` is user text (normalised here), limit defaults to 10. */
export type KbSearchQueryInput = { q: string; limit?: number };

/** The knowledge-base search engine of one database. */
export type KbSearch = {
  /** Puts a published article into the index, or takes any other status out; runs in the caller's transaction. */
  indexArticle(trx: Db, article: SearchableArticle): Promise<void>;
  /** indexArticle for many articles at once (imports, benchmarks). */
  indexArticles(trx: Db, articles: readonly SearchableArticle[]): Promise<void>;
  /** Takes an article out of the index (before deleting it, or when unpublishing by seq). */
  removeArticle(trx: Db, seq: number): Promise<void>;
  /** Searches published articles: ranked hits with highlights, typo-forgiving. */
  search(query: KbSearchQueryInput): Promise<KbSearchResult>;
  /** Seqs of every published article the exact query matches, unranked and uncapped (recall checks, bulk tools). */
  matchSeqs(q: string): Promise<number[]>;
  /** Re-indexes every article from the articles table in one transaction (after an import or a bigram change). */
  rebuild(): Promise<{ indexed: number }>;
  /** Bytes of the index on disk, when the dialect can tell. */
  indexSizeBytes(): Promise<number | null>;
};

/** Engine options. */
export type KbSearchOptions = {
  /** Reload the typo vocabulary at least this often, for changes made by other processes (default 5 minutes). */
  vocabularyMaxAgeMs?: number;
};

type Plan = { expr: MatchExpr; words: string[]; total: number; correctedQuery: string | null };

/** Creates the search engine for a database handle (not a transaction: the engine reads outside callers' ones). */
export function createKbSearch(db: Kysely<Database>, dialect: Dialect, options: KbSearchOptions = {}): KbSearch {
  const index: SearchIndex = dialect === 'postgres' ? createPostgresSearchIndex(db) : createSqliteSearchIndex(db);
  const vocabularyMaxAgeMs = options.vocabularyMaxAgeMs ?? 5 * 60_000;
  let vocabulary: { value: Vocabulary; loadedAt: number } | undefined;
  let loading: Promise<Vocabulary> | undefined;
  let isVocabularyDirty = true;

  async function loadVocabulary(): Promise<Vocabulary> {
    const fresh = vocabulary && !isVocabularyDirty && performance.now() - vocabulary.loadedAt < vocabularyMaxAgeMs;
    if (fresh) return vocabulary!.value;
    if (!loading) {
      isVocabularyDirty = false;
      loading = (async () => {
        const rows = await db.selectFrom('articles').select(['title', 'keywords']).where('status', '=', 'published').execute();
        const value = buildVocabulary(rows.map((r) => ({ title: r.title, keywords: parseKeywords(r.keywords) })));
        vocabulary = { value, loadedAt: performance.now() };
        return value;
      })().finally(() => {
        loading = undefined;
      });
    }
    return loading;
  }

  async function indexArticles(trx: Db, articles: readonly SearchableArticle[]): Promise<void> {
    const published = articles.filter((a) => a.status === 'published');
    const others = articles.filter((a) => a.status !== 'published').map((a) => a.seq);
    if (others.length > 0) await index.remove(trx, others);
    if (published.length > 0) await index.write(trx, published);
    isVocabularyDirty = true;
  }

  /** Corrects rare, unknown terms; returns the corrected plan when it finds more than the exact one. */
  async function corrected(reader: SearchReader, terms: SearchTerm[], exactTotal: number): Promise<Plan | null> {
    if (!terms.some((t) => t.chars.length > 1)) return null;
    const words = await loadVocabulary();
    let isChanged = false;
    const next: SearchTerm[] = [];
    for (const term of terms) {
      const candidate = correctTerm(term.text, words);
      const isRare =
        candidate !== undefined && (terms.length === 1 ? exactTotal : await reader.count(termExpr(term), FEW_HITS)) < FEW_HITS;
      if (candidate !== undefined && isRare) {
        next.push(toSearchTerm(candidate));
        isChanged = true;
      } else next.push(term);
    }
    if (!isChanged) return null;
    const expr = buildExactMatch(next)!;
    const total = await reader.count(expr, SEARCH_TOTAL_CAP);
    if (total <= exactTotal) return null;
    const text = next.map((t) => t.text);
    return { expr, words: text, total, correctedQuery: text.join(' ') };
  }

  async function plan(reader: SearchReader, terms: SearchTerm[]): Promise<Plan | null> {
    const expr = buildExactMatch(terms);
    if (!expr) return null;
    const exact: Plan = { expr, words: terms.map((t) => t.text), total: await reader.count(expr, SEARCH_TOTAL_CAP), correctedQuery: null };
    if (exact.total >= FEW_HITS) return exact;
    const better = await corrected(reader, terms, exact.total);
    if (better) return better;
    if (exact.total > 0) return exact;
    const fallback = buildFallbackMatch(terms);
    if (!fallback) return exact;
    const total = await reader.count(fallback, SEARCH_TOTAL_CAP);
    return total > 0 ? { expr: fallback, words: fallbackHighlightWords(terms), total, correctedQuery: null } : exact;
  }

  /** The page of seqs: see "Ranking" above. */
  async function topSeqs(reader: SearchReader, p: Plan, limit: number): Promise<number[]> {
    if (p.total === 0) return [];
    if (p.total < SEARCH_TOTAL_CAP) return reader.ranked(p.expr, limit);
    const newestTitles = await reader.newest(p.expr, limit, 'title');
    // Fewer title hits than a page: they are all here, so rank them.
    const titleSeqs =
      newestTitles.length < limit && newestTitles.length > 1 ? await reader.ranked(p.expr, limit, 'title') : newestTitles;
    if (titleSeqs.length >= limit) return titleSeqs;
    const seen = new Set(titleSeqs);
    const rest = await reader.newest(p.expr, limit + titleSeqs.length, 'all');
    return [...titleSeqs, ...rest.filter((s) => !seen.has(s))].slice(0, limit);
  }

  async function hitsFor(seqs: number[], words: string[]): Promise<KbSearchHit[]> {
    if (seqs.length === 0) return [];
    const rows = await db
      .selectFrom('articles as a')
      .leftJoin('categories as c', 'c.id', 'a.category_id')
      .leftJoin('departments as d', 'd.id', 'a.department_id')
      .select(['a.id', 'a.seq', 'a.title', 'a.body', 'c.path as categoryPath', 'd.name as departmentName'])
      .where('a.seq', 'in', seqs)
      .where('a.status', '=', 'published')
      .execute();
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    return seqs.flatMap((seq) => {
      const row = bySeq.get(seq);
      if (!row) return [];
      const title = row.title.normalize('NFC');
      return [
        {
          id: row.id,
          title,
          categoryPath: row.categoryPath,
          departmentName: row.departmentName,
          titleHighlight: highlightText(title, words),
          snippet: buildSnippet(row.body, words),
        },
      ];
    });
  }

  return {
    indexArticles,

    indexArticle: (trx, article) => indexArticles(trx, [article]),

    async removeArticle(trx, seq) {
      await index.remove(trx, [seq]);
      isVocabularyDirty = true;
    },

    async search({ q, limit = 10 }) {
      const started = performance.now();
      const query = q.normalize('NFC').trim();
      const terms = parseSearchQuery(query);
      const page = await index.read(async (reader) => {
        const p = await plan(reader, terms);
        return p ? { plan: p, seqs: await topSeqs(reader, p, Math.max(1, limit)) } : null;
      });
      const p = page?.plan;
      const hits = page ? await hitsFor(page.seqs, page.plan.words) : [];
      return {
        query,
        correctedQuery: p?.correctedQuery ?? null,
        total: p?.total ?? 0,
        hits,
        tookMs: Math.round((performance.now() - started) * 100) / 100,
      };
    },

    async matchSeqs(q) {
      const expr = buildExactMatch(parseSearchQuery(q));
      return expr ? index.read((reader) => reader.all(expr)) : [];
    },

    async rebuild() {
      const indexed = await db.transaction().execute(async (trx) => {
        await index.clear(trx);
        let count = 0;
        let after = -1;
        for (;;) {
          const rows = await trx
            .selectFrom('articles')
            .select(['id', 'seq', 'title', 'body', 'keywords', 'status'])
            .where('status', '=', 'published')
            .where('seq', '>', after)
            .orderBy('seq')
            .limit(1000)
            .execute();
          if (rows.length === 0) break;
          await index.write(
            trx,
            rows.map((r) => ({ seq: Number(r.seq), title: r.title, body: r.body, keywords: parseKeywords(r.keywords) })),
          );
          count += rows.length;
          after = Number(rows[rows.length - 1]!.seq);
        }
        return count;
      });
      isVocabularyDirty = true;
      return { indexed };
    },

    indexSizeBytes: () => index.sizeBytes(),
  };
}

/** The next free articles.seq. Call it inside the inserting transaction; the unique index turns a race into an error. */
export async function nextArticleSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.max('seq').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

function parseKeywords(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}
