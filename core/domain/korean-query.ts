import { compactText, normalizeSearchText, searchChars } from './korean-search';

/*
 * Spoken-question analysis and ranking for the knowledge-base search (issue #13), the pure half.
 *
 * No Korean morphological analyser can be shipped here: kiwi-nlp (npm) is a WebAssembly build whose model files are a
 * separate download, mecab-ko-ts needs MeCab with mecab-ko-dic, which Debian does not package. So the analysis is
 * rules, checked against real spoken forms in korean-query.test.ts, plus what the knowledge base itself says:
 *
 * - A question is cut into words; speech fillers and question words (저, 제가, 그거, 좀, 혹시, 있잖아요, 어떻게,
 *   돼요…) are dropped (STOP_WORDS, STOP_STEMS).
 * - A word the KB uses (any word of a published title, keyword or body, or its particle-free form) is kept as it is.
 * - Otherwise particles and verb endings are taken off (발급받으려면 → 발급, 신청했는데요 → 신청, 과태료를 → 과태료)
 *   and verb stems restored (막혔어요/막힌/막히는 → 막히, 내는거 → 내); a stem is matched through the KB's own words
 *   that share it (막히 → 막힘), so the index keeps matching substrings of the text it stores.
 * - A word still unknown is split into known words, longest first (자동차세언제내요 → 자동차세 + 언제 + 내요,
 *   등본떼려면 → 등본 + 떼려면), and each piece analysed again.
 * - The city's synonym dictionary adds the manual's words for the caller's (쓰레기봉투 → 종량제봉투), matched on the
 *   compact question so spacing does not matter (아기 수당 = 아기수당).
 *
 * Each remaining word is a Concept: alternative forms, any of which counts. Ranking is BM25 over title, keywords and
 * body (weighted 4 : 3 : 1, per-field length normalisation), with a bonus for neighbouring concepts found together in
 * the title and a bonus for covering more of the question, so any word may match but the best match comes first.
 */

/** Words of speech that never decide a result (compared after NFC + lower case, letters and digits only). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  [
    '저', '제가', '저희', '저희가', '제', '나', '내가', '우리', '우리가', '그거', '그게', '이거', '이게', '저거', '그', '이', '저기', '저기요', '거기',
    '좀', '혹시', '있잖아요', '있잖아', '어떻게', '어떡해요', '어떻게요', '돼요', '되나요', '되요', '됩니까', '해요', '하나요', '합니까', '하는지',
    '네', '예', '아', '어', '음', '여보세요', '안녕하세요', '수고하세요', '그런데', '근데', '그래서', '그리고', '이번에', '지금', '오늘', '너무', '진짜',
    '정말', '그냥', '글쎄', '아니', '막', '이제', '또', '뭐', '뭐가', '뭘', '무슨', '뭐냐', '왜', '언제', '언제까지', '어디', '어디서', '어디로',
    '어디에', '어데', '얼마', '얼마나', '몇', '있나요', '있어요', '있을까요', '없어요', '없나요', '싶어요', '싶은데요', '싶은데', '싶어서요',
    '궁금해서요', '궁금합니다', '궁금한데요', '알고', '알려', '주세요', '해주세요', '전화했어요', '전화드렸어요', '문의', '문의드려요', '거', '것',
    '수', '게', '데', '해야', '하면', '되는', '하는', '하고', '할', '한', '해서', '했는데', '했는데요', '하려고', '하려고요', '되나', '될까요',
    '같은데', '같아요', '같은', '다른', '이런', '그런', '저런', '요', '우째', '우짜면', '우짜노', '예요', '이에요', '가요', '인가요', '건가요',
    '건지', '거죠', '거요', '건데', '거든요', '됐는데', '됐어요', '받을', '있는', '없는', '한번', '다시', '계속', '자꾸', '하나도', '모르겠어서',
    '모르겠어요', '드렸어요', '드려요', '부탁드려요', '말이에요', '말인데요',
  ].map((w) => normalizeSearchText(w)),
);

/** Verb stems that carry no topic (하다, 되다, 있다, 없다, 싶다, 알다, 모르다, 받다, 주다, 가다, 오다…). */
export const STOP_STEMS: ReadonlySet<string> = new Set([
  '하', '되', '있', '없', '싶', '알', '모르', '받', '주', '드리', '가', '오', '보', '나', '들', '같', '말하', '물어보', '궁금하', '어떻', '이',
  '그렇', '이렇', '저렇', '많', '해주', '알아보', '알리', '계시', '하시', '여쭈', '여쭤보',
]);

/** Particles (조사) taken off a noun, longest first. */
const PARTICLES = [
  '에서는', '으로는', '에서도', '이라도', '한테서', '에게서', '까지는', '부터는', '이라서', '이라고', '이랑', '에서', '에게', '한테', '으로', '까지',
  '부터', '에는', '이나', '이란', '처럼', '보다', '마다', '이요', '이랑', '하고', '을', '를', '이', '가', '은', '는', '의', '에', '로', '와', '과',
  '도', '만', '나', '랑', '요',
];

/** Verb and adjective endings (어미), longest first; what remains is a stem (possibly contracted: 막혀, 해, 돼). */
const ENDINGS = [
  '었는데요', '았는데요', '였는데요', '었거든요', '았거든요', '으려고요', '더라고요', '으려는데', '으려는데요', '려는데요', '는데요', '은데요',
  '거든요', '잖아요', '려고요', '습니까', '습니다', '었어요', '았어요', '였어요', '었나요', '았나요', '으려면', '으면요', '을까요', '을려면',
  '려면요', '는거요', '는건지', '는지요', '으세요', '었는데', '았는데', '였는데', '려는데', '는데', '은데', '어서요', '아서요', '려고', '으려고',
  '려면', '어요', '아요', '여요', '에요', '네요', '지요', '나요', '까요', '래요', '대요', '세요', '어야', '아야', '여야', '으면', '는거', '는게',
  '는지', '은지', '을지', '었고', '았고', '어서', '아서', '여서', '다가', '도록', '거나', '구요', '고요', '는가', '는교', '던데', '당께요', '당께',
  '가꼬', '어가꼬', '면', '고', '게', '지', '는', '은', '던', '죠', '요', '노', '꼬', '교', '겨', '예', '다', '음', '기', '서', '니', '나',
  '을', '를', '어', '아',
];

/** Light verbs after a Sino-Korean noun: 신청(하다), 발급(받다), 해결(되다), 연락(드리다). */
const LIGHT_VERBS = ['하', '해', '했', '받', '되', '돼', '됐', '드리', '드려', '드렸', '시키', '당하', '당했'];

const S_BASE = 0xac00;
const S_COUNT = 11172;

function splitSyllable(ch: string): { l: number; v: number; t: number } | null {
  const code = ch.codePointAt(0)! - S_BASE;
  if (code < 0 || code >= S_COUNT) return null;
  return { l: Math.floor(code / 588), v: Math.floor((code % 588) / 28), t: code % 28 };
}

function joinSyllable(l: number, v: number, t: number): string {
  return String.fromCodePoint(S_BASE + l * 588 + v * 28 + t);
}

// Vowel indices (ㅏ=0 … ㅣ=20) and the finals an ending adds (ㄴ=4, ㄹ=8, ㅁ=16, ㅆ=20).
const V = { a: 0, ae: 1, eo: 4, e: 5, yeo: 6, o: 8, wa: 9, wae: 10, u: 13, wo: 14, i: 20 };
const T_ENDING = new Set([4, 8, 16, 20]);
const L_H = 18; // ㅎ

/**
 * Stems a contracted or inflected last syllable may come from: 혔 → 혀 → 히 (막혔 → 막히), 했/해 → 하, 됐/돼 → 되,
 * 왔/와 → 오, 웠/워 → 우, 막힌/막힘 → 막히. The word itself comes first.
 */
export function stemVariants(stem: string): string[] {
  const chars = Array.from(stem);
  const last = chars[chars.length - 1];
  const out = [stem];
  if (!last) return out;
  const s = splitSyllable(last);
  if (!s) return out;
  const head = chars.slice(0, -1).join('');
  const add = (v: number, t = 0, l = s.l) => {
    const w = head + joinSyllable(l, v, t);
    if (!out.includes(w)) out.push(w);
  };
  const bases: { v: number; t: number }[] = [{ v: s.v, t: s.t }];
  if (T_ENDING.has(s.t)) bases.push({ v: s.v, t: 0 }); // 막힌, 막힘, 했 → 막히, 해
  for (const b of bases) {
    if (b.t !== 0) continue;
    if (b !== bases[0]) add(b.v);
    if (b.v === V.yeo) add(V.i); // 혀 → 히, 셔 → 시
    if (b.v === V.ae && s.l === L_H) add(V.a); // 해 → 하
    if (b.v === V.wae) add(V.e + 6 /* ㅚ */); // 돼 → 되
    if (b.v === V.wa) add(V.o); // 와 → 오, 봐 → 보
    if (b.v === V.wo) add(V.u); // 워 → 우
    if (b.v === V.eo || b.v === V.a) {
      // 써 → 쓰, 꺼 → 끄 (ㅡ dropped before 어)
      add(18 /* ㅡ */);
    }
  }
  return out;
}

function stripSuffixes(word: string, list: readonly string[], minLeft: number): string[] {
  const out: string[] = [];
  for (const suffix of list) {
    if (word.endsWith(suffix) && Array.from(word).length - Array.from(suffix).length >= minLeft) out.push(word.slice(0, -suffix.length));
  }
  return out;
}

/**
 * Candidate base forms of a spoken word, most specific first: the word, without a particle, without an ending
 * (and the stems that ending may hide), and without a light verb (신청했는데요 → 신청). Not filtered by any vocabulary.
 */
export function baseForms(word: string): string[] {
  const out: string[] = [];
  const add = (w: string) => {
    if (w !== '' && !out.includes(w)) out.push(w);
  };
  add(word);
  for (const p of stripSuffixes(word, PARTICLES, 1)) add(p);
  const stems = stripSuffixes(word, ENDINGS, 1);
  for (const stem of stems) {
    for (const v of stemVariants(stem)) {
      add(v);
      for (const light of LIGHT_VERBS) if (v.endsWith(light) && Array.from(v).length - Array.from(light).length >= 2) add(v.slice(0, -light.length));
    }
  }
  for (const v of stemVariants(word)) if (v !== word) add(v);
  return out;
}

/** The stem key a vocabulary word is filed under (its shortest base form of at least one syllable). */
export function stemKeys(word: string): string[] {
  return baseForms(word).slice(1);
}

/** What the analysis knows of the knowledge base: its words, their stems, and the city's synonyms. */
export type Lexicon = {
  /** Words of titles, keywords and bodies (compact, ≥ 2 characters) and their particle-free forms. */
  words: Set<string>;
  /** Stem → words of the KB that have that stem (막히 → 막힘). */
  byStem: Map<string, Set<string>>;
  /** Synonym dictionary: compact caller phrase → the manual's words. */
  synonyms: Map<string, string[]>;
  /** Longest word length in `words`, in characters (bounds segmentation). */
  maxWordLength: number;
};

/** Builds the lexicon from article texts and synonym entries (term → expansions). */
export function buildLexicon(texts: Iterable<string>, synonyms: Iterable<{ term: string; expansions: readonly string[] }> = []): Lexicon {
  const lexicon: Lexicon = { words: new Set(), byStem: new Map(), synonyms: new Map(), maxWordLength: 2 };
  for (const text of texts) for (const piece of normalizeSearchText(text).split(/[^\p{L}\p{N}]+/u)) addWord(lexicon, piece);
  for (const s of synonyms) {
    const key = compactText(s.term);
    if (key === '') continue;
    const targets = s.expansions.map(compactText).filter((t) => t !== '' && t !== key);
    const existing = lexicon.synonyms.get(key) ?? [];
    lexicon.synonyms.set(key, [...new Set([...existing, ...targets])]);
  }
  return lexicon;
}

function addWord(lexicon: Lexicon, word: string): void {
  const length = Array.from(word).length;
  if (length < 2 || lexicon.words.has(word)) return;
  lexicon.words.add(word);
  if (length > lexicon.maxWordLength) lexicon.maxWordLength = Math.min(length, 12);
  const stripped = stripSuffixes(word, PARTICLES, 2);
  for (const s of stripped) if (!lexicon.words.has(s)) lexicon.words.add(s);
  for (const key of stemKeys(word)) {
    let set = lexicon.byStem.get(key);
    if (!set) lexicon.byStem.set(key, (set = new Set()));
    set.add(word);
  }
}

/** One meaningful part of a question: any of its forms counts; `source` is what the caller said. */
export type Concept = { source: string; forms: string[]; isSynonym?: boolean };

/** At most this many concepts are kept; the rest of a long pasted question is ignored. */
export const MAX_CONCEPTS = 10;
/** At most this many forms per concept (KB words sharing a stem). */
const MAX_FORMS = 6;

function isStop(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Forms of one word the KB knows: the word, a base form it uses, or the KB words sharing a stem. Empty if none. */
function knownForms(word: string, lexicon: Lexicon): string[] | 'stop' {
  if (lexicon.words.has(word) && Array.from(word).length >= 2) return [word];
  const bases = baseForms(word).slice(1);
  // A KB word first (신청했는데요 → 신청), then the KB's words sharing a stem (막혔어요 → 막힘).
  for (const base of bases) {
    if (STOP_STEMS.has(base) || isStop(base)) return 'stop';
    if (Array.from(base).length >= 2 && lexicon.words.has(base)) return [base];
  }
  for (const base of bases) {
    const sharing = lexicon.byStem.get(base);
    if (sharing && sharing.size > 0) {
      const forms = [...sharing].filter((w) => Array.from(w).length >= 2).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
      if (forms.length > 0) return forms.slice(0, MAX_FORMS);
    }
  }
  return [];
}

/** Splits a run-together word into known words, longest first from the left; unknown stretches are kept. */
export function segmentWord(word: string, lexicon: Lexicon): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  let unknown = '';
  let i = 0;
  while (i < chars.length) {
    let found = 0;
    for (let len = Math.min(lexicon.maxWordLength, chars.length - i); len >= 2; len--) {
      const piece = chars.slice(i, i + len).join('');
      if (lexicon.words.has(piece) || STOP_WORDS.has(piece) || lexicon.synonyms.has(piece)) {
        found = len;
        break;
      }
    }
    if (found === 0) {
      unknown += chars[i];
      i += 1;
      continue;
    }
    if (unknown) out.push(unknown);
    unknown = '';
    out.push(chars.slice(i, i + found).join(''));
    i += found;
  }
  if (unknown) {
    // A trailing ending glued to the last known word (등본떼려면 → 등본, 떼려면) stays its own piece.
    out.push(unknown);
  }
  return out;
}

/** A question analysed: its concepts, and the words no form of which the KB knows (typo candidates). */
export type AnalysedQuery = { concepts: Concept[]; unknown: string[] };

/**
 * Analyses a spoken question against the lexicon (see the header): stop words dropped, particles and endings taken
 * off, stems matched through the KB's words, run-together words split, synonyms added.
 */
export function analyseQuery(question: string, lexicon: Lexicon): AnalysedQuery {
  const concepts: Concept[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  const push = (source: string, forms: string[], isSynonym = false) => {
    const fresh = forms.filter((f) => !seen.has(f));
    if (fresh.length === 0 || concepts.length >= MAX_CONCEPTS) return;
    for (const f of fresh) seen.add(f);
    concepts.push(isSynonym ? { source, forms: fresh, isSynonym } : { source, forms: fresh });
  };
  const words = normalizeSearchText(question)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');

  // Synonyms on the compact question: 아기 수당 = 아기수당; the caller's words they cover are not used on their own.
  const compact = words.join('');
  const covered = new Set<string>();
  const synonymConcepts: Concept[] = [];
  for (const [key, targets] of lexicon.synonyms) {
    if (!compact.includes(key)) continue;
    synonymConcepts.push({ source: key, forms: targets, isSynonym: true });
    for (const w of words) if (key.includes(w) || w.startsWith(key)) covered.add(w);
  }

  const analyseWord = (word: string, allowSplit: boolean): void => {
    if (isStop(word) || covered.has(word)) return;
    const known = knownForms(word, lexicon);
    if (known === 'stop') return;
    if (known.length > 0) {
      push(word, known);
      return;
    }
    if (allowSplit && Array.from(word).length >= 3) {
      // Split only when every piece but the last is known (등본떼려면 → 등본 + 떼려면); a misspelt word
      // (대형패기물) stays whole for the typo corrector.
      const pieces = segmentWord(word, lexicon);
      const isClean = pieces.slice(0, -1).every((p) => isStop(p) || lexicon.synonyms.has(p) || knownForms(p, lexicon).length !== 0);
      if (pieces.length > 1 && isClean) {
        for (const piece of pieces) analyseWord(piece, false);
        return;
      }
    }
    // Unknown to the KB: keep it without a particle (it may still be a substring of a text). A noun-like word is a
    // typo candidate; a verb form (신청하실, 받으실) never is, so ordinary speech is not rewritten.
    if (Array.from(word).length < 2) return;
    const noun = stripSuffixes(word, PARTICLES, 2)[0] ?? word;
    const isVerbForm = ENDINGS.some((e) => Array.from(e).length >= 2 && word.endsWith(e) && word !== e);
    if (!isVerbForm) unknown.push(word);
    push(word, [noun]);
  };
  for (const word of words) analyseWord(word, true);
  for (const c of synonymConcepts) push(c.source, c.forms, true);
  return { concepts, unknown };
}

// ───────────────────────────── ranking ─────────────────────────────

/** An article as the ranking sees it. */
export type RankedDocument = { seq: number; title: string; keywords: readonly string[]; body: string };

/** Corpus figures for BM25: number of documents and average compact field lengths. */
export type CorpusStats = { documents: number; avgTitle: number; avgKeywords: number; avgBody: number };

/** BM25 inverse document frequency of a concept found in `df` of `n` documents. */
export function idf(df: number, n: number): number {
  return Math.log(1 + (Math.max(n, df) - df + 0.5) / (df + 0.5));
}

const K1 = 1.2;
const B = 0.75;
const FIELD_WEIGHT = { title: 4, keywords: 3, body: 1 };

function occurrences(text: string, form: string): number {
  if (form === '') return 0;
  let n = 0;
  for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + form.length)) n++;
  return n;
}

/** Per-document compact fields, computed once per candidate. */
export type CompactDocument = { seq: number; title: string; keywords: string; body: string };

/** compactText in one regular-expression pass (same result; the ranking runs it on every candidate). */
export function fastCompact(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export function compactDocument(doc: RankedDocument): CompactDocument {
  return { seq: doc.seq, title: fastCompact(doc.title), keywords: doc.keywords.map(fastCompact).join(' '), body: fastCompact(doc.body) };
}

/**
 * BM25F score of a document for weighted concepts (weight = idf), plus bonuses: neighbouring concepts both in the
 * title (phrase/proximity), and the share of the question's weight the document covers (so two matched words beat
 * one repeated word). `boost` adds learned preference (agents' choices) on top.
 */
export function scoreDocument(concepts: readonly { forms: string[]; weight: number }[], doc: CompactDocument, stats: CorpusStats): number {
  let score = 0;
  let covered = 0;
  let total = 0;
  const inTitle: boolean[] = [];
  for (const c of concepts) {
    total += c.weight;
    const tf = (text: string) => Math.max(0, ...c.forms.map((f) => occurrences(text, f)));
    const t = tf(doc.title);
    const k = tf(doc.keywords);
    const b = tf(doc.body);
    inTitle.push(t > 0 || k > 0);
    const norm = (len: number, avg: number) => 1 - B + (B * len) / Math.max(1, avg);
    const weighted =
      (FIELD_WEIGHT.title * t) / norm(doc.title.length, stats.avgTitle) +
      (FIELD_WEIGHT.keywords * k) / norm(doc.keywords.length, stats.avgKeywords) +
      (FIELD_WEIGHT.body * b) / norm(doc.body.length, stats.avgBody);
    if (weighted > 0) {
      covered += c.weight;
      score += (c.weight * (weighted * (K1 + 1))) / (weighted + K1);
    }
  }
  // A concept that is exactly one of the article's keywords (what a trained agent types) counts once more.
  const keywordSet = new Set(doc.keywords.split(' '));
  for (const c of concepts) if (c.forms.some((f) => keywordSet.has(f))) score += 0.5 * c.weight;
  for (let i = 0; i + 1 < concepts.length; i++) {
    if (inTitle[i] && inTitle[i + 1]) score += 0.5 * Math.min(concepts[i]!.weight, concepts[i + 1]!.weight);
  }
  if (total > 0) score *= 0.5 + covered / total;
  return score;
}

/** The characters of a form, for callers that need them (highlights). */
export function formChars(form: string): string[] {
  return searchChars(form);
}

// ───────────────────────────── learning from agents ─────────────────────────────

/** The key a question's choices are filed under: its concepts' first forms, sorted, space-separated. */
export function questionKey(concepts: readonly Concept[]): string {
  return [...new Set(concepts.map((c) => c.forms[0] ?? c.source))].sort().join(' ');
}

/** One remembered choice: agents opened or used `articleId` `weight` times after questions with this key. */
export type LearnedChoice = { queryKey: string; articleId: string; weight: number };

/** Choices by concept form, for finding the ones that share a concept with a new question. */
export type LearnedChoices = Map<string, { forms: ReadonlySet<string>; articleId: string; weight: number }[]>;

/** Files remembered choices under each of their concepts. */
export function buildLearnedChoices(choices: Iterable<LearnedChoice>): LearnedChoices {
  const out: LearnedChoices = new Map();
  for (const c of choices) {
    const forms = new Set(c.queryKey.split(' ').filter((f) => f !== ''));
    const entry = { forms, articleId: c.articleId, weight: c.weight };
    for (const f of forms) {
      let list = out.get(f);
      if (!list) out.set(f, (list = []));
      list.push(entry);
    }
  }
  return out;
}

/** Questions sharing less than this (Jaccard) of their concepts are not similar: one common word is not enough. */
export const MIN_OVERLAP = 0.5;

/**
 * How strongly earlier choices point at each article for a new question: each earlier choice counts its weight times
 * the overlap of the two questions' concepts (shared / all, Jaccard) when that is at least MIN_OVERLAP, so
 * "자동차세 언제 내요" and "자동차세 납부 기한" (a third) do not count, "자동차세 언제" and "자동차세 언제 내요" do.
 */
export function learnedPreference(choices: LearnedChoices, concepts: readonly Concept[]): Map<string, number> {
  const key = new Set(questionKey(concepts).split(' ').filter((f) => f !== ''));
  const seen = new Set<object>();
  const out = new Map<string, number>();
  for (const form of key) {
    for (const entry of choices.get(form) ?? []) {
      if (seen.has(entry)) continue;
      seen.add(entry);
      let shared = 0;
      for (const f of entry.forms) if (key.has(f)) shared++;
      const overlap = shared / (entry.forms.size + key.size - shared);
      if (overlap < MIN_OVERLAP) continue;
      out.set(entry.articleId, (out.get(entry.articleId) ?? 0) + entry.weight * overlap);
    }
  }
  return out;
}

/** The most agents' choices can raise a score: ×1.3, so a learned article moves up but never buries a clearly better match. */
export const MAX_LEARNED_BOOST = 0.3;

/** Score multiplier for an article with preference `p` (see learnedPreference): 1 + 0.15·log2(1 + p), at most 1.3. */
export function learnedBoost(p: number | undefined): number {
  if (!p || p <= 0) return 1;
  return 1 + Math.min(MAX_LEARNED_BOOST, 0.15 * Math.log2(1 + p));
}
