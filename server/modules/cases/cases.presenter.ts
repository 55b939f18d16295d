import type { CaseSummary, HandOffSummary } from '../../../core/contracts/cases';
import type { CaseSummaryRow, HandOffOfCaseRow } from './cases.repository';

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
  };
}

/** Case rows with the latest hand-off of each (rows of `handOffs` are newest first). */
export function toCaseSummaries(rows: CaseSummaryRow[], handOffs: HandOffOfCaseRow[]): CaseSummary[] {
  const latest = new Map<string, HandOffOfCaseRow>();
  for (const h of handOffs) if (!latest.has(h.case_id)) latest.set(h.case_id, h);
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
