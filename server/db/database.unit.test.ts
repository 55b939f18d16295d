import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { ensurePrivateDir, openDatabase, type DatabaseHandle } from './database';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** Issue #10, finding 12: the data files were world-readable (0644 in a 0755 folder) next to the key file. */
describe.runIf(process.platform !== 'win32')('SQLite data files are private to the service account', () => {
  let root: string;
  let handle: DatabaseHandle | undefined;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-modes-'));
  });
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  const write = async (h: DatabaseHandle) => {
    await sql`create table t (x integer)`.execute(h.db);
    await sql`insert into t values (1)`.execute(h.db);
  };

  it('creates the folder 0700 and the database, WAL and SHM files 0600 (whatever the umask)', async () => {
    const old = process.umask(0o022);
    try {
      const file = path.join(root, 'data', 'onecall.db');
      handle = openDatabase({ dialect: 'sqlite', file });
      await write(handle);
      expect(modeOf(path.dirname(file)).toString(8)).toBe('700');
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        expect(fs.existsSync(f), f).toBe(true);
        expect(modeOf(f).toString(8), f).toBe('600');
      }
    } finally {
      process.umask(old);
    }
  });

  it('tightens the files of an older install (0644) when it opens them', async () => {
    const file = path.join(root, 'onecall.db');
    const first = openDatabase({ dialect: 'sqlite', file });
    await write(first);
    await first.close();
    fs.chmodSync(file, 0o644);
    handle = openDatabase({ dialect: 'sqlite', file });
    await sql`select 1`.execute(handle.db);
    expect(modeOf(file).toString(8)).toBe('600');
  });

  it('makes DATA_DIR owner-only, also when it already exists with wider access', () => {
    const dir = path.join(root, 'data');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    ensurePrivateDir(dir);
    expect(modeOf(dir).toString(8)).toBe('700');
  });

  it('uses synchronous=NORMAL by default and FULL when SQLITE_SYNCHRONOUS=full', async () => {
    const pragma = async (h: DatabaseHandle) => (await sql<{ synchronous: number }>`pragma synchronous`.execute(h.db)).rows[0]?.synchronous;
    const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', DATABASE_URL: path.join(root, 'sync.db'), ...env }).database;
    expect(config({})).toMatchObject({ synchronous: 'normal' });
    handle = openDatabase(config({ SQLITE_SYNCHRONOUS: 'full' }));
    expect(await pragma(handle)).toBe(2);
    await handle.close();
    handle = openDatabase(config({}));
    expect(await pragma(handle)).toBe(1);
    expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'off' })).toThrow(/SQLITE_SYNCHRONOUS/);
  });
});
