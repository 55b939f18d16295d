import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { AppError } from '../../../core/errors';
import type { DatabaseConfig } from '../../config';
import { openDatabase, type DatabaseHandle } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/tables';

/**
 * A fresh, migrated database for one simulated day, never the centre's own: in-memory SQLite, a new SQLite file
 * (refused if the file exists), or a new schema on a PostgreSQL server (dropped afterwards unless kept).
 */
export async function openSimulationDatabase(
  target: DatabaseConfig,
  options: { keep?: boolean; schema?: string } = {},
): Promise<DatabaseHandle & { describe: string }> {
  if (target.dialect === 'sqlite') {
    if (target.file !== ':memory:' && fs.existsSync(target.file)) {
      throw new AppError('CONFLICT', `${target.file} exists: the simulator writes a fresh database only (choose a new file or :memory:)`);
    }
    const handle = openDatabase(target);
    await migrateToLatest(handle.db);
    return { ...handle, describe: target.file === ':memory:' ? 'SQLite (in memory)' : `SQLite ${target.file}` };
  }
  const schema = options.schema ?? `sim_${randomBytes(5).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new AppError('VALIDATION_FAILED', `schema must be a lower-case SQL name, got ${schema}`);
  const admin = new pg.Client({ connectionString: target.url });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 4, options: `-c search_path=${schema}` });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrateToLatest(db, { schema });
  return {
    db,
    dialect: 'postgres',
    describe: `PostgreSQL schema ${schema}${options.keep ? ' (kept)' : ''}`,
    close: async () => {
      if (!options.keep) await sql.raw(`drop schema ${schema} cascade`).execute(db);
      await db.destroy();
    },
  };
}
