import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../db/seed/seed';
import { createTestContext, type TestContext } from '../../test/test-app';
import { AcdService } from './acd.service';

/** The demo ACD of the seed: queues on 120 by IVR choice, every demo agent skilled, weekday hours. */
describe('demo ACD seed', () => {
  let t: TestContext;
  let acd: AcdService;

  beforeAll(async () => {
    t = await createTestContext();
    await seedDemoData(t.deps, 'demo-password-1');
    // The server seeds before it starts its ACD: do the same.
    await t.app.acd.stop();
    acd = await AcdService.start(t.deps, { timers: 'manual' });
  }, 60_000); // the whole demo seed: slow on a loaded PostgreSQL
  afterAll(async () => {
    await acd?.stop();
    await t?.close();
  });

  it('has the four queues with their IVR routes, hours and skills for every agent', async () => {
    const queues = await t.deps.db.selectFrom('acd_queues').select(['code', 'skill']).orderBy('code').execute();
    expect(queues.map((q) => q.code)).toEqual(['CIVIL', 'GENERAL', 'TAX', 'TRAFFIC']);
    expect(queues.find((q) => q.code === 'GENERAL')?.skill).toBeNull();
    const agents = await t.deps.db.selectFrom('users').select('id').where('role', 'in', ['agent', 'supervisor']).execute();
    const skilled = await t.deps.db.selectFrom('agent_skills').select('user_id').distinct().execute();
    expect(skilled.length).toBe(agents.length);
    expect(acd.wallboard().queues).toHaveLength(4);
  });

  it('routes 120 → 1 to a local-tax specialist of the demo', async () => {
    const agent01 = await t.deps.db.selectFrom('users').select('id').where('login', '=', 'agent01').executeTakeFirstOrThrow();
    const tax = await t.deps.db.selectFrom('acd_queues').select(['id', 'skill']).where('code', '=', 'TAX').executeTakeFirstOrThrow();
    const level = await t.deps.db.selectFrom('agent_skills').select('level').where('user_id', '=', agent01.id).where('skill', '=', tax.skill!).executeTakeFirstOrThrow();
    expect(level.level).toBe(1);
    await acd.setAgentState(agent01.id, { status: 'available' });
    const { result } = await acd.simulator.placeCall({ callerNumber: '010-7777-1234', dialledNumber: '120', ivrChoice: '1' });
    expect(result.decision).toMatchObject({ action: 'agent', agentId: agent01.id, queueId: tax.id });
    const none = await acd.simulator.placeCall({ callerNumber: '010-7777-1235', dialledNumber: '120' });
    expect(none.result.decision).toMatchObject({ action: 'queue' });
  });
});
