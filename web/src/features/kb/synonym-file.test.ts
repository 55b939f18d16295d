import { describe, expect, it } from 'vitest';
import { SynonymFileError, parseSynonymFile, synonymsToCsv, synonymsToJson } from './synonym-file';

const ROWS = [
  { term: '쓰레기봉투', expansions: ['종량제봉투', '종량제 봉투'], note: null },
  { term: '차 끌려', expansions: ['견인'], note: '콤마, "따옴표" 포함' },
];

describe('search dictionary files', () => {
  it('round-trips CSV and JSON', () => {
    expect(parseSynonymFile(synonymsToCsv(ROWS))).toEqual(ROWS);
    expect(parseSynonymFile(synonymsToJson(ROWS))).toEqual(ROWS);
  });

  it('reads a bare JSON array, a BOM and LF line ends', () => {
    expect(parseSynonymFile('[{"term":"아기 수당","expansions":["아동수당"]}]')).toEqual([{ term: '아기 수당', expansions: ['아동수당'], note: null }]);
    expect(parseSynonymFile('\uFEFFterm,expansions,note\n아기 수당,아동수당,\n')).toEqual([{ term: '아기 수당', expansions: ['아동수당'], note: null }]);
  });

  it.each([
    ['bad JSON', '{"synonyms": [', 0],
    ['JSON entry without expansions', '{"synonyms":[{"term":"a","expansions":[]}]}', 1],
    ['CSV without the header', '쓰레기봉투,종량제봉투\n', 1],
    ['CSV row without expansions', 'term,expansions,note\n쓰레기봉투,종량제봉투,\n견인차,,\n', 3],
  ])('refuses %s, saying where', (_name, text, at) => {
    expect(() => parseSynonymFile(text)).toThrow(SynonymFileError);
    try {
      parseSynonymFile(text);
    } catch (e) {
      expect((e as SynonymFileError).at).toBe(at);
    }
  });
});
