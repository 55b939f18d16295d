import type { Migration } from 'kysely';
import * as createCoreTables from './2026_11_27_0001_create-core-tables';
import * as createArticleSearch from './2026_11_27_0002_create-article-search';
import * as addSignInLockout from './2026_11_28_0003_add-sign-in-lockout';

/** Every migration, in order. Landed migrations are never edited: add a new file and list it here. */
export const MIGRATIONS: Record<string, Migration> = {
  '2026_11_27_0001_create-core-tables': createCoreTables,
  '2026_11_27_0002_create-article-search': createArticleSearch,
  '2026_11_28_0003_add-sign-in-lockout': addSignInLockout,
};
