import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors';
import { createTestContext, type TestContext } from '../../test/test-app';
import { parseImportFile } from './kb-import';
import { importKnowledgeBase } from './kb.service';

const body = '대형폐기물은 인터넷 또는 행정복지센터에서 신고하고 수수료를 납부한 뒤 배출합니다.';

describe('knowledge-base import: all or nothing, problems by line', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  const count = async (table: 'departments' | 'categories' | 'articles') =>
    Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('imports a bundle of departments, taxonomy and articles, then finds the articles', async () => {
    const json = JSON.stringify({
      departments: [{ code: 'D07', name: '자원순환과' }],
      categories: [{ code: '04', name: '환경·청소', children: [{ code: '04-01', name: '대형폐기물', department: 'D07', complaintType: 'other', children: [{ code: '04-01-01', name: '배출 신고' }] }] }],
      articles: [{ category: '04-01-01', title: '대형폐기물 배출 신고와 수수료', body, keywords: ['폐가구'] }],
      synonyms: [{ term: '헌 장롱', expansions: ['대형폐기물'] }],
    });
    expect((await t.deps.kbSearch.search({ q: '헌 장롱' })).hits).toEqual([]);
    const result = await importKnowledgeBase(t.deps, parseImportFile('bundle.json', json), null);
    expect(result).toEqual({ departments: 1, categories: 3, articles: 1, synonyms: 1 });
    // The search dictionary comes with the KB (issue #13) and is used at once.
    expect((await t.deps.kbSearch.search({ q: '헌 장롱 버리려면' })).hits[0]?.title).toBe('대형폐기물 배출 신고와 수수료');
    const detail = await t.deps.db.selectFrom('categories').selectAll().where('code', '=', '04-01-01').executeTakeFirstOrThrow();
    expect(detail).toMatchObject({ level: 3, path: '환경·청소 > 대형폐기물 > 배출 신고', complaint_type: 'other' });
    const found = await t.deps.kbSearch.search({ q: '폐기물 배출' });
    expect(found.hits.map((h) => h.title)).toContain('대형폐기물 배출 신고와 수수료');
  });

  it('updates categories by code on a second import', async () => {
    await importKnowledgeBase(t.deps, parseImportFile('t.csv', 'code,name,department,complaint_type\n04-01,대형 폐기물,D07,other\n'), null);
    const task = await t.deps.db.selectFrom('categories').selectAll().where('code', '=', '04-01').executeTakeFirstOrThrow();
    expect(task.name).toBe('대형 폐기물');
    expect(await count('categories')).toBe(3);
  });

  it('refuses a file with any problem, lists them all by line, and writes nothing', async () => {
    const before = { d: await count('departments'), c: await count('categories'), a: await count('articles') };
    const csv = ['category,title,body', `04-01-01,좋은 자료,${body}`, `99-99,없는 분류,${body}`, '04-01,짧은 본문,짧음'].join('\n');
    let error: AppError | undefined;
    try {
      await importKnowledgeBase(t.deps, parseImportFile('kb.csv', csv), null);
    } catch (e) {
      error = e as AppError;
    }
    expect(error?.code).toBe('IMPORT_INVALID');
    const problems = (error?.details as { problems: Array<{ line: number; message: string }> }).problems;
    expect(problems.map((p) => p.line)).toEqual([3, 4]);
    expect(problems[0]?.message).toContain('99-99');
    expect({ d: await count('departments'), c: await count('categories'), a: await count('articles') }).toEqual(before);
  });

  it('refuses unknown parents and departments in a taxonomy', async () => {
    const csv = 'code,name,department,complaint_type\n77-01,고아 업무,D07,other\n04-09,부서 없음,D99,other\n04-08,유형 없음,,\n';
    await expect(importKnowledgeBase(t.deps, parseImportFile('t.csv', csv), null)).rejects.toMatchObject({
      code: 'IMPORT_INVALID',
      details: { problems: [{ line: 2 }, { line: 3 }, { line: 4 }] },
    });
  });
});
