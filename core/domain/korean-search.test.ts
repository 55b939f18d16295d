import { describe, expect, it } from 'vitest';
import type { Highlight } from '../contracts/kb';
import {
  bigramIndexText,
  boundedEditDistance,
  buildExactMatch,
  buildFallbackMatch,
  buildSnippet,
  buildTsvectorLiteral,
  buildVocabulary,
  candidateTokens,
  compactText,
  correctTerm,
  exprWords,
  findHitRanges,
  highlightText,
  indexTokens,
  parseSearchQuery,
  phraseText,
  searchChars,
  stripParticle,
  toFts5Query,
  toFts5TitleQuery,
  toJamo,
  toTsQuery,
  vocabularyWords,
} from './korean-search';

/** Renders segments as a string with hits in [brackets], to keep the tables readable. */
const show = (h: Highlight) => h.map((s) => (s.hit ? `[${s.text}]` : s.text)).join('');

/** Substring search ignoring spacing and punctuation: the semantics the index promises. */
const compactIncludes = (text: string, term: string) => searchChars(text).join('').includes(searchChars(term).join(''));

/** What a phrase query finds in one field, simulated on token streams (phrase = contiguous tokens). */
const streamHasPhrase = (text: string, term: string) => {
  const tokens = indexTokens(text);
  const q = buildExactMatch(parseSearchQuery(term));
  if (!q || q.kind !== 'phrase') throw new Error('expected a phrase');
  return tokens.some((_, i) => q.tokens.every((t, j) => tokens[i + j] === t));
};

describe('bigram tokens (index and query share them)', () => {
  it.each([
    ['two syllables', '여권', ['여권', '권']],
    ['particle stays in the stream', '전입신고를', ['전입', '입신', '신고', '고를', '를']],
    ['cross-word bigram makes spacing irrelevant', '여권 발급', ['여권', '권발', '발급', '급']],
    ['spacing variant gives the same stream', '여권발급', ['여권', '권발', '발급', '급']],
    ['punctuation is dropped', '주·정차 위반', ['주정', '정차', '차위', '위반', '반']],
    ['NFD input is composed first', '여권'.normalize('NFD'), ['여권', '권']],
    ['latin is lower-cased, digits kept', 'KTX 2호선', ['kt', 'tx', 'x2', '2호', '호선', '선']],
    ['one character', '세', ['세']],
    ['nothing searchable', ' ·… ', []],
  ])('%s: %s', (_name, text, tokens) => {
    expect(indexTokens(text)).toEqual(tokens);
  });

  it('FTS5 column text is the tokens joined by spaces', () => {
    expect(bigramIndexText('등본 발급')).toBe('등본 본발 발급 급');
  });

  it.each([
    ['two-syllable word in a longer field', '주민등록등본을 발급받으려면', '등본', true],
    ['compound word: 신고 inside 전입신고를', '전입신고를 하세요', '신고', true],
    ['query without space, field with space', '여권 발급 안내', '여권발급', true],
    ['query with particle', '여권을 분실한 경우', '여권을', true],
    ['not contiguous', '여권 재발급 안내', '여권발급', false],
    ['absent', '자동차세 납부', '여권', false],
  ])('phrase semantics = compact substring: %s', (_name, field, term, expected) => {
    expect(streamHasPhrase(field, term)).toBe(expected);
    expect(compactIncludes(field, term)).toBe(expected);
  });
});

describe('query parsing and building', () => {
  it.each([
    ['  여권  발급 ', ['여권', '발급']],
    ['전입신고 서류', ['전입신고', '서류']],
    ['주·정차 과태료', ['주정차', '과태료']],
    ['여권 여권', ['여권']],
    ['· …', []],
    ['a b c d e f g h i j', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']],
  ])('parseSearchQuery(%j)', (q, terms) => {
    expect(parseSearchQuery(q).map((t) => t.text)).toEqual(terms);
  });

  it.each([
    ['여권', '"여권"', "('여권')"],
    ['전입신고 서류', '("전입 입신 신고" AND "서류")', "(('전입' & '입신' & '신고') & ('서류'))"],
    ['세', '"세" *', "'세':*"],
    ['자동차 세', '("자동 동차" AND "세" *)', "(('자동' & '동차') & '세':*)"],
  ])('exact match for %j → FTS5 %s, tsquery %s', (q, fts, tsq) => {
    const expr = buildExactMatch(parseSearchQuery(q));
    expect(expr).not.toBeNull();
    expect(toFts5Query(expr!)).toBe(fts);
    expect(toTsQuery(expr!)).toBe(tsq);
  });

  it.each([
    ['여권', ['여권']],
    ['전입신고', ['전입', '입신', '신고']],
    ['주정차과태료', ['주정', '차과', '태료']],
    ['무인민원발급기', ['무인', '원발', '급기']],
  ])('PostgreSQL candidates of %s use at most three bigrams', (q, tokens) => {
    const expr = buildExactMatch(parseSearchQuery(q))!;
    expect(expr.kind === 'phrase' && candidateTokens(expr.tokens)).toEqual(tokens);
  });

  it('restricts a query to title and keywords', () => {
    expect(toFts5TitleQuery(buildExactMatch(parseSearchQuery('여권 발급'))!)).toBe('{title keywords} : (("여권" AND "발급"))');
  });

  it('has no expression for an empty query', () => {
    expect(buildExactMatch([])).toBeNull();
  });

  it.each([
    // K distinct bigrams → how many must match, and how many AND-combinations are ORed.
    ['자동차쎄 납부', 4, 3, 4],
    ['전입신구', 3, 2, 3],
    ['기초연금 신청서류', 6, 4, 15],
  ])('fallback for %j: %i bigrams, %i required, %i combinations', (q, k, need, combos) => {
    const expr = buildFallbackMatch(parseSearchQuery(q));
    expect(expr?.kind).toBe('or');
    if (expr?.kind !== 'or') return;
    expect(expr.items).toHaveLength(combos);
    for (const item of expr.items) expect(item.kind === 'and' && item.items.length).toBe(need);
    expect(new Set(expr.items.flatMap((i) => (i.kind === 'and' ? i.items.map((p) => toFts5Query(p)) : []))).size).toBe(k);
  });

  it.each([['여권'], ['우주선'], ['여권 발금']])('no fallback when %j has fewer than three bigrams', (q) => {
    expect(buildFallbackMatch(parseSearchQuery(q))).toBeNull();
  });

  it('fallback serialises for both dialects', () => {
    const expr = buildFallbackMatch(parseSearchQuery('전입신구'))!;
    expect(toFts5Query(expr)).toBe('(("전입" AND "입신") OR ("전입" AND "신구") OR ("입신" AND "신구"))');
    expect(toTsQuery(expr)).toBe("((('전입') & ('입신')) | (('전입') & ('신구')) | (('입신') & ('신구')))");
  });
});

describe('PostgreSQL candidate vector and exact filter', () => {
  it('lists the distinct tokens of all fields, without positions', () => {
    expect(buildTsvectorLiteral(['여권 발급', '', '여권을'])).toBe("'여권' '권발' '발급' '급' '권을' '을'");
  });

  it.each([
    ['주·정차 위반', '주정차위반'],
    ['KTX 2호선', 'ktx2호선'],
    ['여권'.normalize('NFD'), '여권'],
  ])('compactText(%j) = %s', (text, compact) => {
    expect(compactText(text)).toBe(compact);
  });

  it.each([
    ['전입신고', ['전입신고']],
    ['자동차세 납부 세', ['자동차세', '납부', '세']],
  ])('the words of %j are its phrase texts', (q, words) => {
    const expr = buildExactMatch(parseSearchQuery(q))!;
    expect(exprWords(expr)).toEqual(words);
    if (expr.kind === 'phrase') expect(phraseText(expr.tokens)).toBe(words[0]);
  });
});

describe('highlights', () => {
  it.each([
    ['two-syllable word', '여권 발급 안내', ['여권'], '[여권] 발급 안내'],
    ['spacing variant: query without space covers the space', '여권 발급 안내', ['여권발급'], '[여권 발급] 안내'],
    ['spacing variant: query with space', '여권발급 안내', ['여권', '발급'], '[여권발급] 안내'],
    ['word inside a compound', '전입신고를 하려면', ['신고'], '전입[신고]를 하려면'],
    ['every occurrence', '여권, 여권을', ['여권'], '[여권], [여권]을'],
    ['overlapping hits merge', '전입신고', ['전입신', '입신고'], '[전입신고]'],
    ['case-insensitive latin', 'KTX 예매', ['ktx'], '[KTX] 예매'],
    ['no hit', '자동차세', ['여권'], '자동차세'],
  ])('%s', (_name, text, words, expected) => {
    expect(show(highlightText(text, words))).toBe(expected);
  });

  it('ranges are offsets of the original text', () => {
    expect(findHitRanges('주·정차 위반', ['주정차'])).toEqual([[0, 4]]);
  });

  it('segments alternate and never hold HTML', () => {
    const h = highlightText('<b>여권</b>', ['여권']);
    expect(h).toEqual([
      { text: '<b>', hit: false },
      { text: '여권', hit: true },
      { text: '</b>', hit: false },
    ]);
  });

  const longBody =
    '주민등록 관련 민원은 가까운 행정복지센터에서 처리할 수 있습니다. 다른 지역으로 이사한 경우에는 14일 이내에 ' +
    '전입 신고를 해야 하며, 신분증과 임대차계약서를 준비하시면 됩니다. 온라인으로는 정부24에서 신청할 수 있고, ' +
    '세대주의 확인이 필요한 경우가 있습니다. 늦게 신고하면 과태료가 부과될 수 있으니 유의하시기 바랍니다.';

  it('snippet is a window around the first hit, tolerant of spacing', () => {
    const snippet = buildSnippet(longBody, ['전입신고']);
    const text = show(snippet);
    expect(text.startsWith('…')).toBe(true);
    expect(text).toContain('[전입 신고]를');
    expect(text.endsWith('…')).toBe(true);
    expect(snippet.map((s) => s.text).join('').length).toBeLessThanOrEqual(122);
  });

  it('snippet of a short body is the whole body', () => {
    expect(show(buildSnippet('여권은 구청에서\n발급합니다.', ['여권']))).toBe('[여권]은 구청에서 발급합니다.');
  });

  it('snippet without a hit starts at the beginning', () => {
    const text = show(buildSnippet(longBody, ['우주선']));
    expect(text.startsWith('주민등록 관련')).toBe(true);
    expect(text).not.toContain('[');
  });
});

describe('typo correction', () => {
  const vocabulary = buildVocabulary([
    { title: '여권 발급 신청 방법', keywords: ['여권', '발급'] },
    { title: '여권 재발급 안내', keywords: ['여권'] },
    { title: '자동차세 납부 기한', keywords: ['자동차세', '지방세'] },
    { title: '대형폐기물 배출 방법', keywords: ['쓰레기', '대형폐기물'] },
    { title: '전입신고를 하려면', keywords: [] },
    { title: '수도요금 감면', keywords: ['수도요금'] },
    { title: '수도 요금 고지서', keywords: [] },
  ]);

  it.each([
    ['발금', '발급'],
    ['자동차쎄', '자동차세'],
    ['쓰래기', '쓰레기'],
    ['여궈', '여권'],
    ['전입신거', '전입신고'],
    ['대형페기물', '대형폐기물'],
    ['수도요굼', '수도요금'],
  ])('%s → %s', (typo, word) => {
    expect(correctTerm(typo, vocabulary)).toBe(word);
  });

  it.each([
    ['a vocabulary word is left alone', '여권'],
    ['a particle-stripped title word is a vocabulary word', '전입신고'],
    ['too far for a two-syllable word', '바람'],
    ['unrelated', '우주선'],
    ['one character is never corrected', '세'],
  ])('%s: %s', (_name, term) => {
    expect(correctTerm(term, vocabulary)).toBeUndefined();
  });

  it('prefers the word used by more articles on a tie', () => {
    const v = buildVocabulary([{ title: '가방', keywords: [] }, { title: '가반', keywords: [] }, { title: '가반 안내', keywords: [] }]);
    expect(correctTerm('가밤', v)).toBe('가반');
  });

  it('counts each article once per word', () => {
    expect(vocabulary.entries.get('여권')?.df).toBe(2);
  });

  it.each([
    ['전입신고를', '전입신고'],
    ['여권을', '여권'],
    ['세를', '세를'],
    ['기초연금', '기초연금'],
  ])('stripParticle(%s) = %s', (word, stem) => {
    expect(stripParticle(word)).toBe(stem);
  });

  it('vocabulary words keep surface form and stem, drop single characters', () => {
    expect(vocabularyWords('여권을 잃어버린 경우 (재발급)')).toEqual(['여권을', '여권', '잃어버린', '경우', '재발급']);
  });

  it.each([
    [['ㅂ', 'ㅏ', 'ㄹ'], ['ㅂ', 'ㅏ', 'ㄹ'], 2, 0],
    [['ㅂ', 'ㅏ', 'ㄹ', 'ㄱ', 'ㅡ', 'ㅁ'], ['ㅂ', 'ㅏ', 'ㄹ', 'ㄱ', 'ㅡ', 'ㅂ'], 2, 1],
    [['a', 'b', 'c'], ['x', 'y', 'z'], 1, 2],
    [['a'], ['a', 'b', 'c', 'd'], 2, 3],
  ])('boundedEditDistance(%j, %j, %i) = %i', (a, b, max, d) => {
    expect(boundedEditDistance(a, b, max)).toBe(d);
  });

  it('disassembles into jamo', () => {
    expect(toJamo('자동차쎄').join('')).toBe('ㅈㅏㄷㅗㅇㅊㅏㅆㅔ');
  });
});
