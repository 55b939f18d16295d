import { maskName, MASK_CHAR } from './masking';
import { distinctKinds, maskPersonalData, type MaskedText, type PiiKind, type PiiOptions } from './pii';

/*
 * Citizens' names in free text (issue #10 finding 6). ./pii finds numbers; a name cannot be found reliably in any
 * text (reference §10.8), but two cases can:
 *
 * 1. The caller's own registered name (the server unseals it from the call's citizen; the web knows only its masked
 *    form, 김*희, whose `*` then stands for one syllable): wherever it appears, it is masked like the structured
 *    field (김영희 → 김*희).
 * 2. A name-like phrase right after a cue word, 민원인 / 성명 / 성함 / 이름 / 본인 ("민원인 김영희 씨", "성명: 홍길동",
 *    "이름은 박지민이고"): 2–4 Hangul syllables starting with a common surname, the trailing particle or title
 *    (씨, 님, 은, 에게 …) left out, and not an ordinary word ("본인 확인 완료", "이름 변경 신청", "민원인 전화 요청").
 *
 * Masking a name never makes a text longer: every hidden syllable becomes one `*` (see {@link maskName}).
 */

/** A name found in a free text: UTF-16 offsets as in ./pii (end exclusive), the raw name and its mask. */
export type NameMatch = { start: number; end: number; value: string; masked: string; source: 'known' | 'cue' };

/** The words after which a name is expected. */
export const NAME_CUES = ['민원인', '성명', '성함', '이름', '본인'] as const;

// The common Korean surnames (통계청 인구주택총조사: the top ~100 cover about 99 % of people), one syllable each.
const SURNAMES = new Set(
  Array.from(
    '김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌팽승간상시갈',
  ),
);
// 복성 (two-syllable surnames): the name then has 3 or 4 syllables.
const COMPOUND_SURNAMES = new Set(['남궁', '황보', '제갈', '선우', '독고', '사공', '서문', '동방']);

/**
 * Ordinary words that start with a surname syllable and often follow a cue ("이름 변경", "민원인 전화", "본인 명의").
 * A candidate that is one of them, or starts with one ("변경신청"), is not a name.
 */
const ORDINARY_WORDS = [
  '가족', '가입', '감사', '강력', '강하', '경우', '경찰', '고객', '고지', '고충', '공개', '공지', '구두', '구입', '구청', '국적',
  '기록', '기재', '기준', '기타', '김장', '나이', '남편', '남김', '노인', '도로', '동의', '동일', '동명', '모두', '모름', '문의', '문자',
  '문제', '민원', '반송', '반환', '방금', '방문', '방법', '배달', '배송', '배우', '변경', '변동', '부담', '부모', '부분', '부재', '사망',
  '사실', '사용', '사유', '사항', '상담', '상태', '서류', '서명', '석명', '선택', '설명', '성별', '성함', '성명', '소유', '소재', '손해',
  '송금', '시간', '시청', '신고', '신분', '신원', '신청', '안내', '안전', '양식', '어머니', '연락', '예약', '예정', '오늘', '오류',
  '오전', '오후', '우리', '우편', '원함', '원인', '유무', '유선', '은행', '이름', '이메일', '이번', '이사', '이상', '이야기', '이용',
  '이유', '이의', '이전', '이후', '이미', '인감', '인적', '인증', '임대', '임시', '장소', '장애', '전달', '전입', '전체', '전화', '정도',
  '정리', '정보', '정상', '정정', '정확', '제출', '제시', '조사', '조치', '조회', '주민', '주소', '주장', '지급', '지번', '지역', '지원',
  '진술', '진행', '차량', '차후', '최근', '최초', '추가', '추후', '하자', '한번', '한국', '함께', '허가', '현장', '현재', '호소', '호출',
  '홍보', '여부', '연락처', '본인', '명의', '명단', '상대', '우려', '공무', '신상', '진정', '반발', '모친', '부친', '동생', '이웃', '연세',
  '편의', '하소',
];

/** Endings of verbs and adjectives ("강하게", "문의함"): a word ending so is not a name. */
const VERBAL_ENDING_RE = /(?:하게|하여|해서|하고|하며|했음|했다|했고|함|됨|음|게|요|니다|는데|지만)$/;

// Longest first. A particle is left out only when at least three syllables remain (김하은 stays 김하은), or a title
// remains before it (김철씨는 → 김철씨 → 김철).
const PARTICLES = ['이라고', '이라는', '입니다', '께서는', '에게서', '께서', '에게', '한테', '라고', '라는', '으로', '이고', '이며', '이다', '로', '은', '는', '이', '가', '을', '를', '의', '과', '와', '도', '만', '임'];
const TITLES = ['선생님', '씨', '님'];
// What may separate a cue from the name: a particle on the cue, then spaces and punctuation ("성명: ", "민원인(").
const CUE_PARTICLE_RE = /^(?:은|는|이|가|의|을|를|과|와|도)(?=[\s:：=(（[「『"'“‘·,-])/;
const SEPARATORS_RE = /^[\s:：=(（[「『"'“‘·,-]*/;
const HANGUL_RUN_RE = /^[가-힣]+/;
const HANGUL_RE = /[가-힣]/;
const CUE_RE = new RegExp(`(?<![가-힣])(?:${NAME_CUES.join('|')})`, 'g');

const isHangul = (c: string | undefined): boolean => c !== undefined && HANGUL_RE.test(c);

/** The name inside a run of Hangul after a cue ("김영희씨가" → "김영희"), or undefined when it is not name-like. */
function nameInRun(run: string): string | undefined {
  let core = run;
  for (const p of PARTICLES) {
    if (!core.endsWith(p)) continue;
    const rest = core.slice(0, -p.length);
    if (rest.length >= 3 || (rest.length >= 2 && TITLES.some((title) => rest.endsWith(title)))) core = rest;
    break;
  }
  for (const title of TITLES) {
    if (core.endsWith(title) && core.length - title.length >= 2) {
      core = core.slice(0, -title.length);
      break;
    }
  }
  return isNameLike(core) ? core : undefined;
}

/**
 * Whether a word looks like a Korean name: 2–4 syllables of Hangul, a common surname first (a compound one for 3–4
 * syllables), not an ordinary word and no verb ending. Pure; exported for the tests and the web.
 */
export function isNameLike(word: string): boolean {
  if (!/^[가-힣]{2,4}$/.test(word)) return false;
  const hasSurname = SURNAMES.has(word[0]!) || (word.length >= 3 && COMPOUND_SURNAMES.has(word.slice(0, 2)));
  if (!hasSurname) return false;
  if (ORDINARY_WORDS.some((w) => word.startsWith(w))) return false;
  return !VERBAL_ENDING_RE.test(word);
}

function findCuedNames(text: string): NameMatch[] {
  const out: NameMatch[] = [];
  for (const cue of text.matchAll(CUE_RE)) {
    let at = cue.index + cue[0].length;
    const particle = CUE_PARTICLE_RE.exec(text.slice(at))?.[0] ?? '';
    at += particle.length;
    at += SEPARATORS_RE.exec(text.slice(at))?.[0].length ?? 0;
    const run = HANGUL_RUN_RE.exec(text.slice(at))?.[0];
    const name = run && nameInRun(run);
    if (name) out.push({ start: at, end: at + name.length, value: name, masked: maskName(name), source: 'cue' });
  }
  return out;
}

/**
 * A pattern for a known name: its syllables with optional spaces between ("김 영희"), `*` standing for one syllable.
 * Undefined when the name has fewer than two known syllables (a pattern such as 김* would match 김치).
 */
function knownNamePattern(name: string): RegExp | undefined {
  const chars = Array.from(name.normalize('NFC').replace(/\s+/g, ''));
  if (chars.length < 2 || chars.length > 5) return undefined;
  if (!chars.every((c) => c === MASK_CHAR || isHangul(c))) return undefined;
  if (chars.filter((c) => c !== MASK_CHAR).length < 2) return undefined;
  return new RegExp(chars.map((c) => (c === MASK_CHAR ? '[가-힣]' : c)).join(' ?'), 'g');
}

function findKnownNames(text: string, knownNames: readonly string[]): NameMatch[] {
  const out: NameMatch[] = [];
  for (const name of knownNames) {
    const pattern = knownNamePattern(name);
    if (!pattern) continue;
    const syllables = name.replace(/\s+/g, '').length;
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      // A two-syllable name (김철) is a name only as a word of its own, possibly with a particle or title after it.
      if (syllables === 2) {
        if (isHangul(text[start - 1])) continue;
        const after = HANGUL_RUN_RE.exec(text.slice(end))?.[0] ?? '';
        if (after && !PARTICLES.includes(after) && !TITLES.some((title) => after.startsWith(title))) continue;
      }
      out.push({ start, end, value: m[0], masked: maskName(m[0]), source: 'known' });
    }
  }
  return out;
}

/**
 * The citizens' names in a free text, in text order without overlaps: the known names first (the caller's own, or
 * its masked form from the screen), then name-like phrases after a cue word. Pure and total.
 */
export function findNames(text: string, knownNames: readonly (string | null | undefined)[] = []): NameMatch[] {
  if (typeof text !== 'string' || !HANGUL_RE.test(text)) return [];
  const taken: NameMatch[] = [];
  for (const m of [...findKnownNames(text, knownNames.filter((n): n is string => typeof n === 'string')), ...findCuedNames(text)]) {
    if (!taken.some((t) => t.start < m.end && m.start < t.end)) taken.push(m);
  }
  return taken.sort((a, b) => a.start - b.start);
}

/**
 * Masks the names {@link findNames} finds (김영희 → 김*희); `found` has one 'person_name' per masked name. The text
 * never grows. Masking the result again changes nothing.
 */
export function maskNames(text: string, knownNames: readonly (string | null | undefined)[] = []): MaskedText {
  const matches = findNames(text, knownNames);
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + m.masked;
    at = m.end;
  }
  return { text: out + text.slice(at), found: matches.map(() => 'person_name' as const) };
}

/**
 * Everything masked in a free text before it is stored (case summary and notes, hand-off answers): the numbers of
 * ./pii (the city's own numbers in `options.keepPhones` left as written), then the citizens' names. `found` lists the
 * kinds in that order.
 */
export function maskFreeText(text: string, knownNames: readonly (string | null | undefined)[] = [], options: PiiOptions = {}): MaskedText {
  const numbers = maskPersonalData(text, options);
  const names = maskNames(numbers.text, knownNames);
  return { text: names.text, found: [...numbers.found, ...names.found] };
}

/** The distinct kinds of personal data in a text being typed (numbers first, then names), for the live warning. */
export function findFreeTextKinds(text: string, knownNames: readonly (string | null | undefined)[] = []): PiiKind[] {
  return distinctKinds(maskFreeText(text, knownNames).found);
}
