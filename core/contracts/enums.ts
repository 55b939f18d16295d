import { z } from 'zod';

/** Who a signed-in user is: 상담사, 담당공무원, 관리자, 시스템 관리자. */
export const RoleSchema = z.enum(['agent', 'official', 'supervisor', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/**
 * 민원 유형 (민원처리법 제2조) that fixes the legal deadline of a hand-off:
 * statutory 법정민원, inquiry 질의(제도·절차) 7일, interpretation 질의(법령해석) 14일, proposal 건의 14일,
 * other 기타 즉시, grievance 고충 7일.
 */
export const ComplaintTypeSchema = z.enum(['statutory', 'inquiry', 'interpretation', 'proposal', 'other', 'grievance']);
export type ComplaintType = z.infer<typeof ComplaintTypeSchema>;

/** How a consultation ended. */
export const CaseOutcomeSchema = z.enum(['resolved', 'transferred', 'handed_off', 'callback', 'abandoned']);
export type CaseOutcome = z.infer<typeof CaseOutcomeSchema>;

/** A case is open while something is still owed to the citizen. */
export const CaseStatusSchema = z.enum(['open', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** 이관 status: pending → acknowledged → in_progress → answered → closed, or returned to the centre. */
export const HandOffStatusSchema = z.enum(['pending', 'acknowledged', 'in_progress', 'answered', 'closed', 'returned']);
export type HandOffStatus = z.infer<typeof HandOffStatusSchema>;

/** Knowledge-base article status. */
export const ArticleStatusSchema = z.enum(['draft', 'published', 'archived']);
export type ArticleStatus = z.infer<typeof ArticleStatusSchema>;

/** Channel of one contact. Phone now; the others come later. */
export const ChannelSchema = z.enum(['phone', 'chat', 'web', 'open311']);
export type Channel = z.infer<typeof ChannelSchema>;

/** Append-only contact events: every KPI and every case timeline is read from these. */
export const ContactEventTypeSchema = z.enum([
  'call_offered',
  'call_answered',
  'call_ended',
  'case_opened',
  'case_resolved',
  'case_handed_off',
  'handoff_acknowledged',
  'handoff_started',
  'handoff_answered',
  'handoff_returned',
  'case_closed',
  // ACD (issue #4): raw timestamps of a call's way through the queue; core/domain/kpi.ts reads them.
  'call_queued',
  'call_reserved',
  'call_offer_missed',
  'call_held',
  'call_resumed',
  'call_transferred',
  'call_abandoned',
  'callback_requested',
  'callback_offered',
  'wrap_up_started',
  'wrap_up_ended',
  'call_dispositioned',
  // 감정노동 보호 (issue #14): a warning played to an abusive caller (detail: the type), the call ended by the protocol.
  'abuse_warning',
  'abuse_call_ended',
  // Warm transfer (3자통화, issue #11 §2): asked, accepted by the official, ended with its disposition.
  'transfer_attempted',
  'transfer_accepted',
  'transfer_ended',
  // The citizen hears back (issue #11 §4): told the answer (detail: the channel), then the hand-off closed.
  'citizen_told',
  'handoff_closed',
  // 추가 민원 / 독촉 (issue #11 §3): a repeat call added to an open hand-off instead of opening a duplicate.
  'handoff_chased',
  // 회신 전화 through the ACD: an attempt that did not reach the citizen (detail 'gave_up' on the last one).
  'callback_not_reached',
  // The hand-off lifecycle (issue #11 §3, §5): 반려, 재지정, 연장, 위임, reminders, overdue and escalation to the head.
  'handoff_rerouted',
  'handoff_extended',
  'handoff_delegated',
  'handoff_reminded',
  'handoff_overdue',
  'handoff_escalated',
]);
export type ContactEventType = z.infer<typeof ContactEventTypeSchema>;
