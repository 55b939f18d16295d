import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors';
import { parseImportFile } from './kb-import';

const body = '여권은 시청 민원여권과에서 신청합니다. 신분증과 사진이 필요합니다.';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('IMPORT_INVALID');
    return e as AppError;
  }
  throw new Error('expected the file to be refused');
}

describe('import files', () => {
  it('reads an articles CSV with keywords separated by commas inside quotes', () => {
    const b = parseImportFile('kb.csv', `category,title,body,keywords\n02-01,여권 신청 방법,${body},"여권, 여권발급"\n`);
    expect(b.articles).toEqual([{ line: 2, row: { category: '02-01', title: '여권 신청 방법', body, keywords: ['여권', '여권발급'] } }]);
    expect(b.problems).toEqual([]);
  });

  it('collects every bad CSV row with its line', () => {
    const csv = ['category,title,body', `02-01,여권 신청 방법,${body}`, `,제목만 있음,${body}`, '02-02,등본,짧음', `02-03,인감,${body}`].join('\n');
    const b = parseImportFile('kb.csv', csv);
    expect(b.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(b.problems[0]?.message).toContain('category');
    expect(b.problems[1]?.message).toContain('body');
    expect(b.articles.map((a) => a.line)).toEqual([2, 5]);
  });

  it('reports bad JSON articles by the line they start on', () => {
    const json = `[\n  {"category":"02-01","title":"여권 신청","body":"${body}"},\n  {"category":"02-01",\n   "title":"x","body":"${body}"}\n]`;
    const b = parseImportFile('kb.json', json);
    expect(b.problems).toHaveLength(1);
    expect(b.problems[0]?.line).toBe(3);
  });

  it('reads a taxonomy CSV, parents from the codes, parents first whatever the order', () => {
    const csv = ['code,name,department,complaint_type,deadline_days', '90-01-01,세부,,,', '90,분야,,,', '90-01,업무,D01,inquiry,', '90-02,법정 업무,D01,statutory,10'].join('\n');
    const b = parseImportFile('taxonomy.csv', csv);
    expect(b.problems).toEqual([]);
    expect(b.categories.map((c) => [c.code, c.parentCode])).toEqual([
      ['90', null],
      ['90-01', '90'],
      ['90-02', '90'],
      ['90-01-01', '90-01'],
    ]);
    expect(b.categories.find((c) => c.code === '90-02')).toMatchObject({ department: 'D01', complaintType: 'statutory', deadlineDays: 10, line: 5 });
  });

  it('reports a bad complaint type or deadline in a taxonomy CSV by line', () => {
    const b = parseImportFile('t.csv', 'code,name,department,complaint_type,deadline_days\n90,분야,,,\n90-01,업무,D01,urgent,\n90-02,업무,D01,inquiry,-3\n');
    expect(b.problems.map((p) => p.line)).toEqual([3, 4]);
  });

  it('reads a JSON bundle of departments, a category tree and articles, with lines of nested codes', () => {
    const json = JSON.stringify(
      { departments: [{ code: 'D90', name: '시험과' }], categories: [{ code: '90', name: '분야', children: [{ code: '90-01', name: '업무', department: 'D90', complaintType: 'other' }] }], articles: [{ category: '90-01', title: '시험 자료', body }] },
      null,
      2,
    );
    const b = parseImportFile('bundle.json', json);
    expect(b.problems).toEqual([]);
    expect(b.departments).toEqual([{ code: 'D90', name: '시험과' }]);
    expect(b.categories.map((c) => [c.code, c.parentCode, c.line > 0])).toEqual([
      ['90', null, true],
      ['90-01', '90', true],
    ]);
    expect(b.articles[0]?.line).toBeGreaterThan(b.categories[1]?.line ?? 0);
  });

  it('refuses broken JSON, a wrong CSV header and an empty file', () => {
    expect(thrown(() => parseImportFile('kb.json', '[{"a":')).message).toContain('JSON');
    expect(thrown(() => parseImportFile('kb.csv', 'foo,bar\n1,2\n')).message).toContain('머리글');
    thrown(() => parseImportFile('kb.csv', 'category,title,body\n'));
    thrown(() => parseImportFile('kb.json', '{"nothing":1}'));
  });

  it('normalises NFD Hangul (pasted from macOS) to NFC', () => {
    const b = parseImportFile('kb.csv', `category,title,body\n02-01,${'여권 신청'.normalize('NFD')},${body}\n`);
    expect(b.articles[0]?.row.title).toBe('여권 신청');
  });
});
