import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KEYWORD_WINDOW,
  PiiKindSchema,
  distinctKinds,
  findPersonalData,
  isArnChecksumValid,
  isBrnChecksumValid,
  isLuhnValid,
  isRrnChecksumValid,
  maskPersonalData,
  phoneKeysOf,
  type PiiKind,
} from './pii';

const onlyDigits = (s: string) => s.replace(/\D/g, '');

describe('checksums (reference §10.2, §10.4, §10.5)', () => {
  it.each([
    ['legacy RRN check digit holds', isRrnChecksumValid, '9710139019902', true],
    ['RRN with a wrong check digit', isRrnChecksumValid, '9710139019903', false],
    ['RRN needs 13 digits', isRrnChecksumValid, '971013901990', false],
    ['RRN rejects non-digits', isRrnChecksumValid, '971013-9019902', false],
    ['ARN check digit is the RRN one plus 2', isArnChecksumValid, '9710135019903', true],
    ['Luhn: Visa test number', isLuhnValid, '4111111111111111', true],
    ['Luhn: Amex test number', isLuhnValid, '378282246310005', true],
    ['Luhn: one digit off', isLuhnValid, '4111111111111112', false],
    ['Luhn: empty is not valid', isLuhnValid, '', false],
    ['BRN 116-82-00276', isBrnChecksumValid, '1168200276', true],
    ['BRN 134-86-72683', isBrnChecksumValid, '1348672683', true],
    ['BRN 101-86-62870', isBrnChecksumValid, '1018662870', true],
    ['BRN 220-81-62517', isBrnChecksumValid, '2208162517', true],
    ['BRN 124-81-00997 fails', isBrnChecksumValid, '1248100997', false],
  ] as const)('%s', (_name, check, input, expected) => {
    expect(check(input)).toBe(expected);
  });

  it('ARN example: its RRN check digit does not hold, the ARN one does', () => {
    expect(isRrnChecksumValid('9710135019903')).toBe(false);
  });
});

describe('maskPersonalData: Korean sentences (issue 3 layer 5)', () => {
  it.each<[string, string, string, PiiKind[]]>([
    ['RRN in a note', '민원인 주민번호 900101-1234567 확인함', '민원인 주민번호 900101-1****** 확인함', ['resident_registration']],
    ['RRN glued to Hangul, no hyphen', '번호는9001011234567입니다', '번호는900101-1******입니다', ['resident_registration']],
    ['RRN with spaces around the hyphen', '주민번호 900101 - 1234567', '주민번호 900101-1******', ['resident_registration']],
    ['RRN with a space instead of the hyphen', '주민번호 900101 2234567', '주민번호 900101-2******', ['resident_registration']],
    ['born in the 2000s (G=3)', '아이 주민번호 150505-3123456', '아이 주민번호 150505-3******', ['resident_registration']],
    ['legacy RRN with a valid check digit', '971013-9019902', '971013-9******', ['resident_registration']],
    ['ARN (G=5)', '외국인등록번호 850315-5123456 확인', '외국인등록번호 850315-5****** 확인', ['alien_registration']],
    ['ARN (G=8)', '등록번호 010203-8123456', '등록번호 010203-8******', ['alien_registration']],
    ['mobile with spaces glued to Hangul', '연락처는010 1234 5678입니다', '연락처는010-****-5678입니다', ['phone']],
    ['mobile right after Hangul', '전화010-1234-5678', '전화010-****-5678', ['phone']],
    ['bare mobile', '휴대폰 01098765432 로 회신', '휴대폰 010-****-5432 로 회신', ['phone']],
    ['+82 mobile', '해외에서 +82-10-2222-3333 번으로', '해외에서 010-****-3333 번으로', ['phone']],
    ['Seoul landline in parentheses', '집 (02) 123-4567', '집 02-***-4567', ['phone']],
    ['a number inside parentheses keeps them', '보호자 김*희 님(010-1234-5678)이 신고', '보호자 김*희 님(010-****-5678)이 신고', ['phone']],
    ['Gimpo landline', '031-980-2114로 연락', '031-***-2114로 연락', ['phone']],
    ['VoIP', '070-1234-5678', '070-****-5678', ['phone']],
    ['안심번호 050X', '안심번호 0505-123-4567', '안심번호 0505-***-4567', ['phone']],
    ['legacy 011 with a 3-digit middle', '011-123-4567', '011-***-4567', ['phone']],
    ['card in a payment note', '카드 4111 1111 1111 1111로 결제', '카드 4111-11**-****-1111로 결제', ['card']],
    ['hyphenated card, no keyword needed', '4111-1111-1111-1111', '4111-11**-****-1111', ['card']],
    ['Amex 4-6-5', '3782 822463 10005 승인', '3782-82****-*0005 승인', ['card']],
    ['bare card with a keyword', '카드번호 4111111111111111 입니다', '카드번호 4111-11**-****-1111 입니다', ['card']],
    ['a trailing group that is not part of the card', '4111 1111 1111 1111 123원', '4111-11**-****-1111 123원', ['card']],
    ['full-width digits and dashes', '카드 ４１１１－１１１１－１１１１－１１１１', '카드 4111-11**-****-1111', ['card']],
    ['BRN', '사업자 116-82-00276 상호', '사업자 116-82-***** 상호', ['business_registration']],
    ['bare BRN with a keyword', '사업자등록번호1168200276', '사업자등록번호116-82-*****', ['business_registration']],
    ['account near a bank name', '신한 110-123-456789', '신한 110-123-******', ['bank_account']],
    ['account near 입금', '환불금은 1002-123-456789 계좌로 입금 예정', '환불금은 1002-123-****** 계좌로 입금 예정', ['bank_account']],
    ['국민 6-2-6 layout', '국민은행 123456-12-123456', '국민은행 123456-12-******', ['bank_account']],
    ['bare account near 계좌', '계좌번호 11012345678901', '계좌번호 11012345******', ['bank_account']],
    ['old passport', '여권번호 M12345678 분실', '여권번호 M1234**** 분실', ['passport']],
    ['new passport (2021-12-21)', '여권 M123A4567', '여권 M123A****', ['passport']],
    ['licence', '면허번호 11-12-345678-90', '면허번호 11-12-******-90', ['driver_licence']],
    ['pre-2014 licence with a region name', '서울 12-345678-90', '서울 12-******-90', ['driver_licence']],
    ['bare licence with 면허', '운전면허 111234567890', '운전면허 11-12-******-90', ['driver_licence']],
    ['e-mail', '메일 hong.gildong@example.com 으로 회신', '메일 ho**********@example.com 으로 회신', ['email']],
    ['e-mail glued to Hangul', '메일은hong@gimpo.go.kr입니다', '메일은ho**@gimpo.go.kr입니다', ['email']],
    ['two @ in a row: the second address does not start inside the first domain', 'hong@a.kr@b.kr', 'ho**@a.kr@b.kr', ['email']],
    ['IPv4 at the end of a sentence', '접속 IP 192.168.10.23.', '접속 IP 192.168.***.23.', ['ip_address']],
    [
      'several kinds in one note',
      '홍길동(900101-1234567) 010-1234-5678, hong@example.com 카드 5105-1051-0510-5100',
      '홍길동(900101-1******) 010-****-5678, ho**@example.com 카드 5105-10**-****-5100',
      ['resident_registration', 'phone', 'email', 'card'],
    ],
  ])('%s', (_name, input, expected, found) => {
    expect(maskPersonalData(input)).toEqual({ text: expected, found });
  });

  it('reports offsets into the original text and the raw value', () => {
    const text = '민원인 주민번호 900101-1234567 확인함';
    expect(findPersonalData(text)).toEqual([
      { kind: 'resident_registration', start: 9, end: 23, value: '900101-1234567', masked: '900101-1******', hasValidChecksum: false },
    ]);
  });

  it('keeps offsets of the original text when it holds full-width digits', () => {
    const text = '전화 ０１０－１２３４－５６７８ 주세요';
    const [match] = findPersonalData(text);
    expect(match).toMatchObject({ kind: 'phone', value: '０１０－１２３４－５６７８', masked: '010-****-5678' });
    expect(text.slice(match!.start, match!.end)).toBe(match!.value);
  });

  it('marks a legacy RRN check digit as a confidence hint only', () => {
    expect(findPersonalData('971013-9019902')[0]?.hasValidChecksum).toBe(true);
    expect(findPersonalData('900101-1234567')[0]?.hasValidChecksum).toBe(false);
    expect(findPersonalData('010-1234-5678')[0]).not.toHaveProperty('hasValidChecksum');
  });

  it('masks until nothing is detectable when a mask opens a new boundary', () => {
    const once = maskPersonalData('91080S+82 20555427859106계좌');
    expect(once).toEqual({ text: '91080S02-***-5427******계좌', found: ['bank_account', 'phone'] });
    expect(maskPersonalData(once.text)).toEqual({ text: once.text, found: [] });
  });

  it('treats +82 as its own boundary, even right after a digit', () => {
    expect(maskPersonalData('1건+82 10-1234-5678').text).toBe('1건010-****-5678');
  });

  it('finds keywords in NFD (decomposed) Hangul too', () => {
    expect(maskPersonalData(`${'계좌'.normalize('NFD')} 110-123-456789`).found).toEqual(['bank_account']);
  });
});

describe('maskPersonalData: what is deliberately left alone', () => {
  it.each([
    ['a date', '접수일 2026-11-27 처리'],
    ['dates in other layouts', '2026.11.27, 2026/11/27, 26.11.27, 20261127'],
    ['a date range with times', '2026-11-27 09:00~2026-11-28 18:00'],
    ['times', '오후 2시 30분, 14:30~15:00'],
    ['money', '과태료 50,000원, 1,250,000원, 50000원'],
    ['a big amount near 입금 (not an account)', '입금액 1000000000원 확인'],
    ['a case number', '민원번호 20261127-00042 건'],
    ['a case number near 입금', '20261127-00042 환불 입금 요청'],
    ['category codes', '분류 01-02-03, 11-02-05'],
    ['an extension', '내선 2101로 연결'],
    ['street addresses', '한빛로 123-45, 사우동 123-45번지 101동 1203호'],
    ['a postal code', '우편번호 10083'],
    ['a representative number (tag only, §10.3)', '고객센터 1588-1234, 1644-0000'],
    ['toll-free 080 (a business)', '수신자부담 080-123-4567'],
    ['short codes', '112, 119, 120 다산콜'],
    ['an account-like number without a bank keyword', '문서번호 110-123-456789'],
    ['a hyphenated BRN whose checksum fails', '124-81-00997'],
    ['a bare 10-digit BRN without a keyword', '1168200276'],
    ['a grouped 16-digit number that fails Luhn', '1234-5678-9012-3456'],
    ['a bare Luhn-valid 16-digit run without a card keyword', '주문 4111111111111111'],
    ['a bare 12-digit run without 면허', '접수 111234567890'],
    ['an RRN shape with an impossible date', '901301-1234567, 900230-1234567'],
    ['29 February of a non-leap year', '010229-3234567'],
    ['G=9/0 (1800s) whose legacy checksum fails', '900101-9234567'],
    ['a number with more digits than an RRN', '90010112345678'],
    ['a version-like number with too many parts', 'v1.2.3.4.5'],
  ])('%s: %s', (_name, input) => {
    expect(maskPersonalData(input)).toEqual({ text: input, found: [] });
  });

  it(`needs the whole keyword within ${KEYWORD_WINDOW} characters before or after the number`, () => {
    const gap = (n: number) => ' '.repeat(n);
    expect(maskPersonalData(`계좌${gap(KEYWORD_WINDOW - 2)}110-123-456789`).found).toEqual(['bank_account']);
    expect(maskPersonalData(`계좌${gap(KEYWORD_WINDOW - 1)}110-123-456789`).found).toEqual([]);
    expect(maskPersonalData(`110-123-456789${gap(KEYWORD_WINDOW - 2)}계좌`).found).toEqual(['bank_account']);
    expect(maskPersonalData(`110-123-456789${gap(KEYWORD_WINDOW - 1)}계좌`).found).toEqual([]);
  });

  it('reference §10.9 fixtures', () => {
    const kinds = (t: string) => findPersonalData(t).map((m) => m.kind);
    expect(kinds('971013-9019902')).toEqual(['resident_registration']);
    expect(kinds('900101-1234567')).toEqual(['resident_registration']);
    expect(kinds('116-82-00276')).toEqual(['business_registration']);
    expect(kinds('124-81-00997')).toEqual([]);
    expect(kinds('4111-1111-1111-1111')).toEqual(['card']);
    expect(kinds('3782 822463 10005')).toEqual(['card']);
    expect(kinds('1588-1234')).toEqual([]);
    expect(kinds('신한 110-123-456789')).toEqual(['bank_account']);
    expect(kinds('110-123-456789')).toEqual([]);
    expect(kinds('M123A4567')).toEqual(['passport']);
    expect(kinds('서울 12-345678-90')).toEqual(['driver_licence']);
    expect(kinds('11-12-345678-90')).toEqual(['driver_licence']);
    expect(kinds('전화010-1234-5678')).toEqual(['phone']);
  });

  it('every kind is a PiiKindSchema value (names are found by ./name-detection)', () => {
    const text = '900101-1234567 850315-5123456 4111-1111-1111-1111 116-82-00276 M12345678 11-12-345678-90 010-1234-5678 a@b.kr 10.1.2.3 신한 110-123-456789';
    const numberKinds = PiiKindSchema.options.filter((k) => k !== 'person_name');
    expect(new Set(findPersonalData(text).map((m) => PiiKindSchema.parse(m.kind)))).toEqual(new Set(numberKinds));
  });
});

// ── properties ──────────────────────────────────────────────────────────────────────────────────────────────

const digit = fc.integer({ min: 0, max: 9 });
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const pad2 = (n: number) => String(n).padStart(2, '0');

const syllable = fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCharCode(c));
const word = fc.array(syllable, { minLength: 1, maxLength: 5 }).map((s) => s.join(''));
/** A random Korean sentence: syllables, spaces and punctuation, no digits. */
const sentence = fc
  .array(fc.oneof({ weight: 4, arbitrary: word }, fc.constantFrom(' ', ', ', '. ', '(', ')', ': ', '!')), { maxLength: 8 })
  .map((p) => p.join(''));
/** How an identifier sits in the sentence: glued to Hangul, after a space, in parentheses … */
const gap = fc.constantFrom('', ' ', ': ', '(', ') ', '\n');

/** A Korean sentence around an identifier; returns the text and the identifier's offset. */
const embed = (id: fc.Arbitrary<string>) =>
  fc.tuple(sentence, gap, id, gap, sentence).map(([before, g1, value, g2, after]) => ({
    text: before + g1 + value + g2 + after,
    start: before.length + g1.length,
    value,
  }));

const isLeapYear = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const daysIn = (year: number, month: number) => [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

/** A valid RRN/ARN as the reference defines it: a real date in G's century, any six digits after G (post-2020). */
const registrationNumber = fc
  .record({ g: fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8), yy: fc.integer({ min: 0, max: 99 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }), rest: digits(6) })
  .map(({ g, yy, month, day, rest }) => {
    const year = ([1, 2, 5, 6].includes(g) ? 1900 : 2000) + yy;
    const birth = `${pad2(yy)}${pad2(month)}${pad2(Math.min(day, daysIn(year, month)))}`;
    return { birth, g: String(g), rest };
  });
const rrnLayout = fc.constantFrom('-', '', ' ', ' - ');

const luhnComplete = (body: string): string => {
  for (let d = 0; d <= 9; d++) if (isLuhnValid(body + d)) return body + d;
  throw new Error('unreachable');
};
const cardNumber = fc.tuple(fc.constantFrom('4', '51', '52', '55', '94'), digits(14)).map(([prefix, body]) => luhnComplete((prefix + body).slice(0, 15)));
const groupCard = (d: string, sep: string) => [0, 4, 8, 12].map((i) => d.slice(i, i + 4)).join(sep);

const brn = digits(9).map((body) => {
  for (let d = 0; d <= 9; d++) if (isBrnChecksumValid(body + d)) return body + d;
  throw new Error('unreachable');
});

describe('properties: generated identifiers in random Korean sentences are always masked', () => {
  it('RRN / ARN with any layout, whatever the checksum', () => {
    fc.assert(
      fc.property(registrationNumber.chain((r) => rrnLayout.chain((sep) => embed(fc.constant(r.birth + sep + r.g + r.rest)).map((e) => ({ ...e, r })))), ({ text, start, value, r }) => {
        const [match, ...others] = findPersonalData(text);
        expect(others).toEqual([]);
        expect(match).toMatchObject({ start, end: start + value.length, value, kind: '5678'.includes(r.g) ? 'alien_registration' : 'resident_registration' });
        const masked = maskPersonalData(text).text;
        expect(masked).toContain(`${r.birth}-${r.g}******`);
        expect(onlyDigits(masked)).toBe(r.birth + r.g);
      }),
      { numRuns: 500 },
    );
  });

  it('cards grouped with hyphens or spaces, or bare next to a card keyword', () => {
    const layout = fc.constantFrom('-', ' ', 'bare');
    fc.assert(
      fc.property(cardNumber, layout, sentence, sentence, (card, sep, before, after) => {
        const text = sep === 'bare' ? `${before} 카드 ${card} ${after}` : `${before} ${groupCard(card, sep)} ${after}`;
        const { text: masked, found } = maskPersonalData(text);
        expect(found).toEqual(['card']);
        expect(masked).toContain(`${card.slice(0, 4)}-${card.slice(4, 6)}**-****-${card.slice(12)}`);
        expect(onlyDigits(masked)).toBe(card.slice(0, 6) + card.slice(12));
      }),
      { numRuns: 300 },
    );
  });

  it('business registration numbers (3-2-5 with a valid checksum)', () => {
    fc.assert(
      fc.property(embed(brn.map((d) => `${d.slice(0, 3)}-${d.slice(3, 5)}-${d.slice(5)}`)), ({ text, value }) => {
        const { text: masked, found } = maskPersonalData(text);
        expect(found).toEqual(['business_registration']);
        expect(onlyDigits(masked)).toBe(onlyDigits(value).slice(0, 5));
      }),
      { numRuns: 300 },
    );
  });

  it('mobile numbers in any common layout', () => {
    const layout = fc.constantFrom((m: string, l: string) => `010-${m}-${l}`, (m: string, l: string) => `010 ${m} ${l}`, (m: string, l: string) => `010${m}${l}`, (m: string, l: string) => `010.${m}.${l}`, (m: string, l: string) => `+82 10-${m}-${l}`);
    fc.assert(
      fc.property(fc.tuple(digits(4), digits(4), layout).chain(([m, l, f]) => embed(fc.constant(f(m, l))).map((e) => ({ ...e, l }))), ({ text, l }) => {
        const { text: masked, found } = maskPersonalData(text);
        expect(found).toEqual(['phone']);
        expect(masked).toContain(`010-****-${l}`);
        expect(onlyDigits(masked)).toBe(`010${l}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('properties: masking is stable and harmless', () => {
  /** Text soup that tends to form numbers, layouts, keywords and addresses next to each other. */
  const soupToken = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 1, max: 14 }).chain(digits) },
    { weight: 4, arbitrary: fc.constantFrom('-', ' ', '.', ' - ', '(', ')', '+82 ', '@', '원', '\n') },
    { weight: 2, arbitrary: fc.constantFrom('계좌', '카드', '면허', '사업자', '서울 ', 'M', 'hong', 'example.com', '０１０', '－') },
    { weight: 2, arbitrary: word },
  );
  const soup = fc.array(soupToken, { maxLength: 30 }).map((t) => t.join(''));
  const anyText = fc.oneof(soup, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));

  it('is idempotent, and nothing detectable remains', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = maskPersonalData(text).text;
        expect(maskPersonalData(once)).toEqual({ text: once, found: [] });
      }),
      { numRuns: 2000 },
    );
  });

  it('matches are ordered, disjoint, point at their value, and no masked span keeps its digits', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const matches = findPersonalData(text);
        let previousEnd = 0;
        for (const m of matches) {
          expect(m.start).toBeGreaterThanOrEqual(previousEnd);
          expect(text.slice(m.start, m.end)).toBe(m.value);
          expect(m.masked).toContain('*');
          expect(m.masked).not.toBe(m.value);
          previousEnd = m.end;
        }
        expect(maskPersonalData(text).found.slice(0, matches.length)).toEqual(matches.map((m) => m.kind));
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves a text without digits or @ unchanged', () => {
    const noDigits = fc.oneof(sentence, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })).filter((t) => !/[0-9@０-９＠]/.test(t));
    fc.assert(
      fc.property(noDigits, (text) => {
        expect(maskPersonalData(text)).toEqual({ text, found: [] });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(() => maskPersonalData(text)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe("the city's own numbers and the characters around a number (issue #18 item 8)", () => {
  // 한빛시: departments' numbers and officials' direct lines (the department's exchange and the extension).
  const keepPhones = phoneKeysOf(['031-5180-2501', '031-5180-2102', null, '내선', '1588-1234']);

  it.each([
    ['담당: 상하수도사업소 요금팀 (031-5180-2501)', '담당: 상하수도사업소 요금팀 (031-****-2501)', '담당: 상하수도사업소 요금팀 (031-5180-2501)'],
    ['(031-5180-2501)', '(031-****-2501)', '(031-5180-2501)'],
    ['문의는 031)5180-2501로', '문의는 031-****-2501로', '문의는 031)5180-2501로'],
    ['직통 (031)5180-2102, 민원인 010-1234-5678', '직통 031-****-2102, 민원인 010-****-5678', '직통 (031)5180-2102, 민원인 010-****-5678'],
    ['입금 문의 031-5180-2501 계좌', '입금 문의 031-****-2501 계좌', '입금 문의 031-5180-2501 계좌'],
    ['+82 31-5180-2501, 031-5180-2999', '031-****-2501, 031-****-2999', '+82 31-5180-2501, 031-****-2999'],
  ])('%s', (text, masked, kept) => {
    expect(maskPersonalData(text).text).toBe(masked);
    expect(maskPersonalData(text, { keepPhones }).text).toBe(kept);
  });

  it('keeps only Korean numbers in the list', () => {
    expect([...keepPhones].sort()).toEqual(['03151802102', '03151802501']);
  });

  const layouts = fc.constantFrom(
    (a: string, m: string, l: string) => `${a}-${m}-${l}`,
    (a: string, m: string, l: string) => `${a} ${m} ${l}`,
    (a: string, m: string, l: string) => `${a}.${m}.${l}`,
    (a: string, m: string, l: string) => `(${a})${m}-${l}`,
    (a: string, m: string, l: string) => `(${a}) ${m}-${l}`,
    (a: string, m: string, l: string) => `${a}${m}${l}`,
  );
  const areaCode = fc.constantFrom('010', '02', '031', '051', '064', '070');
  /** What may stand right before and after a number in a sentence: brackets of every kind, quotes, punctuation. */
  const opening = fc.constantFrom('', ' ', '(', '[', '「', '『', '"', '“', '<', ': ', '(연락처 ', '전화');
  const closing = fc.constantFrom('', ' ', ')', ']', '」', '』', '"', '”', '>', '.', ',', ')로', '번으로');

  it('never removes or changes a character that is not part of the masked number', () => {
    fc.assert(
      fc.property(sentence, opening, areaCode, digits(4), digits(4), layouts, closing, sentence, (before, open, area, middle, last, layout, close, after) => {
        const head = before + open;
        const tail = close + after;
        const { text: masked, found } = maskPersonalData(head + layout(area, middle, last) + tail);
        expect(found).toEqual(['phone']);
        expect(masked.startsWith(head)).toBe(true);
        expect(masked.endsWith(tail)).toBe(true);
        expect(masked.slice(head.length, masked.length - tail.length)).toBe(`${area}-${'*'.repeat(4)}-${last}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('a match starts and ends on the number itself, never on the text around it', () => {
    const token = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }).chain(digits) },
      { weight: 4, arbitrary: fc.constantFrom('-', ' ', '.', '(', ')', '((', '))', '[', ']', '+82 ', '(0', '031', '(031)', '02)', '010', '원', '\n') },
      { weight: 2, arbitrary: fc.constantFrom('계좌', '카드', '면허', '사업자', '연락처', '가', '０３１') },
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 24 }).map((t) => t.join('')), (text) => {
        for (const m of findPersonalData(text)) {
          if (m.kind === 'email') continue;
          // A region name opens the old driver's licence form (서울 12-345678-90); a bracket only with its pair inside.
          const startsOnNumber = /^[0-9０-９+A-Za-z]/.test(m.value) || (m.kind === 'driver_licence' && /^[가-힣]/.test(m.value)) || (m.value.startsWith('(') && m.value.includes(')'));
          expect(startsOnNumber, JSON.stringify(m)).toBe(true);
          expect(/[0-9０-９A-Za-z]$/.test(m.value), JSON.stringify(m)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("leaves the city's numbers as written in any layout, and masks every other number beside them", () => {
    const city = fc.constantFrom(['031', '5180', '2501'], ['031', '5180', '2102']);
    fc.assert(
      fc.property(sentence, city, layouts, opening, closing, digits(4), digits(4), (before, [a, m, l], layout, open, close, middle, last) => {
        const cityNumber = layout(a!, m!, l!);
        const citizen = `010-${middle}-${last}`;
        const text = `${before}${open}${cityNumber}${close} / ${citizen}`;
        const { text: masked, found } = maskPersonalData(text, { keepPhones });
        expect(masked).toBe(`${before}${open}${cityNumber}${close} / 010-****-${last}`);
        expect(found).toEqual(['phone']);
      }),
      { numRuns: 500 },
    );
  });
});

describe('distinctKinds: what the agent is told was masked', () => {
  it.each<[PiiKind[], PiiKind[]]>([
    [[], []],
    [['phone'], ['phone']],
    [['phone', 'resident_registration', 'phone'], ['phone', 'resident_registration']],
    [['email', 'email', 'card', 'email', 'card'], ['email', 'card']],
  ])('%j → %j', (found, expected) => {
    expect(distinctKinds(found)).toEqual(expected);
  });

  it('lists the kinds of a masked note once each, in text order', () => {
    const { found } = maskPersonalData('연락처 010-1234-5678, 주민번호 900101-1234567, 집 02-123-4567');
    expect(found).toEqual(['phone', 'resident_registration', 'phone']);
    expect(distinctKinds(found)).toEqual(['phone', 'resident_registration']);
  });
});
