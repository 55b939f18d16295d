import type { HandOffStatus } from '../contracts/enums';
import { allowedActions, assertTransition, type TransitionTable } from './lifecycle';

/** What an official (or the centre) can do to a hand-off (이관). */
export type HandOffAction = 'acknowledge' | 'start' | 'answer' | 'close' | 'return';

/**
 * The 이관 lifecycle: pending → acknowledged (접수) → in_progress (처리중) → answered (회신) → closed,
 * or returned (반려) to the centre before it is answered. An official may answer straight after acknowledging.
 */
export const HANDOFF_TRANSITIONS: TransitionTable<HandOffStatus, HandOffAction> = {
  acknowledge: { from: ['pending'], to: 'acknowledged' },
  start: { from: ['acknowledged'], to: 'in_progress' },
  answer: { from: ['acknowledged', 'in_progress'], to: 'answered' },
  close: { from: ['answered'], to: 'closed' },
  return: { from: ['pending', 'acknowledged', 'in_progress'], to: 'returned' },
};

/** Hand-off states that still owe the citizen an answer. */
export const OPEN_HANDOFF_STATUSES: readonly HandOffStatus[] = ['pending', 'acknowledged', 'in_progress'];

/** The status a hand-off moves to, or INVALID_TRANSITION. */
export function transitionHandOff(status: HandOffStatus, action: HandOffAction): HandOffStatus {
  return assertTransition(HANDOFF_TRANSITIONS, status, action, 'hand-off');
}

/** The actions open to a hand-off in this status. */
export function allowedHandOffActions(status: HandOffStatus): HandOffAction[] {
  return allowedActions(HANDOFF_TRANSITIONS, status);
}
