import { describe, expect, it } from 'vitest';
import {
  MAX_LEARNED_BOOST,
  analyseQuery,
  baseForms,
  buildLearnedChoices,
  buildLexicon,
  compactDocument,
  idf,
  learnedBoost,
  learnedPreference,
  questionKey,
  scoreDocument,
  segmentWord,
  stemVariants,
  type Concept,
} from './korean-query';

const KB_TEXT = [
  '하수구 막힘·역류와 빗물받이 악취 신고',
  '주민등록 등본·초본 발급 방법과 수수료',
  '자동차세 정기분 납기와 납부 방법',
  '과태료 납부 방법과 자진납부 감경',
  '아동수당 지급 대상과 신청 방법',
  '종량제봉투 배출 요일과 시간 안내',
  '대형폐기물 배출 신고 방법과 수수료 안내',
  '고지서로 내는 방법',
  '여권 발급 신청',
];
const lexicon = buildLexicon(KB_TEXT, [
  { term: '쓰레기봉투', expansions: ['종량제봉투'] },
  { term: '아기 수당', expansions: ['아동수당'] },
]);
const formsOf = (q: string) => analyseQuery(q, lexicon).concepts.map((c) => c.forms);

describe('stemVariants: contracted and inflected last syllables', () => {
  it.each([
    ['막혔', '막히'],
    ['막혀', '막히'],
    ['막힌', '막히'],
    ['막힘', '막히'],
    ['신청했', '신청하'],
    ['안돼', '안되'],
    ['나와', '나오'],
  ])('%s → %s', (stem, expected) => {
    expect(stemVariants(stem)).toContain(expected);
  });
});

describe('baseForms: particles and endings of real spoken forms', () => {
  it.each([
    ['과태료를', '과태료'],
    ['발급받으려면', '발급'],
    ['신청했는데요', '신청'],
    ['막혔어요', '막히'],
    ['막히는', '막히'],
    ['내는거', '내'],
    ['떼려면', '떼'],
    ['받았는데요', '받'],
    ['전입신고는', '전입신고'],
    ['왔노', '오'],
  ])('%s → %s', (word, base) => {
    expect(baseForms(word)).toContain(base);
  });
});

describe('analyseQuery', () => {
  it('drops the stop words of speech, so they never decide a result', () => {
    expect(formsOf('저 혹시 그거 좀 어떻게 돼요')).toEqual([]);
  });

  it('keeps a keyword as typed (bare keywords still work)', () => {
    expect(formsOf('자동차세')).toEqual([['자동차세']]);
    expect(formsOf('등본')).toEqual([['등본']]);
  });

  it('takes particles and endings off and matches stems through the KB words (막혔어요 → 막힘)', () => {
    expect(formsOf('과태료를')).toEqual([['과태료']]);
    expect(formsOf('하수구가 막혔어요')).toEqual([['하수구'], ['막힘']]);
    expect(formsOf('여권 발급받으려면')).toEqual([['여권'], ['발급']]);
  });

  it('splits words run together into known words (등본떼려면, 자동차세언제내요)', () => {
    expect(segmentWord('등본떼려면', lexicon)).toEqual(['등본', '떼려면']);
    expect(formsOf('등본떼려면')[0]).toEqual(['등본']);
    expect(formsOf('자동차세언제내요')[0]).toEqual(['자동차세']);
  });

  it("adds the manual's words for the caller's, whatever the spacing", () => {
    expect(formsOf('쓰레기봉투 어디서 사요')).toContainEqual(['종량제봉투']);
    expect(formsOf('아기수당 신청하려고요')).toContainEqual(['아동수당']);
    expect(formsOf('아기 수당 신청하려고요')).toContainEqual(['아동수당']);
  });

  it('lists words the KB does not know as typo candidates, and keeps a misspelt compound whole', () => {
    const analysed = analyseQuery('대형패기물', lexicon);
    expect(analysed.unknown).toEqual(['대형패기물']);
  });

  it('bad input gives no concept rather than an error', () => {
    for (const q of ['', '🙂🙂🙂', '" * NEAR OR AND ( "', 'a'.repeat(1000)]) expect(() => analyseQuery(q, lexicon)).not.toThrow();
    expect(formsOf('" * NEAR OR AND ( "').flat().every((f) => /^[\p{L}\p{N}]+$/u.test(f))).toBe(true);
  });
});

describe('scoreDocument (BM25F with title/keyword weight, proximity and coverage)', () => {
  const stats = { documents: 100, avgTitle: 15, avgKeywords: 20, avgBody: 200 };
  const doc = (title: string, body = '', keywords: string[] = []) => compactDocument({ seq: 1, title, keywords, body });
  const concepts = [
    { forms: ['재산세'], weight: idf(5, 100) },
    { forms: ['고지서'], weight: idf(20, 100) },
  ];

  it('a title match beats a body match', () => {
    expect(scoreDocument(concepts, doc('재산세 안내'), stats)).toBeGreaterThan(scoreDocument(concepts, doc('세금 안내', '재산세'), stats));
  });

  it('covering two words beats one word twice', () => {
    expect(scoreDocument(concepts, doc('재산세 고지서'), stats)).toBeGreaterThan(scoreDocument(concepts, doc('재산세 재산세'), stats));
  });

  it('an unmatched everyday word does not drop the article (any-word recall)', () => {
    const withExtra = [...concepts, { forms: ['두번'], weight: idf(3, 100) }];
    expect(scoreDocument(withExtra, doc('재산세 고지서'), stats)).toBeGreaterThan(0);
  });

  it('a rare word weighs more than a common one', () => {
    expect(idf(2, 100)).toBeGreaterThan(idf(50, 100));
  });
});

describe('learning from agents (issue #13)', () => {
  const concept = (...forms: string[]): Concept => ({ source: forms[0]!, forms });
  const choices = buildLearnedChoices([
    { queryKey: '납부 자동차세', articleId: 'a', weight: 4 },
    { queryKey: '자동차세', articleId: 'b', weight: 1 },
    { queryKey: '재산세', articleId: 'c', weight: 9 },
  ]);

  it('files a question under its concepts, in any order', () => {
    expect(questionKey([concept('자동차세'), concept('납부', '내다')])).toBe('납부 자동차세');
    expect(questionKey([concept('납부'), concept('자동차세')])).toBe('납부 자동차세');
  });

  it('weighs earlier choices by how much the questions share', () => {
    const p = learnedPreference(choices, [concept('자동차세'), concept('납부')]);
    expect(p.get('a')).toBe(4); // the same question
    expect(p.get('b')).toBe(0.5); // shares one of two concepts
    expect(p.has('c')).toBe(false); // shares nothing
  });

  it('boosts by at most MAX_LEARNED_BOOST, and not at all without choices', () => {
    expect(learnedBoost(undefined)).toBe(1);
    expect(learnedBoost(0)).toBe(1);
    expect(learnedBoost(1)).toBeCloseTo(1.15);
    expect(learnedBoost(1e9)).toBe(1 + MAX_LEARNED_BOOST);
  });
});
