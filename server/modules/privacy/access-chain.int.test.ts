import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database';
import { newId } from '../../lib/ids';
import { generateAuditKeys, LEGACY_CHAIN_KEY_ID, type AuditKeys } from '../../lib/vault';
import { ChainHeadFileError, FileChainHeadStore } from '../../ports/chain-head/file.adapter';
import { MemoryChainHeadStore } from '../../ports/chain-head/memory.adapter';
import type { ChainHeadStore } from '../../ports/chain-head/chain-head.port';
import { FakeClock } from '../../ports/clock/fake.adapter';
import { parseKeyRing, writeKeyFile } from '../../lib/key-ring';
import { generateKeyRing } from '../../lib/vault';
import { rotateAuditKeys, rotateKeys } from './rotate-keys';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { createTestDb, testDialect } from '../../test/test-db';
import { insertCitizen } from '../calls/calls.repository';
import { accessRecordCutoff, ChainHeadKeeper, pruneAccessRecordsBefore, signAnchor, verifyAccessChain } from './access-chain';
import { appendAccessRecords, bindAccessChain, canonicalAccessRecord, hashAccessRecord, type AccessRecordInput } from './access-records.repository';
import { exportCases, unmaskCitizenField } from './privacy.service';

const USER = '0190f5a2-8c1e-7b6a-9d3e-123456789abc';
const CITIZEN = '0190f5a2-8c1e-7b6a-9d3e-aaaaaaaaaaaa';
const isPg = testDialect() === 'postgres';

const input = (at: string, target = 'caller-card', extra: Partial<AccessRecordInput> = {}): AccessRecordInput => ({
  at,
  userId: USER,
  userLogin: 'agent01',
  role: 'agent',
  ip: '127.0.0.1',
  action: 'view',
  subjects: [CITIZEN],
  target,
  recordCount: 1,
  ...extra,
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

// What someone who can write the database but has no audit key computes: the old unkeyed SHA-256.
const sha256Of = (row: Parameters<typeof canonicalAccessRecord>[0]) => createHash('sha256').update(canonicalAccessRecord(row)).digest('hex');

describe('access records: an append-only chain keyed with the audit key, its head kept outside the database', () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  let db: Db;
  let keys: AuditKeys;
  let clock: FakeClock;
  let store: MemoryChainHeadStore;
  let keeper: ChainHeadKeeper;
  let problems: string[];

  function bind(with_: { keys?: AuditKeys; store?: ChainHeadStore } = {}) {
    keys = with_.keys ?? keys;
    keeper = new ChainHeadKeeper(db, clock, (m) => problems.push(m));
    bindAccessChain(db, { keys, clock, keepDays: 730, headStore: with_.store ?? store, noteAppend: () => keeper.noteAppend() });
  }
  async function append(n: number, start = Date.parse('2026-11-27T01:00:00Z')) {
    for (let i = 0; i < n; i++) {
      await handle.db.transaction().execute((trx) => appendAccessRecords(trx, [input(new Date(start + i * 60_000).toISOString(), `t${i}`)]));
    }
  }
  const rows = async () => (await db.selectFrom('access_records').selectAll().orderBy('seq').execute()).map((r) => ({ ...r, seq: Number(r.seq), record_count: Number(r.record_count) }));

  beforeEach(async () => {
    handle = await createTestDb();
    db = handle.db;
    keys = generateAuditKeys();
    clock = new FakeClock('2026-11-27T01:00:00.000Z');
    store = new MemoryChainHeadStore();
    problems = [];
    bind();
  });
  afterEach(async () => handle.close());

  it('links every record to the one before with an HMAC under the current audit key, and verifies', async () => {
    await append(5);
    const all = await rows();
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(all.every((r) => r.key_id === 'a1')).toBe(true);
    expect(all[0]!.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < all.length; i++) expect(all[i]!.prev_hash).toBe(all[i - 1]!.hash);
    // Not the plain SHA-256 anyone could recompute.
    const { hash, ...rest } = all[0]!;
    expect(hash).not.toBe(sha256Of(rest));
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

  it('an edited record whose hash was recomputed with the key still breaks the next link', async () => {
    await append(5);
    await dropGuards(db);
    const third = (await rows())[2]!;
    const { hash: _, ...rest } = { ...third, target: 'nothing' };
    await db.updateTable('access_records').set({ target: 'nothing', hash: hashAccessRecord(rest, keys)! }).where('seq', '=', 3).execute();
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 4, problem: 'prev_hash_mismatch' });
  });

  it('finding 4: without the key, a rewritten chain does not verify (plain SHA-256, relabelled legacy, or another key)', async () => {
    await append(5);
    await dropGuards(db);
    const all = await rows();
    // Rewrite records 3–5 with recomputed SHA-256 hashes, as the unkeyed chain allowed.
    let prev = all[1]!.hash;
    for (const r of all.slice(2)) {
      const { hash: _, ...rest } = { ...r, target: 'rewritten', prev_hash: prev };
      prev = sha256Of(rest);
      await db.updateTable('access_records').set({ target: 'rewritten', prev_hash: rest.prev_hash, hash: prev }).where('seq', '=', r.seq).execute();
    }
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 3, problem: 'hash_mismatch' });
    // Relabelled as legacy records: the legacy form is accepted only before the first keyed record.
    await db.updateTable('access_records').set({ key_id: LEGACY_CHAIN_KEY_ID }).where('seq', '>=', 3).execute();
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 3, problem: 'unkeyed_record' });
    // Chained with a key of the attacker's own.
    const own = generateAuditKeys('a9');
    prev = all[1]!.hash;
    for (const r of all.slice(2)) {
      const { hash: _, ...rest } = { ...r, prev_hash: prev, key_id: 'a9' };
      prev = hashAccessRecord(rest, own)!;
      await db.updateTable('access_records').set({ key_id: 'a9', prev_hash: rest.prev_hash, hash: prev }).where('seq', '=', r.seq).execute();
    }
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 3, problem: 'unknown_key' });
  });

  it('finding 4: records cut from the end, or a chain rewritten with the key, differ from the head kept outside the database', async () => {
    await append(5);
    expect(await keeper.tick()).toBe(true);
    expect((await store.read())!.seq).toBe(5);
    await dropGuards(db);
    await db.deleteFrom('access_records').where('seq', '>=', 4).execute();
    const cut = await verifyAccessChain(db);
    expect(cut).toMatchObject({ ok: false, keptHead: { seq: 5 }, broken: { seq: 5, problem: 'head_mismatch' } });
    expect(cut.broken!.message).toMatch(/ends at record 3 but the kept head is record 5: newer records were removed/);
    // The keeper never blesses the shorter chain: the kept copy stays at 5, the problem is reported once.
    clock.advance(2_000);
    await append(1);
    clock.advance(2_000);
    await keeper.tick();
    expect((await store.read())!.seq).toBe(5);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/kept head is record 5/);
  });

  it('finding 4: a chain rewritten from some record on with the real key is caught by the kept head', async () => {
    await append(5);
    await keeper.flush();
    await dropGuards(db);
    const all = await rows();
    let prev = all[2]!.hash;
    for (const r of all.slice(3)) {
      const { hash: _, ...rest } = { ...r, target: 'rewritten', prev_hash: prev };
      prev = hashAccessRecord(rest, keys)!;
      await db.updateTable('access_records').set({ target: 'rewritten', prev_hash: rest.prev_hash, hash: prev }).where('seq', '=', r.seq).execute();
    }
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 5, problem: 'head_mismatch', message: expect.stringMatching(/record 5 differs from the kept head/) });
  });

  it('the head keeper writes at most once a second of the Clock, after appends, and once more at stop', async () => {
    await append(10);
    expect(await keeper.tick()).toBe(true);
    await append(3);
    expect(await keeper.tick()).toBe(false); // same second
    expect(store.writes).toBe(1);
    clock.advance(1_000);
    expect(await keeper.tick()).toBe(true);
    expect((await store.read())!.seq).toBe(13);
    clock.advance(1_000);
    expect(await keeper.tick()).toBe(false); // nothing new: no write
    clock.advance(10_000);
    expect(await keeper.tick()).toBe(false); // appends long past: not even a look
    await append(1);
    await keeper.stop();
    expect(store.writes).toBe(3);
    expect((await store.read())!.seq).toBe(14);
    // The verified head is kept too.
    await append(2);
    await verifyAccessChain(db);
    expect((await store.read())!.seq).toBe(16);
  });

  it('the kept head file: mode 0600, atomic; an edited or broken copy is reported as head_mismatch', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-head-'));
    try {
      const file = path.join(dir, 'access-chain-head.json');
      const fileStore = new FileChainHeadStore(file);
      bind({ store: fileStore });
      expect(await fileStore.read()).toBeNull();
      await append(3);
      expect(await keeper.flush()).toBe(true);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dir)).toEqual(['access-chain-head.json']);
      const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { seq: number };
      expect(kept).toMatchObject({ seq: 3, keyId: 'a1' });
      // Edited without the key (a lower seq, to hide a truncation).
      fs.writeFileSync(file, JSON.stringify({ ...kept, seq: 2 }));
      expect((await verifyAccessChain(db)).broken).toMatchObject({ problem: 'head_mismatch', message: expect.stringMatching(/not signed/) });
      fs.writeFileSync(file, '{');
      await expect(fileStore.read()).rejects.toThrow(ChainHeadFileError);
      expect((await verifyAccessChain(db)).broken).toMatchObject({ problem: 'head_mismatch', message: expect.stringMatching(/cannot be read/) });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
    for (const seq of [5, 4, 3]) await db.updateTable('access_records').set({ seq: seq + 1 }).where('seq', '=', seq).execute();
    const second = (await rows())[1]!;
    const row = { id: newId(), seq: 3, at: '2026-11-27T01:01:30.000Z', user_id: USER, user_login: 'agent01', role: 'agent' as const, ip: null, action: 'view', subject: CITIZEN, target: 'forged', record_count: 1, reason: null, result: 'success' as const, prev_hash: second.hash, key_id: 'a1' };
    await db.insertInto('access_records').values({ ...row, hash: hashAccessRecord(row, keys)! }).execute();
    // The forged record itself links well; the renumbered one after it no longer matches its hash (seq is hashed).
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 4, problem: 'hash_mismatch' });
  });

  it('detects a record appended with a made-up hash, and an unkeyed one appended after keyed records', async () => {
    await append(2);
    const last = (await rows())[1]!;
    const forged = { id: newId(), seq: 3, at: '2026-11-27T02:00:00.000Z', user_id: USER, user_login: 'x', role: 'agent' as const, ip: null, action: 'view', subject: null, target: 'x', record_count: 0, reason: null, result: 'success' as const, prev_hash: last.hash };
    await db.insertInto('access_records').values({ ...forged, key_id: 'a1', hash: 'e'.repeat(64) }).execute();
    expect((await verifyAccessChain(db, { keepHead: false })).broken).toMatchObject({ seq: 3, problem: 'hash_mismatch' });
    const h2 = await createTestDb();
    try {
      const legacy = { ...forged, key_id: LEGACY_CHAIN_KEY_ID };
      db = h2.db;
      bind();
      await h2.db.transaction().execute((trx) => appendAccessRecords(trx, [input('2026-11-27T01:00:00.000Z'), input('2026-11-27T01:01:00.000Z')]));
      const prev = (await rows())[1]!.hash;
      await h2.db.insertInto('access_records').values({ ...legacy, prev_hash: prev, hash: sha256Of({ ...legacy, prev_hash: prev }) }).execute();
      expect((await verifyAccessChain(h2.db)).broken).toMatchObject({ seq: 3, problem: 'unkeyed_record' });
    } finally {
      db = handle.db;
      await h2.close();
    }
  });

  it('records chained by the old unkeyed SHA-256 (before migration 0008) still verify, and keyed records continue them', async () => {
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const row = { id: newId(), seq, at: `2026-11-20T01:0${seq}:00.000Z`, user_id: USER, user_login: 'agent01', role: 'agent' as const, ip: null, action: 'view', subject: CITIZEN, target: 'old', record_count: 1, reason: null, result: 'success' as const, prev_hash: prev, key_id: LEGACY_CHAIN_KEY_ID };
      prev = sha256Of(row);
      // As migration 0008 leaves them: the column's default marks them legacy.
      const { key_id: _, ...without } = row;
      await db.insertInto('access_records').values({ ...without, hash: prev } as never).execute();
    }
    expect((await rows()).map((r) => r.key_id)).toEqual([LEGACY_CHAIN_KEY_ID, LEGACY_CHAIN_KEY_ID, LEGACY_CHAIN_KEY_ID]);
    await append(2);
    expect(await verifyAccessChain(db)).toMatchObject({ ok: true, checked: 5 });
  });

  it('rotation adds an audit key: old records verify with the old key, new ones use the new key', async () => {
    await append(2);
    const rotated = rotateAuditKeys(keys);
    expect(rotated.current).toBe('a2');
    bind({ keys: rotated });
    await append(2);
    expect((await rows()).map((r) => r.key_id)).toEqual(['a1', 'a1', 'a2', 'a2']);
    expect(await verifyAccessChain(db)).toMatchObject({ ok: true, checked: 4 });
    // A ring that lost the old key cannot vouch for its records.
    bind({ keys: { current: 'a2', keys: { a2: rotated.keys.a2! } } });
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 1, problem: 'unknown_key' });
  });

  it('npm run keys:rotate writes a new audit key and keeps the old one through the retirement of old data keys', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-rotate-audit-'));
    try {
      const keyFile = path.join(dir, 'keys.json');
      const ring = generateKeyRing('k1');
      writeKeyFile(keyFile, ring);
      bind({ keys: ring.audit! });
      await append(2);
      const report = await rotateKeys(db, { keyFile, newIndexKey: false });
      expect(report).toMatchObject({ keyId: 'k2', auditKeyId: 'a2', retiredKeyIds: ['k1'] });
      const after = parseKeyRing(fs.readFileSync(keyFile, 'utf8'), keyFile);
      expect(Object.keys(after.keys)).toEqual(['k2']);
      expect(after.audit!.current).toBe('a2');
      expect(after.audit!.keys.a1!.equals(ring.audit!.keys.a1!)).toBe(true);
      bind({ keys: after.audit! });
      await append(1);
      expect((await rows()).map((r) => r.key_id)).toEqual(['a1', 'a1', 'a2']);
      expect(await verifyAccessChain(db)).toMatchObject({ ok: true, checked: 3 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prunes records past the keeping period, keeps a signed anchor, and the rest still verifies', async () => {
    await append(3, Date.parse('2024-01-01T00:00:00Z'));
    await append(2, Date.parse('2026-11-27T01:00:00Z'));
    const before = await rows();
    const cutoff = accessRecordCutoff(new Date('2026-11-27T01:00:00Z'), 730);
    expect(cutoff.toISOString()).toBe('2024-11-27T01:00:00.000Z');

    const result = await pruneAccessRecordsBefore(db, cutoff, new Date('2026-11-27T01:00:00Z'));
    expect(result).toEqual({ pruned: 3, anchor: { lastSeq: 3, lastHash: before[2]!.hash } });
    const anchor = await db.selectFrom('access_record_anchors').selectAll().executeTakeFirstOrThrow();
    expect(anchor).toMatchObject({ key_id: 'a1', last_at: '2024-01-01T00:02:00.000Z', pruned_before: cutoff.toISOString() });
    expect(anchor.signature).toMatch(/^[0-9a-f]{64}$/);
    expect((await rows()).map((r) => r.seq)).toEqual([4, 5]);
    expect(await verifyAccessChain(db)).toMatchObject({ ok: true, checked: 2, anchor: { lastSeq: 3 } });

    // Nothing more to prune; the kept records are still protected; new appends continue the chain.
    expect(await pruneAccessRecordsBefore(db, cutoff)).toEqual({ pruned: 0, anchor: null });
    await expect(db.deleteFrom('access_records').where('seq', '=', 4).execute()).rejects.toThrow(/append-only/);
    await expect(db.updateTable('access_record_anchors').set({ last_hash: 'x' }).execute()).rejects.toThrow(/append-only/);
    await append(1);
    expect(await verifyAccessChain(db)).toMatchObject({ ok: true, checked: 3 });
  });

  it('refuses to prune inside the keeping period', async () => {
    await append(3, Date.parse('2025-06-01T00:00:00Z'));
    await expect(pruneAccessRecordsBefore(db, new Date('2025-07-01T00:00:00Z'))).rejects.toThrow(/younger than the keeping period \(730 days\)/);
    expect(await rows()).toHaveLength(3);
  });

  it('after a prune, removing the first kept record is still detected', async () => {
    await append(3, Date.parse('2024-01-01T00:00:00Z'));
    await append(2);
    await pruneAccessRecordsBefore(db, new Date('2024-06-01T00:00:00Z'));
    await dropGuards(db);
    await db.deleteFrom('access_records').where('seq', '=', 4).execute();
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 5, problem: 'seq_gap' });
  });

  it('refuses to prune a chain that does not verify; an anchor must name a real record older than its cut', async () => {
    await append(3, Date.parse('2024-01-01T00:00:00Z'));
    const anchorRow = (over: object) => ({ id: newId(), at: '2026-01-01T00:00:00.000Z', pruned_before: '2024-06-01T00:00:00.000Z', last_seq: 2, last_hash: 'a'.repeat(64), pruned_count: 2, ...over });
    await expect(db.insertInto('access_record_anchors').values(anchorRow({})).execute()).rejects.toThrow(/anchor/);
    const second = (await rows())[1]!;
    await expect(db.insertInto('access_record_anchors').values(anchorRow({ last_hash: second.hash, pruned_before: '2023-12-31T00:00:00.000Z' })).execute()).rejects.toThrow(/anchor/);
    await dropGuards(db);
    await db.updateTable('access_records').set({ target: 'changed' }).where('seq', '=', 1).execute();
    await expect(pruneAccessRecordsBefore(db, new Date('2024-06-01T00:00:00Z'))).rejects.toThrow(/do not verify/);
  });

  it('finding 3: a forged "pruned" anchor inserted with plain SQL, then every record deleted, is flagged', async () => {
    await append(5);
    await keeper.flush();
    const last = (await rows())[4]!;
    // The attack of issue #10: an anchor naming the newest record (its real hash) lets the guard delete them all.
    await db
      .insertInto('access_record_anchors')
      .values({ id: newId(), at: '2026-11-27T01:10:00.000Z', pruned_before: '2099-01-01T00:00:00.000Z', last_seq: 5, last_hash: last.hash, pruned_count: 5 })
      .execute();
    await db.deleteFrom('access_records').execute();
    expect(await rows()).toHaveLength(0);
    const result = await verifyAccessChain(db);
    expect(result).toMatchObject({ ok: false, broken: { seq: 5, problem: 'anchor_forged' } });
    // Pruning refuses to build on it.
    await expect(pruneAccessRecordsBefore(db, new Date('2024-01-01T00:00:00Z'))).rejects.toThrow(/do not verify/);
  });

  it('finding 3: even a signed anchor (key misuse, a bug) that covers records younger than the keeping period is flagged', async () => {
    await append(3, Date.parse('2026-06-01T00:00:00Z'));
    const third = (await rows())[2]!;
    const row = { id: newId(), at: '2026-11-27T01:00:00.000Z', pruned_before: '2026-07-01T00:00:00.000Z', last_seq: 3, last_hash: third.hash, last_at: third.at, pruned_count: 3 };
    await db.insertInto('access_record_anchors').values({ ...row, key_id: 'a1', signature: signAnchor(row, 'a1', keys)! }).execute();
    await db.deleteFrom('access_records').execute();
    expect((await verifyAccessChain(db)).broken).toMatchObject({ seq: 3, problem: 'anchor_too_recent' });
    // The same anchor two years later is fine: its records are then past the keeping period.
    clock.set('2028-08-01T00:00:00.000Z');
    expect(await verifyAccessChain(db)).toMatchObject({ ok: true, checked: 0, head: { seq: 3 } });
  });

  it('finding 2: a lone surrogate or NUL, or a cut inside a surrogate pair, is hashed as it is stored', async () => {
    const long = '😀'.repeat(250); // after 'x', a cut at 200 UTF-16 units would split a pair
    await db.transaction().execute((trx) =>
      appendAccessRecords(trx, [
        input('2026-11-27T01:00:00.000Z', 'bad\ud800target', { reason: '사유 \udc00 끝', userLogin: 'nul\u0000login' }),
        input('2026-11-27T01:00:01Z', `x${long}`, { reason: long.repeat(3) }),
      ]),
    );
    await append(1, Date.parse('2026-11-27T01:05:00Z'));
    const all = await rows();
    expect(all[0]).toMatchObject({ target: 'bad\ufffdtarget', reason: '사유 \ufffd 끝', user_login: 'nul\ufffdlogin' });
    expect(Array.from(all[1]!.target)).toHaveLength(200);
    expect(all[1]!.at).toBe('2026-11-27T01:00:01.000Z');
    expect(await verifyAccessChain(db)).toMatchObject({ ok: true, checked: 3 });
  });
});

describe('access records written by the privacy use cases (service level, bypassing HTTP)', () => {
  let t: TestContext;
  let citizenId: string;
  let viewer: Parameters<typeof unmaskCitizenField>[1];

  beforeEach(async () => {
    t = await createTestContext();
    const user = await buildUser(t.deps.db, { role: 'supervisor' });
    viewer = { id: user.id, login: user.login, name: user.name, role: 'supervisor', departmentId: null, departmentName: null, sessionId: newId(), ip: '10.0.0.1' };
    citizenId = newId();
    await insertCitizen(t.deps.db, t.deps.vault, { id: citizenId, phone: '+821098765432', name: '홍길동', created_at: '2026-11-01T00:00:00.000Z' });
  }, 60_000);
  afterEach(async () => t.close());

  it('finding 2: an unmask reason with a lone surrogate leaves a chain that verifies, and pruning still works', async () => {
    await unmaskCitizenField(t.deps, viewer, { citizenId, field: 'phone', reasonCode: 'other', reasonText: 'x\ud800' });
    await unmaskCitizenField(t.deps, viewer, { citizenId, field: 'name', reasonCode: 'other', reasonText: '확인 요청' });
    const stored = await t.deps.db.selectFrom('access_records').select('reason').where('action', '=', 'unmask').orderBy('seq').execute();
    expect(stored[0]!.reason).toBe('기타: x\ufffd');
    expect(await verifyAccessChain(t.deps.db)).toMatchObject({ ok: true, checked: 2 });
    t.clock.advance(800 * 86_400_000);
    await expect(pruneAccessRecordsBefore(t.deps.db, accessRecordCutoff(t.clock.now(), 730))).resolves.toMatchObject({ pruned: 2 });
  });

  it('finding 5: personal data typed into unmask and export reasons is masked in the stored record', async () => {
    await unmaskCitizenField(t.deps, viewer, { citizenId, field: 'phone', reasonCode: 'callback', reasonText: '010-1234-5678 번호로 회신, 주민번호 900101-1234567' });
    await exportCases(t.deps, viewer, { format: 'csv', from: '2026-11-01', to: '2026-11-27', reasonCode: 'statistics', reasonText: '담당자 hong@example.com 요청' });
    const reasons = (await t.deps.db.selectFrom('access_records').select('reason').where('reason', 'is not', null).orderBy('seq').execute()).map((r) => r.reason);
    expect(reasons).toEqual(['회신 전화: 010-****-5678 번호로 회신, 주민번호 900101-1******', '통계·보고: 담당자 ho**@example.com 요청']);
    expect(reasons.join(' ')).not.toMatch(/1234567|hong@/);
    expect(await verifyAccessChain(t.deps.db)).toMatchObject({ ok: true, checked: 2 });
  });
});
