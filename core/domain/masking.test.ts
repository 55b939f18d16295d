import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK_CHAR, maskAddress, maskEmail, maskName, maskPhone } from './masking';

// Expected values are the examples of ../shared/reference/privacy-security-kr.md §7 where it gives one.

describe('maskName (성명: hide at least the first syllable of the given name)', () => {
  it.each([
    ['3 syllables keep first and last', '홍길동', '홍*동'],
    ['2 syllables keep the surname', '김철', '김*'],
    ['4 syllables keep first and last', '남궁민수', '남**수'],
    ['5 syllables', '제갈공명수', '제***수'],
    ['3 syllables with a compound surname hide both trailing syllables', '남궁민', '남**'],
    ['황보라 is 황+보라 or 황보+라: either way 보 and 라 hidden', '황보라', '황**'],
    ['a single character', '김', '*'],
    ['whitespace cannot reveal the given name', '김 철', '김*'],
    ['surrounding whitespace', '  홍길동 ', '홍*동'],
    ['a Latin name', 'John Smith', 'J*******h'],
    ['NFD Hangul (a macOS paste) counts syllables, not jamo', '홍길동'.normalize('NFD'), '홍*동'],
    ['already masked stays as is', '홍*동', '홍*동'],
    ['empty', '', ''],
  ])('%s: %s → %s', (_name, input, expected) => {
    expect(maskName(input)).toBe(expected);
  });

  it('answers nullish with an empty string', () => {
    expect(maskName(null)).toBe('');
    expect(maskName(undefined)).toBe('');
  });
});

describe('maskPhone (middle block hidden, hyphenated domestic form)', () => {
  it.each([
    ['010-1234-5678', '010-****-5678'],
    ['01012345678', '010-****-5678'],
    ['010 1234 5678', '010-****-5678'],
    ['+821012345678', '010-****-5678'],
    ['+82-10-1234-5678', '010-****-5678'],
    ['+82 (0)10-1234-5678', '010-****-5678'],
    ['821012345678', '010-****-5678'],
    ['０１０－１２３４－５６７８', '010-****-5678'],
    ['02-123-4567', '02-***-4567'],
    ['(02) 1234-5678', '02-****-5678'],
    ['+82 2 123 4567', '02-***-4567'],
    ['031-980-2114', '031-***-2114'],
    ['0319802114', '031-***-2114'],
    ['070-1234-5678', '070-****-5678'],
    ['0505-123-4567', '0505-***-4567'],
    ['011-123-4567', '011-***-4567'],
    ['080-123-4567', '080-***-4567'],
  ])('%s → %s', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it.each([
    ['a representative number is not personal (§10.3): formatted, not masked', '15881234', '1588-1234'],
    ['another country keeps its shape, all but the last four hidden', '+1 555 0100 2000', '+* *** **** 2000'],
    ['an unknown shape: all but the last four hidden', '12345', '*2345'],
    ['four digits or fewer: all hidden', '112', '***'],
    ['no digits', '모름', '모름'],
    ['empty', '', ''],
    ['already masked stays as is', '010-****-5678', '010-****-5678'],
  ])('%s: %s → %s', (_name, input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it('answers nullish with an empty string', () => {
    expect(maskPhone(null)).toBe('');
    expect(maskPhone(undefined)).toBe('');
  });
});

describe('maskEmail (first two characters of the local part kept)', () => {
  it.each([
    ['hong.gildong@example.com', 'ho**********@example.com'],
    ['hong@gimpo.go.kr', 'ho**@gimpo.go.kr'],
    ['abc@x.kr', 'ab*@x.kr'],
    ['ab@x.kr', 'a*@x.kr'],
    ['a@x.kr', '*@x.kr'],
    ['"odd@local"@x.kr', '"o*********@x.kr'],
    ['no-at-sign', 'no********'],
    ['@x.kr', '@x.kr'],
    ['', ''],
    ['ho**********@example.com', 'ho**********@example.com'],
  ])('%s → %s', (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });
});

describe('maskAddress (hidden below 읍·면·동 / 로·길)', () => {
  it.each([
    ['지번 address (§7 example)', '경기도 김포시 사우동 123-45', '경기도 김포시 사우동 ***-**'],
    ['도로명 with building detail', '경기도 김포시 한빛로 123-45, 101동 1203호', '경기도 김포시 한빛로 ***-**, **** *****'],
    ['short province name and a postal code', '(10083) 경기 김포시 사우중로 1', '(*****) 경기 김포시 사우중로 *'],
    ['numbered 동', '서울특별시 강남구 역삼1동 123-4', '서울특별시 강남구 역삼1동 ***-*'],
    ['가 of a road', '서울특별시 중구 을지로3가 5', '서울특별시 중구 을지로3가 *'],
    ['리 is below 면: hidden', '경기도 김포시 월곶면 고막리 123', '경기도 김포시 월곶면 *** ***'],
    ['번길 written apart', '김포시 한빛로 12번길 34', '김포시 한빛로 12번길 **'],
    ['번길 glued to the road', '김포시 한빛로12번길 34', '김포시 한빛로12번길 **'],
    ['number glued to the 동', '김포시 사우동123-45', '김포시 사우동***-**'],
    ['an apartment block (101동) is not a 동', '경기도 김포시 사우동 한빛아파트101동 1203호', '경기도 김포시 사우동 ********* *****'],
    ['a city after the 동 is detail', '사우동 정문입구 3층', '사우동 **** **'],
    ['nothing below 동', '경기도 김포시 사우동', '경기도 김포시 사우동'],
    ['unrecognised start: all hidden', '123 Main St', '*** **** **'],
    ['empty', '', ''],
  ])('%s: %s → %s', (_name, input, expected) => {
    expect(maskAddress(input)).toBe(expected);
  });

  it('answers nullish with an empty string', () => {
    expect(maskAddress(null)).toBe('');
    expect(maskAddress(undefined)).toBe('');
  });
});

describe('maskers: properties', () => {
  const maskers = { maskName, maskPhone, maskEmail, maskAddress };
  const anyInput = fc.option(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()), { nil: undefined });

  it.each(Object.entries(maskers))('%s never throws and always returns a string', (_name, mask) => {
    fc.assert(
      fc.property(anyInput, (input) => {
        expect(typeof mask(input)).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it.each(Object.entries(maskers))('%s is idempotent', (_name, mask) => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const once = mask(input);
        expect(mask(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  const syllable = fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCharCode(c));
  const hangulName = fc.array(syllable, { minLength: 2, maxLength: 6 }).map((s) => s.join(''));

  it('maskName keeps the length and the first syllable and hides the second', () => {
    fc.assert(
      fc.property(hangulName, (name) => {
        const masked = Array.from(maskName(name));
        expect(masked).toHaveLength(name.length);
        expect(masked[0]).toBe(name[0]);
        expect(masked[1]).toBe(MASK_CHAR);
      }),
    );
  });

  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

  it('maskPhone never shows a mobile number’s middle block, whatever the layout', () => {
    const layout = fc.constantFrom((m: string, l: string) => `010-${m}-${l}`, (m: string, l: string) => `010${m}${l}`, (m: string, l: string) => `+82 10 ${m} ${l}`);
    fc.assert(
      fc.property(digits(4), digits(4), layout, (middle, last, format) => {
        expect(maskPhone(format(middle, last))).toBe(`010-****-${last}`);
      }),
    );
  });

  it('maskAddress leaves no digit of the detail below the 동', () => {
    const detail = fc.array(fc.oneof(digits(3), fc.constantFrom('-', '번지', '동', '호', '아파트', ' ', ',')), { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(detail, (d) => {
        const masked = maskAddress(`경기도 김포시 사우동 ${d}`);
        expect(masked.startsWith('경기도 김포시 사우동')).toBe(true);
        expect(masked).not.toMatch(/\d/);
      }),
    );
  });
});
