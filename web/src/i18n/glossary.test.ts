import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { TERMS_EN, TERMS_KO, WAITING_CALL_PHRASES } from '../../../core/glossary';
import { en } from './en';
import { particleFor, registerParticles } from './josa';
import { ko } from './ko';

/** Every Korean string of the app with its key path (ko.ts with the features' files merged in). */
function strings(node: unknown, path = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node]];
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}
const all = strings(ko);

describe('one glossary (core/glossary.ts) in every Korean string', () => {
  it('reads the whole resource tree', () => {
    expect(all.length).toBeGreaterThan(800);
  });

  it('대기 is only ever a call waiting in line', () => {
    const misuse = all.filter(([, text]) => {
      let rest = text;
      for (const phrase of WAITING_CALL_PHRASES) rest = rest.split(phrase).join('');
      return rest.includes('대기');
    });
    expect(misuse).toEqual([]);
  });

  it('no particle written both ways: 을(를), (으)로, 이(가), 은(는), 와(과)', () => {
    expect(all.filter(([, text]) => /[을를이가은는와과]\([을를이가은는와과]\)|\(으\)로/.test(text))).toEqual([]);
  });

  it('상담 완료 for the agent, 회신 완료 for the department: never 처리 완료 or 상담완료', () => {
    expect(all.filter(([, text]) => /처리 ?완료|상담완료/.test(text))).toEqual([]);
  });

  it('a placeholder never carries the required marker (the label does)', () => {
    expect(all.filter(([key, text]) => /placeholder/i.test(key) && text.includes(TERMS_KO.required))).toEqual([]);
  });

  it('statuses, outcomes and roles are the glossary words, in both languages', () => {
    expect(ko.handOffStatus).toEqual(TERMS_KO.handOffStatus);
    expect(ko.outcome).toEqual(TERMS_KO.outcome);
    expect(ko.role).toEqual(TERMS_KO.role);
    expect(en.handOffStatus).toEqual(TERMS_EN.handOffStatus);
    expect(en.outcome).toEqual(TERMS_EN.outcome);
    expect(en.role).toEqual(TERMS_EN.role);
    // a moment something came in is 접수 일시; the case number has one name
    expect(all.filter(([key, text]) => /(received|createdAt)$/.test(key) && text === '접수')).toEqual([]);
    expect(all.filter(([, text]) => text.includes('상담번호'))).toEqual([]);
  });
});

describe('particles chosen for the value (web/src/i18n/josa.ts)', () => {
  it.each([
    ['전화번호', 'josa_eul', '를'],
    ['이름', 'josa_eul', '을'],
    ['상하수도사업소', 'josa_ro', '로'],
    ['민원여권과', 'josa_ro', '로'],
    ['교통행정과', 'josa_ro', '로'],
    ['세정과 문자', 'josa_ro', '로'],
    ['전자우편', 'josa_ro', '으로'],
    ['서울', 'josa_ro', '로'],
    ['사전', 'josa_i', '이'],
  ] as const)('%s + %s → %s', (word, format, particle) => {
    expect(particleFor(word, format)).toBe(particle);
  });

  it('i18next renders them in Korean and drops them in English', async () => {
    const i = i18next.createInstance();
    await i.init({ lng: 'ko', resources: { ko: { translation: ko }, en: { translation: en } }, interpolation: { escapeValue: false }, initAsync: false });
    registerParticles(i);
    expect(i.t('handoffLife.rerouting.done', { department: '상하수도사업소' })).toBe('상하수도사업소로 재지정했습니다.');
    expect(i.t('handoffLife.rerouting.done', { department: '민원지적과' })).toBe('민원지적과로 재지정했습니다.');
    expect(i.t('privacy.revealLead', { field: '전화번호' })).toMatch(/^전화번호를 이 화면에서만/);
    await i.changeLanguage('en');
    expect(i.t('handoffLife.rerouting.done', { department: 'Water' })).not.toMatch(/[을를으로]/);
  });
});
