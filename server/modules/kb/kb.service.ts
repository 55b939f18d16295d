import type { Article, ArticleImportRow, KbSearchQuery, KbSearchResult } from '../../../core/contracts/kb';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import type { ImportBundle, ParsedArticle } from './kb-import';
import { upsertTaxonomy } from '../org/taxonomy';
import { categoriesByCode, findArticleDetail, insertArticle, insertArticleVersion, maxArticleSeq } from './kb.repository';

export async function searchKnowledgeBase(deps: AppDeps, query: KbSearchQuery): Promise<KbSearchResult> {
  return deps.kbSearch.search(query);
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
): Promise<{ departments: number; categories: number; articles: number }> {
  const at = deps.clock.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const { categoryIds, problems } = await upsertTaxonomy(trx, at, bundle.departments, bundle.categories);
    const unknown = bundle.articles
      .filter(({ row }) => !categoryIds.has(row.category))
      .map(({ line, row }) => ({ line, message: `category: 없는 분류 코드 '${row.category}'` }));
    const all = [...bundle.problems, ...problems, ...unknown].sort((a, b) => a.line - b.line);
    if (all.length > 0) throw new AppError('IMPORT_INVALID', `${all.length}개 오류가 있어 아무것도 가져오지 않았습니다.`, { problems: all });
    const articles = await addArticles(deps, trx, bundle.articles, { createdBy });
    return { departments: bundle.departments.length, categories: bundle.categories.length, articles };
  });
}

export type { ArticleImportRow };
