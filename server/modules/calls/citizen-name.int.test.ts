import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected, CallerCard } from '../../../core/contracts/calls';
import { buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

// 민원인 이름 (issue #18 item 6): an unknown caller gives a name; the agent on the call writes it down. Sealed at rest,
// shown masked, recorded as an update; an agent who never served the citizen cannot; bad names are refused.
describe('naming an unknown caller', () => {
  let t: TestContext;
  let agent: string;
  let stranger: string;
  let official: string;
  let call: CallConnected;

  beforeAll(async () => {
    t = await createTestContext();
    const dept = await buildDepartment(t.deps.db);
    await buildUser(t.deps.db, { role: 'agent', login: 'cn-agent' });
    await buildUser(t.deps.db, { role: 'agent', login: 'cn-stranger' });
    await buildUser(t.deps.db, { role: 'official', login: 'cn-official', departmentId: dept.id });
    agent = await t.signIn('cn-agent');
    stranger = await t.signIn('cn-stranger');
    official = await t.signIn('cn-official');
    const res = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: agent }, payload: { callerNumber: '010-8282-4545' } });
    call = res.json();
    expect(call.callerCard).toMatchObject({ name: null, isKnown: false });
  });
  afterAll(async () => t.close());

  const name = (cookie: string, payload: unknown, id = call.callerCard.citizenId) =>
    t.app.inject({ method: 'PUT', url: `/api/citizens/${id}/name`, headers: { cookie }, payload: payload as Record<string, unknown> });
  const card = async () => (await t.app.inject({ method: 'GET', url: `/api/citizens/${call.callerCard.citizenId}/card`, headers: { cookie: agent } })).json() as CallerCard;

  it('writes the name down: sealed at rest, masked on the card, recorded as an update', async () => {
    const res = await name(agent, { name: ' 최민수 ' });
    expect(res.statusCode, res.body).toBe(204);
    expect(await card()).toMatchObject({ name: '최*수', isKnown: true });
    const row = await t.deps.db.selectFrom('citizens').select('name_sealed').where('id', '=', call.callerCard.citizenId).executeTakeFirstOrThrow();
    expect(row.name_sealed).not.toContain('최민수');
    expect(t.deps.vault.open(row.name_sealed!)).toBe('최민수');
    const record = await t.deps.db.selectFrom('access_records').select(['action', 'target', 'subject', 'result']).where('action', '=', 'update').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(record).toEqual({ action: 'update', target: `citizen:${call.callerCard.citizenId}.name`, subject: call.callerCard.citizenId, result: 'success' });
  });

  it('refuses an agent who never served the citizen (recorded), an official, bad names and an unknown citizen', async () => {
    const refused = await name(stranger, { name: '김철수' });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'NEED_TO_KNOW']);
    expect((await card()).name).toBe('최*수');
    const denied = await t.deps.db.selectFrom('access_records').select(['action', 'result']).where('action', '=', 'update').where('result', '=', 'denied').execute();
    expect(denied).toHaveLength(1);
    expect((await name(official, { name: '김철수' })).statusCode).toBe(403);
    for (const bad of ['', ' ', '김', '010-1234-5678', 'a@b.kr', '가'.repeat(31)]) {
      const res = await name(agent, { name: bad });
      expect([res.statusCode, res.json().error.code], bad).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await name(agent, { name: '김철수' }, '01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });
});
