/**
 * A citizen's full name as the blind index sees it (issue #18 item 11): Unicode NFKC (compatibility forms and
 * half-width letters folded), every space and middle dot removed ("홍 길동", "홍길동 " and "홍·길동" are one name),
 * Latin letters lower-cased. Only the whole name is indexed: a blind index answers "is it exactly this value?" and
 * nothing else, so a search by part of a name (성 only, "길동") is impossible by design — indexing every part would
 * let anyone holding the database enumerate the common surnames and syllables and undo the protection.
 */
export function normaliseFullName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s\u00B7\u30FB\u318D\u2027.·]+/gu, '')
    .toLowerCase();
}

/** Shortest and longest full name the search accepts (after normalisation). */
export const NAME_SEARCH_MIN = 2;
export const NAME_SEARCH_MAX = 40;
