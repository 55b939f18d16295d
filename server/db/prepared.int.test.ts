import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../test/test-db';
import { newId } from '../lib/ids';
import { prepared, preparedRows, slotsOf } from './prepared';

type Dept = { id: string; code: string; name: string; phone: string | null; location: string | null; created_at: string };
const COLUMNS = ['id', 'code', 'name', 'phone', 'location', 'created_at'] as const;

const insertDept = prepared<Dept>('test.departments.insert', (db, p) => db.insertInto('departments').values(slotsOf(p, COLUMNS)));
const insertDepts = preparedRows<Dept>('test.departments.insert_rows', (db, rows) => db.insertInto('departments').values(rows.map((r) => slotsOf(r, COLUMNS))), 3);
const findByCode = prepared<{ code: string }, { id: string; name: string; phone: string | null }>('test.departments.by_code', (db, p) =>
  db.selectFrom('departments').select(['id', 'name', 'phone']).where('code', '=', p.code).limit(1),
);
const renameReturning = prepared<{ id: string; name: string }, { name: string }>('test.departments.rename', (db, p) =>
  db.updateTable('departments').set({ name: p.name }).where('id', '=', p.id).returning('name'),
);

const ids = new Map<number, string>();
const idOf = (n: number): string => ids.get(n) ?? (ids.set(n, newId()), ids.get(n)!);
const dept = (n: number): Dept => ({ id: idOf(n), code: `P${n}`, name: `부서${n}`, phone: null, location: null, created_at: '2026-11-28T00:00:00.000Z' });

describe('prepared statements (built once, run with slot values) on the run’s dialect', () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => handle.close());

  it('runs with each call’s values, outside and inside a transaction, and keeps constants written into the builder', async () => {
    await insertDept(handle.db, dept(1));
    await handle.db.transaction().execute(async (trx) => {
      await insertDept(trx, { ...dept(2), phone: '031-980-2114' });
      expect(await findByCode(trx, { code: 'P2' })).toEqual([{ id: idOf(2), name: '부서2', phone: '031-980-2114' }]);
    });
    expect(await findByCode(handle.db, { code: 'P1' })).toEqual([{ id: idOf(1), name: '부서1', phone: null }]);
    expect(await findByCode(handle.db, { code: 'none' })).toEqual([]);
    expect(await renameReturning(handle.db, { id: idOf(1), name: '새 이름' })).toEqual([{ name: '새 이름' }]);
  });

  it('rolls back with the transaction (the direct SQLite path runs on the transaction’s own connection)', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await insertDept(trx, dept(3));
        expect(await findByCode(trx, { code: 'P3' })).toHaveLength(1);
        throw new Error('use case failed');
      }),
    ).rejects.toThrow('use case failed');
    expect(await findByCode(handle.db, { code: 'P3' })).toEqual([]);
  });

  it('inserts many rows in statements of `chunk` rows, one statement per row count', async () => {
    const rows = [10, 11, 12, 13, 14, 15, 16].map(dept);
    await handle.db.transaction().execute((trx) => insertDepts(trx, rows));
    const stored = await handle.db.selectFrom('departments').select('code').where('code', 'like', 'P1_').orderBy('code').execute();
    expect(stored.map((r) => r.code)).toEqual(['P10', 'P11', 'P12', 'P13', 'P14', 'P15', 'P16']);
  });

  it('refuses a constraint violation like any statement, leaving nothing half-written', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await insertDept(trx, dept(20));
        await insertDept(trx, { ...dept(21), code: 'P20' }); // departments.code is unique
      }),
    ).rejects.toThrow();
    expect(await findByCode(handle.db, { code: 'P20' })).toEqual([]);
  });
});
