import { describe, expect, it } from 'vitest';
import { fieldLabel } from '../../core/contracts/field-labels';
import { validationMessage } from './error-handler';

/** Validation messages name fields in Korean (issue #18 item 4), never by their code names, never their values. */
describe('validation messages', () => {
  it('names fields in Korean by the last segment of their path', () => {
    expect(fieldLabel('/callerNumber')).toBe('전화번호');
    expect(fieldLabel('items.0.summary')).toBe('상담 내용');
    expect(fieldLabel('/somethingElse')).toBe('입력값');
  });

  it("uses the schema's Korean message with the field's name, or lists the fields", () => {
    expect(validationMessage([{ path: '/extension', message: '숫자 2~8자리입니다.' }])).toBe('내선 번호: 숫자 2~8자리입니다.');
    // A message that already names its field is not prefixed twice.
    expect(validationMessage([{ path: '/extension', message: '내선 번호는 숫자 2~8자리입니다.' }])).toBe('내선 번호는 숫자 2~8자리입니다.');
    expect(validationMessage([{ path: '/summary', message: 'Too small' }, { path: '/categoryId', message: 'Invalid UUID' }])).toBe('입력값이 올바르지 않습니다: 상담 내용, 상담 분류.');
    expect(validationMessage([{ path: '', message: 'Invalid input' }])).toBe('입력값이 올바르지 않습니다.');
    expect(validationMessage([{ path: '/callerNumber', message: 'Invalid' }])).not.toContain('callerNumber');
  });
});
