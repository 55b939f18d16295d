import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../test/test-db';
import { migrateDown, migrateToLatest, migrationStatus } from './migrate';
import { MIGRATIONS } from './migrations/index';

describe('migrations run down and up again on the run’s dialect', () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => handle.close());

  it('reverts every migration, then re-applies them all', async () => {
    const names = Object.keys(MIGRATIONS);
    for (let i = 0; i < names.length; i++) await migrateDown(handle.db, handle.migrateOptions);
    expect((await migrationStatus(handle.db, handle.migrateOptions)).every((m) => m.executedAt === undefined)).toBe(true);
    // On PostgreSQL the introspector sees every schema: look only at this test's own.
    const own = (t: { schema?: string }) => !handle.migrateOptions.schema || t.schema === handle.migrateOptions.schema;
    const tables = await handle.db.introspection.getTables();
    expect(tables.filter((t) => own(t) && !t.name.startsWith('kysely_')).map((t) => t.name)).toEqual([]);

    await migrateToLatest(handle.db, handle.migrateOptions);
    const status = await migrationStatus(handle.db, handle.migrateOptions);
    expect(status.map((m) => m.name)).toEqual([...names].sort());
    expect(status.every((m) => m.executedAt !== undefined)).toBe(true);
  });
});
