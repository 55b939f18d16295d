import { describe, expect, it } from 'vitest';
import type { Category } from '../../../core/contracts/org';
import { filterCategories, toCategoryOptions } from './category-match';

const cat = (code: string, path: string, level: number): Category => ({
  id: code,
  parentId: null,
  level,
  code,
  name: path.split(' > ').at(-1) ?? path,
  path,
  departmentId: level > 1 ? 'd1' : null,
  deadlineDays: null,
  departmentName: level > 1 ? '세정과' : null,
  complaintType: level > 1 ? 'inquiry' : null,
});

const options = toCategoryOptions([
  cat('01', '세무', 1),
  cat('01-01', '세무 > 자동차세', 2),
  cat('01-01-01', '세무 > 자동차세 > 자동차세 연납 신청', 3),
  cat('01-02', '세무 > 재산세', 2),
  cat('05-02', '상하수도 > 누수·단수', 2),
  cat('05-02-01', '상하수도 > 누수·단수 > 도로·보도 누수 신고', 3),
]);

describe('filterCategories', () => {
  it('never offers a field (level 1)', () => {
    expect(options.map((o) => o.code)).not.toContain('01');
  });
  it('finds by a word of the path, names first, the most specific match first (#18 item 5)', () => {
    expect(filterCategories(options, '누수').map((o) => o.code)).toEqual(['05-02-01', '05-02']);
    expect(filterCategories(options, '연납').map((o) => o.code)).toEqual(['01-01-01']);
    // Path-only matches come after name matches: 세무 finds its tasks and details by their path.
    expect(filterCategories(options, '재산세').map((o) => o.code)).toEqual(['01-02']);
  });
  it('a name typed in full picks that category, even a task', () => {
    expect(filterCategories(options, '자동차세').map((o) => o.code)).toEqual(['01-01', '01-01-01']);
  });
  it('ignores spacing and requires every word', () => {
    expect(filterCategories(options, '자동차세연납').map((o) => o.code)).toEqual(['01-01-01']);
    expect(filterCategories(options, '세무 연납').map((o) => o.code)).toEqual(['01-01-01']);
  });
  it('matches initial consonants', () => {
    expect(filterCategories(options, 'ㅈㅅㅅ').map((o) => o.code)).toEqual(['01-02']);
  });
});
