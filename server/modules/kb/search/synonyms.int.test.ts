import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/test-app';
import { buildUser } from '../../../test/factories';

describe('search synonym dictionary (issue #13)', () => {
  let ctx: TestContext;
  let admin: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    await buildUser(ctx.deps.db, { login: 'kb.owner', role: 'admin' });
    admin = await ctx.signIn('kb.owner');
  });
  afterAll(() => ctx.close());

  it('adds, edits, exports, imports and deletes entries; bad input is a 400', async () => {
    const add = await ctx.app.inject({ method: 'POST', url: '/api/kb/synonyms', headers: { cookie: admin }, payload: { term: '쓰레기봉투', expansions: ['종량제봉투'] } });
    expect(add.statusCode).toBe(200);
    const id = add.json<{ synonyms: { id: string; term: string }[] }>().synonyms.find((s) => s.term === '쓰레기봉투')!.id;
    const edit = await ctx.app.inject({ method: 'PUT', url: `/api/kb/synonyms/${id}`, headers: { cookie: admin }, payload: { term: '쓰레기 봉투', expansions: ['종량제봉투', '종량제 봉투'] } });
    expect(edit.statusCode).toBe(200);
    const imported = await ctx.app.inject({ method: 'POST', url: '/api/kb/synonyms/import', headers: { cookie: admin }, payload: { synonyms: [{ term: '아기 수당', expansions: ['아동수당'] }] } });
    expect(imported.json()).toEqual({ imported: 1 });
    const list = await ctx.app.inject({ method: 'GET', url: '/api/kb/synonyms', headers: { cookie: admin } });
    expect(list.json<{ synonyms: { term: string }[] }>().synonyms.map((s) => s.term)).toEqual(['쓰레기 봉투', '아기 수당']);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/kb/synonyms', headers: { cookie: admin }, payload: { term: '🙂', expansions: ['x'] } })).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/kb/synonyms/${id}`, headers: { cookie: admin } })).statusCode).toBe(200);
  });
});
