import { allowedActions, assertTransition, type TransitionTable } from './lifecycle';
import { KST_OFFSET_MS } from './kst';

/**
 * A warm transfer (3자통화) to the responsible official, one attempt at a time (issue #11 §2; complaints-kr.md §3.3:
 * "A failed warm transfer (declined, no answer, busy, away) becomes an 이관 automatically").
 *
 * ringing     the official's screen shows the incoming-transfer card and the phone rings; the caller is on hold
 *             with an announcement
 * consulting  the official accepted: agent and official talk first (consultative), the caller still on hold
 * connected   the agent completed the transfer or made it a conference and left: the official has the caller
 *
 * Every other end is a failure that falls back to an electronic hand-off with the same notes and the legal deadline,
 * except `cancelled` (the agent took the call back to settle it or record it as usual: the agent's choice).
 */
export const TRANSFER_STATUSES = [
  'ringing',
  'consulting',
  'connected',
  'declined',
  'no_answer',
  'busy',
  'away',
  'off_duty',
  'unreachable',
  'caller_left',
  'cancelled',
] as const;

/** Where one attempt stands. */
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** How an attempt ended (every status but ringing and consulting). */
export type TransferDisposition = Exclude<TransferStatus, 'ringing' | 'consulting'>;

/** What can happen to an attempt. */
export type TransferAction =
  | 'accept'
  | 'connect'
  | 'decline'
  | 'ring_timeout'
  | 'official_busy'
  | 'official_away'
  | 'official_off_duty'
  | 'unreachable'
  | 'caller_left'
  | 'cancel';

/** The attempt's transitions: the official accepts or declines while it rings; the agent connects after talking. */
export const TRANSFER_TRANSITIONS: TransitionTable<TransferStatus, TransferAction> = {
  accept: { from: ['ringing'], to: 'consulting' },
  connect: { from: ['consulting'], to: 'connected' },
  decline: { from: ['ringing', 'consulting'], to: 'declined' },
  ring_timeout: { from: ['ringing'], to: 'no_answer' },
  official_busy: { from: ['ringing'], to: 'busy' },
  official_away: { from: ['ringing'], to: 'away' },
  official_off_duty: { from: ['ringing'], to: 'off_duty' },
  unreachable: { from: ['ringing', 'consulting'], to: 'unreachable' },
  caller_left: { from: ['ringing', 'consulting'], to: 'caller_left' },
  cancel: { from: ['ringing', 'consulting'], to: 'cancelled' },
};

/** Statuses in which the attempt is still going on. */
export const LIVE_TRANSFER_STATUSES: readonly TransferStatus[] = ['ringing', 'consulting'];

/** The status an action leads to, or INVALID_TRANSITION. */
export function transitionTransfer(status: TransferStatus, action: TransferAction): TransferStatus {
  return assertTransition(TRANSFER_TRANSITIONS, status, action, 'transfer');
}

/** The actions open to an attempt in this status (the screens ask this). */
export function allowedTransferActions(status: TransferStatus): TransferAction[] {
  return allowedActions(TRANSFER_TRANSITIONS, status);
}

/** True when the attempt has ended. */
export function isTransferEnded(status: TransferStatus): status is TransferDisposition {
  return !LIVE_TRANSFER_STATUSES.includes(status);
}

/**
 * True when this end must become an electronic hand-off by itself: every failure, including a caller who hung up
 * while on hold (the citizen still asked and is owed an answer). Not `connected` (the official has the caller) and
 * not `cancelled` (the agent took the call back and records it as usual).
 */
export function fallsBackToHandOff(disposition: TransferDisposition): boolean {
  return disposition !== 'connected' && disposition !== 'cancelled';
}

/** The 이관 record's `warmTransferOutcome` (complaints-kr.md §3.4) for an attempt's end. */
export function warmTransferOutcome(disposition: TransferDisposition): 'connected' | 'declined' | 'no_answer' | 'busy' | 'away' | 'not_attempted' {
  switch (disposition) {
    case 'connected':
    case 'declined':
    case 'no_answer':
    case 'busy':
      return disposition;
    case 'away':
    case 'off_duty':
      return 'away';
    case 'unreachable':
    case 'caller_left':
      return 'no_answer';
    case 'cancelled':
      return 'not_attempted';
  }
}

const WEEKDAYS = ['일', '월', '화', '수', '목', '금', '토'];

/** "12월 9일(화)" for an instant, in the city's calendar (Asia/Seoul). */
export function koreanDueDate(at: Date): string {
  const local = new Date(at.getTime() + KST_OFFSET_MS);
  return `${local.getUTCMonth() + 1}월 ${local.getUTCDate()}일(${WEEKDAYS[local.getUTCDay()]})`;
}

/**
 * What the agent tells the caller when the transfer fell back to a hand-off: who answers and by when, in the words
 * of the issue ("담당 부서에서 12월 9일(화)까지 회신드립니다"), with the department named when known.
 */
export function fallbackSentence(departmentName: string | null, dueAt: Date): string {
  const who = departmentName ? `담당 부서(${departmentName})에서` : '담당 부서에서';
  return `${who} ${koreanDueDate(dueAt)}까지 회신드립니다.`;
}

/** Korean labels of the ends, for the agent's banner and the reports. */
export const TRANSFER_DISPOSITION_LABELS: Record<TransferDisposition, string> = {
  connected: '연결됨',
  declined: '담당자 거절',
  no_answer: '응답 없음',
  busy: '통화 중',
  away: '자리 비움',
  off_duty: '근무 시간 외',
  unreachable: '연결 불가',
  caller_left: '민원인 통화 종료',
  cancelled: '연결 취소',
};
