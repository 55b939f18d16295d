import { afterEach, describe, expect, it } from 'vitest';
import type { HandOffItem } from '../../../core/contracts/handoffs';
import { loadConfig } from '../../config';
import { createAppDeps } from '../../deps';
import { loadKeyRing } from '../../lib/key-ring';
import { Vault } from '../../lib/vault';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { runSimulatedDay } from '../simulation/day-simulator';

let ctx: TestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

/**
 * Issue #12 §0: the hand-off inbox answered 500 for the whole list on a database written by `npm run simulate`. The
 * simulator seals its callers' numbers with throwaway keys (when no key file exists), which the centre's vault cannot
 * open; one unopenable row failed the list. Reproduced at small scale: a simulated day into the test database with
 * its own keys, then the inbox through the API.
 */
describe('the hand-off inbox on a database written by the simulator', () => {
  it('lists every hand-off for an official and a supervisor, the unreadable numbers and names as unknown', async () => {
    ctx = await createTestContext();
    const { app, handle, clock } = ctx;
    clock.set(new Date('2026-12-01T00:00:00+09:00'));
    const throwaway = new Vault(loadKeyRing({ keyFile: '/nonexistent/onecall-keys.json', allowGenerate: false, ephemeral: true }).ring);
    const simDeps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), handle, clock, throwaway);
    await runSimulatedDay(simDeps, clock, { calls: 40, agents: 2, seed: 'inbox', date: '2026-12-01' });

    const handOffs = await ctx.deps.db.selectFrom('handoffs').select(['id', 'department_id']).execute();
    expect(handOffs.length).toBeGreaterThan(0);
    const department = handOffs[0]!.department_id;
    const official = await buildUser(ctx.deps.db, { role: 'official', departmentId: department });
    const supervisor = await buildUser(ctx.deps.db, { role: 'supervisor' });

    for (const [user, expected] of [
      [official, handOffs.filter((h) => h.department_id === department).length],
      [supervisor, handOffs.length],
    ] as const) {
      const cookie = await ctx.signIn(user.login);
      const res = await app.inject({ method: 'GET', url: '/api/handoffs?status=all&limit=200', headers: { cookie } });
      expect(res.statusCode, res.body).toBe(200);
      const items: HandOffItem[] = res.json().items;
      expect(items).toHaveLength(expected);
      expect(items.every((i) => i.callerNumber === null && i.citizenName === null)).toBe(true);
      const one = await app.inject({ method: 'GET', url: `/api/handoffs/${items[0]!.id}`, headers: { cookie } });
      expect(one.statusCode, one.body).toBe(200);
    }
  }, 120_000);
});
