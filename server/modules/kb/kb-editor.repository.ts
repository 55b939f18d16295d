import { sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database';
import type { ArticleStatus } from '../../../core/contracts/enums';
import type { ArticleTable } from '../../db/tables';

export type ArticleEditorFilter = {
  status?: ArticleStatus;
  q?: string;
  reviewBefore?: string;
  limit: number;
  offset: number;
  openedSince: string;
  /** An official's department: its articles come first (the ones he may edit). */
  preferDepartmentId?: string;
};

function articleEditorQuery(db: Db, openedSince: string) {
  return db
    .selectFrom('articles as a')
    .leftJoin('categories as c', 'c.id', 'a.category_id')
    .leftJoin('departments as d', 'd.id', 'a.department_id')
    .leftJoin('users as o', 'o.id', 'a.owner_id')
    .select([
      'a.id',
      'a.seq',
      'a.title',
      'a.body',
      'a.keywords',
      'a.category_id',
      'a.department_id',
      'a.owner_id',
      'a.status',
      'a.version',
      'a.use_count',
      'a.review_by',
      'a.updated_at',
      'c.path as category_path',
      'd.name as department_name',
      'o.name as owner_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('search_feedback as f')
        .select((x) => x.fn.countAll<number | string>().as('n'))
        .whereRef('f.article_id', '=', 'a.id')
        .where('f.kind', '=', 'open')
        .where('f.created_at', '>=', openedSince)
        .as('open_count'),
    );
}

export type ArticleEditorRow = Awaited<ReturnType<ReturnType<typeof articleEditorQuery>['executeTakeFirstOrThrow']>>;

/** The editor's list: every status (or one), by title words, or only those whose review date has passed. */
export async function listArticlesForEditor(db: Db, f: ArticleEditorFilter): Promise<ArticleEditorRow[]> {
  let q = articleEditorQuery(db, f.openedSince);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where(sql<boolean>`${sql.ref('a.title')} like ${pattern} escape '\\'`);
  }
  if (f.reviewBefore) q = q.where('a.review_by', '<', f.reviewBefore).where('a.status', '<>', 'archived');
  if (f.preferDepartmentId) q = q.orderBy(sql`case when ${sql.ref('a.department_id')} = ${f.preferDepartmentId} then 0 else 1 end`);
  return q.orderBy('a.updated_at', 'desc').orderBy('a.seq', 'desc').limit(f.limit).offset(f.offset).execute();
}

export async function findArticleForEditor(db: Db, id: string, openedSince: string): Promise<ArticleEditorRow | undefined> {
  return articleEditorQuery(db, openedSince).where('a.id', '=', id).executeTakeFirst();
}

export async function updateArticle(db: Db, id: string, set: Updateable<ArticleTable>): Promise<void> {
  await db.updateTable('articles').set(set).where('id', '=', id).execute();
}

/** A category an article may be filed under (active), with the department that owns it. */
export async function findArticleCategory(db: Db, id: string) {
  return db.selectFrom('categories').select(['id', 'department_id']).where('id', '=', id).where('is_active', '=', 1).executeTakeFirst();
}

/** Who may be named 담당자: active officials, supervisors and admins. */
export async function listOwnerCandidates(db: Db) {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'department_id'])
    .where('is_active', '=', 1)
    .where('role', 'in', ['official', 'supervisor', 'admin'])
    .orderBy('name')
    .execute();
}
