import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleAdmin, ArticleListPage, EditorChangePage } from '../../../core/contracts/editors';
import type { KbSearchResult } from '../../../core/contracts/kb';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { testDialect } from '../../test/test-db';

/** 상담 자료 관리 (issue #18 item 13): the article editor, its roles, the search index on save, use counts. */
describe(`knowledge article editor (${testDialect()})`, () => {
  let t: TestContext;
  let admin: string;
  let agent: string;
  let official: string;
  let taxDetail: string;
  let waterDetail: string;
  let officialId: string;
  let agentId: string;

  beforeAll(async () => {
    t = await createTestContext();
    const tax = await buildDepartment(t.deps.db, { name: '세정과' });
    const water = await buildDepartment(t.deps.db, { name: '상수도과' });
    taxDetail = (await buildCategoryChain(t.deps.db, tax.id)).detail.id;
    waterDetail = (await buildCategoryChain(t.deps.db, water.id, 'inquiry', ['상하수도', '누수', '계량기 동파'])).detail.id;
    await buildUser(t.deps.db, { role: 'admin', login: 'kbe-admin' });
    agentId = (await buildUser(t.deps.db, { role: 'agent', login: 'kbe-agent' })).id;
    officialId = (await buildUser(t.deps.db, { role: 'official', login: 'kbe-official', departmentId: water.id, name: '박담당' })).id;
    admin = await t.signIn('kbe-admin');
    agent = await t.signIn('kbe-agent');
    official = await t.signIn('kbe-official');
  });
  afterAll(async () => t.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, cookie = admin) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const deskTitles = async (q: string) => ((await call('GET', `/api/kb/search?q=${encodeURIComponent(q)}`, undefined, agent)).json() as KbSearchResult).hits.map((h) => h.title);
  const counts = async () => {
    const n = async (table: 'articles' | 'article_versions') => Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return [await n('articles'), await n('article_versions')];
  };
  const draft = {
    title: '자동차세 연납 신청 기간',
    body: '자동차세 연납은 1월, 3월, 6월, 9월에 신청할 수 있으며 위택스에서도 신청합니다.',
    keywords: ['연납'],
    categoryId: '',
    ownerId: null,
    reviewBy: '2027-06-30',
  };

  it('a new article is a draft the desk does not find; published it is found, saved it is found by its new words, archived never', async () => {
    const res = await call('POST', '/api/kb/editor/articles', { ...draft, categoryId: taxDetail });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json() as ArticleAdmin;
    expect(a).toMatchObject({ status: 'draft', version: 1, departmentName: '세정과', reviewBy: '2027-06-30', reviewOverdue: false, useCount: 0, openCount: 0, editable: true });
    expect(await deskTitles('자동차세 연납 신청')).not.toContain(draft.title);

    const published = await call('POST', `/api/kb/editor/articles/${a.id}/status`, { action: 'publish' });
    expect(published.json()).toMatchObject({ status: 'published' });
    expect(await deskTitles('자동차세 연납 신청')).toContain(draft.title);

    const saved = await call('PUT', `/api/kb/editor/articles/${a.id}`, { ...draft, categoryId: taxDetail, body: `${draft.body} 연납하면 세액의 일부를 공제받는 세액공제 혜택이 있습니다.`, keywords: ['연납', '세액공제'] });
    expect(saved.json()).toMatchObject({ version: 2, status: 'published' });
    expect(await deskTitles('세액공제')).toContain(draft.title);

    const archived = await call('POST', `/api/kb/editor/articles/${a.id}/status`, { action: 'archive' });
    expect(archived.json()).toMatchObject({ status: 'archived' });
    expect(await deskTitles('자동차세 연납 신청')).not.toContain(draft.title);
    expect(await deskTitles('세액공제')).not.toContain(draft.title);
    // Kept: the editor still lists it; the desk's article route does not open it.
    expect((await call('GET', `/api/kb/editor/articles/${a.id}`)).json()).toMatchObject({ status: 'archived', version: 2 });
    expect((await call('GET', `/api/kb/articles/${a.id}`, undefined, agent)).statusCode).toBe(404);
    const again = await call('POST', `/api/kb/editor/articles/${a.id}/status`, { action: 'archive' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'INVALID_TRANSITION']);
    const versions = await t.deps.db.selectFrom('article_versions').select('version').where('article_id', '=', a.id).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it('shows use counts (cases that used it, opens from the search) and highlights a review date that has passed', async () => {
    const a = (await call('POST', '/api/kb/editor/articles', { ...draft, title: '계량기 동파 신고', body: '계량기가 얼어 터지면 상수도과로 신고하고 교체 비용을 안내합니다.', categoryId: waterDetail, reviewBy: '2026-11-20', ownerId: officialId })).json() as ArticleAdmin;
    expect(a).toMatchObject({ ownerName: '박담당', reviewOverdue: true });
    await call('POST', `/api/kb/editor/articles/${a.id}/status`, { action: 'publish' });
    const c = await call('POST', '/api/calls/simulate', { callerNumber: '010-4444-0001' }, agent);
    const rec = await call('POST', '/api/cases', { interactionId: c.json().interaction.id, categoryId: waterDetail, summary: '계량기 동파 문의', outcome: 'resolved', articleIds: [a.id] }, agent);
    expect(rec.statusCode, rec.body).toBe(201);
    expect((await call('POST', '/api/kb/feedback', { kind: 'open', query: '계량기 동파', articleId: a.id }, agent)).statusCode).toBe(204);
    const listed = (await call('GET', '/api/kb/editor/articles?reviewOverdue=true')).json().items as ArticleAdmin[];
    expect(listed.map((x) => [x.title, x.useCount, x.openCount, x.reviewOverdue])).toEqual([['계량기 동파 신고', 1, 1, true]]);
    const byTitle = (await call('GET', `/api/kb/editor/articles?q=${encodeURIComponent('동파')}&status=published`)).json().items as ArticleAdmin[];
    expect(byTitle.map((x) => x.id)).toEqual([a.id]);
  });

  it('an official edits his own department’s articles only; agents do not edit; bad input writes nothing', async () => {
    const mine = await call('POST', '/api/kb/editor/articles', { ...draft, title: '누수 신고 접수', body: '도로나 보도에서 물이 새면 상수도과에서 현장을 확인합니다.', categoryId: waterDetail }, official);
    expect(mine.statusCode, mine.body).toBe(201);
    const others = await call('POST', '/api/kb/editor/articles', { ...draft, categoryId: taxDetail }, official);
    expect([others.statusCode, others.json().error.code]).toEqual([403, 'ARTICLE_EDIT_FORBIDDEN']);
    t.clock.advance(60_000);
    expect((await call('POST', '/api/kb/editor/articles', { ...draft, title: '자동차세 납부 안내', categoryId: taxDetail })).statusCode).toBe(201);
    expect(((await call('GET', '/api/kb/editor/articles')).json().items as ArticleAdmin[])[0]!.title).toBe('자동차세 납부 안내');
    const seen = (await call('GET', '/api/kb/editor/articles', undefined, official)).json().items as ArticleAdmin[];
    // His own department's articles first (the newest of all is another department's).
    expect(seen.map((x) => x.editable)).toEqual([...seen].sort((x, y) => Number(y.editable) - Number(x.editable)).map((x) => x.editable));
    expect(seen[0]!.departmentName).toBe('상수도과');
    const taxArticle = seen.find((x) => x.departmentName === '세정과')!;
    expect(taxArticle.editable).toBe(false);
    const edit = await call('PUT', `/api/kb/editor/articles/${taxArticle.id}`, { ...draft, categoryId: taxDetail }, official);
    expect([edit.statusCode, edit.json().error.code]).toEqual([403, 'ARTICLE_EDIT_FORBIDDEN']);
    const publish = await call('POST', `/api/kb/editor/articles/${taxArticle.id}/status`, { action: 'publish' }, official);
    expect([publish.statusCode, publish.json().error.code]).toEqual([403, 'ARTICLE_EDIT_FORBIDDEN']);
    // Moving his own article into another department's category is editing that department's KB.
    const move = await call('PUT', `/api/kb/editor/articles/${(mine.json() as ArticleAdmin).id}`, { ...draft, categoryId: taxDetail }, official);
    expect([move.statusCode, move.json().error.code]).toEqual([403, 'ARTICLE_EDIT_FORBIDDEN']);
    expect((await call('POST', '/api/kb/editor/articles', { ...draft, categoryId: taxDetail }, agent)).statusCode).toBe(403);
    expect((await call('GET', '/api/kb/editor/articles', undefined, agent)).statusCode).toBe(403);

    const before = await counts();
    const bad: [object, number][] = [
      [{ ...draft, categoryId: taxDetail, title: 'x' }, 400],
      [{ ...draft, categoryId: taxDetail, body: '짧음' }, 400],
      [{ ...draft, categoryId: taxDetail, reviewBy: '2026-13-01' }, 400],
      [{ ...draft, categoryId: '0190f5a2-8c1e-7b6a-9d3e-123456789abc' }, 400],
      [{ ...draft, categoryId: taxDetail, ownerId: agentId }, 400],
      [{ ...draft, categoryId: 'not-an-id' }, 400],
    ];
    for (const [payload, status] of bad) {
      const r = await call('POST', '/api/kb/editor/articles', payload);
      expect([r.statusCode, r.json().error?.code]).toEqual([status, 'VALIDATION_FAILED']);
    }
    const badSave = await call('PUT', `/api/kb/editor/articles/${taxArticle.id}`, { ...draft, categoryId: taxDetail, ownerId: agentId });
    expect(badSave.statusCode).toBe(400);
    expect((await call('POST', `/api/kb/editor/articles/${taxArticle.id}/status`, { action: 'delete' })).statusCode).toBe(400);
    expect(await counts()).toEqual(before);
  });
  it('records create, save, publish and archive in the 변경 이력 with the editor and the changed fields', async () => {
    const created = (await call('POST', '/api/kb/editor/articles', { ...draft, title: '이력 확인용 자료', categoryId: waterDetail }, official)).json() as ArticleAdmin;
    await call('PUT', `/api/kb/editor/articles/${created.id}`, { ...draft, title: '이력 확인용 자료 (개정)', categoryId: waterDetail }, official);
    await call('POST', `/api/kb/editor/articles/${created.id}/status`, { action: 'publish' }, official);
    await call('POST', `/api/kb/editor/articles/${created.id}/status`, { action: 'archive' });
    const items = ((await call('GET', '/api/admin/editor-changes?entity=article&limit=100')).json() as EditorChangePage).items.filter((c) => c.entityId === created.id);
    expect(items.map((c) => [c.action, c.actorId])).toEqual([
      ['archive', expect.not.stringMatching(officialId)],
      ['publish', officialId],
      ['update', officialId],
      ['create', officialId],
    ]);
    expect(items[2]!.changes).toMatchObject({ title: ['이력 확인용 자료', '이력 확인용 자료 (개정)'], version: [1, 2] });
    expect(items[1]!.changes).toEqual({ status: ['draft', 'published'] });
    // A refused save records nothing.
    await call('PUT', `/api/kb/editor/articles/${created.id}`, { ...draft, categoryId: taxDetail }, official);
    expect(((await call('GET', '/api/admin/editor-changes?entity=article&limit=100')).json() as EditorChangePage).items.filter((c) => c.entityId === created.id)).toHaveLength(4);
  });

  it('lists a page at a time: pages join up to the whole list, the last has no next page', async () => {
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      const res = await call('POST', '/api/kb/editor/articles', { ...draft, title: `쪽 나눔 자료 ${i}`, categoryId: taxDetail });
      expect(res.statusCode, res.body).toBe(201);
    }
    const q = `q=${encodeURIComponent('쪽 나눔')}`;
    const page = async (offset: number) => (await call('GET', `/api/kb/editor/articles?${q}&limit=2&offset=${offset}`)).json() as ArticleListPage;
    const p1 = await page(0);
    const p2 = await page(p1.nextOffset!);
    const p3 = await page(p2.nextOffset!);
    expect([p1.nextOffset, p2.nextOffset, p3.nextOffset]).toEqual([2, 4, null]);
    expect([...p1.items, ...p2.items, ...p3.items].map((a) => a.title)).toEqual([4, 3, 2, 1, 0].map((i) => `쪽 나눔 자료 ${i}`));
    const bad = await call('GET', '/api/kb/editor/articles?limit=500');
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
