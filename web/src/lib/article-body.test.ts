import { describe, expect, it } from 'vitest';
import { parseArticleBody } from './article-body';

describe('parseArticleBody', () => {
  it('reads headings, bullets and paragraphs', () => {
    const body = '■ 요약\n첫 줄\n둘째 줄\n\n■ 신고 방법\n- 인터넷: 누리집\n- 방문: 행정복지센터\n※ 수수료 변경 가능\n\n■ 담당\n자원순환과 (031-5180-2401)';
    expect(parseArticleBody(body)).toEqual([
      { kind: 'heading', text: '요약' },
      { kind: 'paragraph', text: '첫 줄\n둘째 줄' },
      { kind: 'heading', text: '신고 방법' },
      { kind: 'list', items: ['인터넷: 누리집', '방문: 행정복지센터', '※ 수수료 변경 가능'] },
      { kind: 'heading', text: '담당' },
      { kind: 'paragraph', text: '자원순환과 (031-5180-2401)' },
    ]);
  });
  it('keeps a body without markup as one paragraph per block', () => {
    expect(parseArticleBody('가\n나\n\n다')).toEqual([
      { kind: 'paragraph', text: '가\n나' },
      { kind: 'paragraph', text: '다' },
    ]);
  });
});
