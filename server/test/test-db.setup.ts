import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/database';
import { migrateToLatest } from '../db/migrate';
import { databaseUrl, PG_TEST_DB_PREFIX, testDatabaseUrl, withDatabase } from './test-db';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL: the migrated template database every test database is copied from (CREATE DATABASE … TEMPLATE). */
    pgTemplate: string;
    /** SQLite: a migrated database file every in-memory test database is loaded from. */
    sqliteImage: string;
  }
}

/** Databases a crashed run left behind are dropped by a later run once they are this old (other runs may be live). */
const STALE_AFTER_SECONDS = 6 * 3600;
const DROP_CONNECTIONS = 4;

/**
 * Vitest globalSetup of the sqlite and postgres projects: runs the migrations ONCE per run, instead of once per test
 * database (37 migrations, 1–3 s on a loaded PostgreSQL, dozens of times). createTestDb() copies the result.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  return project.config.env?.TEST_DIALECT === 'postgres' ? setUpPostgres(project) : setUpSqlite(project);
}

async function setUpSqlite(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-test-image-'));
  const file = path.join(dir, 'migrated.db');
  // Migrated in memory as every test database was (same page size), then written out as one file.
  const handle = openDatabase({ dialect: 'sqlite', file: ':memory:' });
  await migrateToLatest(handle.db);
  await sql`vacuum into ${file}`.execute(handle.db);
  await handle.close();
  project.provide('sqliteImage', file);
  return async () => fs.rmSync(dir, { recursive: true, force: true });
}

async function setUpPostgres(project: TestProject): Promise<() => Promise<void>> {
  const url = testDatabaseUrl();
  const template = `${PG_TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  await withDatabase(url, async (admin) => {
    await dropStale(admin);
    // The template gets the encoding and locale of the configured test database (UTF-8 for Korean text search).
    const { rows } = await admin.query<{ collate: string; ctype: string }>(
      `select datcollate as collate, datctype as ctype from pg_database where datname = current_database()`,
    );
    const locale = rows[0];
    if (!locale) throw new Error('cannot read the test database’s locale');
    await admin.query(`create database ${template} template template0 encoding 'UTF8' lc_collate ${pg.escapeLiteral(locale.collate)} lc_ctype ${pg.escapeLiteral(locale.ctype)}`);
  });
  const pool = new pg.Pool({ connectionString: databaseUrl(url, template), max: 1 });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db);
  } finally {
    // A template must have no connections while it is copied.
    await db.destroy();
  }
  project.provide('pgTemplate', template);
  return async () => {
    // The test files' copies (closed, or left open by a failed hook), then the template. PostgreSQL 15 checkpoints at
    // each DROP DATABASE; drops that wait at the same time share a checkpoint, hence a few connections at once.
    const { rows } = await withDatabase(url, (admin) => admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${likeEscape(template)}\\_%`]));
    const names = rows.map((r) => r.datname);
    await Promise.all(
      Array.from({ length: DROP_CONNECTIONS }, () =>
        withDatabase(url, async (admin) => {
          for (let name = names.pop(); name; name = names.pop()) await admin.query(`drop database if exists ${name} with (force)`);
        }),
      ),
    );
    await withDatabase(url, (admin) => admin.query(`drop database if exists ${template} with (force)`));
  };
}

/** Test databases of runs that ended hours ago without their teardown; a database still in use is left alone. */
async function dropStale(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${likeEscape(PG_TEST_DB_PREFIX)}%`]);
  const now = Date.now() / 1000;
  for (const { datname } of rows) {
    const stamp = Number(datname.slice(PG_TEST_DB_PREFIX.length).split('_')[0]);
    if (!Number.isFinite(stamp) || now - stamp < STALE_AFTER_SECONDS) continue;
    await admin.query(`drop database if exists ${datname}`).catch(() => undefined);
  }
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
