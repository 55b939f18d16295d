import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
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
 * Names of the databases the tests create on the PostgreSQL server: `ot_<unix seconds>_<hex>` for a run's template
 * (server/test/test-db.setup.ts), `<template>_<hex>` for each test database copied from it.
 */
export const PG_TEST_DB_PREFIX = 'ot_';

/** The same server URL with another database. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs `fn` with a client on the configured test database (for CREATE / DROP DATABASE), closed afterwards. */
export async function withDatabase<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** What the run's globalSetup made (undefined when a file runs without it: then each test database is migrated). */
function provided(key: 'pgTemplate' | 'sqliteImage'): string | undefined {
  return inject(key) as string | undefined;
}

let sqliteImage: Buffer | undefined;

/**
 * A fresh, migrated database for one test file (or describe): in-memory SQLite, or a PostgreSQL database of its own
 * (dropped on close), so test files never see each other's rows and can run in parallel. Both start as a copy of the
 * database the run's globalSetup migrated once (server/test/test-db.setup.ts).
 */
export async function createTestDb(): Promise<DatabaseHandle & { migrateOptions: { schema?: string } }> {
  if (testDialect() === 'sqlite') {
    const imageFile = provided('sqliteImage');
    if (imageFile) sqliteImage ??= fs.readFileSync(imageFile);
    const handle = openDatabase({ dialect: 'sqlite', file: ':memory:' }, sqliteImage ? { image: sqliteImage } : {});
    if (!sqliteImage) await migrateToLatest(handle.db);
    return { ...handle, migrateOptions: {} };
  }
  const url = testDatabaseUrl();
  const template = provided('pgTemplate');
  const name = `${template ?? `${PG_TEST_DB_PREFIX}${Math.floor(Date.now() / 1000)}`}_${randomBytes(4).toString('hex')}`;
  // A copy of the migrated template is a file copy on the server (≈ 0.1 s) instead of 37 migrations (1–3 s).
  await withDatabase(url, (admin) => admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`));
  const pool = new pg.Pool({ connectionString: databaseUrl(url, name), max: 4 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (!template) await migrateToLatest(db);
  return {
    db,
    dialect: 'postgres',
    migrateOptions: {},
    close: async () => {
      await db.destroy();
      // PostgreSQL 15 checkpoints at every DROP DATABASE (2–6 s on a loaded machine): the run's globalSetup drops the
      // copies together at the end, where concurrent drops share checkpoints.
      if (!template) await withDatabase(url, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}
