/*
 * 표시 제한 (display masking) of personal data in structured fields: what screens, API answers and exports show by
 * default (issue 3, layer 2; 고시 제12조, PI-OUT-1). Formats follow ../shared/reference/privacy-security-kr.md §7.
 *
 * Every masker is pure and total: it accepts any string (or nullish, answered with ''), never throws, and is
 * idempotent (masking an already masked value returns it unchanged), so a presenter may mask without knowing
 * whether a value was masked before. Free text (notes, hand-off texts) goes through ./pii instead.
 */

/** The character that replaces hidden characters in every masked value. */
export const MASK_CHAR = '*';

const stars = (n: number): string => MASK_CHAR.repeat(Math.max(0, n));

// 복성 (two-syllable surnames). In a three-syllable name they are ambiguous (황보라 is 황 + 보라 or 황보 + 라),
// so both the second and the third syllable are hidden: either reading then hides the given name's first syllable.
const COMPOUND_SURNAMES = new Set(['남궁', '황보', '제갈', '선우', '독고', '사공', '서문', '동방', '어금', '망절', '소봉', '장곡', '황목']);

/**
 * Masks a person's name (성명) for display: the first character of the given name is always hidden
 * (reference §7). 2 characters keep the first (김철 → 김*), 3 keep the first and last (홍길동 → 홍*동), 4 or more keep
 * the first and last (남궁민수 → 남**수, which also hides the given name's first syllable). A three-syllable name
 * that starts with a compound surname hides both trailing syllables (남궁민 → 남**). A single character becomes
 * `*`. Whitespace is dropped first so that `김 철` cannot reveal the given name.
 */
export function maskName(name: string | null | undefined): string {
  if (typeof name !== 'string') return '';
  const chars = Array.from(name.normalize('NFC').replace(/\s+/g, ''));
  const n = chars.length;
  if (n === 0) return '';
  if (n === 1) return MASK_CHAR;
  if (n === 2) return chars[0]! + MASK_CHAR;
  if (n === 3 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!)) return chars[0]! + stars(2);
  return chars[0]! + stars(n - 2) + chars[n - 1]!;
}

// Korean numbering plan prefixes: 02 Seoul, 0XX regional, 01X mobile, 070 VoIP, 080 toll-free, 050X 안심번호.
const PHONE_PREFIX_RE = /^(?:02|01[016789]|0(?:3[1-3]|4[1-4]|5[1-5]|6[1-4])|070|080|050[2-8])/;
const MASKED_PHONE_RE = /^0\d{1,3}-\*{3,4}-\d{4}$/;
const REPRESENTATIVE_RE = /^1[5-9]\d{6}$/;

/**
 * Splits the digits of a Korean number (domestic form, leading 0) into prefix, middle block (국번) and the last
 * four digits; undefined when the digits are not a Korean phone number.
 */
function splitKoreanPhone(digits: string): { prefix: string; middle: string; last: string } | undefined {
  const prefix = PHONE_PREFIX_RE.exec(digits)?.[0];
  if (prefix === undefined) return undefined;
  const rest = digits.slice(prefix.length);
  if (rest.length !== 7 && rest.length !== 8) return undefined;
  return { prefix, middle: rest.slice(0, -4), last: rest.slice(-4) };
}

/**
 * Digits of a phone number in domestic form: `+82 10…`, `+82 (0)10…` and `8210…` become `010…`. Undefined for
 * another country's `+` number.
 */
function domesticDigits(input: string): string | undefined {
  const digits = input.replace(/\D/g, '');
  const hasPlus = input.startsWith('+');
  if (hasPlus && !digits.startsWith('82')) return undefined;
  const isInternational = hasPlus || (digits.startsWith('82') && splitKoreanPhone(`0${digits.slice(2)}`) !== undefined);
  if (!isInternational) return digits;
  const national = digits.slice(2);
  return national.startsWith('0') ? national : `0${national}`;
}

/**
 * The key of a Korean phone number for comparing numbers written in different layouts: its digits in domestic form
 * (`(031) 5180-2501`, `031.5180.2501` and `+82 31-5180-2501` → `03151802501`). Undefined for another country's
 * `+` number or text that is no Korean phone number.
 */
export function phoneKey(phone: string): string | undefined {
  const digits = domesticDigits(phone.normalize('NFKC').trim());
  return digits !== undefined && splitKoreanPhone(digits) ? digits : undefined;
}

/**
 * Masks a phone number for display by hiding its middle block (국번), reference §7: `010-1234-5678`,
 * `01012345678` and `+821012345678` → `010-****-5678`; `02-123-4567` → `02-***-4567`; `0505-123-4567` →
 * `0505-***-4567`. Output is always in the hyphenated domestic form. A company representative number
 * (1588-1234) is not personal data and is only formatted (reference §10.3). Anything else keeps its shape with
 * every digit but the last four hidden (`+1 555 0100 2000` → `+* *** **** 2000`; four or fewer digits are all hidden).
 */
export function maskPhone(phone: string | null | undefined): string {
  if (typeof phone !== 'string') return '';
  const input = phone.normalize('NFKC').trim();
  if (input === '' || MASKED_PHONE_RE.test(input)) return input;
  const digits = domesticDigits(input);
  if (digits === undefined) return maskDigitsButLast(input, 4);
  const split = splitKoreanPhone(digits);
  if (split) return `${split.prefix}-${stars(split.middle.length)}-${split.last}`;
  if (REPRESENTATIVE_RE.test(digits)) return `${digits.slice(0, 4)}-${digits.slice(4)}`;
  return maskDigitsButLast(input, 4);
}

/**
 * Hides every digit position but the last `keep`; with `keep` or fewer positions all are hidden. A `*` counts as
 * an (already hidden) digit position, which makes the function idempotent.
 */
function maskDigitsButLast(text: string, keep: number): string {
  const total = (text.match(/[\d*]/g) ?? []).length;
  const hide = total <= keep ? total : total - keep;
  let seen = 0;
  return text.replace(/[\d*]/g, (d) => (seen++ < hide ? MASK_CHAR : d));
}

/**
 * Masks an e-mail address by keeping the first two characters of the local part and the domain, reference §7:
 * `hong.gildong@example.com` → `ho**********@example.com`. A local part of one or two characters keeps at most
 * one (`ab@x.kr` → `a*@x.kr`, `a@x.kr` → `*@x.kr`). The last `@` separates local part and domain; input without
 * `@` is masked as a bare local part.
 */
export function maskEmail(email: string | null | undefined): string {
  if (typeof email !== 'string') return '';
  const input = email.normalize('NFC').trim();
  const at = input.lastIndexOf('@');
  const local = Array.from(at < 0 ? input : input.slice(0, at));
  const domain = at < 0 ? '' : input.slice(at);
  if (local.length === 0) return domain;
  const keep = local.length >= 3 ? 2 : local.length - 1;
  return local.slice(0, keep).join('') + stars(local.length - keep) + domain;
}

// Address levels that stay visible (reference §7: mask below 읍·면·동; issue 3: down to 읍·면·동 / 로·길).
const PROVINCE_SHORT_NAMES = new Set([
  '서울', '부산', '대구', '인천', '광주', '대전', '울산', '세종', '경기', '강원', '충북', '충남', '전북', '전남', '경북', '경남', '제주',
]);
/** 시·도 and 시·군·구: 경기도, 김포시, 서울특별시, 강남구, 옹진군. */
const AREA_RE = /^[가-힣]+(?:특별자치시|특별자치도|특별시|광역시|도|시|군|구)$/;
/** 읍·면·동 and 가: 사우동, 역삼1동, 을지로3가, 통진읍. One or two digits only: 101동 is an apartment block. */
const TOWN_RE = /^[가-힣]+\d{0,2}[읍면동가]$/;
/** 도로명 (road names): 한빛로, 세종대로, 사우중로, 한빛로12번길. */
const ROAD_RE = /^[가-힣][가-힣\d]*[로길]$/;
/** `12번길` written apart from its road name (한빛로 12번길). */
const ROAD_BRANCH_RE = /^\d{1,4}번?길$/;
/** A leading 5-digit postal code, possibly masked already: (10083), [10083]. */
const POSTAL_RE = /^[([]?[\d*]{5}[)\]]?$/;
const STARTS_WITH_HANGUL_RE = /^[가-힣]/;

type AddressLevel = 'area' | 'town';

/** The level of one address token that may stay visible, or undefined when it is detail to be masked. */
function addressLevel(token: string, previous: AddressLevel | 'road' | undefined): AddressLevel | 'road' | undefined {
  if (previous !== 'town' && previous !== 'road' && (PROVINCE_SHORT_NAMES.has(token) || AREA_RE.test(token))) return 'area';
  if (TOWN_RE.test(token)) return 'town';
  if (ROAD_RE.test(token)) return 'road';
  if (previous === 'road' && ROAD_BRANCH_RE.test(token)) return 'road';
  return undefined;
}

const maskLettersAndDigits = (text: string): string => text.replace(/[\p{L}\p{N}]/gu, MASK_CHAR);

/**
 * Masks an address below the 읍·면·동 or 도로명 (road) level, reference §7: `경기도 김포시 사우동 123-45` →
 * `경기도 김포시 사우동 ***-**`; `경기도 김포시 한빛로 123-45, 101동 1203호` → `경기도 김포시 한빛로 ***-**, **** *****`.
 * Tokens are kept from the start while they are 시·도 / 시·군·구 / 읍·면·동 / 로·길 names; from the first other
 * token (building number, 리, apartment, 동·호) every letter and digit becomes `*`, while spaces and punctuation
 * keep the shape. A number glued to a kept name (`사우동123-45`) is split off; a leading postal code is hidden.
 */
export function maskAddress(address: string | null | undefined): string {
  if (typeof address !== 'string') return '';
  const parts = address.normalize('NFC').split(/(\s+)/);
  let previous: AddressLevel | 'road' | undefined;
  let isMasking = false;
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 1 || part === '') {
      out += part;
    } else if (isMasking) {
      out += maskLettersAndDigits(part);
    } else if (previous === undefined && POSTAL_RE.test(part)) {
      out += maskLettersAndDigits(part);
    } else {
      const level = addressLevel(part, previous);
      if (level) {
        out += part;
        previous = level;
        continue;
      }
      const split = splitNamedPrefix(part, previous);
      out += split ? split.keep + maskLettersAndDigits(split.rest) : maskLettersAndDigits(part);
      isMasking = true;
    }
  }
  return out;
}

/** `사우동123-45` → keep `사우동`, rest `123-45`: the longest visible-level prefix followed by a non-Hangul char. */
function splitNamedPrefix(token: string, previous: AddressLevel | 'road' | undefined): { keep: string; rest: string } | undefined {
  const chars = Array.from(token);
  for (let k = chars.length - 1; k >= 1; k--) {
    const keep = chars.slice(0, k).join('');
    const rest = chars.slice(k).join('');
    if (!STARTS_WITH_HANGUL_RE.test(rest) && addressLevel(keep, previous)) return { keep, rest };
  }
  return undefined;
}
