import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactEventTable, InteractionTable } from '../../db/tables';
import { newId } from '../../lib/ids';
import { createTestDb } from '../../test/test-db';
import { insertBulk } from './bulk-insert';

/**
 * Simulated history's bulk path (json_populate_recordset on PostgreSQL, prepared 100-row statements on SQLite) must
 * store exactly what Kysely's ordinary insert stores: nulls, timestamps with milliseconds, JSON text with Korean,
 * quotes and backslashes, big integers, and chunk boundaries (100 on SQLite, 5,000 on PostgreSQL).
 */
let handle: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});

const interaction = (id: string, i: number): Insertable<InteractionTable> => ({
  id,
  channel: 'phone',
  direction: i % 2 === 0 ? 'inbound' : 'outbound',
  caller_number_sealed: `sealed-${i}`,
  caller_index: i % 3 === 0 ? null : `idx-${i}`,
  dialled_number: '120',
  citizen_id: null,
  agent_id: null,
  status: 'ended',
  started_at: new Date(Date.UTC(2026, 10, 2, 0, 0, 0, i)).toISOString(),
  answered_at: i % 4 === 0 ? null : new Date(Date.UTC(2026, 10, 2, 0, 0, 1, i * 7)).toISOString(),
  ended_at: new Date(Date.UTC(2026, 10, 2, 0, 5, 0, 999)).toISOString(),
});

const event = (interactionId: string, i: number): ContactEventTable => ({
  id: newId(),
  at: new Date(Date.UTC(2026, 10, 2, 1, 0, 0, i)).toISOString(),
  type: i % 2 === 0 ? 'call_offered' : 'call_dispositioned',
  interaction_id: interactionId,
  case_id: null,
  handoff_id: null,
  actor_id: null,
  detail: i % 5 === 0 ? null : `상담 "${i}" \\ 끝`,
  data: i % 3 === 0 ? null : JSON.stringify({ outcome: 'resolved', note: `따옴표 " 와 \\ 역슬래시 ${i}`, n: i }),
});

describe('bulk insert of simulated history', () => {
  it('stores what the ordinary insert stores, across chunk boundaries', async () => {
    const db = handle.db;
    const bulkIds = Array.from({ length: 7 }, () => newId());
    const plainIds = Array.from({ length: 7 }, () => newId());
    await insertBulk(db, 'interactions', bulkIds.map(interaction));
    await db.insertInto('interactions').values(plainIds.map(interaction)).execute();

    const n = 5_001;
    const bulkEvents = Array.from({ length: n }, (_, i) => event(bulkIds[i % 7]!, i));
    const plainEvents = Array.from({ length: n }, (_, i) => event(plainIds[i % 7]!, i));
    await db.transaction().execute((trx) => insertBulk(trx, 'contact_events', bulkEvents));
    for (let i = 0; i < n; i += 500) await db.insertInto('contact_events').values(plainEvents.slice(i, i + 500)).execute();

    const dispositions = (ids: string[], salt: number) =>
      ids.map((id, i) => ({ interaction_id: id, at_ms: 1_790_000_000_000 + i * 86_400_001 + salt, caller_key: i % 2 ? null : `k${i}`, category_id: null, outcome: 'resolved' }));
    await insertBulk(db, 'stat_dispositions', dispositions(bulkIds, 0));
    await db.insertInto('stat_dispositions').values(dispositions(plainIds, 0)).execute();

    const readInteractions = async (ids: string[]) =>
      (await db.selectFrom('interactions').selectAll().where('id', 'in', ids).orderBy('started_at').execute()).map(({ id: _id, ...rest }) => rest);
    expect(await readInteractions(bulkIds)).toEqual(await readInteractions(plainIds));

    const readEvents = async (ids: string[]) =>
      (
        await db
          .selectFrom('contact_events')
          .select(['at', 'type', 'detail', 'data', 'case_id', 'actor_id'])
          .where('interaction_id', 'in', ids)
          .orderBy('at')
          .orderBy('type')
          .execute()
      ).map((r) => ({ ...r }));
    const bulk = await readEvents(bulkIds);
    expect(bulk).toHaveLength(n);
    expect(bulk).toEqual(await readEvents(plainIds));
    expect(JSON.parse(bulk.find((r) => r.data !== null)!.data!)).toMatchObject({ outcome: 'resolved' });

    const readDispositions = async (ids: string[]) =>
      (await db.selectFrom('stat_dispositions').select(['at_ms', 'caller_key', 'outcome']).where('interaction_id', 'in', ids).orderBy('at_ms').execute()).map((r) => ({
        ...r,
        at_ms: Number(r.at_ms),
      }));
    expect(await readDispositions(bulkIds)).toEqual(await readDispositions(plainIds));
  }, 120_000);

  it('writes nothing for no rows, and a failing row fails the statement (no partial day)', async () => {
    await insertBulk(handle.db, 'interactions', []);
    const id = newId();
    const rows = [interaction(id, 1), interaction(id, 2)];
    await expect(handle.db.transaction().execute((trx) => insertBulk(trx, 'interactions', rows))).rejects.toThrow();
    const found = await handle.db.selectFrom('interactions').select('id').where('id', '=', id).execute();
    expect(found).toHaveLength(0);
  });
});
