import { getChoseong } from 'es-hangul';
import type { Category } from '../../../core/contracts/org';

/**
 * Filtering of the case form's category picker. A query matches a category when every word of it is found in the
 * category's path, ignoring spaces and punctuation ("자동차세연납" finds "자동차세 연납 신청"); a word typed in
 * initial consonants only matches them ("ㅈㄷㅊㅅ" finds 자동차세). Only tasks and details (levels 2-3) can be picked.
 */
export type CategoryOption = Category & { compactPath: string; compactName: string; choseongPath: string };

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;
const ONLY_CHOSEONG = /^[ㄱ-ㅎ]+$/;

function compact(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(NOT_LETTER_OR_DIGIT, '');
}

/** The pickable categories, with their search keys computed once. */
export function toCategoryOptions(categories: readonly Category[]): CategoryOption[] {
  return categories
    .filter((c) => c.level >= 2)
    .map((c) => ({ ...c, compactPath: compact(c.path), compactName: compact(c.name), choseongPath: getChoseong(compact(c.path)) }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

function wordMatches(option: CategoryOption, word: string): boolean {
  return ONLY_CHOSEONG.test(word) ? option.choseongPath.includes(word) : option.compactPath.includes(word);
}

/**
 * The options matching a query, best first (issue #18 item 5: Enter takes the first): a name equal to the query, then
 * names containing it, the most specific first (a detail before its task: "누수" picks 도로·보도 누수 신고 over
 * 누수·단수), a name starting with it before one containing it; then matches by the path only; then code order.
 */
export function filterCategories(options: readonly CategoryOption[], query: string, limit = 60): CategoryOption[] {
  const words = query.normalize('NFC').toLowerCase().split(/\s+/).map(compact).filter(Boolean);
  if (words.length === 0) return options.slice(0, limit);
  const whole = words.join('');
  const scored: { option: CategoryOption; score: number }[] = [];
  for (const option of options) {
    if (!words.every((w) => wordMatches(option, w))) continue;
    const name = option.compactName;
    const score = name === whole ? 0 : name.includes(whole) ? 10 - option.level * 2 + (name.startsWith(whole) ? 0 : 1) : 100;
    scored.push({ option, score });
  }
  scored.sort((a, b) => a.score - b.score || a.option.code.localeCompare(b.option.code));
  return scored.slice(0, limit).map((s) => s.option);
}
