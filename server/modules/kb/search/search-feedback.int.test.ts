import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KbSearchGap, KbSearchResult } from '../../../../core/contracts/kb';
import { createTestContext, type TestContext } from '../../../test/test-app';
import { buildCategoryChain, buildDepartment, buildUser } from '../../../test/factories';
import { addArticles } from '../kb.service';

/*
 * Learning from agents and bad input (issue #13), through the HTTP API on the run's database: what an agent opens or
 * uses after a search is remembered (masked) and lifts that article for similar questions, the owners see the
 * questions that found nothing, were recorded missing or whose results nobody opened, and no question is a 500.
 */
describe('search feedback, learning and bad input (issue #13)', () => {
  let ctx: TestContext;
  let agent: string;
  let owner: string;
  const ids = new Map<string, string>();
  /** `q` is sent URL-encoded; a `%` escape given as `encoded` is sent as it is (invalid UTF-8). */
  const search = async (q: string, extra = '', encoded?: string) =>
    ctx.app.inject({ method: 'GET', url: `/api/kb/search?q=${encoded ?? encodeURIComponent(q)}${extra}`, headers: { cookie: agent } });
  const titlesFor = async (q: string) => (await search(q)).json<KbSearchResult>().hits.map((h) => h.title);
  const feedback = (payload: object) => ctx.app.inject({ method: 'POST', url: '/api/kb/feedback', headers: { cookie: agent }, payload });

  beforeAll(async () => {
    ctx = await createTestContext();
    const dept = await buildDepartment(ctx.deps.db, { name: '세무과' });
    const { detail } = await buildCategoryChain(ctx.deps.db, dept.id);
    const rows = [
      ['자동차세 납부 방법', '자동차세는 6월과 12월에 부과되며 위택스나 은행에서 납부할 수 있습니다.', ['자동차세', '납부']],
      ['자동차세 연납 할인', '1월에 1년치 자동차세를 한꺼번에 내면 세액 일부를 공제받습니다.', ['자동차세', '연납']],
      ['자동차세 체납과 번호판 영치', '자동차세를 체납하면 번호판이 영치될 수 있습니다. 납부 후 돌려받습니다.', ['자동차세', '체납']],
      ['재산세 납부 기간', '재산세는 7월과 9월에 나누어 납부합니다.', ['재산세']],
    ] as const;
    await ctx.deps.db.transaction().execute((trx) =>
      addArticles(ctx.deps, trx, rows.map(([title, body, keywords], i) => ({ line: i + 1, row: { category: detail.code, title, body, keywords: [...keywords] } })), { createdBy: null }),
    );
    for (const r of await ctx.deps.db.selectFrom('articles').select(['id', 'title']).execute()) ids.set(r.title, r.id);
    await buildUser(ctx.deps.db, { login: 'fb.agent', role: 'agent' });
    await buildUser(ctx.deps.db, { login: 'fb.owner', role: 'supervisor' });
    agent = await ctx.signIn('fb.agent');
  });
  afterAll(() => ctx.close());

  it('an article agents chose for a question ranks higher for a similar question, and only by a bounded boost', async () => {
    const before = await titlesFor('자동차세 좀 알려 주세요');
    const chosen = before[1]!;
    expect(before[0]).not.toBe(chosen);
    for (let i = 0; i < 3; i++) {
      ctx.clock.advance(11 * 60_000); // a repeat within ten minutes is not counted again
      expect((await feedback({ kind: 'use', query: '혹시 자동차세요', articleId: ids.get(chosen) })).statusCode).toBe(204);
    }
    const after = await titlesFor('자동차세 좀 알려 주세요');
    expect(after[0]).toBe(chosen);
    // A question about something else is not moved: the boost needs a shared concept.
    expect((await titlesFor('재산세 납부'))[0]).toBe('재산세 납부 기간');
    // Bounded: an article chosen for a question it does not answer at all does not jump over the one that does.
    for (let i = 0; i < 5; i++) {
      ctx.clock.advance(11 * 60_000);
      await feedback({ kind: 'use', query: '재산세 납부 기간', articleId: ids.get('자동차세 연납 할인') });
    }
    expect((await titlesFor('재산세 납부 기간'))[0]).toBe('재산세 납부 기간');
  });

  it('stores the question masked, never the caller\'s numbers', async () => {
    expect((await feedback({ kind: 'missing', query: '010-1234-5678 번으로 전기요금 할인 문의' })).statusCode).toBe(204);
    const rows = await ctx.deps.db.selectFrom('search_feedback').select(['query', 'query_key']).where('kind', '=', 'missing').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.query).not.toContain('1234');
    expect(rows[0]!.query_key).not.toContain('1234');
  });

  it('lists questions that found nothing, were recorded missing, or were shown without being opened, for KB owners only', async () => {
    expect((await search('우주선 발사 허가')).json<KbSearchResult>().hits).toEqual([]);
    expect((await feedback({ kind: 'shown', query: '재산세 분할 납부 되나요' })).statusCode).toBe(204);
    const forbidden = await ctx.app.inject({ method: 'GET', url: '/api/kb/search-gaps', headers: { cookie: agent } });
    expect(forbidden.statusCode).toBe(403);
    owner = await ctx.signIn('fb.owner'); // the clock moved past the idle timeout in the test above
    const res = await ctx.app.inject({ method: 'GET', url: '/api/kb/search-gaps', headers: { cookie: owner } });
    expect(res.statusCode).toBe(200);
    const gaps = res.json<{ gaps: KbSearchGap[] }>().gaps;
    expect(gaps.find((g) => g.query === '우주선 발사 허가')?.nothingFound).toBe(1);
    expect(gaps.some((g) => g.recordedMissing === 1 && g.query.includes('전기요금'))).toBe(true);
    expect(gaps.find((g) => g.query === '재산세 분할 납부 되나요')?.shownNotOpened).toBe(1);
    // Questions whose results were used are not gaps.
    expect(gaps.some((g) => g.query.includes('자동차세'))).toBe(false);
  });

  it('refuses feedback that does not fit: an open without an article, an unknown article', async () => {
    expect((await feedback({ kind: 'open', query: '자동차세' })).statusCode).toBe(400);
    expect((await feedback({ kind: 'open', query: '자동차세', articleId: '0190a0a0-0000-7000-8000-000000000000' })).statusCode).toBe(404);
    expect((await feedback({ kind: 'missing', query: '' })).statusCode).toBe(400);
  });

  it.each([
    ['empty', '', 400],
    ['spaces only', '   ', 400],
    ['1,000 characters', '자동차세 '.repeat(200), 400],
    ['100 characters of speech', '저기 제가 자동차세를 '.repeat(8).slice(0, 100), 200],
    ['emoji only', '🙂🙂🙂', 200],
    ['FTS syntax', '" * NEAR OR AND ( ', 200],
    ['FTS syntax around words', 'NEAR(자동차세 납부) OR "재산세', 200],
    ['SQL', "'; drop table articles; --", 200],
    ['mixed script', '자동차세 tax 納付 налог', 200],
    ['control characters', '자동차세\u0007 납부\u001b', 200],
    ['a NUL character', '자동차세\u0000', 400],
    ['invalid UTF-8', '%ED%A0%80%ED', 200],
  ])('bad input (%s) is a result or a 400, never a 500', async (_name, q, status) => {
    const encoded = q.startsWith('%') ? q : undefined;
    const res = await search(q, '', encoded);
    expect(res.statusCode).toBe(status);
    if (status === 200) expect(res.json<KbSearchResult>().hits).toBeInstanceOf(Array);
    const exact = await search(q, '&exact=true', encoded);
    expect(exact.statusCode).toBe(status);
  });
});
