import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database';
import { newId } from '../../lib/ids';
import { createTestDb, testDialect } from '../../test/test-db';
import { accessRecordCutoff, pruneAccessRecordsBefore, verifyAccessChain } from './access-chain';
import { appendAccessRecords, hashAccessRecord, type AccessRecordInput } from './access-records.repository';

const USER = '0190f5a2-8c1e-7b6a-9d3e-123456789abc';
const CITIZEN = '0190f5a2-8c1e-7b6a-9d3e-aaaaaaaaaaaa';
const isPg = testDialect() === 'postgres';

const input = (at: string, target = 'caller-card'): AccessRecordInput => ({
  at,
  userId: USER,
  userLogin: 'agent01',
  role: 'agent',
  ip: '127.0.0.1',
  action: 'view',
  subjects: [CITIZEN],
  target,
  recordCount: 1,
});

// The way an attacker with database access would: remove the protective triggers first.
async function dropGuards(db: Db) {
  if (isPg) {
    await sql`drop trigger access_records_append_only on access_records`.execute(db);
  } else {
    await sql`drop trigger access_records_no_update`.execute(db);
    await sql`drop trigger access_records_no_delete`.execute(db);
  }
}

describe('access records: an append-only hash chain', () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  let db: Db;

  async function append(n: number, start = Date.parse('2026-11-27T01:00:00Z')) {
    for (let i = 0; i < n; i++) {
      await handle.db.transaction().execute((trx) => appendAccessRecords(trx, [input(new Date(start + i * 60_000).toISOString(), `t${i}`)]));
    }
  }
  const rows = () => db.selectFrom('access_records').selectAll().orderBy('seq').execute();

  beforeEach(async () => {
    handle = await createTestDb();
    db = handle.db;
  });
  afterEach(async () => handle.close());

  it('links every record to the one before and verifies', async () => {
    await append(5);
    const all = await rows();
    expect(all.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(all[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < all.length; i++) expect(all[i]!.prev_hash).toBe(all[i - 1]!.hash);
    const result = await verifyAccessChain(db);
    expect(result).toMatchObject({ ok: true, checked: 5, broken: null, head: { seq: 5, hash: all[4]!.hash } });
  });

  it('is refused outside a transaction (so that its appends are serialised with the use case)', async () => {
    await expect(appendAccessRecords(db, [input('2026-11-27T01:00:00.000Z')])).rejects.toThrow(/inside the use case transaction/);
  });

  it('the database refuses UPDATE and DELETE', async () => {
    await append(2);
    await expect(db.updateTable('access_records').set({ reason: 'x' }).where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('access_records').where('seq', '=', 1).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('access_records').execute()).rejects.toThrow(/append-only/);
    expect(await rows()).toHaveLength(2);
  });

  it('concurrent appends never fork the chain', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => handle.db.transaction().execute((trx) => appendAccessRecords(trx, [input(`2026-11-27T01:00:${String(i).padStart(2, '0')}.000Z`)]))));
    const result = await verifyAccessChain(db);
    expect(result).toMatchObject({ ok: true, checked: 20 });
  });

  it('detects an edited record and names it', async () => {
    await append(5);
    await dropGuards(db);
    const third = (await rows())[2]!;
    await db.updateTable('access_records').set({ user_login: 'someone-else' }).where('seq', '=', 3).execute();
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 3, id: third.id, problem: 'hash_mismatch' });
  });

  it('detects an edited record whose hash was recomputed, at the next link', async () => {
    await append(5);
    await dropGuards(db);
    const third = (await rows())[2]!;
    const forged = { ...third, seq: Number(third.seq), record_count: Number(third.record_count), target: 'nothing' };
    const { hash: _, ...rest } = forged;
    await db.updateTable('access_records').set({ target: 'nothing', hash: hashAccessRecord(rest) }).where('seq', '=', 3).execute();
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 4, problem: 'prev_hash_mismatch' });
  });

  it('detects a deleted record', async () => {
    await append(5);
    await dropGuards(db);
    await db.deleteFrom('access_records').where('seq', '=', 2).execute();
    const result = await verifyAccessChain(db);
    expect(result.ok).toBe(false);
    expect(result.broken).toMatchObject({ seq: 3, problem: 'seq_gap', message: 'record 2 is missing before record 3' });
  });

  it('detects an inserted record (later records renumbered to make room)', async () => {
    await append(5);
    await dropGuards(db);
    // Make room after record 2 and insert a well-formed record that links to record 2.
    for (const seq of [5, 4, 3]) await db.updateTable('access_records').set({ seq: seq + 1 }).where('seq', '=', seq).execute();
    const second = (await rows())[1]!;
    const row = { id: newId(), seq: 3, at: '2026-11-27T01:01:30.000Z', user_id: USER, user_login: 'agent01', role: 'agent' as const, ip: null, action: 'view', subject: CITIZEN, target: 'forged', record_count: 1, reason: null, result: 'success' as const, prev_hash: second.hash };
    await db.insertInto('access_records').values({ ...row, hash: hashAccessRecord(row) }).execute();
    // The forged record itself links well; the renumbered one after it no longer matches its hash (seq is hashed).
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 4, problem: 'hash_mismatch' });
  });

  it('detects a record appended with a made-up hash', async () => {
    await append(2);
    await db.insertInto('access_records').values({ id: newId(), seq: 3, at: '2026-11-27T02:00:00.000Z', user_id: USER, user_login: 'x', role: 'agent', ip: null, action: 'view', subject: null, target: 'x', record_count: 0, reason: null, result: 'success', prev_hash: 'f'.repeat(64), hash: 'e'.repeat(64) }).execute();
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 3, problem: 'hash_mismatch' });
  });

  it('prunes records past the keeping period, keeps an anchor, and the rest still verifies', async () => {
    const old = Date.parse('2024-01-01T00:00:00Z');
    await append(3, old);
    await append(2, Date.parse('2026-11-27T01:00:00Z'));
    const before = await rows();
    const cutoff = accessRecordCutoff(new Date('2026-11-27T01:00:00Z'), 730);
    expect(cutoff.toISOString()).toBe('2024-11-27T01:00:00.000Z');

    const result = await pruneAccessRecordsBefore(db, cutoff, new Date('2026-11-27T01:00:00Z'));
    expect(result).toEqual({ pruned: 3, anchor: { lastSeq: 3, lastHash: before[2]!.hash } });
    expect((await rows()).map((r) => Number(r.seq))).toEqual([4, 5]);
    expect(await verifyAccessChain(db)).toMatchObject({ ok: true, checked: 2, anchor: { lastSeq: 3 } });

    // Nothing more to prune; the kept records are still protected; new appends continue the chain.
    expect(await pruneAccessRecordsBefore(db, cutoff)).toEqual({ pruned: 0, anchor: null });
    await expect(db.deleteFrom('access_records').where('seq', '=', 4).execute()).rejects.toThrow(/append-only/);
    await expect(db.updateTable('access_record_anchors').set({ last_hash: 'x' }).execute()).rejects.toThrow(/append-only/);
    await append(1);
    expect(await verifyAccessChain(db)).toMatchObject({ ok: true, checked: 3 });
  });

  it('after a prune, removing the first kept record is still detected', async () => {
    await append(3, Date.parse('2024-01-01T00:00:00Z'));
    await append(2);
    await pruneAccessRecordsBefore(db, new Date('2024-06-01T00:00:00Z'));
    await dropGuards(db);
    await db.deleteFrom('access_records').where('seq', '=', 4).execute();
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 5, problem: 'seq_gap' });
  });

  it('refuses to prune a chain that does not verify, and an anchor must name a real record', async () => {
    await append(3, Date.parse('2024-01-01T00:00:00Z'));
    await expect(db.insertInto('access_record_anchors').values({ id: newId(), at: '2026-01-01T00:00:00.000Z', pruned_before: '2026-01-01T00:00:00.000Z', last_seq: 2, last_hash: 'a'.repeat(64), pruned_count: 2 }).execute()).rejects.toThrow(/anchor/);
    await dropGuards(db);
    await db.updateTable('access_records').set({ target: 'changed' }).where('seq', '=', 1).execute();
    await expect(pruneAccessRecordsBefore(db, new Date('2026-01-01T00:00:00Z'))).rejects.toThrow(/do not verify/);
  });
});
