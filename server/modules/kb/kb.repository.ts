import type { Insertable } from 'kysely';
import type { Db } from '../../db/database';
import type { ArticleTable, ArticleVersionTable } from '../../db/tables';

export async function findArticleDetail(db: Db, id: string) {
  return db
    .selectFrom('articles as a')
    .leftJoin('categories as c', 'c.id', 'a.category_id')
    .leftJoin('departments as d', 'd.id', 'a.department_id')
    .selectAll('a')
    .select(['c.path as category_path', 'd.name as department_name'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export async function maxArticleSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('articles')
    .select((eb) => eb.fn.max<number | null>('seq').as('m'))
    .executeTakeFirst();
  return Number(row?.m ?? 0);
}

export async function insertArticle(db: Db, row: Insertable<ArticleTable>): Promise<void> {
  await db.insertInto('articles').values(row).execute();
}

export async function insertArticleVersion(db: Db, row: Insertable<ArticleVersionTable>): Promise<void> {
  await db.insertInto('article_versions').values(row).execute();
}

/** Every category by code, with what an article inherits from it. */
export async function categoriesByCode(db: Db) {
  const rows = await db.selectFrom('categories').select(['id', 'code', 'department_id', 'level']).execute();
  return new Map(rows.map((r) => [r.code, r]));
}
