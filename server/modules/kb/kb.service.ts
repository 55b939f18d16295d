import type { Article, ArticleImportRow, KbFeedbackInput, KbSearchGap, KbSearchQuery, KbSearchResult } from '../../../core/contracts/kb';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import type { ImportBundle, ParsedArticle } from './kb-import';
import { upsertTaxonomy } from '../org/taxonomy';
import { listSearchGaps, recordSearchFeedback } from './search/search-feedback';
import { upsertSynonyms } from './search/synonyms';
import { categoriesByCode, findArticleDetail, insertArticle, insertArticleVersion, maxArticleSeq } from './kb.repository';

/** Searches the KB; a question that finds nothing is remembered (masked) for the KB owners' list of gaps. */
export async function searchKnowledgeBase(deps: AppDeps, query: KbSearchQuery, userId: string | null): Promise<KbSearchResult> {
  const result = await deps.kbSearch.search(query);
  if (result.hits.length === 0) await recordSearchFeedback(deps.db, deps.kbSearch, { kind: 'none', query: query.q, userId }, deps.clock.now());
  return result;
}

/** What the agent did after a search (open, use, shown, missing). An article must exist and be readable. */
export async function recordFeedback(deps: AppDeps, input: KbFeedbackInput, userId: string): Promise<void> {
  if (input.articleId) {
    const article = await findArticleDetail(deps.db, input.articleId);
    if (!article || article.status === 'archived') throw new AppError('NOT_FOUND', '상담 자료를 찾을 수 없습니다.');
  }
  await recordSearchFeedback(deps.db, deps.kbSearch, { ...input, userId }, deps.clock.now());
}

/** Questions that found nothing, were recorded as missing or whose results were not used, over the last 90 days. */
export async function searchGaps(deps: AppDeps): Promise<KbSearchGap[]> {
  const since = new Date(deps.clock.now().getTime() - 90 * 86_400_000).toISOString();
  return listSearchGaps(deps.db, since);
}

export async function getArticle(deps: AppDeps, id: string): Promise<Article> {
  const a = await findArticleDetail(deps.db, id);
  if (!a || a.status === 'archived') throw new AppError('NOT_FOUND', '상담 자료를 찾을 수 없습니다.');
  return {
    id: a.id,
    title: a.title,
    body: a.body,
    keywords: JSON.parse(a.keywords) as string[],
    categoryId: a.category_id,
    categoryPath: a.category_path,
    departmentId: a.department_id,
    departmentName: a.department_name,
    status: a.status,
    version: a.version,
    useCount: a.use_count,
    reviewBy: a.review_by,
    updatedAt: a.updated_at,
  };
}

/**
 * Adds published articles (version 1) inside the caller's transaction, indexed for search. Category codes must
 * exist: unknown ones are reported by line and nothing is written.
 */
export async function addArticles(
  deps: Pick<AppDeps, 'kbSearch' | 'clock'>,
  trx: Db,
  articles: ParsedArticle[],
  options: { createdBy: string | null; reviewBy?: string | null },
): Promise<number> {
  const categories = await categoriesByCode(trx);
  const problems = articles
    .filter(({ row }) => !categories.has(row.category))
    .map(({ line, row }) => ({ line, message: `category: 없는 분류 코드 '${row.category}'` }));
  if (problems.length > 0) throw new AppError('IMPORT_INVALID', `${problems.length}개 오류가 있어 아무것도 가져오지 않았습니다.`, { problems });

  const at = deps.clock.now().toISOString();
  let seq = await maxArticleSeq(trx);
  for (const { row } of articles) {
    const category = categories.get(row.category);
    seq += 1;
    const id = newId();
    const keywords = JSON.stringify(row.keywords);
    await insertArticle(trx, {
      id,
      seq,
      category_id: category?.id ?? null,
      department_id: category?.department_id ?? null,
      title: row.title,
      body: row.body,
      keywords,
      status: 'published',
      version: 1,
      review_by: options.reviewBy ?? null,
      created_by: options.createdBy,
      created_at: at,
      updated_at: at,
    });
    await insertArticleVersion(trx, { id: newId(), article_id: id, version: 1, title: row.title, body: row.body, keywords, edited_by: options.createdBy, created_at: at });
    await deps.kbSearch.indexArticle(trx, { id, seq, title: row.title, body: row.body, keywords: row.keywords, status: 'published' });
  }
  return articles.length;
}

/**
 * Imports a whole file (departments, categories, articles) in one transaction: all of it or nothing. Every problem —
 * bad rows, unknown parents, departments or categories — is reported with its line in one IMPORT_INVALID error.
 */
export async function importKnowledgeBase(
  deps: AppDeps,
  bundle: ImportBundle,
  createdBy: string | null,
): Promise<{ departments: number; categories: number; articles: number; synonyms: number }> {
  const at = deps.clock.now().toISOString();
  const result = await deps.db.transaction().execute(async (trx) => {
    const { categoryIds, problems } = await upsertTaxonomy(trx, at, bundle.departments, bundle.categories);
    const unknown = bundle.articles
      .filter(({ row }) => !categoryIds.has(row.category))
      .map(({ line, row }) => ({ line, message: `category: 없는 분류 코드 '${row.category}'` }));
    const all = [...bundle.problems, ...problems, ...unknown].sort((a, b) => a.line - b.line);
    if (all.length > 0) throw new AppError('IMPORT_INVALID', `${all.length}개 오류가 있어 아무것도 가져오지 않았습니다.`, { problems: all });
    const articles = await addArticles(deps, trx, bundle.articles, { createdBy });
    const synonyms = await upsertSynonyms(trx, bundle.synonyms, at, createdBy);
    return { departments: bundle.departments.length, categories: bundle.categories.length, articles, synonyms };
  });
  if (result.synonyms > 0) deps.kbSearch.invalidate();
  return result;
}

export type { ArticleImportRow };
