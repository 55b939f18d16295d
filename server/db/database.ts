import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config';
import { startCheckpointer } from './checkpointer';
import { registerSqliteStatements } from './prepared';
import type { Database } from './tables';

export type Dialect = 'sqlite' | 'postgres';
export type { Db } from './tables';

export type DatabaseHandle = {
  db: Kysely<Database>;
  dialect: Dialect;
  close: () => Promise<void>;
};

// timestamptz → ISO-8601 string, so both dialects hand the app the same time format.
pg.types.setTypeParser(1184, (v) => new Date(v).toISOString());
// int8 (count(*)) → number; our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Opens the configured database: better-sqlite3 (WAL) by default, or a pg pool. `image` (in-memory SQLite only): the
 * database starts as a copy of that serialized database (tests load a migrated one instead of migrating each time).
 */
export function openDatabase(config: DatabaseConfig, options: { poolSize?: number; image?: Buffer; checkpointer?: boolean } = {}): DatabaseHandle {
  if (config.dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: options.poolSize ?? 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const onDisk = config.file !== ':memory:' && config.file !== '';
  if (onDisk) createPrivateFile(config.file);
  const sqlite = options.image && config.file === ':memory:' ? new SQLite(options.image) : new SQLite(config.file);
  // In memory (the day simulator, tests), every COMMIT costs time in proportion to the database's page count: with
  // 4 KiB pages a simulated Seoul day's commits grew from 15 µs to 200 µs each (a quarter of its time); with 16 KiB pages
  // they stay near 12 µs while inserts cost ~10 % more (docs/PERFORMANCE.md). Set before the first table.
  if (config.file === ':memory:') sqlite.pragma('page_size = 16384');
  sqlite.pragma('journal_mode = WAL');
  // NORMAL with WAL: a power cut may lose the last commits (never corrupts); FULL syncs every commit (OPERATIONS.md).
  sqlite.pragma(`synchronous = ${config.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite creates the -wal and -shm files with the database file's mode; older installs may hold 0644 files.
  if (onDisk) for (const suffix of ['', '-wal', '-shm']) restrictFile(`${config.file}${suffix}`);
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  registerSqliteStatements(db, statements.prepare, statements.rollbacks);
  // On disk, WAL checkpoints run on a worker thread (checkpointer.ts), not inside a COMMIT on the event loop.
  const checkpointer = onDisk && options.checkpointer !== false ? startCheckpointer(config.file, (pages) => sqlite.open && sqlite.pragma(`wal_autocheckpoint = ${pages}`)) : null;
  const close = async () => {
    await checkpointer?.stop();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', close };
}

/** Owner-only modes for OneCall's data: citizens' data and its audit trail are nobody else's to read (제7조). */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates DATA_DIR (or any folder of OneCall's data) owner-only, and tightens it when it already exists with group or
 * other access (a folder made by an older version, or by `mkdir`). POSIX modes only: a no-op on Windows.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32' && (fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Creates the database file owner-only (in an owner-only folder when OneCall creates the folder). */
function createPrivateFile(file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) ensurePrivateDir(dir);
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  restrictFile(file);
}

function restrictFile(file: string): void {
  if (process.platform === 'win32' || !fs.existsSync(file)) return;
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; on a hot path better-sqlite3's prepare() costs as much as running the statement.
 * Repositories build the same SQL text again and again, so prepared statements are kept by text (LRU). Safe because
 * Kysely runs one statement at a time on its single SQLite connection and never leaves an iterator open across calls.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase & { prepare: (text: string) => SQLite.Statement; rollbacks: () => number } {
  const cache = new Map<string, SQLite.Statement>();
  let rollbacks = 0;
  return {
    close: () => sqlite.close(),
    // Kysely's transactions and savepoints end in ROLLBACK statements prepared here: counted, so a cache of what a
    // transaction wrote (the rollups' live call logs) can tell that it may hold rows that were undone.
    rollbacks: () => rollbacks,
    prepare: (text: string) => {
      if (text.charCodeAt(0) === 114 /* r */ && /^rollback\b/i.test(text)) rollbacks++;
      let stmt = cache.get(text);
      if (stmt) {
        cache.delete(text);
      } else {
        stmt = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, stmt);
      return stmt;
    },
  };
}

/** Reports whether the database answers (for /api/health). */
export async function pingDatabase(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
