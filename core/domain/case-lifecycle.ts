import type { CaseOutcome, CaseStatus } from '../contracts/enums';
import { allowedActions, assertTransition, type TransitionTable } from './lifecycle';

/** What can happen to a consultation case (상담 건) after it is recorded. */
export type CaseAction = 'close' | 'reopen';

/** A case is open while the citizen is still owed something (an answer from a department, a callback). */
export const CASE_TRANSITIONS: TransitionTable<CaseStatus, CaseAction> = {
  close: { from: ['open'], to: 'closed' },
  reopen: { from: ['closed'], to: 'open' },
};

/**
 * The status a case is recorded in: resolved at once, or connected to the official (3자통화: the official answered
 * the citizen on the call, nothing is owed by the centre) closes it; anything still owed keeps it open.
 */
export function initialCaseStatus(outcome: CaseOutcome): CaseStatus {
  return outcome === 'resolved' || outcome === 'transferred' || outcome === 'abandoned' ? 'closed' : 'open';
}

/** The status a case moves to, or INVALID_TRANSITION. */
export function transitionCase(status: CaseStatus, action: CaseAction): CaseStatus {
  return assertTransition(CASE_TRANSITIONS, status, action, 'case');
}

/** The actions open to a case in this status. */
export function allowedCaseActions(status: CaseStatus): CaseAction[] {
  return allowedActions(CASE_TRANSITIONS, status);
}
