import { describe, expect, it } from 'vitest';
import { findFreeTextKinds, findNames, isNameLike, maskFreeText, maskNames } from './name-detection';

const names = (text: string, known: string[] = []) => findNames(text, known).map((m) => m.value);

describe('findNames: name-like phrases after 민원인 / 성명 / 성함 / 이름 / 본인', () => {
  it.each<[string, string[]]>([
    ['민원인 김영희 씨가 전화함', ['김영희']],
    ['민원인 김영희씨 요청', ['김영희']],
    ['민원인(김영희, 70대) 방문 예정', ['김영희']],
    ['성명: 홍길동', ['홍길동']],
    ['성명 : 남궁민수 / 주소 확인', ['남궁민수']],
    ['성함은 박지민이라고 함', ['박지민']],
    ['이름은 이하은', ['이하은']],
    ['이름이 김하은이고 연락 희망', ['김하은']],
    ['본인 김영희가 직접 신청', ['김영희']],
    ['민원인이 최철수에게 위임', ['최철수']],
    ['민원인 김철씨는 어제 방문', ['김철']],
    ['민원인김영희 재신고', ['김영희']],
    ['성명 황보영희 님', ['황보영희']],
  ])('%s → %j', (text, expected) => {
    expect(names(text)).toEqual(expected);
  });

  it.each([
    '본인 확인 완료',
    '이름 변경 신청',
    '민원인 전화 요청으로 회신',
    '민원인이 강하게 항의함',
    '본인 명의 휴대전화',
    '민원인 주소 변경 문의',
    '본인 서명 필요',
    '이름과 연락처 확인',
    '이름 모름',
    '민원인 방문 예정',
    '성명 기재 누락',
    '본인 인증 후 조회',
    '민원인 가족이 대신 문의',
    '민원인 남편 대리 신청',
    '민원인 요청',
    '민원인이 이번에 다시 신고',
    '고객 김영희 씨',
    '본인확인 완료',
  ])('no name in "%s"', (text) => {
    expect(names(text)).toEqual([]);
  });

  it('gives offsets into the text, the name without its particle', () => {
    const text = '접수: 민원인 김영희가 누수 신고';
    const [m] = findNames(text);
    expect(m).toMatchObject({ value: '김영희', masked: '김*희', source: 'cue' });
    expect(text.slice(m!.start, m!.end)).toBe('김영희');
  });

  it.each<[string, boolean]>([
    ['김영희', true],
    ['남궁민수', true],
    ['김', false],
    ['김영희철수', false],
    ['변경', false],
    ['확인', false],
    ['강하게', false],
    ['Kim', false],
  ])('isNameLike(%s) = %s', (word, expected) => {
    expect(isNameLike(word)).toBe(expected);
  });
});

describe("findNames: the caller's own registered name anywhere", () => {
  it.each<[string, string, string[]]>([
    ['김영희 님이 누수 재신고, 김영희 본인 확인함', '김영희', ['김영희', '김영희']],
    ['보호자가 김 영희 대신 전화', '김영희', ['김 영희']],
    ['김영희씨 재신고', '김*희', ['김영희']],
    ['남궁민수 선생님 문의', '남**수', ['남궁민수']],
    // A two-syllable name only as a word of its own (with a particle or title).
    ['김철 씨 방문, 김철수 아님', '김철', ['김철']],
    ['김철은 어제 전화', '김철', ['김철']],
    ['어제 김치 보관 문의', '김*', []],
  ])('%s with %s → %j', (text, known, expected) => {
    expect(names(text, [known])).toEqual(expected);
  });

  it('ignores unknown or non-Hangul names', () => {
    expect(names('John Smith called', ['John Smith'])).toEqual([]);
    expect(names('김영희 재신고', [null as unknown as string])).toEqual([]);
  });
});

describe('maskNames and maskFreeText', () => {
  it("masks the caller's name and cued names without growing the text", () => {
    const text = '민원인 박지민 씨, 보호자 김영희 님(010-1234-5678)이 대신 신고';
    const masked = maskFreeText(text, ['김영희']);
    expect(masked.text).toBe('민원인 박*민 씨, 보호자 김*희 님(010-****-5678)이 대신 신고');
    expect(masked.found).toEqual(['phone', 'person_name', 'person_name']);
    expect(masked.text.length).toBeLessThanOrEqual(text.length + 2);
    expect(maskNames(text, ['김영희']).text).toHaveLength(text.length);
  });

  it('is a fixed point: masking the result again changes nothing', () => {
    const once = maskFreeText('성명: 홍길동, 본인 김영희', ['김영희']).text;
    expect(once).toBe('성명: 홍*동, 본인 김*희');
    expect(maskFreeText(once, ['김영희'])).toEqual({ text: once, found: [] });
  });

  it('leaves a text without names as it is', () => {
    const text = '본인 확인 완료, 이름 변경 신청 안내';
    expect(maskNames(text)).toEqual({ text, found: [] });
  });

  it('reports distinct kinds for the live warning', () => {
    expect(findFreeTextKinds('민원인 김영희, 민원인 박지민 010-1234-5678')).toEqual(['phone', 'person_name']);
    expect(findFreeTextKinds('김*희 씨 재신고'.replace('*', '영'), ['김*희'])).toEqual(['person_name']);
    expect(findFreeTextKinds('')).toEqual([]);
  });
});
