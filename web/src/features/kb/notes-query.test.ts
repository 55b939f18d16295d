import { describe, expect, it } from 'vitest';
import { notesQuery } from './notes-query';

describe('searching from the case notes', () => {
  it.each([
    ['', ''],
    ['  \n ', ''],
    ['민원인 이사함. 전입신고 기한 문의', '전입신고 기한 문의'],
    ['어제 고지서 받음.\n자동차세', '어제 고지서 받음 자동차세'],
    ['자동차세   두 번\t냈다고 함', '자동차세 두 번 냈다고 함'],
  ])('%j → %j', (notes, query) => {
    expect(notesQuery(notes)).toBe(query);
  });

  it('keeps the end of a long sentence, at most 100 characters, from a word start', () => {
    const q = notesQuery(`${'아주 긴 설명이 계속 이어지는 '.repeat(10)}마지막 낱말`);
    expect(q.length).toBeLessThanOrEqual(100);
    expect(q.endsWith('마지막 낱말')).toBe(true);
    expect(q.startsWith(' ')).toBe(false);
  });
});
