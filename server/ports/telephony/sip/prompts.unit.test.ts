import { describe, expect, it } from 'vitest';
import { announcementText } from './prompts';

describe('what the caller hears for an announcement', () => {
  it('reads texts as given and words the structured kinds in Korean', () => {
    expect(announcementText({ kind: 'message', purpose: 'warning', text: '폭언이 계속되면 상담이 종료됩니다.', audioId: null, step: 1 })).toBe('폭언이 계속되면 상담이 종료됩니다.');
    expect(announcementText({ kind: 'transfer_hold', text: '담당 부서로 연결합니다.' })).toBe('담당 부서로 연결합니다.');
    expect(announcementText({ kind: 'position', position: 3, estimatedWaitSeconds: null })).toBe('상담 대기 3번째입니다. 잠시만 기다려 주십시오.');
    // The estimate only from a minute up, in whole minutes rounded up (a caller told "1분" waits at most that).
    expect(announcementText({ kind: 'position', position: 1, estimatedWaitSeconds: 59 })).toBe('상담 대기 1번째입니다. 잠시만 기다려 주십시오.');
    expect(announcementText({ kind: 'position', position: 4, estimatedWaitSeconds: 121 })).toBe('상담 대기 4번째입니다. 예상 대기 시간은 약 3분입니다. 잠시만 기다려 주십시오.');
    expect(announcementText({ kind: 'callback_confirmed', position: 2 })).toContain('2번째');
    expect(announcementText({ kind: 'closed', hours: '평일 9시부터 18시', nextOpeningAt: null, callbackOffered: true })).toContain('평일 9시부터 18시');
  });
});
