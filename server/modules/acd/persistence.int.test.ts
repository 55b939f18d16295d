import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/test-app';
import { insertInteractionRow } from '../calls/calls.repository';
import { insertQueue } from './acd.repository';
import { Persistence } from './persistence';
import { contactFixture } from './rooms.fixtures';

/** Persistence (what the ACD writes and when): one transaction per decision, all or nothing, on both databases. */
describe('Persistence (the ACD room that writes each decision)', () => {
  let t: TestContext;
  const failures: unknown[] = [];
  let store: Persistence;
  const at = '2026-11-27T01:00:00.000Z';
  const now = Date.parse(at);
  const queueId = '0190f5a2-8c1e-7b6a-9d3e-0000000000a1';
  const contactId = '0190f5a2-8c1e-7b6a-9d3e-0000000000c1';

  beforeAll(async () => {
    t = await createTestContext();
    store = new Persistence(t.deps, 'immediate', async (err) => void failures.push(err));
    await insertQueue(t.deps.db, { id: queueId, code: 'PERSIST', name: 'persist', skill: null, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: at, updated_at: at });
  });
  afterAll(async () => t.close());

  const contactRow = () => t.deps.db.selectFrom('acd_contacts').selectAll().where('id', '=', contactId).executeTakeFirst();
  const eventTypes = async () => (await t.deps.db.selectFrom('contact_events').select('type').where('interaction_id', '=', contactId).orderBy('at').orderBy('id').execute()).map((r) => r.type);

  it('writes a new contact with its interaction and events in one transaction, then only its changing columns', async () => {
    const c = contactFixture({ id: contactId, queueId, externalCallId: 'persist-1', enteredAt: now, virtualStartAt: now });
    store.shared(async (db) => {
      await insertInteractionRow(db, { id: contactId, channel: 'phone', direction: 'inbound', caller_number_sealed: t.deps.vault.seal('+821012345678'), caller_index: 'idx', dialled_number: '120', citizen_id: null, agent_id: null, status: 'offered', started_at: at, answered_at: null, ended_at: null });
    });
    store.created(c);
    store.event('call_offered', now, contactId, null, { dialled: '120' });
    store.event('call_queued', now, contactId, null, { queueId });
    const unit = store.take();
    expect(Persistence.hasWrites(unit)).toBe(true);
    await store.save(unit, now);
    expect(await contactRow()).toMatchObject({ status: 'waiting', queue_id: queueId, external_call_id: 'persist-1', agent_id: null });
    expect(await eventTypes()).toEqual(['call_offered', 'call_queued']);

    c.status = 'ended';
    c.endedAt = now + 5_000;
    c.excluded = ['someone'];
    store.contact(c);
    await store.save(store.take(), now + 5_000);
    expect(await contactRow()).toMatchObject({ status: 'ended', ended_at: '2026-11-27T01:00:05.000Z', excluded_agents: '["someone"]', external_call_id: 'persist-1', entered_at: at });
    expect(Persistence.hasWrites(store.take())).toBe(false);
  });

  it('writes nothing of a decision whose transaction fails, and asks for a rebuild from the database', async () => {
    store.event('call_abandoned', now + 6_000, contactId, null, { queueId });
    store.op(async () => {
      throw new Error('disk full');
    });
    await expect(store.save(store.take(), now + 6_000)).rejects.toThrow('disk full');
    expect(failures).toHaveLength(1);
    expect(await eventTypes()).toEqual(['call_offered', 'call_queued']);
  });

  it('deferred (the day simulator): the ACD’s own rows wait for flush, the rows others read are written at once', async () => {
    const deferred = new Persistence(t.deps, 'deferred', async () => undefined);
    const id = '0190f5a2-8c1e-7b6a-9d3e-0000000000c2';
    deferred.shared(async (db) => {
      await insertInteractionRow(db, { id, channel: 'phone', direction: 'inbound', caller_number_sealed: t.deps.vault.seal('+821012345679'), caller_index: 'idx2', dialled_number: '120', citizen_id: null, agent_id: null, status: 'offered', started_at: at, answered_at: null, ended_at: null });
    });
    deferred.created(contactFixture({ id, queueId, externalCallId: 'persist-2', enteredAt: now, virtualStartAt: now }));
    await deferred.save(deferred.take(), now);
    expect(await t.deps.db.selectFrom('interactions').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined();
    expect(await t.deps.db.selectFrom('acd_contacts').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    await deferred.flush(now);
    expect(await t.deps.db.selectFrom('acd_contacts').select('status').where('id', '=', id).executeTakeFirst()).toEqual({ status: 'waiting' });
  });
});
