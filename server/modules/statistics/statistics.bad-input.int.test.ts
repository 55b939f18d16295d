import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids';
import { buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * Bad input at the statistics API (issue #12, Bad input), beyond the cases of statistics.int.test.ts: every report
 * answers a malformed, out-of-range or foreign parameter with a 4xx, a stable code and a Korean message, never 500;
 * the range rules hold for every report (today is 2026-12-02 KST); an official without a department, or asking for
 * another one, is 403.
 */
let ctx: TestContext;
let supervisor: string;
let official: string;
let homeless: string;
let agent: string;
let otherAgentId: string;
let otherDept: string;

type ErrorBody = { error: { code: string; message: string; details?: { reason?: string } } };
const HANGUL = /[가-힣]/;

async function refused(url: string, cookie: string, status: number, code: string, reason?: string) {
  const res = await ctx.app.inject({ method: 'GET', url, headers: { cookie } });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
  const body = res.json<ErrorBody>();
  expect(body.error.code, url).toBe(code);
  expect(body.error.message, url).toMatch(HANGUL);
  if (reason) expect(body.error.details?.reason, url).toBe(reason);
}

describe('statistics: bad input answers 4xx with stable codes, in Korean', () => {
  beforeAll(async () => {
    ctx = await createTestContext();
    ctx.clock.set(new Date('2026-12-02T10:00:00+09:00'));
    const dept = await buildDepartment(ctx.deps.db);
    otherDept = (await buildDepartment(ctx.deps.db)).id;
    supervisor = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'supervisor' })).login);
    official = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'official', departmentId: dept.id })).login);
    homeless = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'official', departmentId: null })).login);
    agent = await ctx.signIn((await buildUser(ctx.deps.db, { role: 'agent' })).login);
    otherAgentId = (await buildUser(ctx.deps.db, { role: 'agent' })).id;
  });
  afterAll(async () => ctx?.close());

  it('the range rules hold for every report and its export', async () => {
    for (const report of ['by-task', 'by-period', 'by-department', 'by-agent', 'service', 'headline']) {
      for (const suffix of ['', '/export']) {
        const f = suffix ? '&format=csv' : '';
        await refused(`/api/stats/${report}${suffix}?date=2026-12-03${f}`, supervisor, 400, 'VALIDATION_FAILED', 'future');
        await refused(`/api/stats/${report}${suffix}?period=custom&from=2026-11-30&to=2026-11-01${f}`, supervisor, 400, 'VALIDATION_FAILED', 'reversed');
        await refused(`/api/stats/${report}${suffix}?period=custom&from=2022-01-01&to=2026-12-01${f}`, supervisor, 400, 'VALIDATION_FAILED', 'too_long');
        await refused(`/api/stats/${report}${suffix}?period=custom&from=2026-11-01&to=2026-11-30&date=2026-11-15${f}`, supervisor, 400, 'VALIDATION_FAILED');
        await refused(`/api/stats/${report}${suffix}?period=month&date=2026-13-01${f}`, supervisor, 400, 'VALIDATION_FAILED');
      }
    }
  });

  it('wrong formats and values out of range', async () => {
    const cases = [
      '/api/stats/by-task?top=0',
      '/api/stats/by-task?top=51',
      '/api/stats/by-task?top=ten',
      '/api/stats/by-task?department=abc',
      '/api/stats/by-period?granularity=minute',
      '/api/stats/by-period?slSeconds=601',
      '/api/stats/by-period?shortAbandonSeconds=-1',
      '/api/stats/service?slSeconds=20.5',
      '/api/stats/headline?fcrDays=0',
      '/api/stats/headline?fcrDays=31',
      '/api/stats/by-agent?agent=1',
      '/api/stats/rising?window=week',
      '/api/stats/rising?minCount=0',
      '/api/stats/rising?weeks=27',
      '/api/stats/rising?date=2026-12-01',
      '/api/stats/service?date=2026-12-01&date=2026-12-02',
      '/api/stats/service/export?format=xls',
      '/api/stats/service/export?format=CSV',
    ];
    for (const url of cases) await refused(url, supervisor, 400, 'VALIDATION_FAILED');
  });

  it('unknown ids are 404, other people\'s figures 403', async () => {
    await refused(`/api/stats/by-agent?agent=${newId()}`, supervisor, 404, 'NOT_FOUND');
    // A supervisor is not an agent: asking for one as an agent's figures is "no such agent".
    const supervisorId = (await ctx.deps.db.selectFrom('users').select('id').where('role', '=', 'supervisor').executeTakeFirstOrThrow()).id;
    await refused(`/api/stats/by-agent?agent=${supervisorId}`, supervisor, 404, 'NOT_FOUND');
    await refused(`/api/stats/by-agent?agent=${otherAgentId}`, agent, 403, 'FORBIDDEN');
    await refused(`/api/stats/by-department?department=${otherDept}`, official, 403, 'FORBIDDEN');
    await refused(`/api/stats/by-task/export?format=xlsx&department=${otherDept}`, official, 403, 'FORBIDDEN');
    // An official with no department sees no department's figures.
    await refused('/api/stats/by-department', homeless, 403, 'FORBIDDEN');
    await refused('/api/stats/by-task', homeless, 403, 'FORBIDDEN');
    // Reports that are the centre's, by role.
    for (const url of ['/api/stats/service', '/api/stats/by-period', '/api/stats/headline', '/api/stats/rising', '/api/stats/by-agent/export?format=csv']) {
      await refused(url, official, 403, 'FORBIDDEN');
      await refused(url, agent, 403, 'FORBIDDEN');
    }
  });
});
