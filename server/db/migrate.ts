import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { MIGRATIONS } from './migrations/index';

/**
 * `schema` (PostgreSQL) keeps Kysely's migration and lock tables in that schema: Kysely looks for its lock table in
 * any schema, so two schemas of one database (parallel test runs) would otherwise see each other's.
 */
export type MigrateOptions = { schema?: string };

/**
 * Migrations are numbered per feature as the work is planned, and features land in any order: a database that already
 * has a later-numbered migration still takes an earlier-numbered one that arrives after it (each migration touches only
 * its own tables and columns). New migrations still run in name order.
 */
function migrator(db: Kysely<any>, options: MigrateOptions = {}): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    allowUnorderedMigrations: true,
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}

/** Brings the schema to the newest migration. */
export async function migrateToLatest(db: Kysely<any>, options: MigrateOptions = {}): Promise<MigrationResultSet> {
  return check(await migrator(db, options).migrateToLatest());
}

/** Undoes the newest applied migration. */
export async function migrateDown(db: Kysely<any>, options: MigrateOptions = {}): Promise<MigrationResultSet> {
  return check(await migrator(db, options).migrateDown());
}

/** Lists every migration and whether it has been applied. */
export async function migrationStatus(db: Kysely<any>, options: MigrateOptions = {}): Promise<Array<{ name: string; executedAt: Date | undefined }>> {
  const list = await migrator(db, options).getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt }));
}
