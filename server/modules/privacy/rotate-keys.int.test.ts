import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKeyRing, writeKeyFile } from '../../lib/key-ring';
import { newId } from '../../lib/ids';
import { generateKeyRing, Vault } from '../../lib/vault';
import { findCitizenByPhone, findInteraction, insertCitizen, insertInteraction } from '../../modules/calls/calls.repository';
import { buildUser } from '../../test/factories';
import { createTestDb, testDialect } from '../../test/test-db';
import { nameIndex, nameIndexCandidates } from './name-index';
import { rotateKeys, RotationStopped } from './rotate-keys';
import { SEALED_COLUMNS } from './sealed-columns';

const AT = '2026-11-01T01:00:00.000Z';
const phones = Array.from({ length: 7 }, (_, i) => `+8210555${String(1000 + i)}`);

describe('npm run keys:rotate: re-encrypts every sealed value, survives a crash, retires the old key', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let dir: string;
  let keyFile: string;
  const k1 = generateKeyRing('k1');
  const v1 = new Vault(k1);
  const ids: string[] = [];
  let userId: string;

  const fileVault = () => new Vault(parseKeyRing(fs.readFileSync(keyFile, 'utf8'), keyFile));
  const sealedValues = async () => {
    const c = await t.db.selectFrom('citizens').select(['phone_sealed', 'name_sealed']).execute();
    const i = await t.db.selectFrom('interactions').select('caller_number_sealed').where('caller_number_sealed', '<>', '').execute();
    const u = await t.db.selectFrom('users').select('totp_secret').where('id', '=', userId).executeTakeFirstOrThrow();
    // Connector secrets (issue #16): a look-up's API key, the case system's credential, client certificate and webhook secret.
    const l = await t.db.selectFrom('connector_lookups').select(['auth_secret_sealed', 'client_cert_sealed']).execute();
    const s = await t.db.selectFrom('case_system_settings').select(['auth_secret_sealed', 'client_cert_sealed', 'webhook_secret_sealed']).execute();
    const connectors = [...l.flatMap((r) => [r.auth_secret_sealed, r.client_cert_sealed]), ...s.flatMap((r) => [r.auth_secret_sealed, r.client_cert_sealed, r.webhook_secret_sealed])];
    return [...c.flatMap((r) => [r.phone_sealed, r.name_sealed]), ...i.map((r) => r.caller_number_sealed), u.totp_secret, ...connectors].filter((v): v is string => v !== null);
  };

  beforeAll(async () => {
    t = await createTestDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-rotate-'));
    keyFile = path.join(dir, 'keys.json');
    writeKeyFile(keyFile, k1);
    for (const [n, phone] of phones.entries()) {
      const id = newId();
      ids.push(id);
      await insertCitizen(t.db, v1, { id, phone, name: n % 2 === 0 ? `시민${n}` : null, created_at: AT });
      await insertInteraction(t.db, v1, { id: newId(), channel: 'phone', direction: 'inbound', caller_number: phone, dialled_number: '120', citizen_id: id, agent_id: null, status: 'ended', started_at: AT, answered_at: AT, ended_at: AT });
    }
    // A number the retention job erased stays erased.
    await t.db.insertInto('interactions').values({ id: newId(), channel: 'phone', direction: 'inbound', caller_number_sealed: '', caller_index: '', dialled_number: '120', citizen_id: null, agent_id: null, status: 'ended', started_at: AT, answered_at: AT, ended_at: AT }).execute();
    userId = (await buildUser(t.db, { role: 'agent' })).id;
    await t.db.updateTable('users').set({ totp_secret: v1.seal('JBSWY3DPEHPK3PXP') }).where('id', '=', userId).execute();
    await t.db
      .insertInto('connector_lookups')
      .values({ id: newId(), name: '지방세', definition: '{}', auth_secret_sealed: v1.seal('lookup-api-key'), client_cert_sealed: v1.seal('{"cert":"LOOKUP PEM","key":"PEM"}'), is_enabled: 1, created_at: AT, updated_at: AT, updated_by: null })
      .execute();
    await t.db
      .insertInto('case_system_settings')
      .values({
        id: 'default',
        is_enabled: 1,
        base_url: 'https://cases.example',
        inbound_mode: 'webhook',
        mapping: '{}',
        auth_kind: 'api_key',
        auth_name: 'X-Api-Key',
        auth_secret_sealed: v1.seal('case-api-key'),
        client_cert_sealed: v1.seal('{"cert":"PEM","key":"PEM"}'),
        webhook_secret_sealed: v1.seal('case-webhook-secret'),
        timeout_ms: 5000,
        poll_cursor: null,
        updated_at: AT,
        updated_by: null,
      })
      .execute();
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every sealed column of the schema (a new sealed column must be added to the rotation)', async () => {
    for (const set of SEALED_COLUMNS) {
      for (const col of set.columns) {
        await expect(sql.raw(`select ${col} from ${set.table} where 1 = 0`).execute(t.db)).resolves.toBeDefined();
      }
    }
  });

  it('a crash half-way leaves a key file that opens every value and finds every number (both index keys)', async () => {
    await expect(rotateKeys(t.db, { keyFile, newIndexKey: true, batchSize: 3, stopAfterBatches: 1 })).rejects.toThrow(RotationStopped);
    const ring = parseKeyRing(fs.readFileSync(keyFile, 'utf8'), keyFile);
    expect(ring.current).toBe('k2');
    expect(Object.keys(ring.keys).sort()).toEqual(['k1', 'k2']);
    expect(ring.previousIndexKey?.equals(k1.indexKey)).toBe(true);
    const v = fileVault();
    const values = await sealedValues();
    const keyIds = new Set(values.map((s) => v.keyIdOf(s)));
    expect(keyIds).toEqual(new Set(['k1', 'k2']));
    for (const s of values) expect(() => v.open(s)).not.toThrow();
    for (const [n, phone] of phones.entries()) expect((await findCitizenByPhone(t.db, v, phone))?.id).toBe(ids[n]);
    // Search by name (migration 0025) finds every named citizen half-way too: its index is under one of the two keys.
    for (const n of [0, 2, 4, 6]) {
      const row = await t.db.selectFrom('citizens').select('id').where('name_index', 'in', nameIndexCandidates(v, `시민${n}`)).execute();
      expect(row.map((r) => r.id)).toEqual([ids[n]]);
    }
  });

  it('run again, it finishes the interrupted rotation: every value under k2, indexes recomputed, k1 removed', async () => {
    const r = await rotateKeys(t.db, { keyFile, newIndexKey: false, batchSize: 3 });
    expect(r).toMatchObject({ resumed: true, keyId: 'k2', retiredKeyIds: ['k1'], indexKeyChanged: true, plaintextSealed: 0 });
    expect(r.resealed.citizens! + r.resealed.interactions!).toBeGreaterThan(0);
    const ring = parseKeyRing(fs.readFileSync(keyFile, 'utf8'), keyFile);
    expect(Object.keys(ring.keys)).toEqual(['k2']);
    expect(ring.previousIndexKey).toBeUndefined();
    const v = fileVault();
    for (const s of await sealedValues()) expect(v.keyIdOf(s)).toBe('k2');
    const first = (await sealedValues())[0]!;
    expect(() => v1.open(first)).toThrow(/not in the key ring/);
    for (const [n, phone] of phones.entries()) {
      const row = await t.db.selectFrom('citizens').select('phone_index').where('id', '=', ids[n]!).executeTakeFirstOrThrow();
      expect(row.phone_index).toBe(v.phoneIndex(phone));
      expect(row.phone_index).not.toBe(v1.phoneIndex(phone));
      // The name's blind index is recomputed under the new index key with the number's.
      const named = await t.db.selectFrom('citizens').select('name_index').where('id', '=', ids[n]!).executeTakeFirstOrThrow();
      expect(named.name_index).toBe(n % 2 === 0 ? nameIndex(v, `시민${n}`) : null);
      if (n % 2 === 0) expect(named.name_index).not.toBe(nameIndex(v1, `시민${n}`));
      expect((await findCitizenByPhone(t.db, v, phone))?.name).toBe(n % 2 === 0 ? `시민${n}` : null);
    }
    const call = await t.db.selectFrom('interactions').select(['id', 'caller_index']).where('citizen_id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(call.caller_index).toBe(v.phoneIndex(phones[0]!));
    expect((await findInteraction(t.db, v, call.id))?.caller_number).toBe(phones[0]);
    const erased = await t.db.selectFrom('interactions').select(['caller_number_sealed', 'caller_index']).where('citizen_id', 'is', null).executeTakeFirstOrThrow();
    expect(erased).toEqual({ caller_number_sealed: '', caller_index: '' });
    const user = await t.db.selectFrom('users').select('totp_secret').where('id', '=', userId).executeTakeFirstOrThrow();
    expect(v.open(user.totp_secret!)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('a new rotation re-encrypts every row and reports the counts', async () => {
    const r = await rotateKeys(t.db, { keyFile, newIndexKey: false, batchSize: 3 });
    expect(r).toMatchObject({ resumed: false, keyId: 'k3', retiredKeyIds: ['k2'], indexKeyChanged: false });
    expect(r.resealed).toMatchObject({ citizens: 7, interactions: 7, users: 1, connector_lookups: 1, case_system_settings: 1 });
    const v = fileVault();
    for (const s of await sealedValues()) expect(v.keyIdOf(s)).toBe('k3');
    // Connector secrets open to what the admin saved (a look-up's key, the case system's webhook secret).
    const lookup = await t.db.selectFrom('connector_lookups').select(['auth_secret_sealed', 'client_cert_sealed']).executeTakeFirstOrThrow();
    expect(v.open(lookup.auth_secret_sealed!)).toBe('lookup-api-key');
    expect(v.open(lookup.client_cert_sealed!)).toBe('{"cert":"LOOKUP PEM","key":"PEM"}');
    const cs = await t.db.selectFrom('case_system_settings').selectAll().executeTakeFirstOrThrow();
    expect([cs.auth_secret_sealed, cs.webhook_secret_sealed].map((x) => v.open(x!))).toEqual(['case-api-key', 'case-webhook-secret']);
    expect((await findCitizenByPhone(t.db, v, phones[3]!))?.id).toBe(ids[3]);
  });

  it('keeps the old keys and names the column when a sealed value sits in a column the rotation does not know', async () => {
    const before = fileVault();
    // An article edited by hand with a sealed value in it (a column that is not in SEALED_COLUMNS).
    const dept = await t.db.selectFrom('departments').select('id').executeTakeFirst();
    await t.db.insertInto('articles').values({ id: newId(), seq: 999_001, category_id: null, department_id: dept?.id ?? null, title: before.seal('x'), body: 'b', keywords: '[]', status: 'draft', version: 1, review_by: null, created_by: null, created_at: AT, updated_at: AT }).execute();
    const r = await rotateKeys(t.db, { keyFile, newIndexKey: false, batchSize: 3 });
    expect(r.keyId).toBe('k4');
    expect(r.unlisted).toEqual(['articles.title: 1']);
    expect(r.retiredKeyIds).toEqual([]);
    const ring = parseKeyRing(fs.readFileSync(keyFile, 'utf8'), keyFile);
    expect(Object.keys(ring.keys).sort()).toEqual(['k3', 'k4']);
    await t.db.deleteFrom('articles').where('seq', '=', 999_001).execute();
    // With the stray value gone, the next run finishes and retires k3.
    const done = await rotateKeys(t.db, { keyFile, newIndexKey: false, batchSize: 3 });
    expect(done).toMatchObject({ resumed: true, keyId: 'k4', retiredKeyIds: ['k3'], unlisted: [] });
  });

  it(`refuses a missing key file without touching the database (${testDialect()})`, async () => {
    await expect(rotateKeys(t.db, { keyFile: path.join(dir, 'none.json'), newIndexKey: false })).rejects.toThrow(/does not exist/);
  });
});
