import type { CaseSummary, HandOffSummary } from '../../../core/contracts/cases';
import type { HandOffAddition } from '../../../core/contracts/handoffs';
import type { CaseSummaryRow, HandOffAdditionRow, HandOffOfCaseRow } from './cases.repository';

export function toHandOffSummary(h: HandOffOfCaseRow): HandOffSummary {
  return {
    id: h.id,
    caseId: h.case_id,
    status: h.status,
    departmentId: h.department_id,
    departmentName: h.department_name,
    assigneeName: h.assignee_name,
    complaintType: h.complaint_type,
    receivedAt: h.received_at,
    dueAt: h.due_at,
    answer: h.answer,
    answeredAt: h.answered_at,
    chaseCount: Number(h.chase_count),
  };
}

/**
 * Case rows with the latest hand-off of each (rows of `handOffs` are newest first); a repeat call's case shows the
 * hand-off it was added to (추가 민원).
 */
export function toCaseSummaries(rows: CaseSummaryRow[], handOffs: HandOffOfCaseRow[]): CaseSummary[] {
  const latest = new Map<string, HandOffOfCaseRow>();
  for (const h of handOffs) if (!latest.has(h.link_case_id)) latest.set(h.link_case_id, h);
  return rows.map((c) => {
    const h = latest.get(c.id);
    return {
      id: c.id,
      number: c.number,
      status: c.status,
      outcome: c.outcome,
      categoryPath: c.category_path,
      summary: c.summary,
      agentName: c.agent_name,
      createdAt: c.created_at,
      closedAt: c.closed_at,
      handOff: h ? toHandOffSummary(h) : null,
    };
  });
}

/** 추가 민원: the repeat calls' cases added to a hand-off, as the official's inbox shows them. */
export function toHandOffAdditions(rows: HandOffAdditionRow[]): HandOffAddition[] {
  return rows.map((a) => ({ caseId: a.case_id, caseNumber: a.case_number, addedAt: a.added_at, summary: a.summary, notes: a.notes, agentName: a.agent_name }));
}
