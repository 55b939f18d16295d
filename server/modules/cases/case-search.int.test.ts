import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSearchAnswer } from '../../../core/contracts/cases';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { nameIndex } from '../privacy/name-index';

/** 상담 이력 검색 (issue #18 item 11): by number (blind index), case number, category, KST dates; an access record. */
describe('case search', () => {
  let t: TestContext;
  let agent: string;
  let official: string;
  let tax: Awaited<ReturnType<typeof buildCategoryChain>>;
  let water: Awaited<ReturnType<typeof buildCategoryChain>>;
  const numbers: string[] = [];

  beforeAll(async () => {
    t = await createTestContext();
    const dept = await buildDepartment(t.deps.db, { name: '세정과' });
    tax = await buildCategoryChain(t.deps.db, dept.id);
    water = await buildCategoryChain(t.deps.db, dept.id, 'inquiry', ['상하수도', '누수·단수', '도로·보도 누수 신고']);
    await buildUser(t.deps.db, { role: 'agent', login: 'cs-agent' });
    await buildUser(t.deps.db, { role: 'official', login: 'cs-official', departmentId: dept.id });
    agent = await t.signIn('cs-agent');
    official = await t.signIn('cs-official');
    // Three cases on Friday 2026-11-27 (KST), one on the next day.
    const record = async (callerNumber: string, categoryId: string, summary: string, name?: string) => {
      const call = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie: agent }, payload: { callerNumber } });
      expect(call.statusCode, call.body).toBe(201);
      const citizenId = call.json().callerCard.citizenId as string;
      if (name) {
        const named = await t.app.inject({ method: 'PUT', url: `/api/citizens/${citizenId}/name`, headers: { cookie: agent }, payload: { name } });
        expect(named.statusCode, named.body).toBe(204);
      }
      const res = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { cookie: agent }, payload: { interactionId: call.json().interaction.id, categoryId, summary, outcome: 'resolved' } });
      expect(res.statusCode, res.body).toBe(201);
      numbers.push(res.json().number as string);
      await t.app.inject({ method: 'POST', url: `/api/calls/${call.json().interaction.id}/end`, headers: { cookie: agent } });
    };
    await record('010-2222-0001', tax.detail.id, '연납 문의', '홍길동');
    await record('010-2222-0001', water.detail.id, '보도 누수');
    await record('010-2222-0002', tax.task.id, '자동차세 납기', '홍길순');
    t.clock.advance(24 * 3_600_000);
    agent = await t.signIn('cs-agent');
    official = await t.signIn('cs-official');
    await record('010-2222-0002', water.task.id, '단수 문의');
  });
  afterAll(async () => t.close());

  const search = async (query: string, cookie = agent) => t.app.inject({ method: 'GET', url: `/api/cases/search?${query}`, headers: { cookie } });
  const summaries = async (query: string) => {
    const res = await search(query);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as CaseSearchAnswer).items.map((i) => i.summary);
  };

  it('finds a caller’s cases by number, whatever its spelling, newest first', async () => {
    expect(await summaries('phone=010-2222-0001')).toEqual(['보도 누수', '연납 문의']);
    expect(await summaries('phone=%2B82%2010%202222%200002')).toEqual(['단수 문의', '자동차세 납기']);
    expect(await summaries('phone=010-9999-0000')).toEqual([]);
  });

  it('finds a citizen’s cases by the whole name through its blind index, never by a part of it', async () => {
    expect(await summaries(`name=${encodeURIComponent('홍길동')}`)).toEqual(['보도 누수', '연납 문의']);
    // Spaces and a middle dot do not matter; the name is compared whole, so 성 alone or a part finds nothing.
    expect(await summaries(`name=${encodeURIComponent(' 홍 길동 ')}`)).toEqual(['보도 누수', '연납 문의']);
    expect(await summaries(`name=${encodeURIComponent('홍·길순')}`)).toEqual(['단수 문의', '자동차세 납기']);
    expect(await summaries(`name=${encodeURIComponent('홍길')}`)).toEqual([]);
    expect(await summaries(`name=${encodeURIComponent('길동')}`)).toEqual([]);
    expect(await summaries(`name=${encodeURIComponent('홍길동')}&from=2026-11-28`)).toEqual([]);
    // The database holds the index, never the name.
    const rows = await t.deps.db.selectFrom('citizens').select(['name_sealed', 'name_index']).where('name_index', 'is not', null).execute();
    expect(rows.map((r) => r.name_index).sort()).toEqual([nameIndex(t.deps.vault, '홍길동'), nameIndex(t.deps.vault, '홍길순')].sort());
    for (const r of rows) expect(r.name_sealed).not.toMatch(/홍/);
  });

  it('by case number or day, by category with its sub-categories, by KST dates and outcome', async () => {
    expect(await summaries(`number=${numbers[1]}`)).toEqual(['보도 누수']);
    expect((await summaries(`number=${numbers[0]!.slice(0, 8)}`)).length).toBe(3);
    expect(await summaries(`categoryId=${tax.task.id}`)).toEqual(['자동차세 납기', '연납 문의']);
    expect(await summaries(`categoryId=${water.field.id}`)).toEqual(['단수 문의', '보도 누수']);
    expect(await summaries('from=2026-11-28&to=2026-11-28')).toEqual(['단수 문의']);
    expect((await summaries('from=2026-11-27&to=2026-11-27&outcome=resolved')).length).toBe(3);
    const page = (await search('from=2026-11-01&limit=2&offset=2')).json() as CaseSearchAnswer;
    expect([page.total, page.items.length]).toEqual([4, 2]);
  });

  it('records the search as an access record naming the citizens shown', async () => {
    await summaries('phone=010-2222-0001');
    const records = await t.deps.db.selectFrom('access_records').select(['action', 'target']).where('target', '=', 'cases:search').execute();
    expect(records.length).toBeGreaterThan(0);
  });

  it('refuses searches without a criterion, reversed or too long ranges and bad values; officials are not let in', async () => {
    const cases: [string, number, string][] = [
      ['', 400, 'VALIDATION_FAILED'],
      ['outcome=resolved', 400, 'VALIDATION_FAILED'],
      ['from=2026-11-28&to=2026-11-01', 400, 'VALIDATION_FAILED'],
      ['from=2025-01-01&to=2026-11-27', 400, 'VALIDATION_FAILED'],
      ['phone=abc', 400, 'VALIDATION_FAILED'],
      [`name=${encodeURIComponent('홍')}`, 400, 'VALIDATION_FAILED'],
      [`name=${'가'.repeat(41)}`, 400, 'VALIDATION_FAILED'],
      ['name=%20%20', 400, 'VALIDATION_FAILED'],
      ['number=1234', 400, 'VALIDATION_FAILED'],
      ['limit=500&from=2026-11-01', 400, 'VALIDATION_FAILED'],
      ['categoryId=0190f5a2-8c1e-7b6a-9d3e-123456789abc', 404, 'NOT_FOUND'],
    ];
    for (const [query, status, code] of cases) {
      const res = await search(query);
      expect([query, res.statusCode, res.json().error?.code]).toEqual([query, status, code]);
    }
    expect((await search('phone=010-2222-0001', official)).statusCode).toBe(403);
  });
});
