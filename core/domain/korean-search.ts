import { disassemble } from 'es-hangul';
import type { Highlight } from '../contracts/kb';

/*
 * Korean knowledge-base search, the pure half (the SQL half is server/modules/kb/search).
 *
 * Matching model: a field is reduced to its letters and digits (NFC, lower-cased; spaces and punctuation dropped)
 * and indexed as the stream of overlapping syllable bigrams of that compact text, so "여권 발급" and "여권발급" both
 * become `여권 권발 발급`, plus the field's last character so that a one-character term can be found by prefix.
 * A query term of two or more characters is a phrase of its bigrams (contiguous positions), which is exactly
 * "the term is a substring of the field, ignoring spacing and punctuation"; particles come free (여권 ⊂ 여권을).
 * The same functions run at index and at query time on both dialects (stack-notes §3.2).
 */

/** At most this many query terms are used; the rest of a long pasted query is ignored. */
export const MAX_QUERY_TERMS = 8;

/** Totals are counted up to this cap; `total === SEARCH_TOTAL_CAP` means "this many or more" (show "1,000+"). */
export const SEARCH_TOTAL_CAP = 1000;

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/u;

/** NFC + lower case: every string goes through this before it is indexed, queried or highlighted. */
export function normalizeSearchText(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** The letters and digits of a text, one code point per element, normalised: the text search sees. */
export function searchChars(text: string): string[] {
  return Array.from(normalizeSearchText(text)).filter((c) => !NOT_LETTER_OR_DIGIT.test(c));
}

/** Overlapping bigrams of a character sequence: ["전","입","신","고"] → ["전입", "입신", "신고"]. */
export function charBigrams(chars: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * The index tokens of one field: the bigrams of its compact text, across word boundaries (so spacing variants
 * match), followed by its last character (so a one-character prefix query also finds a field-final syllable).
 * "전입 신고를" → ["전입", "입신", "신고", "고를", "를"]. Used at index time on both dialects.
 */
export function indexTokens(text: string): string[] {
  const chars = searchChars(text);
  if (chars.length === 0) return [];
  return [...charBigrams(chars), chars[chars.length - 1]!];
}

/** The FTS5 column text of a field: its index tokens separated by spaces (FTS5's unicode61 splits them again). */
export function bigramIndexText(text: string): string {
  return indexTokens(text).join(' ');
}

/**
 * A field reduced to what matching sees: its letters and digits, normalised ("주·정차 위반" → 주정차위반). A term
 * matches a field exactly when it is a substring of this text; PostgreSQL stores it to confirm bigram candidates.
 */
export function compactText(text: string): string {
  return searchChars(text).join('');
}

/**
 * A PostgreSQL tsvector literal ('여권' '권발' …) of the distinct index tokens of some fields, without positions:
 * GIN answers an AND of its lexemes without rechecking rows, which is what keeps PostgreSQL fast (phrase operators
 * would force a recheck that detoasts every candidate's vector). Built in core, cast with `::tsvector`, never parsed
 * by a text-search configuration, so the database's locale does not matter.
 */
export function buildTsvectorLiteral(fields: readonly string[]): string {
  const tokens = new Set(fields.flatMap(indexTokens));
  return Array.from(tokens, (t) => `'${t}'`).join(' ');
}

/** One query term: its compact text (letters and digits, normalised) and its characters. */
export type SearchTerm = { text: string; chars: string[] };

/**
 * Splits a query into terms at whitespace; each term keeps only its letters and digits ("주·정차" → 주정차).
 * Empty and repeated terms are dropped, and at most MAX_QUERY_TERMS are kept.
 */
export function parseSearchQuery(q: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const seen = new Set<string>();
  for (const piece of normalizeSearchText(q).split(/\s+/u)) {
    const chars = searchChars(piece);
    const text = chars.join('');
    if (text === '' || seen.has(text)) continue;
    seen.add(text);
    terms.push({ text, chars });
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return terms;
}

/** Makes a term from a word (a corrected term, a vocabulary word). */
export function toSearchTerm(word: string): SearchTerm {
  const chars = searchChars(word);
  return { text: chars.join(''), chars };
}

/** A dialect-neutral match expression, serialised by toFts5Query and toTsQuery. */
export type MatchExpr =
  | { kind: 'phrase'; tokens: string[] }
  | { kind: 'prefix'; token: string }
  | { kind: 'and'; items: MatchExpr[] }
  | { kind: 'or'; items: MatchExpr[] };

/** A term as an expression: the phrase of its bigrams, or a prefix query when it is a single character. */
export function termExpr(term: SearchTerm): MatchExpr {
  if (term.chars.length === 1) return { kind: 'prefix', token: term.text };
  return { kind: 'phrase', tokens: charBigrams(term.chars) };
}

/** Every term must match (AND); null when there is no term. */
export function buildExactMatch(terms: readonly SearchTerm[]): MatchExpr | null {
  if (terms.length === 0) return null;
  if (terms.length === 1) return termExpr(terms[0]!);
  return { kind: 'and', items: terms.map(termExpr) };
}

/** How many of a query's K distinct bigrams the fallback requires (K ≤ 8 are used). */
export function fallbackMinimumMatch(bigramCount: number): number {
  return bigramCount - Math.floor(bigramCount / 3);
}

/**
 * The second net when the exact and the corrected query find nothing: articles that contain most of the query's
 * distinct bigrams in any order (all but one of 3–5, all but two of 6–8), as an OR of AND-combinations.
 * Null when the query has fewer than three bigrams (then "most" would be "any", which is noise).
 */
export function buildFallbackMatch(terms: readonly SearchTerm[]): MatchExpr | null {
  const bigrams = [...new Set(terms.flatMap((t) => charBigrams(t.chars)))].slice(0, 8);
  if (bigrams.length < 3) return null;
  const need = fallbackMinimumMatch(bigrams.length);
  const combos: MatchExpr[] = [];
  const pick = (start: number, chosen: string[]): void => {
    if (chosen.length === need) {
      combos.push({ kind: 'and', items: chosen.map((b) => ({ kind: 'phrase', tokens: [b] })) });
      return;
    }
    for (let i = start; i <= bigrams.length - (need - chosen.length); i++) pick(i + 1, [...chosen, bigrams[i]!]);
  };
  pick(0, []);
  return { kind: 'or', items: combos };
}

/** Serialises an expression as an FTS5 MATCH string (`"전입 입신 신고" AND "서류"`, `"세" *`). */
export function toFts5Query(expr: MatchExpr): string {
  switch (expr.kind) {
    case 'phrase':
      return `"${expr.tokens.join(' ')}"`;
    case 'prefix':
      return `"${expr.token}" *`;
    case 'and':
      return `(${expr.items.map(toFts5Query).join(' AND ')})`;
    case 'or':
      return `(${expr.items.map(toFts5Query).join(' OR ')})`;
  }
}

/** Restricts an FTS5 MATCH string to the title and keywords columns. */
export function toFts5TitleQuery(expr: MatchExpr): string {
  return `{title keywords} : (${toFts5Query(expr)})`;
}

/** The bigrams of a phrase that the PostgreSQL candidate query uses: first, middle and last. */
export function candidateTokens(tokens: readonly string[]): string[] {
  if (tokens.length <= 3) return [...tokens];
  return [tokens[0]!, tokens[Math.floor(tokens.length / 2)]!, tokens[tokens.length - 1]!];
}

/**
 * Serialises an expression as the PostgreSQL candidate query (`('전입' & '입신' & '신고') & ('서류')`), for
 * `::tsquery` against a buildTsvectorLiteral vector: a phrase becomes the AND of (at most three of) its bigrams. It
 * finds a superset of the matches; `strpos` on the phraseText of each longer phrase makes it exact. Fewer lexemes
 * make GIN intersect fewer posting lists (measured 8.3 → 5.8 ms for 1,000 hits of a five-bigram term).
 */
export function toTsQuery(expr: MatchExpr): string {
  switch (expr.kind) {
    case 'phrase':
      return `(${candidateTokens(expr.tokens).map((t) => `'${t}'`).join(' & ')})`;
    case 'prefix':
      return `'${expr.token}':*`;
    case 'and':
      return `(${expr.items.map(toTsQuery).join(' & ')})`;
    case 'or':
      return `(${expr.items.map(toTsQuery).join(' | ')})`;
  }
}

/** The text a phrase of bigrams stands for: ["전입", "입신", "신고"] → 전입신고. */
export function phraseText(tokens: readonly string[]): string {
  return tokens.map((t, i) => (i === 0 ? t : Array.from(t).slice(1).join(''))).join('');
}

/** The words an expression looks for (phrase texts and prefix characters), for scoring. */
export function exprWords(expr: MatchExpr): string[] {
  switch (expr.kind) {
    case 'phrase':
      return [phraseText(expr.tokens)];
    case 'prefix':
      return [expr.token];
    case 'and':
    case 'or':
      return [...new Set(expr.items.flatMap(exprWords))];
  }
}

/** The words to highlight for an expression's hits: each term, or each bigram for the fallback. */
export function fallbackHighlightWords(terms: readonly SearchTerm[]): string[] {
  return [...new Set(terms.flatMap((t) => charBigrams(t.chars)))];
}

// ───────────────────────────── highlights ─────────────────────────────

/** A [start, end) range of UTF-16 offsets into a text. */
export type TextRange = [number, number];

/**
 * Where the words occur in a text, ignoring spacing, punctuation and case (a hit on 여권발급 covers "여권 발급"),
 * as sorted, merged [start, end) ranges of the original text.
 */
export function findHitRanges(text: string, words: readonly string[]): TextRange[] {
  const compact: string[] = [];
  const startOf: number[] = [];
  const endOf: number[] = [];
  let offset = 0;
  for (const ch of text) {
    for (const lower of Array.from(ch.toLowerCase())) {
      if (NOT_LETTER_OR_DIGIT.test(lower)) continue;
      compact.push(lower);
      startOf.push(offset);
      endOf.push(offset + ch.length);
    }
    offset += ch.length;
  }
  const ranges: TextRange[] = [];
  for (const word of words) {
    const needle = searchChars(word);
    if (needle.length === 0) continue;
    for (let i = 0; i + needle.length <= compact.length; i++) {
      let j = 0;
      while (j < needle.length && compact[i + j] === needle[j]) j++;
      if (j === needle.length) ranges.push([startOf[i]!, endOf[i + needle.length - 1]!]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: TextRange[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Cuts a text into {text, hit} segments at the given ranges; adjacent segments never share a `hit` value. */
export function toHighlight(text: string, ranges: readonly TextRange[]): Highlight {
  const out: Highlight = [];
  const push = (part: string, hit: boolean): void => {
    if (part === '') return;
    const last = out[out.length - 1];
    if (last && last.hit === hit) last.text += part;
    else out.push({ text: part, hit });
  };
  let at = 0;
  for (const [start, end] of ranges) {
    const s = Math.max(start, at);
    if (end <= s) continue;
    push(text.slice(at, s), false);
    push(text.slice(s, end), true);
    at = end;
  }
  push(text.slice(at), false);
  return out;
}

/** The whole text with every occurrence of the words marked (titles). */
export function highlightText(text: string, words: readonly string[]): Highlight {
  const normal = text.normalize('NFC');
  return toHighlight(normal, findHitRanges(normal, words));
}

/** Snippet options: window width in characters, and how much context to keep before the first hit. */
export type SnippetOptions = { width?: number; before?: number };

/**
 * A window of about `width` characters of the body around the first hit (or its beginning when the body has no
 * hit), whitespace collapsed, with "…" where the body was cut, as highlight segments.
 */
export function buildSnippet(body: string, words: readonly string[], options: SnippetOptions = {}): Highlight {
  const width = options.width ?? 120;
  const before = options.before ?? 30;
  const text = body.normalize('NFC').replace(/\s+/gu, ' ').trim();
  const ranges = findHitRanges(text, words);
  let start = 0;
  const first = ranges[0];
  if (first && first[0] > before) {
    start = first[0] - before;
    // Start at a word when one begins shortly before the window.
    const space = text.lastIndexOf(' ', start);
    if (space >= 0 && start - space <= 12) start = space + 1;
  }
  let end = Math.min(text.length, start + width);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + width * 0.7) end = space;
  }
  // Never split a surrogate pair.
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start -= 1;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end -= 1;
  const window = text.slice(start, end);
  const inWindow = ranges
    .filter(([s, e]) => e > start && s < end)
    .map(([s, e]): TextRange => [Math.max(s, start) - start, Math.min(e, end) - start]);
  const segments = toHighlight(window, inWindow);
  if (start > 0) segments.unshift({ text: '…', hit: false });
  if (end < text.length) segments.push({ text: '…', hit: false });
  return mergeSegments(segments);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function mergeSegments(segments: Highlight): Highlight {
  const out: Highlight = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (last && last.hit === s.hit) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}

// ───────────────────────────── typo correction ─────────────────────────────

/** Trailing particles (조사) stripped from title words so that "여권을" also gives the vocabulary word 여권. */
const PARTICLES = [
  '에서는', '으로는', '에서', '에게', '으로', '까지', '부터', '에는', '이나', '이란',
  '을', '를', '이', '가', '은', '는', '의', '에', '로', '와', '과', '도', '만', '나',
];

/** Removes one trailing particle when at least two syllables remain: "전입신고를" → 전입신고. */
export function stripParticle(word: string): string {
  for (const p of PARTICLES) {
    if (word.endsWith(p) && Array.from(word).length - Array.from(p).length >= 2) return word.slice(0, -p.length);
  }
  return word;
}

/** A vocabulary word with its jamo spelling and how many articles use it in a title or keyword. */
export type VocabularyEntry = { word: string; jamo: string[]; df: number };

/** Words of published titles and keywords, the targets of typo correction. */
export type Vocabulary = { entries: Map<string, VocabularyEntry> };

/** Jamo of a word as es-hangul disassembles it (자동차세 → ㅈㅏㄷㅗㅇㅊㅏㅅㅔ), one element per jamo. */
export function toJamo(word: string): string[] {
  return Array.from(disassemble(word));
}

/** The words a title or keyword contributes: each word of two or more characters, with and without a particle. */
export function vocabularyWords(text: string): string[] {
  const words = new Set<string>();
  for (const piece of normalizeSearchText(text).split(/[^\p{L}\p{N}]+/u)) {
    if (Array.from(piece).length < 2) continue;
    words.add(piece);
    const stem = stripParticle(piece);
    if (stem !== piece) words.add(stem);
  }
  return [...words];
}

/** Builds the vocabulary from published articles' titles and keywords. */
export function buildVocabulary(articles: Iterable<{ title: string; keywords: readonly string[] }>): Vocabulary {
  const entries = new Map<string, VocabularyEntry>();
  for (const article of articles) {
    const words = new Set([article.title, ...article.keywords].flatMap(vocabularyWords));
    for (const word of words) {
      const entry = entries.get(word);
      if (entry) entry.df += 1;
      else entries.set(word, { word, jamo: toJamo(word), df: 1 });
    }
  }
  return { entries };
}

/** Levenshtein distance, giving up (returning max + 1) as soon as it must exceed `max`. */
export function boundedEditDistance(a: readonly string[], b: readonly string[], max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      row.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/** The jamo edit distance forgiven for a word: 1 for words of one or two syllables, 2 for longer ones. */
export function maxTypoDistance(word: string): number {
  return Array.from(word).length <= 2 ? 1 : 2;
}

/**
 * The vocabulary word closest to a term by jamo edit distance (발금 → 발급, 자동차쎄 → 자동차세, 쓰래기 → 쓰레기),
 * within maxTypoDistance. Among equally close words the one of the same length in syllables wins, then the one whose
 * first syllable is the same, then the one used by more articles. Undefined when the term is itself a vocabulary word
 * or one of `known` (words of any article text: a correctly spelled word is never rewritten), is a single
 * character, or nothing is close enough.
 */
export function correctTerm(term: string, vocabulary: Vocabulary, known?: ReadonlySet<string>): string | undefined {
  const syllables = Array.from(term);
  if (syllables.length < 2 || vocabulary.entries.has(term) || known?.has(term)) return undefined;
  const jamo = toJamo(term);
  const max = maxTypoDistance(term);
  const rank = (entry: VocabularyEntry, d: number): number[] => {
    const chars = Array.from(entry.word);
    return [d, chars.length === syllables.length ? 0 : 1, chars[0] === syllables[0] ? 0 : 1, -entry.df];
  };
  let best: { entry: VocabularyEntry; key: number[] } | undefined;
  for (const entry of vocabulary.entries.values()) {
    if (Math.abs(entry.jamo.length - jamo.length) > max) continue;
    const d = boundedEditDistance(jamo, entry.jamo, best ? Math.min(max, best.key[0]!) : max);
    if (d > max) continue;
    const key = rank(entry, d);
    if (!best || isBefore(key, entry.word, best.key, best.entry.word)) best = { entry, key };
  }
  return best?.entry.word;
}

function isBefore(a: number[], aWord: string, b: number[], bWord: string): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return aWord < bWord;
}
