import { describe, expect, it } from 'vitest';
import {
  allowedTransferActions,
  fallbackSentence,
  fallsBackToHandOff,
  isTransferEnded,
  koreanDueDate,
  TRANSFER_STATUSES,
  transitionTransfer,
  warmTransferOutcome,
  type TransferDisposition,
} from './transfer-attempt';

describe('transfer attempt lifecycle (3자통화, issue #11 §2)', () => {
  it.each([
    ['ringing', 'accept', 'consulting'],
    ['consulting', 'connect', 'connected'],
    ['ringing', 'decline', 'declined'],
    ['consulting', 'decline', 'declined'],
    ['ringing', 'ring_timeout', 'no_answer'],
    ['ringing', 'official_busy', 'busy'],
    ['ringing', 'official_away', 'away'],
    ['ringing', 'official_off_duty', 'off_duty'],
    ['consulting', 'caller_left', 'caller_left'],
    ['ringing', 'cancel', 'cancelled'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(transitionTransfer(from, action)).toBe(to);
  });

  it.each([
    ['ringing', 'connect'],
    ['consulting', 'accept'],
    ['consulting', 'ring_timeout'],
    ['connected', 'decline'],
    ['declined', 'accept'],
    ['no_answer', 'accept'],
  ] as const)('refuses %s --%s--> (a late or double answer changes nothing)', (from, action) => {
    expect(() => transitionTransfer(from, action)).toThrow(expect.objectContaining({ code: 'INVALID_TRANSITION' }));
  });

  it('offers no action once ended', () => {
    for (const s of TRANSFER_STATUSES) {
      if (isTransferEnded(s)) expect(allowedTransferActions(s), s).toEqual([]);
      else expect(allowedTransferActions(s).length, s).toBeGreaterThan(0);
    }
  });

  it('falls back to a hand-off on every failure, never on a connection or a cancel by the agent', () => {
    const ends = TRANSFER_STATUSES.filter(isTransferEnded) as TransferDisposition[];
    expect(ends.filter(fallsBackToHandOff).sort()).toEqual(['away', 'busy', 'caller_left', 'declined', 'no_answer', 'off_duty', 'unreachable']);
  });

  it('maps ends to the 이관 record’s warmTransferOutcome (complaints-kr.md §3.4)', () => {
    expect(warmTransferOutcome('off_duty')).toBe('away');
    expect(warmTransferOutcome('declined')).toBe('declined');
    expect(warmTransferOutcome('caller_left')).toBe('no_answer');
  });
});

describe('the sentence the agent tells the caller', () => {
  it('gives the due day in the city’s calendar with its weekday', () => {
    // 2026-12-09 (Wednesday in UTC 14:59) is 2026-12-09 23:59 KST, a Wednesday; 15:00 UTC is already Thursday in Seoul.
    expect(koreanDueDate(new Date('2026-12-09T14:59:00Z'))).toBe('12월 9일(수)');
    expect(koreanDueDate(new Date('2026-12-09T15:00:00Z'))).toBe('12월 10일(목)');
    expect(koreanDueDate(new Date('2026-12-08T09:00:00Z'))).toBe('12월 8일(화)');
  });

  it('names the department when known', () => {
    expect(fallbackSentence('상하수도사업소', new Date('2026-12-08T09:00:00Z'))).toBe('담당 부서(상하수도사업소)에서 12월 8일(화)까지 회신드립니다.');
    expect(fallbackSentence(null, new Date('2026-12-08T09:00:00Z'))).toBe('담당 부서에서 12월 8일(화)까지 회신드립니다.');
  });
});
