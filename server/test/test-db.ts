import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import type { Database } from '../db/tables';

/** Which dialect this test run uses: the vitest project sets TEST_DIALECT (sqlite by default). */
export function testDialect(): 'sqlite' | 'postgres' {
  return process.env.TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
}

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/**
 * A fresh, migrated database for one test file: in-memory SQLite, or a schema of its own on PostgreSQL
 * (dropped on close), so test files never see each other's rows.
 */
export async function createTestDb(): Promise<DatabaseHandle & { migrateOptions: { schema?: string } }> {
  if (testDialect() === 'sqlite') {
    const handle = openDatabase({ dialect: 'sqlite', file: ':memory:' });
    await migrateToLatest(handle.db);
    return { ...handle, migrateOptions: {} };
  }
  const url = testDatabaseUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  // No parallel query workers: under load, a worker scanning the catalogue (Kysely's migrator introspects it) while
  // another test file drops its schema failed with "schema t_… does not exist"; the tests' queries are small anyway.
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema} -c max_parallel_workers_per_gather=0` });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db, { schema });
  return {
    db,
    dialect: 'postgres',
    migrateOptions: { schema },
    close: async () => {
      await sql.raw(`drop schema ${schema} cascade`).execute(db);
      await db.destroy();
    },
  };
}
