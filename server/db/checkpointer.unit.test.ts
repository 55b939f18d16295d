import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer, type CheckpointEvent } from './checkpointer';
import { openDatabase } from './database';

/** Polls `check` every 10 ms until it returns a value (a worker thread reports on its own time). */
async function until<T>(what: string, check: () => T | undefined, ms = 10_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('WAL checkpoints on a worker thread (not inside a COMMIT on the event loop)', () => {
  const dirs: string[] = [];
  const file = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'oc-checkpoint-'));
    dirs.push(d);
    return path.join(d, 'db.sqlite');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('turns the main connection\'s auto-checkpoints off once the worker runs, checkpoints what is written, and turns them on again when stopped', async () => {
    const f = file();
    const main = new SQLite(f);
    main.pragma('journal_mode = WAL');
    main.exec('create table t (id integer primary key, v text)');
    const events: CheckpointEvent[] = [];
    const cp = startCheckpointer(f, (pages) => main.pragma(`wal_autocheckpoint = ${pages}`), { everyMs: 20, onEvent: (e) => events.push(e) });
    const auto = () => main.pragma('wal_autocheckpoint', { simple: true }) as number;
    await until('the worker ready', () => (auto() === 0 ? true : undefined));
    const insert = main.prepare('insert into t (v) values (?)');
    for (let i = 0; i < 50; i++) main.transaction(() => { for (let j = 0; j < 40; j++) insert.run('x'.repeat(200)); })();
    // The main connection never checkpointed (auto off): the worker copied the WAL back, every frame of it.
    const done = await until('a full checkpoint', () => events.find((e) => e.type === 'checkpoint' && e.log > 0 && e.checkpointed === e.log));
    expect(done).toMatchObject({ type: 'checkpoint', busy: 0 });
    await cp.stop();
    expect(auto()).toBe(1000);
    expect(events.some((e) => e.type === 'stopped')).toBe(true);
    expect((main.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(2000);
    main.close();
  });

  it('a worker that cannot open the database leaves the main connection checkpointing itself', async () => {
    const main = new SQLite(':memory:');
    const set: number[] = [];
    const events: CheckpointEvent[] = [];
    const cp = startCheckpointer(path.join(os.tmpdir(), 'oc-checkpoint-missing', 'none.sqlite'), (pages) => set.push(pages), { onEvent: (e) => events.push(e) });
    await cp.stop();
    expect(set).toEqual([]); // never turned off, so never needed turning on
    expect(events.some((e) => e.type === 'ready')).toBe(false);
    main.close();
  });

  it('openDatabase on disk runs one and its close stops it (the data is kept)', async () => {
    const f = file();
    const handle = openDatabase({ dialect: 'sqlite', file: f });
    await handle.db.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
    await handle.close();
    const again = new SQLite(f, { fileMustExist: true });
    expect(again.prepare("select name from sqlite_master where name = 't'").get()).toEqual({ name: 't' });
    again.close();
  });
});
