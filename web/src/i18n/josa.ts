import type { i18n } from 'i18next';
import { particleOf, type Particle } from '../../../core/domain/josa';

/**
 * Korean particles chosen for the interpolated value (core/glossary.ts: never 을(를)): `{{field}}{{field, josa_eul}}`
 * renders "전화번호를" or "이름을". Registered as i18next formatters; in English they render nothing.
 */
export const PARTICLES = {
  josa_eul: '을/를',
  josa_eun: '은/는',
  josa_i: '이/가',
  josa_ro: '으로/로',
  josa_wa: '와/과',
} as const satisfies Record<string, Particle>;

export type ParticleFormat = keyof typeof PARTICLES;

/** The particle for `word` (empty for an empty word). */
export function particleFor(word: string, format: ParticleFormat): string {
  return particleOf(word, PARTICLES[format]);
}

export function registerParticles(i18next: i18n): void {
  for (const format of Object.keys(PARTICLES) as ParticleFormat[])
    i18next.services.formatter?.add(format, (value: unknown, lng: string | undefined) => (lng === 'en' ? '' : particleFor(String(value ?? ''), format)));
}
