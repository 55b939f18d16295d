import { z } from 'zod';
import { maskEmail, maskPhone, phoneKey } from './masking';

/*
 * 개인정보 검출·마스킹 in free text: notes, hand-off texts and article edits are scanned and masked before they are
 * stored (issue 3, layer 5; 고시 제12조; reference ../shared/reference/privacy-security-kr.md §9 layer 3 and §10).
 * The unmasked original is never persisted (§4: "never store identifiers in notes").
 *
 * Pipeline (§10.1):
 * 1. Fold the text without changing its length, so offsets stay those of the input: full-width ASCII → ASCII
 *    (０１０ → 010, ＠ → @), the dash family (‐ ‑ ‒ – — ― − ﹘ ﹣) → `-`, odd spaces (NBSP, U+3000, tab) → ` `.
 *    This is the part of NFKC that matters for numbers; full NFKC would move offsets.
 * 2. Specific detectors first, each taking its span: RRN/ARN → card → BRN → passport → driver's licence → phone →
 *    e-mail → IPv4 → bank account (last, keyword-gated). A later detector never takes an overlapping span.
 * 3. Digit boundaries use `(?<!\d)` / `(?!\d)`, never `\b`: JS `\b` is ASCII-only and fails next to Hangul
 *    (`전화010-…`, `번호는900101-…`).
 * 4. Mask per §7 in a canonical, readable form (900101-1******, 010-****-5678), repeating until nothing is
 *    detectable (see maskPersonalData). Names and addresses cannot be found reliably in free text (§10.8); they
 *    belong in structured fields, masked by ./masking.
 *
 * Deliberately NOT masked (false-positive list of issue 3, and §10.3): dates (2026-11-27), times, money (50,000원),
 * case numbers (20261127-00042), category codes (01-02-03), extensions (내선 2101), street numbers (한빛로 123-45),
 * company representative numbers (1588-1234), toll-free 080 numbers and short codes (112, 120).
 */

/**
 * What kind of personal data a match is. Values are stable: they are stored in detection statistics (type, never
 * value: §10.1 step 5) and sent to the web to tell the agent what was masked.
 * resident_registration 주민등록번호, alien_registration 외국인등록번호, card 카드번호, business_registration
 * 사업자등록번호, passport 여권번호, driver_licence 운전면허번호, phone 전화번호, email 이메일, ip_address IP 주소,
 * bank_account 계좌번호, person_name 성명 (found by ./name-detection, never by {@link findPersonalData}).
 */
export const PiiKindSchema = z.enum([
  'resident_registration',
  'alien_registration',
  'card',
  'business_registration',
  'passport',
  'driver_licence',
  'phone',
  'email',
  'ip_address',
  'bank_account',
  'person_name',
]);
/** See {@link PiiKindSchema}. */
export type PiiKind = z.infer<typeof PiiKindSchema>;

/**
 * One piece of personal data found in a text. `start`/`end` are UTF-16 offsets into the text given to
 * {@link findPersonalData} (end exclusive), and `value === text.slice(start, end)`: the raw personal data, so never
 * log or persist it. `masked` is its replacement.
 */
export type PiiMatch = {
  kind: PiiKind;
  start: number;
  end: number;
  value: string;
  masked: string;
  /**
   * RRN/ARN only: whether the legacy (pre-2020-10-05) check digit holds. A confidence hint, never a filter: numbers
   * issued since 2020-10-05 have random digits (§10.2).
   */
  hasValidChecksum?: boolean;
};

/**
 * A text with its personal data masked, and the kind of every masked match (one entry per match, in text order;
 * see {@link maskPersonalData} for the rare second pass). Kinds only, never values: safe to log and count.
 */
export type MaskedText = { text: string; found: PiiKind[] };

/**
 * How many characters on either side of a number are searched for a confirming keyword (은행, 카드, 면허 …); the
 * whole keyword must lie inside them.
 */
export const KEYWORD_WINDOW = 20;

/**
 * Options of {@link findPersonalData} and {@link maskPersonalData}. `keepPhones`: phone numbers that are not personal
 * data and stay as written, by {@link phoneKeysOf}: the city's own departments and officials (issue #18 item 8: the
 * department's number in an official's answer, `(031-5180-2501)`, must reach the citizen intact). A kept number still
 * takes its span, so no later detector (an account next to 입금) masks it either.
 */
export type PiiOptions = { keepPhones?: ReadonlySet<string> };

/** The keys of phone numbers to keep unmasked ({@link PiiOptions}); entries that are no Korean number are dropped. */
export function phoneKeysOf(numbers: Iterable<string | null | undefined>): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const n of numbers) {
    const key = n ? phoneKey(n) : undefined;
    if (key) keys.add(key);
  }
  return keys;
}

type Candidate = Omit<PiiMatch, 'value'> & { isKept?: boolean };

// ── checksums ────────────────────────────────────────────────────────────────────────────────────────────────

const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
const isDigits = (s: string, length?: number): boolean => /^\d+$/.test(s) && (length === undefined || s.length === length);
const rrnCheckDigit = (d: string): number => (11 - (RRN_WEIGHTS.reduce((a, w, i) => a + w * Number(d[i]), 0) % 11)) % 10;

/** Legacy 주민등록번호 check digit (numbers issued before 2020-10-05), reference §10.2. `digits`: 13 digits. */
export function isRrnChecksumValid(digits: string): boolean {
  return isDigits(digits, 13) && rrnCheckDigit(digits) === Number(digits[12]);
}

/** Legacy 외국인등록번호 check digit (heuristic, pre-2020 numbers only), reference §10.2. `digits`: 13 digits. */
export function isArnChecksumValid(digits: string): boolean {
  return isDigits(digits, 13) && (rrnCheckDigit(digits) + 2) % 10 === Number(digits[12]);
}

/** Luhn check of a card number given as digits only (at least two), reference §10.5. */
export function isLuhnValid(digits: string): boolean {
  if (!isDigits(digits) || digits.length < 2) return false;
  let sum = 0;
  let isDoubled = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (isDoubled) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    isDoubled = !isDoubled;
  }
  return sum % 10 === 0;
}

/** 사업자등록번호 check digit, reference §10.4 (weights 1,3,7,1,3,7,1,3,5 plus ⌊d₉·5/10⌋). `digits`: 10 digits. */
export function isBrnChecksumValid(digits: string): boolean {
  if (!isDigits(digits, 10)) return false;
  const weights = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let sum = weights.reduce((a, w, i) => a + w * Number(digits[i]), 0);
  sum += Math.floor((Number(digits[8]) * 5) / 10);
  return (10 - (sum % 10)) % 10 === Number(digits[9]);
}

/** The birth century of an RRN/ARN from its 7th digit G (§10.2): 1/2/5/6 → 1900, 3/4/7/8 → 2000, 9/0 → 1800. */
function rrnCentury(g: string): number {
  return '1256'.includes(g) ? 1900 : '3478'.includes(g) ? 2000 : 1800;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return month >= 1 && month <= 12 && day >= 1 && day <= lengths[month - 1]!;
}

// ── text folding and keywords ────────────────────────────────────────────────────────────────────────────────

const FULL_WIDTH_RE = /[\uff01-\uff5e]/g;
const DASH_RE = /[\u2010-\u2015\u2212\ufe58\ufe63]/g;
const ODD_SPACE_RE = /[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;

/** Step 1 of the pipeline: every replacement is one UTF-16 unit for one, so offsets are preserved. */
function foldForScan(text: string): string {
  return text
    .replace(FULL_WIDTH_RE, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(DASH_RE, '-')
    .replace(ODD_SPACE_RE, ' ');
}

/** Whether `keyword` occurs within {@link KEYWORD_WINDOW} characters before or after the span (NFC, for NFD pastes). */
function hasKeywordNear(scan: string, start: number, end: number, keyword: RegExp): boolean {
  const before = scan.slice(Math.max(0, start - KEYWORD_WINDOW), start);
  const after = scan.slice(end, end + KEYWORD_WINDOW);
  return keyword.test(`${before}\n${after}`.normalize('NFC'));
}

const CARD_KEYWORD = /카드|신용|체크|결제|승인|할부|card|visa|master|amex|jcb|union ?pay/i;
const BRN_KEYWORD = /사업자|등록번호|사업장/;
const LICENCE_KEYWORD = /면허/;
// §10.6 list, plus 뱅크 (카카오뱅크, 케이뱅크), 예금주, 금고 and 증권.
const BANK_KEYWORD = /계좌|통장|입금|송금|이체|은행|뱅크|농협|국민|신한|우리|하나|기업|카카오|토스|우체국|새마을금고|신협|수협|예금주|금고|증권/;

const onlyDigits = (s: string): string => s.replace(/\D/g, '');
const span = (m: RegExpMatchArray): { start: number; end: number } => ({ start: m.index!, end: m.index! + m[0].length });

// ── detectors, in pipeline order ─────────────────────────────────────────────────────────────────────────────

// YYMMDD, an optional `-` (spaces allowed around it) or a single space, then G and six digits.
const RRN_RE = /(?<!\d)(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?: ?- ?| )?(\d)(\d{6})(?!\d)/g;

/**
 * 주민등록번호 / 외국인등록번호 (§10.2): a real calendar date in the century given by G, and G valid. G 1–4 (RRN) and
 * 5–8 (ARN) are masked whatever the checksum says, since numbers issued since 2020-10-05 have random digits.
 * G 9/0 (born in the 1800s, so necessarily issued before 2020) must also pass the legacy checksum.
 */
function detectRegistrationNumbers(scan: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of scan.matchAll(RRN_RE)) {
    const birth = m[1]!;
    const g = m[2]!;
    const digits = birth + g + m[3]!;
    if (!isCalendarDate(rrnCentury(g) + Number(birth.slice(0, 2)), Number(birth.slice(2, 4)), Number(birth.slice(4, 6)))) continue;
    const isAlien = '5678'.includes(g);
    const hasValidChecksum = isAlien ? isArnChecksumValid(digits) : isRrnChecksumValid(digits);
    if ((g === '9' || g === '0') && !hasValidChecksum) continue;
    // §7: keep the birth date and the gender digit, hide the last six.
    out.push({ kind: isAlien ? 'alien_registration' : 'resident_registration', ...span(m), masked: `${birth}-${g}******`, hasValidChecksum });
  }
  return out;
}

// Grouped: 4-4-4-4 (optionally a 3-digit fifth group: 19 digits), Amex 4-6-5, Diners 4-6-4.
const CARD_GROUPED_RE = /(?<!\d)(?:\d{4}[- ]\d{4}[- ]\d{4}[- ]\d{4}(?:[- ]\d{3})?|3\d{3}[- ]\d{6}[- ]\d{4,5})(?!\d)/g;
const CARD_BARE_RE = /(?<!\d)\d{13,19}(?!\d)/g;
// Issuer prefixes of bare runs: Amex/JCB/Diners 3, Visa 4, Master 5 and 2221–2720, UnionPay/Discover 6, 국내 전용 9.
const CARD_PREFIX_RE = /^(?:[34569]|2[2-7])/;

/** Groups a card's digits for display: 15 → 4-6-5, 14 → 4-6-4, otherwise blocks of four. */
function cardGroups(length: number): number[] {
  if (length === 15) return [4, 6, 5];
  if (length === 14) return [4, 6, 4];
  const groups: number[] = [];
  for (let left = length; left > 0; left -= 4) groups.push(Math.min(4, left));
  return groups;
}

/** §7: keep the first six and the last four digits (for 16 digits: hide digits 7–12), 4558-12**-****-0116. */
function maskCard(digits: string): string {
  const shown = digits
    .split('')
    .map((d, i) => (i < 6 || i >= digits.length - 4 ? d : '*'))
    .join('');
  const parts: string[] = [];
  let at = 0;
  for (const size of cardGroups(digits.length)) {
    parts.push(shown.slice(at, at + size));
    at += size;
  }
  return parts.join('-');
}

/**
 * Card numbers (§10.5): Luhn must pass. A grouped number (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4) is a card; a bare
 * 13–19 digit run also needs an issuer prefix and a card keyword nearby (one random run in ten passes Luhn).
 */
function detectCards(scan: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of scan.matchAll(CARD_GROUPED_RE)) {
    const start = m.index!;
    let end = start + m[0].length;
    let digits = onlyDigits(m[0]);
    if (digits.length === 19 && !isLuhnValid(digits)) {
      // "4111 1111 1111 1111 123원": the fifth group was not part of the card.
      digits = digits.slice(0, 16);
      end = start + 19;
    }
    if (isLuhnValid(digits)) out.push({ kind: 'card', start, end, masked: maskCard(digits) });
  }
  for (const m of scan.matchAll(CARD_BARE_RE)) {
    const { start, end } = span(m);
    if (CARD_PREFIX_RE.test(m[0]) && isLuhnValid(m[0]) && hasKeywordNear(scan, start, end, CARD_KEYWORD)) {
      out.push({ kind: 'card', start, end, masked: maskCard(m[0]) });
    }
  }
  return out;
}

const BRN_GROUPED_RE = /(?<!\d)\d{3}[-. ]\d{2}[-. ]\d{5}(?!\d)/g;
const BRN_BARE_RE = /(?<!\d)\d{10}(?!\d)/g;

/**
 * 사업자등록번호 (§10.4): a 3-2-5 group with a passing checksum; a bare 10-digit run only with the checksum and
 * a keyword (사업자, 등록번호) nearby. Masked: last five hidden, 123-45-*****.
 */
function detectBusinessNumbers(scan: string): Candidate[] {
  const out: Candidate[] = [];
  const push = (m: RegExpMatchArray): void => {
    const digits = onlyDigits(m[0]);
    out.push({ kind: 'business_registration', ...span(m), masked: `${digits.slice(0, 3)}-${digits.slice(3, 5)}-*****` });
  };
  for (const m of scan.matchAll(BRN_GROUPED_RE)) if (isBrnChecksumValid(onlyDigits(m[0]))) push(m);
  for (const m of scan.matchAll(BRN_BARE_RE)) {
    const { start, end } = span(m);
    if (isBrnChecksumValid(m[0]) && hasKeywordNear(scan, start, end, BRN_KEYWORD)) push(m);
  }
  return out;
}

// Type letter M/S/R/G/D, then 8 digits (old) or 3 digits + letter + 4 digits (차세대 전자여권, since 2021-12-21).
const PASSPORT_RE = /(?<![A-Za-z0-9])[MSRGDmsrgd](?:\d{8}|\d{3}[A-Za-z]\d{4})(?![A-Za-z0-9])/g;

/** 여권번호 (§10.7). Masked: last four hidden, M123A****. */
function detectPassports(scan: string): Candidate[] {
  return [...scan.matchAll(PASSPORT_RE)].map((m) => ({ kind: 'passport' as const, ...span(m), masked: `${m[0].slice(0, -4)}****` }));
}

const LICENCE_RE = /(?<!\d)(1[1-9]|2[0-8])([-. ]?)(\d{2})([-. ]?)(\d{6})([-. ]?)(\d{2})(?!\d)/g;
const LICENCE_REGION_RE = /(서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산) ?(\d{2})-?(\d{6})-?(\d{2})(?!\d)/g;

/**
 * 운전면허번호 (§10.7): RR-YY-NNNNNN-CD with RR 11–28, or the pre-2014 form with a region name (서울 12-345678-90).
 * Only the fully hyphenated form stands alone; bare or partly separated runs need 면허 nearby (a bare 12-digit
 * run is too common). Masked: the 6-digit serial, 11-12-******-90.
 */
function detectLicences(scan: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of scan.matchAll(LICENCE_RE)) {
    const { start, end } = span(m);
    const isHyphenated = m[2] === '-' && m[4] === '-' && m[6] === '-';
    if (isHyphenated || hasKeywordNear(scan, start, end, LICENCE_KEYWORD)) {
      out.push({ kind: 'driver_licence', start, end, masked: `${m[1]!}-${m[3]!}-******-${m[7]!}` });
    }
  }
  for (const m of scan.matchAll(LICENCE_REGION_RE)) {
    out.push({ kind: 'driver_licence', ...span(m), masked: `${m[1]!} ${m[2]!}-******-${m[4]!}` });
  }
  return out;
}

// Mobile 01X, Seoul 02, regional 031–064, VoIP 070, 050X 안심번호; +82 with or without (0); optional (area) parens.
// 080 (toll-free, a business) and 15XX/16XX/18XX representative numbers are deliberately absent (§10.3).
// `+82` is its own boundary: `…원+82 10-…` is still a phone.
const PHONE_RE =
  /(?:\+82[-. ]?(?:\(0\))?0?|(?<![\d+])(?:\(0|0))(?:1[016789]|2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[2-8])(?:\) ?|(?: ?[-.] ?)| )?\d{3,4}(?: ?[-.] ?| )?\d{4}(?!\d)/g;

/**
 * 전화번호 (§10.3). Masked via {@link maskPhone}: the middle block, 010-****-5678, 02-***-4567. A number in
 * `keepPhones` is marked kept: it holds its span but stays as written.
 */
function detectPhones(scan: string, options: PiiOptions): Candidate[] {
  return [...scan.matchAll(PHONE_RE)].map((m) => {
    const { start, end } = span(m);
    // "(010-1234-5678)": an opening parenthesis not closed after the area code is the text's, not the number's.
    const isBracketed = m[0].startsWith('(') && !m[0].includes(')');
    const value = isBracketed ? m[0].slice(1) : m[0];
    const key = options.keepPhones && options.keepPhones.size > 0 ? phoneKey(value) : undefined;
    const isKept = key !== undefined && options.keepPhones!.has(key);
    return { kind: 'phone' as const, start: isBracketed ? start + 1 : start, end, masked: maskPhone(value), ...(isKept ? { isKept } : {}) };
  });
}

// `@` in the look-behind: in `a@b.kr@c.kr` the second address must not start inside the first one's domain.
const EMAIL_RE = /(?<![A-Za-z0-9._%+@-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g;

/** E-mail addresses (§10.8). Masked via {@link maskEmail}: ho**********@example.com. */
function detectEmails(scan: string): Candidate[] {
  return [...scan.matchAll(EMAIL_RE)].map((m) => ({ kind: 'email' as const, ...span(m), masked: maskEmail(m[0]) }));
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// A sentence may end right after the address ("…10.1.2.3."), so only `.digit` is refused after it.
const IPV4_RE = new RegExp(`(?<!\\d\\.?)${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}(?!\\.?\\d)`, 'g');

/** IPv4 addresses (§10.8). Masked: the third octet (§7), 123.123.***.123. */
function detectIpAddresses(scan: string): Candidate[] {
  return [...scan.matchAll(IPV4_RE)].map((m) => ({ kind: 'ip_address' as const, ...span(m), masked: `${m[1]!}.${m[2]!}.***.${m[4]!}` }));
}

// Bank layouts (§10.6) or a bare run; never glued to a Latin letter (a code such as M00000000000000) and never
// directly followed by 원 (an amount, not an account).
const ACCOUNT_RE = /(?<![\dA-Za-z-])(?:\d{2,6}-\d{2,6}-\d{2,7}(?:-\d{1,3})?|\d{10,14})(?![\dA-Za-z-]| ?원)/g;

/** §7: hide the last six digits, keeping the bank's own layout (110-123-******, 1002123******). */
function maskAccount(value: string): string {
  let toHide = 6;
  const chars = value.split('');
  for (let i = chars.length - 1; i >= 0 && toHide > 0; i--) {
    if (/\d/.test(chars[i]!)) {
      chars[i] = '*';
      toHide--;
    }
  }
  return chars.join('');
}

/**
 * 계좌번호 (§10.6), run last: a bank layout or bare run of 10–14 digits, not taken by another detector, and a bank
 * keyword (계좌, 입금, 은행, bank names …) within {@link KEYWORD_WINDOW} characters. There is no public checksum.
 */
function detectBankAccounts(scan: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of scan.matchAll(ACCOUNT_RE)) {
    const { start, end } = span(m);
    const count = onlyDigits(m[0]).length;
    if (count >= 10 && count <= 14 && hasKeywordNear(scan, start, end, BANK_KEYWORD)) {
      out.push({ kind: 'bank_account', start, end, masked: maskAccount(m[0]) });
    }
  }
  return out;
}

const DETECTORS: ReadonlyArray<(scan: string, options: PiiOptions) => Candidate[]> = [
  detectRegistrationNumbers,
  detectCards,
  detectBusinessNumbers,
  detectPassports,
  detectLicences,
  detectPhones,
  detectEmails,
  detectIpAddresses,
  detectBankAccounts,
];

/** Every detector needs an ASCII or full-width digit, or an `@`. */
const MAY_HOLD_PII_RE = /[0-9@\uff10-\uff19\uff20]/;

// ── public API ───────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Finds the personal data in a free text (notes, hand-off texts, article edits), in text order, without
 * overlaps. Pure and total: any string is accepted; a text without a digit or `@` yields [].
 * See the module comment for the kinds detected, the order and what is deliberately left alone.
 */
export function findPersonalData(text: string, options: PiiOptions = {}): PiiMatch[] {
  if (typeof text !== 'string' || !MAY_HOLD_PII_RE.test(text)) return [];
  const scan = foldForScan(text);
  const taken: Candidate[] = [];
  for (const detect of DETECTORS) {
    for (const c of detect(scan, options)) {
      if (!taken.some((t) => t.start < c.end && c.start < t.end)) taken.push(c);
    }
  }
  return taken
    .filter((c) => !c.isKept)
    .sort((a, b) => a.start - b.start)
    .map((c) => ({
      kind: c.kind,
      start: c.start,
      end: c.end,
      value: text.slice(c.start, c.end),
      masked: c.masked,
      ...(c.hasValidChecksum === undefined ? {} : { hasValidChecksum: c.hasValidChecksum }),
    }));
}

/** Upper bound of masking passes; each pass hides at least one letter or digit, so it ends well before. */
const MAX_MASKING_PASSES = 8;

/** One masking pass: every match of {@link findPersonalData} replaced by its masked form. */
function maskOnce(text: string, matches: readonly PiiMatch[]): string {
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + m.masked;
    at = m.end;
  }
  return out + text.slice(at);
}

/**
 * Masks the personal data in a free text before it is stored, and says what was masked so the agent can be told
 * ("주민등록번호 1건을 가렸습니다"). Text outside the matches is returned unchanged; a text with nothing to mask is
 * returned as is. `민원인 주민번호 900101-1234567 확인함` → `민원인 주민번호 900101-1****** 확인함`, found
 * `['resident_registration']`.
 *
 * The result is a fixed point: nothing in it is detectable any more, so masking it again changes nothing. Real
 * notes need one pass; a second is only needed for contrived texts where a mask's stars or canonical hyphens open
 * a digit boundary next to another run (`91080S+82 20555427859106계좌`: once the account's last six digits are
 * starred, `+82 20555427` ends at a boundary and is a Seoul number).
 * `found` lists the kinds of the first pass in text order, then those of any later pass.
 */
export function maskPersonalData(text: string, options: PiiOptions = {}): MaskedText {
  if (typeof text !== 'string') return { text: '', found: [] };
  let current = text;
  const found: PiiKind[] = [];
  for (let pass = 0; pass < MAX_MASKING_PASSES; pass++) {
    const matches = findPersonalData(current, options);
    if (matches.length === 0) break;
    current = maskOnce(current, matches);
    for (const m of matches) found.push(m.kind);
  }
  return { text: current, found };
}

/**
 * The kinds in `found` without repeats, in the order they first occur: what the agent is told was masked
 * (`['phone', 'resident_registration', 'phone']` → `['phone', 'resident_registration']`).
 */
export function distinctKinds(found: readonly PiiKind[]): PiiKind[] {
  return [...new Set(found)];
}
