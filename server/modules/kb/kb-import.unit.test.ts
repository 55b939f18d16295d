import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors';
import { parseArticleFile } from './kb-import';

function problemsOf(fn: () => unknown): Array<{ line: number; message: string }> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('IMPORT_INVALID');
    return ((e as AppError).details as { problems: Array<{ line: number; message: string }> }).problems;
  }
  throw new Error('expected the file to be refused');
}

const body = '여권은 시청 민원여권과에서 신청합니다. 신분증과 사진이 필요합니다.';

describe('knowledge-base import files', () => {
  it('reads CSV with keywords separated by commas inside quotes', () => {
    const rows = parseArticleFile('kb.csv', `category,title,body,keywords\n02-01,여권 신청 방법,${body},"여권, 여권발급"\n`);
    expect(rows).toEqual([{ line: 2, row: { category: '02-01', title: '여권 신청 방법', body, keywords: ['여권', '여권발급'] } }]);
  });

  it('reports every bad CSV row by its line and returns nothing', () => {
    const csv = ['category,title,body', `02-01,여권 신청 방법,${body}`, `,제목만 있음,${body}`, '02-02,등본,짧음', `02-03,인감,${body}`].join('\n');
    const problems = problemsOf(() => parseArticleFile('kb.csv', csv));
    expect(problems.map((p) => p.line)).toEqual([3, 4]);
    expect(problems[0]?.message).toContain('category');
    expect(problems[1]?.message).toContain('body');
  });

  it('reports bad JSON elements by the line they start on', () => {
    const json = `[\n  {"category":"02-01","title":"여권 신청","body":"${body}"},\n  {"category":"02-01",\n   "title":"x","body":"${body}"}\n]`;
    const problems = problemsOf(() => parseArticleFile('kb.json', json));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(3);
  });

  it('refuses broken JSON, a non-array and an empty file', () => {
    expect(problemsOf(() => parseArticleFile('kb.json', '[{"a":'))).toHaveLength(1);
    expect(problemsOf(() => parseArticleFile('kb.json', '{"a":1}'))).toHaveLength(1);
    expect(problemsOf(() => parseArticleFile('kb.csv', 'category,title,body\n'))).toHaveLength(0);
  });

  it('normalises NFD Hangul (pasted from macOS) to NFC', () => {
    const rows = parseArticleFile('kb.csv', `category,title,body\n02-01,${'여권 신청'.normalize('NFD')},${body}\n`);
    expect(rows[0]?.row.title).toBe('여권 신청');
  });
});
