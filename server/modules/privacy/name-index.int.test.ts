import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseFullName } from '../../../core/domain/person-name';
import { newId } from '../../lib/ids';
import { generateKeyRing, Vault } from '../../lib/vault';
import { insertCitizen, setCitizenName } from '../calls/calls.repository';
import { createTestDb, testDialect } from '../../test/test-db';
import { fillNameIndexes, nameIndex, nameIndexCandidates } from './name-index';

const AT = '2026-11-01T01:00:00.000Z';

describe(`name blind index (issue #18 item 11, ${testDialect()})`, () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  const vault = new Vault(generateKeyRing('k1'));
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.close());

  it('normalises spacing, middle dots, width and Latin case; a part of a name is another value', () => {
    expect(normaliseFullName(' 홍 길동 ')).toBe('홍길동');
    expect(normaliseFullName('남궁·민수')).toBe('남궁민수');
    expect(normaliseFullName('ＫＩＭ Minsu')).toBe('kimminsu');
    expect(nameIndex(vault, '홍 길동')).toBe(nameIndex(vault, '홍길동'));
    expect(nameIndex(vault, '홍길')).not.toBe(nameIndex(vault, '홍길동'));
    expect(nameIndex(vault, '  ')).toBeNull();
    expect(nameIndex(vault, '홍길동')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is written with the name and filled at start-up for citizens named before migration 0025', async () => {
    const named = newId();
    const later = newId();
    const unnamed = newId();
    await insertCitizen(t.db, vault, { id: named, phone: '+821055501001', name: '김민원', created_at: AT });
    await insertCitizen(t.db, vault, { id: later, phone: '+821055501002', name: null, created_at: AT });
    await insertCitizen(t.db, vault, { id: unnamed, phone: '+821055501003', name: null, created_at: AT });
    const index = async (id: string) => (await t.db.selectFrom('citizens').select('name_index').where('id', '=', id).executeTakeFirstOrThrow()).name_index;
    expect(await index(named)).toBe(nameIndex(vault, '김민원'));
    await setCitizenName(t.db, vault, later, '이 순 신');
    expect(await index(later)).toBe(nameIndex(vault, '이순신'));

    // As a database migrated to 0025 looks before its first start: names sealed, no index.
    await t.db.updateTable('citizens').set({ name_index: null }).execute();
    expect(await fillNameIndexes(t.db, vault)).toBe(2);
    expect([await index(named), await index(later), await index(unnamed)]).toEqual([nameIndex(vault, '김민원'), nameIndex(vault, '이순신'), null]);
    expect(await fillNameIndexes(t.db, vault)).toBe(0);
  });

  it('during an index-key rotation, looks up under both keys', () => {
    const ring = vault.keyRing;
    const next = new Vault({ ...ring, indexKey: generateKeyRing().indexKey, previousIndexKey: ring.indexKey });
    const candidates = nameIndexCandidates(next, '김민원');
    expect(candidates).toHaveLength(2);
    expect(candidates[1]).toBe(nameIndex(vault, '김민원'));
    expect(nameIndexCandidates(vault, '김민원')).toEqual([nameIndex(vault, '김민원')]);
  });
});
