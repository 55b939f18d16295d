import type { ArticleAdmin, ArticleListPage, ArticleListQuery, ArticleOwnerOption, ArticleSave, ArticleStatusChange } from '../../../core/contracts/editors';
import { transitionArticle } from '../../../core/domain/article-lifecycle';
import { AppError } from '../../../core/errors';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import type { SessionUser } from '../../http/access';
import { newId } from '../../lib/ids';
import { changedFields, recordEditorChange } from '../org/editor-changes';
import { findArticleCategory, findArticleForEditor, listArticlesForEditor, listOwnerCandidates, updateArticle, type ArticleEditorRow } from './kb-editor.repository';
import { insertArticle, insertArticleVersion, maxArticleSeq } from './kb.repository';

/*
 * The knowledge-article editor (issue #18 item 13). Who edits (decided from the design brief's users):
 * - 시스템 관리자 (admin) and 관리자 (supervisor, the KB owners who already keep the search dictionary and the list of
 *   unanswered questions): every article;
 * - 담당공무원 (official, "keeps the knowledge base of his tasks current"): the articles of his own department, i.e.
 *   filed under a category his department owns; anything else is 403 ARTICLE_EDIT_FORBIDDEN;
 * - 상담사 (agent): reads published articles on the desk only (the routes refuse him).
 */

const OPENED_DAYS = 90;
type Editor = Pick<SessionUser, 'id' | 'role' | 'departmentId'>;

function mayEdit(user: Editor, departmentId: string | null): boolean {
  if (user.role === 'admin' || user.role === 'supervisor') return true;
  return user.role === 'official' && user.departmentId !== null && user.departmentId === departmentId;
}

function assertMayEdit(user: Editor, departmentId: string | null): void {
  if (!mayEdit(user, departmentId)) {
    throw new AppError('ARTICLE_EDIT_FORBIDDEN', '담당 부서의 상담 자료만 고칠 수 있습니다. 다른 부서의 자료는 그 부서나 관리자에게 요청하세요.');
  }
}

/** Today as a KST day (YYYY-MM-DD). */
function kstToday(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

function toArticleAdmin(row: ArticleEditorRow, user: Editor, today: string): ArticleAdmin {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    keywords: JSON.parse(row.keywords) as string[],
    categoryId: row.category_id,
    categoryPath: row.category_path,
    departmentId: row.department_id,
    departmentName: row.department_name,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    status: row.status,
    version: row.version,
    reviewBy: row.review_by,
    reviewOverdue: row.status !== 'archived' && row.review_by !== null && row.review_by < today,
    useCount: row.use_count,
    openCount: Number(row.open_count ?? 0),
    updatedAt: row.updated_at,
    editable: mayEdit(user, row.department_id),
  };
}

/** The fields of an article the 변경 이력 compares (the body by its length: the versions keep the text). */
const articleFields = (a: ArticleAdmin) => ({
  title: a.title,
  bodyLength: a.body.length,
  keywords: a.keywords,
  categoryPath: a.categoryPath,
  ownerName: a.ownerName,
  reviewBy: a.reviewBy,
});

function openedSince(deps: AppDeps): string {
  return new Date(deps.clock.now().getTime() - OPENED_DAYS * 86_400_000).toISOString();
}

/** One page of the editor's list (one more row is read to know whether a next page exists). */
export async function listArticlesForEditing(deps: AppDeps, user: Editor, q: ArticleListQuery): Promise<ArticleListPage> {
  const today = kstToday(deps.clock.now());
  const rows = await listArticlesForEditor(deps.db, {
    ...(q.status ? { status: q.status } : {}),
    ...(q.q ? { q: q.q } : {}),
    ...(q.reviewOverdue ? { reviewBefore: today } : {}),
    ...(user.role === 'official' && user.departmentId ? { preferDepartmentId: user.departmentId } : {}),
    limit: q.limit + 1,
    offset: q.offset,
    openedSince: openedSince(deps),
  });
  const items = rows.slice(0, q.limit).map((r) => toArticleAdmin(r, user, today));
  return { items, offset: q.offset, nextOffset: rows.length > q.limit ? q.offset + q.limit : null };
}

async function articleOut(deps: AppDeps, db: Db, user: Editor, id: string): Promise<ArticleAdmin> {
  const row = await findArticleForEditor(db, id, openedSince(deps));
  if (!row) throw new AppError('NOT_FOUND', '상담 자료를 찾을 수 없습니다.');
  return toArticleAdmin(row, user, kstToday(deps.clock.now()));
}

export async function getArticleForEditing(deps: AppDeps, user: Editor, id: string): Promise<ArticleAdmin> {
  return articleOut(deps, deps.db, user, id);
}

/** The category (active) and owner (an active official, supervisor or admin) of a save, checked. */
async function checkedRefs(db: Db, input: ArticleSave) {
  const category = await findArticleCategory(db, input.categoryId);
  if (!category) throw new AppError('VALIDATION_FAILED', '없거나 사용 중지된 상담 분류입니다.', { field: 'categoryId' });
  if (input.ownerId && !(await listOwnerCandidates(db)).some((o) => o.id === input.ownerId)) {
    throw new AppError('VALIDATION_FAILED', '담당자는 사용 중인 공무원·관리자 계정이어야 합니다.', { field: 'ownerId' });
  }
  return category;
}

/** A new article, as a draft (not yet found by the desk's search). */
export async function createArticle(deps: AppDeps, user: Editor, input: ArticleSave): Promise<ArticleAdmin> {
  return deps.db.transaction().execute(async (trx) => {
    const category = await checkedRefs(trx, input);
    assertMayEdit(user, category.department_id);
    const at = deps.clock.now().toISOString();
    const id = newId();
    const keywords = JSON.stringify(input.keywords);
    await insertArticle(trx, {
      id,
      seq: (await maxArticleSeq(trx)) + 1,
      category_id: category.id,
      department_id: category.department_id,
      title: input.title,
      body: input.body,
      keywords,
      status: 'draft',
      version: 1,
      review_by: input.reviewBy,
      owner_id: input.ownerId,
      created_by: user.id,
      created_at: at,
      updated_at: at,
    });
    await insertArticleVersion(trx, { id: newId(), article_id: id, version: 1, title: input.title, body: input.body, keywords, edited_by: user.id, created_at: at });
    const out = await articleOut(deps, trx, user, id);
    await recordEditorChange(deps, trx, { actorId: user.id, entity: 'article', entityId: id, action: 'create', label: out.title, changes: changedFields(null, articleFields(out)) });
    return out;
  });
}

/**
 * Saves a new version (article_versions keeps every one) and re-indexes the article in the same transaction: a
 * published article is found by its new words at once. Moving it to another department's category needs the right
 * to edit both.
 */
export async function saveArticle(deps: AppDeps, user: Editor, id: string, input: ArticleSave): Promise<ArticleAdmin> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await findArticleForEditor(trx, id, openedSince(deps));
    if (!before) throw new AppError('NOT_FOUND', '상담 자료를 찾을 수 없습니다.');
    assertMayEdit(user, before.department_id);
    const category = await checkedRefs(trx, input);
    assertMayEdit(user, category.department_id);
    const at = deps.clock.now().toISOString();
    const keywords = JSON.stringify(input.keywords);
    const version = before.version + 1;
    await updateArticle(trx, id, {
      title: input.title,
      body: input.body,
      keywords,
      category_id: category.id,
      department_id: category.department_id,
      owner_id: input.ownerId,
      review_by: input.reviewBy,
      version,
      updated_at: at,
    });
    await insertArticleVersion(trx, { id: newId(), article_id: id, version, title: input.title, body: input.body, keywords, edited_by: user.id, created_at: at });
    await deps.kbSearch.indexArticle(trx, { id, seq: before.seq, title: input.title, body: input.body, keywords: input.keywords, status: before.status });
    const out = await articleOut(deps, trx, user, id);
    const changes = changedFields(articleFields(toArticleAdmin(before, user, kstToday(deps.clock.now()))), articleFields(out));
    await recordEditorChange(deps, trx, { actorId: user.id, entity: 'article', entityId: id, action: 'update', label: out.title, changes: { ...changes, version: [before.version, version] } });
    return out;
  });
}

/** 게시 / 보관: the search index follows in the same transaction (published: found; archived: kept, never found). */
export async function changeArticleStatus(deps: AppDeps, user: Editor, id: string, change: ArticleStatusChange): Promise<ArticleAdmin> {
  return deps.db.transaction().execute(async (trx) => {
    const before = await findArticleForEditor(trx, id, openedSince(deps));
    if (!before) throw new AppError('NOT_FOUND', '상담 자료를 찾을 수 없습니다.');
    assertMayEdit(user, before.department_id);
    const status = transitionArticle(before.status, change.action);
    await updateArticle(trx, id, { status, updated_at: deps.clock.now().toISOString() });
    await deps.kbSearch.indexArticle(trx, { id, seq: before.seq, title: before.title, body: before.body, keywords: JSON.parse(before.keywords) as string[], status });
    await recordEditorChange(deps, trx, { actorId: user.id, entity: 'article', entityId: id, action: change.action, label: before.title, changes: { status: [before.status, status] } });
    return articleOut(deps, trx, user, id);
  });
}

export async function articleOwnerOptions(deps: AppDeps): Promise<ArticleOwnerOption[]> {
  return (await listOwnerCandidates(deps.db)).map((o) => ({ id: o.id, name: o.name, departmentId: o.department_id }));
}
