import { josa as hangulJosa } from 'es-hangul';

/**
 * Korean particles chosen for the word before them (core/glossary.ts: never written as 을(를)). Hangul by es-hangul;
 * a word ending in a digit by how the digit is read (일, 이, 삼 … 영), a Latin letter by its Korean name (엘, 엠, 엔,
 * 알 end in a consonant), so "내선 2501은", "A0103은", "hong.kisoo는", "민원여권과로", "서울로" (ㄹ takes 로).
 */
export type Particle = '을/를' | '은/는' | '이/가' | '으로/로' | '와/과';

// 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔 end in a consonant; 1, 7, 8 in ㄹ.
const DIGIT_FINAL: Record<string, 'none' | 'rieul' | 'other'> = {
  '0': 'other', '1': 'rieul', '2': 'none', '3': 'other', '4': 'none', '5': 'none', '6': 'other', '7': 'rieul', '8': 'rieul', '9': 'none',
};
// Latin letters read with a final consonant: l 엘, r 알 (ㄹ); m 엠, n 엔 (other).
const LATIN_FINAL: Record<string, 'rieul' | 'other'> = { l: 'rieul', r: 'rieul', m: 'other', n: 'other' };

const FORMS: Record<Particle, [withFinal: string, without: string]> = {
  '을/를': ['을', '를'],
  '은/는': ['은', '는'],
  '이/가': ['이', '가'],
  '으로/로': ['으로', '로'],
  '와/과': ['과', '와'],
};

/** The particle alone for `word` ('' for an empty word). */
export function particleOf(word: string, particle: Particle): string {
  const w = word.trim().replace(/[\s'"”’)\]}.,]+$/u, '');
  if (!w) return '';
  const last = w[w.length - 1]!;
  if (/[가-힣]/u.test(last)) return hangulJosa.pick(w, particle);
  const final = /\d/.test(last) ? DIGIT_FINAL[last]! : (LATIN_FINAL[last.toLowerCase()] ?? 'none');
  if (final === 'none') return FORMS[particle][1];
  if (particle === '으로/로' && final === 'rieul') return '로';
  return FORMS[particle][0];
}

/** The word followed by its particle: withParticle('내선 2501', '은/는') → '내선 2501은'. */
export function withParticle(word: string, particle: Particle): string {
  return `${word}${particleOf(word, particle)}`;
}
