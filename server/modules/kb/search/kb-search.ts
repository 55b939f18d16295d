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
 * Spoken questions (issue #13). The question is analysed in core (korean-query.ts) into concepts weighted by idf.
 * Candidates: the articles of any rare concept (df < the cap), ranked by the index; when every concept is common, the
 * articles having the rarest ones together (see candidateSet), newest title matches first. Up to CANDIDATES are
 * scored in core (BM25F, coverage, neighbours in the title), times a bounded boost for articles agents opened or used
 * after similar questions (search_feedback, learnedPreference/learnedBoost: at most ×1.3).
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
  charBigrams,
  compactText,
  correctTerm,
  fallbackHighlightWords,
  highlightText,
  normalizeSearchText,
  parseSearchQuery,
  termExpr,
  toSearchTerm,
  type MatchExpr,
  type Vocabulary,
} from '../../../../core/domain/korean-search';
import {
  STOP_WORDS,
  analyseQuery,
  buildLexicon,
  compactDocument,
  fastCompact,
  idf,
  scoreDocument,
  type Concept,
  type CorpusStats,
  type Lexicon,
  type RankedDocument,
  buildLearnedChoices,
  learnedBoost,
  learnedPreference,
  questionKey,
  type LearnedChoices,
} from '../../../../core/domain/korean-query';
import type { ArticleStatus } from '../../../../core/contracts/enums';
import type { KbNearestTopic, KbSearchHit, KbSearchResult } from '../../../../core/contracts/kb';
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
export type KbSearchQueryInput = { q: string; limit?: number; exact?: boolean };

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
  /** Reloads the lexicon (synonym dictionary changed) at the next search. */
  invalidate(): void;
  /** The key agents' choices after this question are filed under (its concepts; see questionKey). */
  questionKey(q: string): Promise<string>;
  /** Re-reads agents' choices (search_feedback) at the next search. */
  invalidateLearned(): void;
};

/** Engine options. */
export type KbSearchOptions = {
  /** Reload the typo vocabulary at least this often, for changes made by other processes (default 5 minutes). */
  vocabularyMaxAgeMs?: number;
};

/** Candidates the index hands to the ranking in core when there are more than SCORE_ALL. */
export const CANDIDATES = 60;

/**
 * Up to this many matching articles are all scored in core, so the order does not depend on the database's own
 * ranking (FTS5 bm25 on SQLite, a title-weighted term count on PostgreSQL): a city-sized KB ranks the same on both.
 */
export const SCORE_ALL = 200;

type Knowledge = { vocabulary: Vocabulary; lexicon: Lexicon; stats: CorpusStats };

/** How much one recorded choice counts: using an article in the answer says more than opening it. */
const CHOICE_WEIGHT: Record<string, number> = { open: 1, use: 2 };

/** A concept's match expression: any of its forms (each a phrase of its bigrams); one-character forms are left out. */
/** Words to mark: every form, and neighbouring concepts joined so "여권 발급" is marked as one run. */
function highlightWords(concepts: readonly Concept[]): string[] {
  const words = concepts.flatMap((c) => c.forms);
  for (let i = 0; i + 1 < concepts.length; i++) words.push(concepts[i]!.forms[0]! + concepts[i + 1]!.forms[0]!);
  return [...new Set(words)];
}

function conceptExpr(forms: readonly string[]): MatchExpr | null {
  const items = forms.map(toSearchTerm).filter((t) => t.chars.length >= 2).map(termExpr);
  if (items.length === 0) return null;
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

/** The city's synonym dictionary (search_synonyms). */
async function loadSynonyms(db: Kysely<Database>): Promise<{ term: string; expansions: string[] }[]> {
  const rows = await db.selectFrom('search_synonyms').select(['term', 'expansions']).execute();
  return rows.map((r) => ({ term: r.term, expansions: parseKeywords(r.expansions) }));
}

/** Creates the search engine for a database handle (not a transaction: the engine reads outside callers' ones). */
export function createKbSearch(db: Kysely<Database>, dialect: Dialect, options: KbSearchOptions = {}): KbSearch {
  const index: SearchIndex = dialect === 'postgres' ? createPostgresSearchIndex(db) : createSqliteSearchIndex(db);
  const vocabularyMaxAgeMs = options.vocabularyMaxAgeMs ?? 5 * 60_000;
  let knowledge: { value: Knowledge; loadedAt: number } | undefined;
  let loading: Promise<Knowledge> | undefined;
  let isKnowledgeDirty = true;
  /** Document frequency of a concept's match expression, until the index or dictionary changes. */
  const dfCache = new Map<string, number>();

  /** The typo vocabulary, the lexicon (KB words, stems, synonyms) and BM25 figures, rebuilt after changes. */
  async function loadKnowledge(): Promise<Knowledge> {
    const fresh = knowledge && !isKnowledgeDirty && performance.now() - knowledge.loadedAt < vocabularyMaxAgeMs;
    if (fresh) return knowledge!.value;
    if (!loading) {
      isKnowledgeDirty = false;
      loading = (async () => {
        const rows = await db.selectFrom('articles').select(['title', 'keywords', 'body']).where('status', '=', 'published').execute();
        const synonyms = await loadSynonyms(db);
        const articles = rows.map((r) => ({ title: r.title, keywords: parseKeywords(r.keywords), body: r.body }));
        const vocabulary = buildVocabulary(articles);
        const lexicon = buildLexicon(
          articles.flatMap((a) => [a.title, ...a.keywords, a.body]),
          synonyms,
        );
        const n = Math.max(1, articles.length);
        const stats: CorpusStats = {
          documents: articles.length,
          avgTitle: articles.reduce((s, a) => s + fastCompact(a.title).length, 0) / n,
          avgKeywords: articles.reduce((s, a) => s + a.keywords.map(fastCompact).join(' ').length, 0) / n,
          avgBody: articles.reduce((s, a) => s + fastCompact(a.body).length, 0) / n,
        };
        const value: Knowledge = { vocabulary, lexicon, stats };
        dfCache.clear();
        knowledge = { value, loadedAt: performance.now() };
        return value;
      })().finally(() => {
        loading = undefined;
      });
    }
    return loading;
  }

  let learned: { value: LearnedChoices; loadedAt: number } | undefined;
  let isLearnedDirty = true;

  /** Agents' choices (search_feedback 'open' and 'use'), aggregated by question key and article; small and cheap. */
  async function loadLearned(): Promise<LearnedChoices> {
    if (learned && !isLearnedDirty && performance.now() - learned.loadedAt < vocabularyMaxAgeMs) return learned.value;
    isLearnedDirty = false;
    const rows = await db
      .selectFrom('search_feedback')
      .select(['query_key', 'article_id', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', 'in', Object.keys(CHOICE_WEIGHT))
      .where('article_id', 'is not', null)
      .groupBy(['query_key', 'article_id', 'kind'])
      .execute();
    const value = buildLearnedChoices(
      rows.map((r) => ({ queryKey: r.query_key, articleId: r.article_id!, weight: Number(r.n) * (CHOICE_WEIGHT[r.kind] ?? 0) })),
    );
    learned = { value, loadedAt: performance.now() };
    return value;
  }

  function markDirty(): void {
    isKnowledgeDirty = true;
    dfCache.clear();
  }

  async function documentFrequency(reader: SearchReader, expr: MatchExpr): Promise<number> {
    const key = JSON.stringify(expr);
    const cached = dfCache.get(key);
    if (cached !== undefined) return cached;
    const df = await reader.count(expr, SEARCH_TOTAL_CAP);
    if (dfCache.size > 5000) dfCache.clear();
    dfCache.set(key, df);
    return df;
  }

  /**
   * The articles the ranking looks at. Any rare concept (found in fewer than SEARCH_TOTAL_CAP articles) brings its
   * articles. When every concept is common (a long question of everyday civil-service words on a big KB), the
   * articles having all of them; if fewer than a page have them all, the most common concept is dropped and the
   * rest tried again, so a long question never comes back empty and never reads a large hit set (each count stops
   * at the cap).
   */
  async function candidateSet(reader: SearchReader, weighted: readonly { expr: MatchExpr; df: number }[]): Promise<{ expr: MatchExpr; total: number }> {
    const rare = weighted.filter((w) => w.df < SEARCH_TOTAL_CAP);
    if (rare.length > 0) {
      const expr: MatchExpr = rare.length === 1 ? rare[0]!.expr : { kind: 'or', items: rare.map((w) => w.expr) };
      return { expr, total: await reader.count(expr, SEARCH_TOTAL_CAP) };
    }
    const byRarity = [...weighted].sort((a, b) => a.df - b.df);
    for (let n = byRarity.length; n >= 1; n--) {
      const expr: MatchExpr = n === 1 ? byRarity[0]!.expr : { kind: 'and', items: byRarity.slice(0, n).map((w) => w.expr) };
      const total = n === 1 ? byRarity[0]!.df : await reader.count(expr, SEARCH_TOTAL_CAP);
      if (total > 0 || n === 1) return { expr, total };
    }
    return { expr: byRarity[0]!.expr, total: 0 }; // not reached: n === 1 returns
  }

  /**
   * The spoken-question plan (see "Spoken questions" above): concepts weighted by idf, typo correction of unknown
   * words that match nothing, any-word candidates from the index, BM25 ranking in core.
   */
  async function spokenPlan(
    reader: SearchReader,
    query: string,
    k: Knowledge & { learned: LearnedChoices },
    concepts: Concept[],
    unknown: string[],
    exact: boolean,
    limit: number,
  ): Promise<{ seqs: number[]; words: string[]; total: number; correctedQuery: string | null; isWeak: boolean }> {
    const weighted: { concept: Concept; expr: MatchExpr; df: number; weight: number }[] = [];
    const corrections: [string, string][] = [];
    for (const concept of concepts) {
      let expr = conceptExpr(concept.forms);
      if (!expr) continue;
      let df = await documentFrequency(reader, expr);
      // A word the KB does not know that matches nothing, or matches only once a "particle" is cut off: the whole
      // word may be a typo of a title or keyword word (과태로 is 과태료, not 과태 + 로). A word found as it is (비자
      // inside 소비자) is left alone.
      const isStripped = concept.forms[0] !== concept.source;
      if (!exact && unknown.includes(concept.source) && (df === 0 || isStripped)) {
        const fixed =
          (isStripped ? correctTerm(concept.source, k.vocabulary, k.lexicon.words) : undefined) ??
          (df === 0 ? correctTerm(concept.forms[0]!, k.vocabulary, k.lexicon.words) : undefined);
        const fixedExpr = fixed ? conceptExpr([fixed]) : null;
        if (fixed && fixedExpr) {
          const fixedDf = await documentFrequency(reader, fixedExpr);
          if (fixedDf > 0) {
            corrections.push([concept.source, fixed]);
            concept.forms = [fixed];
            expr = fixedExpr;
            df = fixedDf;
          }
        }
      }
      if (df === 0) continue;
      weighted.push({ concept, expr, df, weight: idf(df, Math.max(k.stats.documents, df)) * (concept.isSynonym ? 0.9 : 1) });
    }
    if (weighted.length === 0) return literalPlan(reader, query, limit);
    const { expr: candidateExpr, total } = await candidateSet(reader, weighted);
    // Rare concepts: the index ranks them (cheap for rare phrases). Only common ones: bm25 would count each common
    // phrase over the whole index (16 ms for a 329-hit AND at 100k), so the newest SCORE_ALL hits when there are
    // fewer than the cap (read through the index alone: the newest-title windows took 20 ms on PostgreSQL for a
    // sparse set), else the newest title matches, then the newest others; the ranking below reorders them either way.
    const isCommonOnly = weighted.every((w) => w.df >= SEARCH_TOTAL_CAP);
    const candidateSeqs =
      total === 0
        ? []
        : total <= SCORE_ALL
          ? await reader.all(candidateExpr)
          : total < SEARCH_TOTAL_CAP && !isCommonOnly
            ? await reader.ranked(candidateExpr, CANDIDATES)
            : total < SEARCH_TOTAL_CAP
              ? (await reader.all(candidateExpr)).sort((a, b) => b - a).slice(0, SCORE_ALL)
              : await newestTitleFirst(reader, candidateExpr, CANDIDATES);
    const words = highlightWords(weighted.map((w) => w.concept));
    // One concept past the cap: the title matches, newest first, then the newest others, as they come (ranking every
    // hit would cost tens of milliseconds). Otherwise every candidate is scored in core, also past the cap.
    if (total >= SEARCH_TOTAL_CAP && weighted.length === 1) return { seqs: candidateSeqs.slice(0, limit), words, total, correctedQuery: null, isWeak: false };
    const docs = await documentsFor(candidateSeqs);
    const scoring = weighted.map((w) => ({ forms: w.concept.forms, weight: w.weight }));
    const boosts = learnedPreference(k.learned, weighted.map((w) => w.concept));
    const scored = docs
      .map((d) => ({ seq: d.seq, score: scoreDocument(scoring, compactDocument(d), k.stats) * learnedBoost(boosts.get(d.id)) }))
      .filter((d) => d.score > 0)
      .sort((a, b) => b.score - a.score || b.seq - a.seq);
    const isWeak = scored.length === 0;
    let correctedQuery: string | null = null;
    if (corrections.length > 0) {
      correctedQuery = corrections.reduce((text, [from, to]) => text.replace(from, to), normalizeSearchText(query));
    }
    return { seqs: scored.slice(0, limit).map((d) => d.seq), words, total: Math.max(total, scored.length), correctedQuery, isWeak };
  }

  /**
   * A question with no word the analysis could use (one character, a word found nowhere): the literal terms, all of
   * them (세 finds every 세), else most of their syllable pairs (임대차계약사 → the article with 임대차계약서).
   */
  async function literalPlan(
    reader: SearchReader,
    query: string,
    limit: number,
  ): Promise<{ seqs: number[]; words: string[]; total: number; correctedQuery: null; isWeak: boolean }> {
    const terms = parseSearchQuery(query).filter((t) => !STOP_WORDS.has(t.text));
    const none = { seqs: [], words: [], total: 0, correctedQuery: null, isWeak: true };
    const exactExpr = buildExactMatch(terms);
    if (!exactExpr) return none;
    let expr: MatchExpr = exactExpr;
    let words = terms.map((t) => t.text);
    let total = await reader.count(expr, SEARCH_TOTAL_CAP);
    if (total === 0) {
      const fallback = buildFallbackMatch(terms);
      if (!fallback) return none;
      expr = fallback;
      words = fallbackHighlightWords(terms);
      total = await reader.count(expr, SEARCH_TOTAL_CAP);
    }
    // Most of the syllable pairs of a word found nowhere is a guess, not an answer.
    return { seqs: await topSeqs(reader, expr, total, limit), words, total, correctedQuery: null, isWeak: expr !== exactExpr };
  }

  async function documentsFor(seqs: number[]): Promise<(RankedDocument & { id: string })[]> {
    if (seqs.length === 0) return [];
    const rows = await db
      .selectFrom('articles')
      .select(['id', 'seq', 'title', 'keywords', 'body'])
      .where('seq', 'in', seqs)
      .where('status', '=', 'published')
      .execute();
    return rows.map((r) => ({ id: r.id, seq: Number(r.seq), title: r.title, keywords: parseKeywords(r.keywords), body: r.body }));
  }

  /** For a question that found nothing: categories of the articles sharing most of its syllable pairs. */
  async function nearestTopics(query: string): Promise<KbNearestTopic[]> {
    const bigrams = [...new Set(parseSearchQuery(query).flatMap((t) => charBigrams(t.chars)))].slice(0, 12);
    if (bigrams.length === 0) return [];
    const expr: MatchExpr = { kind: 'or', items: bigrams.map((b) => ({ kind: 'phrase', tokens: [b] })) };
    // Bounded like any read: ranked below the cap, else the newest title matches (a no-hit question on a big KB).
    const seqs = await index.read(async (reader) => topSeqs(reader, expr, await reader.count(expr, SEARCH_TOTAL_CAP), 20));
    if (seqs.length === 0) return [];
    const rows = await db
      .selectFrom('articles as a')
      .leftJoin('categories as c', 'c.id', 'a.category_id')
      .select(['a.seq', 'a.category_id', 'c.path'])
      .where('a.seq', 'in', seqs)
      .execute();
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    const topics: KbNearestTopic[] = [];
    for (const seq of seqs) {
      const row = bySeq.get(seq);
      if (!row?.category_id || !row.path || topics.some((t) => t.categoryId === row.category_id)) continue;
      topics.push({ categoryId: row.category_id, categoryPath: row.path });
      if (topics.length === 3) break;
    }
    return topics;
  }

  async function indexArticles(trx: Db, articles: readonly SearchableArticle[]): Promise<void> {
    const published = articles.filter((a) => a.status === 'published');
    const others = articles.filter((a) => a.status !== 'published').map((a) => a.seq);
    if (others.length > 0) await index.remove(trx, others);
    if (published.length > 0) await index.write(trx, published);
    markDirty();
  }

  /**
   * Words of three or more syllables the KB does not know, spelled like a title or keyword word of the same length
   * and first syllable (자동차쎄 → 자동차세, 기초연굼 → 기초연금): corrected before the analysis, which would otherwise split them into a
   * known word and a remainder (자동차 + 쎄) and never say what it searched.
   */
  function correctWholeWords(query: string, k: Knowledge): { text: string; isCorrected: boolean } {
    let isCorrected = false;
    const text = query
      .split(/(\s+)/u)
      .map((raw) => {
        const word = compactText(raw);
        const length = Array.from(word).length;
        if (length < 3 || k.lexicon.words.has(word) || STOP_WORDS.has(word) || k.lexicon.synonyms.has(word)) return raw;
        const fixed = correctTerm(word, k.vocabulary, k.lexicon.words);
        // Same length and first syllable: a slip of the keys, not another word (낳았는데 is not 팔았는데).
        if (!fixed || Array.from(fixed).length !== length || fixed[0] !== word[0]) return raw;
        isCorrected = true;
        return fixed;
      })
      .join('');
    return { text, isCorrected };
  }

  /** Title matches newest first, then other matches newest first; no ranking (reads stay small on any KB). */
  async function newestTitleFirst(reader: SearchReader, expr: MatchExpr, limit: number): Promise<number[]> {
    const titleSeqs = await reader.newest(expr, limit, 'title');
    if (titleSeqs.length >= limit) return titleSeqs;
    const seen = new Set(titleSeqs);
    const rest = await reader.newest(expr, limit + titleSeqs.length, 'all');
    return [...titleSeqs, ...rest.filter((s) => !seen.has(s))].slice(0, limit);
  }

  /** The page of seqs: see "Ranking" above. */
  async function topSeqs(reader: SearchReader, expr: MatchExpr, total: number, limit: number): Promise<number[]> {
    if (total === 0) return [];
    if (total < SEARCH_TOTAL_CAP) return reader.ranked(expr, limit);
    const newestTitles = await reader.newest(expr, limit, 'title');
    // Fewer title hits than a page: they are all here, so rank them.
    const titleSeqs = newestTitles.length < limit && newestTitles.length > 1 ? await reader.ranked(expr, limit, 'title') : newestTitles;
    if (titleSeqs.length >= limit) return titleSeqs;
    const seen = new Set(titleSeqs);
    const rest = await reader.newest(expr, limit + titleSeqs.length, 'all');
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
      markDirty();
    },

    async search({ q, limit = 10, exact = false }) {
      const started = performance.now();
      const query = q.normalize('NFC').trim();
      const knowledge = { ...(await loadKnowledge()), learned: await loadLearned() };
      const pre = exact ? { text: query, isCorrected: false } : correctWholeWords(query, knowledge);
      const analysed = analyseQuery(pre.text, knowledge.lexicon);
      const plan = await index.read((reader) => spokenPlan(reader, pre.text, knowledge, analysed.concepts, analysed.unknown, exact, Math.max(1, limit)));
      const page = { ...plan, correctedQuery: plan.correctedQuery ?? (pre.isCorrected ? normalizeSearchText(pre.text) : null) };
      const hits = await hitsFor(page.seqs, page.words);
      const isWeak = hits.length === 0 || page.isWeak;
      const nearest = isWeak ? await nearestTopics(query) : [];
      return {
        query,
        correctedQuery: page.correctedQuery,
        total: page.total,
        hits,
        isWeak,
        nearest,
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
      markDirty();
      return { indexed };
    },

    indexSizeBytes: () => index.sizeBytes(),

    invalidate: markDirty,

    async questionKey(q) {
      const { lexicon } = await loadKnowledge();
      return questionKey(analyseQuery(q.normalize('NFC').trim(), lexicon).concepts);
    },

    invalidateLearned() {
      isLearnedDirty = true;
    },
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
