import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateToLatest, migrationStatus } from '../../db/migrate';
import { findCitizenByPhone, findInteraction } from '../../modules/calls/calls.repository';
import { generateKeyRing, Vault } from '../../lib/vault';
import { createTestDb } from '../../test/test-db';
import { sealLeftoverPlaintext } from './seal-plaintext';

/*
 * Migration 0004 on a database that already holds citizens and calls in plain text (a demo database of an earlier
 * version): the rows survive the migration, the start-up step seals them, nothing plain is left, and the migration
 * cannot be undone once values are sealed (the keys are not in the database).
 */
describe('sealing the plain text an older database holds (migration 0004 + start-up step)', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  const vault = new Vault(generateKeyRing());
  const any = () => t.db as unknown as Kysely<any>;

  beforeAll(async () => {
    t = await createTestDb();
    // Back to the schema before 0004.
    for (;;) {
      const applied = (await migrationStatus(t.db, t.migrateOptions)).filter((m) => m.executedAt);
      if ((applied.at(-1)?.name ?? '') <= '2026_11_28_0003_add-sign-in-lockout') break;
      await migrateDown(t.db, t.migrateOptions);
    }
    const at = '2026-11-01T01:00:00.000Z';
    await any()
      .insertInto('citizens')
      .values([
        { id: '0190a000-0000-7000-8000-000000000001', phone: '+821077771234', name: '김영희', created_at: at },
        { id: '0190a000-0000-7000-8000-000000000002', phone: '+82319473382', name: null, created_at: at },
      ])
      .execute();
    await any()
      .insertInto('interactions')
      .values([
        { id: '0190a000-0000-7000-8000-0000000000a1', channel: 'phone', direction: 'inbound', caller_number: '+821077771234', dialled_number: '120', citizen_id: '0190a000-0000-7000-8000-000000000001', agent_id: null, status: 'ended', started_at: at, answered_at: at, ended_at: at },
        { id: '0190a000-0000-7000-8000-0000000000a2', channel: 'phone', direction: 'inbound', caller_number: '+82319473382', dialled_number: '120', citizen_id: '0190a000-0000-7000-8000-000000000002', agent_id: null, status: 'ended', started_at: at, answered_at: at, ended_at: at },
      ])
      .execute();
    await migrateToLatest(t.db, t.migrateOptions);
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps the rows through the migration, still plain and without an index until the start-up step', async () => {
    const rows = await t.db.selectFrom('citizens').select(['phone_sealed', 'name_sealed', 'phone_index']).orderBy('id').execute();
    expect(rows).toEqual([
      { phone_sealed: '+821077771234', name_sealed: '김영희', phone_index: null },
      { phone_sealed: '+82319473382', name_sealed: null, phone_index: null },
    ]);
  });

  it('seals every plain value in place, keeps the data readable through the repositories, and is idempotent', async () => {
    expect(await sealLeftoverPlaintext(t.db, vault)).toEqual({ citizens: 2, interactions: 2 });

    const citizens = await t.db.selectFrom('citizens').selectAll().orderBy('id').execute();
    for (const c of citizens) {
      expect(c.phone_sealed.startsWith(`v1.${vault.currentKeyId}.`)).toBe(true);
      expect(c.phone_index).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(citizens[0]!.name_sealed).not.toContain('김영희');
    expect(vault.open(citizens[0]!.name_sealed!)).toBe('김영희');
    expect(citizens[1]!.name_sealed).toBeNull();
    const calls = await t.db.selectFrom('interactions').select(['caller_number_sealed', 'caller_index']).execute();
    for (const c of calls) {
      expect(c.caller_number_sealed).not.toMatch(/^\+82/);
      expect(c.caller_index).toMatch(/^[0-9a-f]{64}$/);
    }

    expect((await findCitizenByPhone(t.db, vault, '+821077771234'))?.name).toBe('김영희');
    expect((await findCitizenByPhone(t.db, vault, '+82319473382'))?.id).toBe('0190a000-0000-7000-8000-000000000002');
    expect((await findInteraction(t.db, vault, '0190a000-0000-7000-8000-0000000000a1'))?.caller_number).toBe('+821077771234');

    const before = await t.db.selectFrom('citizens').select('phone_sealed').orderBy('id').execute();
    expect(await sealLeftoverPlaintext(t.db, vault)).toEqual({ citizens: 0, interactions: 0 });
    expect(await t.db.selectFrom('citizens').select('phone_sealed').orderBy('id').execute()).toEqual(before);
  });

  it('refuses to undo 0004 once values are sealed (no keys in migrations), leaving the schema as it was', async () => {
    // Undo the migrations after 0004 first, then 0004 itself must refuse.
    for (;;) {
      const applied = (await migrationStatus(t.db, t.migrateOptions)).filter((m) => m.executedAt);
      const last = applied.at(-1)?.name ?? '';
      if (last === '2026_11_28_0004_encrypt-personal-data') break;
      await migrateDown(t.db, t.migrateOptions);
    }
    await expect(migrateDown(t.db, t.migrateOptions)).rejects.toThrow(/cannot undo 0004/);
    await migrateToLatest(t.db, t.migrateOptions);
    const row = await t.db.selectFrom('citizens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(row.n)).toBe(2);
  });
});
