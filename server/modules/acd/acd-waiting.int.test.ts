import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAITING_PAGE_MAX } from '../../../core/contracts/acd';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/** Issue #10, finding 13: GET /api/acd/waiting answered the whole line at once (12 MB for 41,677 calls). */
describe('GET /api/acd/waiting is paged', () => {
  let t: TestContext;
  let cookie: string;
  const CALLS = 7;

  beforeAll(async () => {
    t = await createTestContext();
    const dept = await buildDepartment(t.deps.db);
    const chain = await buildCategoryChain(t.deps.db, dept.id);
    const at = '2026-11-27T00:00:00.000Z';
    const queue = '0190f5a2-8c1e-7b6a-9d3e-00000000cccc';
    await t.deps.db.insertInto('acd_queues').values({ id: queue, code: 'WT', name: 'waiting', skill: chain.field.id, strategy: 'longest_idle', escalation: null, priority: 0, is_active: 1, created_at: at, updated_at: at }).execute();
    await t.deps.db.insertInto('acd_queue_routes').values({ id: '0190f5a2-8c1e-7b6a-9d3e-00000000dddd', queue_id: queue, dialled_number: '120', ivr_choice: '' }).execute();
    await t.app.acd.reloadConfig();
    await buildUser(t.deps.db, { role: 'supervisor', login: 'waiting-sup' });
    cookie = await t.signIn('waiting-sup');
    // No agent is available: every call waits, in arrival order.
    for (let i = 0; i < CALLS; i++) {
      const { result } = await t.app.acd.simulator.placeCall({ callerNumber: `010-5100-${String(1000 + i)}` });
      expect(result.decision?.action).toBe('queue');
      t.clock.advance(1000);
    }
  });
  afterAll(async () => t.close());

  const get = (query: string) => t.app.inject({ method: 'GET', url: `/api/acd/waiting${query}`, headers: { cookie } });

  it('answers a page with the total, in line order, pages joining up to the whole line', async () => {
    const whole = t.app.acd.waitingContacts().map((c) => c.id);
    expect(whole).toHaveLength(CALLS);
    const first = await get('?limit=3');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ total: CALLS, limit: 3, offset: 0 });
    const ids: string[] = [];
    for (let offset = 0; offset < CALLS; offset += 3) ids.push(...(await get(`?limit=3&offset=${offset}`)).json<{ items: { id: string }[] }>().items.map((c) => c.id));
    expect(ids).toEqual(whole);
    const past = await get(`?offset=${CALLS}`);
    expect(past.json()).toMatchObject({ items: [], total: CALLS });
  });

  it('has a default page size and refuses a page bigger than the maximum', async () => {
    const plain = await get('');
    expect(plain.json()).toMatchObject({ total: CALLS, limit: 50, offset: 0 });
    expect(plain.json().items).toHaveLength(CALLS);
    for (const bad of [`?limit=${WAITING_PAGE_MAX + 1}`, '?limit=0', '?offset=-1', '?limit=abc']) {
      const res = await get(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });
});
