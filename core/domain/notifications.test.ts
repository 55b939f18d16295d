import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TEMPLATES,
  LMS_MAX_BYTES,
  eucKrBytes,
  fitTextMessage,
  renderTemplate,
  retryDelayMs,
  unknownPlaceholders,
  type TemplateValues,
} from './notifications';

const values: TemplateValues = { 접수번호: '20261127-0001', 접수일: '11월 27일', 분류: '자동차세 연납', 부서: '세정과', 답변: '1월에 신청하시면 됩니다.' };

describe('notification templates', () => {
  it('fills the Korean placeholders and leaves unknown ones as written', () => {
    expect(renderTemplate(DEFAULT_TEMPLATES['handoff_answer.sms'].body, values)).toBe(
      '[한빛시 민원콜센터] 11월 27일 문의하신 자동차세 연납 민원에 대한 세정과 답변입니다: 1월에 신청하시면 됩니다.',
    );
    expect(renderTemplate('{답변} {담당자}', values)).toBe('1월에 신청하시면 됩니다. {담당자}');
  });

  it('names unknown placeholders once each', () => {
    expect(unknownPlaceholders('{답변} {담당자} {담당자} {부서}')).toEqual(['담당자']);
    for (const t of Object.values(DEFAULT_TEMPLATES)) expect(unknownPlaceholders(`${t.subject ?? ''}${t.body}`)).toEqual([]);
  });
});

describe('SMS or LMS by EUC-KR bytes', () => {
  it.each([
    ['abc', 3],
    ['한글', 4],
    ['[한빛시] 답변', 13],
  ])('%s is %i bytes', (text, bytes) => expect(eucKrBytes(text)).toBe(bytes));

  it('keeps 90 bytes as SMS, makes 91 an LMS and cuts past 2,000 bytes', () => {
    expect(fitTextMessage('가'.repeat(45))).toEqual({ kind: 'sms', text: '가'.repeat(45) });
    expect(fitTextMessage(`${'가'.repeat(45)}a`).kind).toBe('lms');
    const cut = fitTextMessage('가'.repeat(1500));
    expect(cut.kind).toBe('lms');
    expect(eucKrBytes(cut.text)).toBeLessThanOrEqual(LMS_MAX_BYTES);
    expect(cut.text.endsWith('…')).toBe(true);
  });
});

describe('retry schedule', () => {
  it('doubles from 30 s and stops at an hour', () => {
    expect([1, 2, 3, 4, 5, 6].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });
});
