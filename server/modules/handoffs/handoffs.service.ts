import type { AnswerHandOffBody, HandOffCounts, HandOffItem, HandOffListQuery } from '../../../core/contracts/handoffs';
import { kstDay } from '../../../core/domain/business-hours';
import type { HandOffStatus } from '../../../core/contracts/enums';
import { transitionCase } from '../../../core/domain/case-lifecycle';
import { deadlineRuleFor } from '../../../core/domain/deadlines';
import { latestExtendedDueAt, OPEN_HANDOFF_STATUSES, transitionHandOff, type HandOffAction } from '../../../core/domain/handoff-lifecycle';
import { formatPhone } from '../../../core/domain/phone';
import { maskFreeText } from '../../../core/domain/name-detection';
import { distinctKinds } from '../../../core/domain/pii';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import type { SessionUser } from '../../http/access';
import { accessBy, type Viewer } from '../privacy/access-context';
import { appendAccessRecords } from '../privacy/access-records.repository';
import { closeCase, findCaseStatus, listHandOffAdditions } from '../cases/cases.repository';
import { toHandOffAdditions } from '../cases/cases.presenter';
import { appendEvents, type ContactEventInput } from '../events/events.repository';
import { queueAnswerNotice } from '../notifications/notifications.service';
import { queueCaseSystemEvent } from '../connectors/case-system.queue';
import { cityPhoneKeys } from '../directory/city-phones';
import { countOpenHandOffs, findHandOff, findInboxItem, listInbox, updateHandOffFrom, type InboxRow } from './handoffs.repository';

/** The latest due time an extension may set now, or null when none is possible (used, past due, not open). */
function extensionLimit(deps: Pick<AppDeps, 'holidays'>, row: InboxRow, now: Date): string | null {
  const isOpen = (OPEN_HANDOFF_STATUSES as readonly string[]).includes(row.status);
  if (!isOpen || row.extended_at || Date.parse(row.due_at) < now.getTime()) return null;
  const rule = deadlineRuleFor(row.complaint_type, row.deadline_days, row.category_path ?? '');
  return latestExtendedDueAt(new Date(row.due_at), rule, (d) => deps.holidays.isHoliday(d)).toISOString();
}

export function toItem(deps: Pick<AppDeps, 'holidays'>, row: InboxRow, now: Date): HandOffItem {
  const isOpen = (OPEN_HANDOFF_STATUSES as readonly string[]).includes(row.status);
  return {
    id: row.id,
    caseId: row.case_id,
    caseNumber: row.case_number,
    status: row.status,
    departmentId: row.department_id,
    departmentName: row.department_name,
    assigneeName: row.assignee_name,
    complaintType: row.complaint_type,
    categoryPath: row.category_path,
    summary: row.summary,
    notes: row.notes,
    location: row.location,
    citizenId: row.citizen_id,
    callerNumber: row.citizen_phone ? formatPhone(row.citizen_phone) : null,
    citizenName: row.citizen_name,
    agentName: row.agent_name,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    isOverdue: isOpen && Date.parse(row.due_at) < now.getTime(),
    answer: row.answer,
    acknowledgedAt: row.acknowledged_at,
    answeredAt: row.answered_at,
    chaseCount: Number(row.chase_count),
    lastChasedAt: row.last_chased_at,
    assigneeId: row.assignee_id,
    returnedAt: row.returned_at,
    returnReason: row.return_reason,
    returnedFromDepartmentName: row.returned_from_department_name,
    extendedAt: row.extended_at,
    extensionReason: row.extension_reason,
    originalDueAt: row.original_due_at,
    latestExtendedDueAt: extensionLimit(deps, row, now),
  };
}

/** Officials work their own department's hand-offs; supervisors and admins see every department's. */
function scopeDepartment(user: SessionUser): string | null {
  if (user.role === 'official') {
    if (!user.departmentId) throw new AppError('FORBIDDEN', '소속 부서가 없는 계정입니다.');
    return user.departmentId;
  }
  return null;
}

/** The inbox; its rows show callers' (masked) data, so the list is one access record naming every citizen in it. */
export async function listHandOffs(deps: AppDeps, user: Viewer, query: HandOffListQuery): Promise<HandOffItem[]> {
  const statuses: HandOffStatus[] | null =
    query.status === 'all' ? null : query.status === 'open' ? [...OPEN_HANDOFF_STATUSES] : [query.status];
  const departmentId = scopeDepartment(user);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const rows = await listInbox(trx, deps.vault, { departmentId, statuses, limit: query.limit, ...(query.assigned === 'me' ? { assignedTo: user.id } : {}) });
    const items = rows.map((r) => toItem(deps, r, now));
    await appendAccessRecords(trx, [accessBy(user, now.toISOString(), 'view', rows.map((r) => r.citizen_id), 'handoffs:list', rows.length)]);
    return items;
  });
}

/**
 * The 운영 현황 tiles: open, overdue and due-today hand-offs in the viewer's scope, counted by the database (the list
 * stops at its limit; these never do). Counts name no citizen, so they are no access record.
 */
export async function countHandOffs(deps: AppDeps, user: Viewer): Promise<HandOffCounts> {
  const departmentId = scopeDepartment(user);
  const now = deps.clock.now();
  const endOfDay = Date.parse(`${kstDay(now.getTime())}T00:00:00+09:00`) + 86_400_000;
  const counts = await countOpenHandOffs(deps.db, { departmentId, statuses: [...OPEN_HANDOFF_STATUSES], now: now.toISOString(), endOfDay: new Date(endOfDay).toISOString() });
  return { ...counts, at: now.toISOString() };
}

/** The hand-off if the user may act on it; another department's is NOT_FOUND for an official. */
export async function loadForUser(deps: AppDeps, user: SessionUser, id: string) {
  const handOff = await findHandOff(deps.db, id);
  const scope = scopeDepartment(user);
  // Another department's hand-off is reported as missing: its existence is not the official's business.
  if (!handOff || (scope && handOff.department_id !== scope)) throw new AppError('NOT_FOUND', '이관 건을 찾을 수 없습니다.');
  return handOff;
}

export async function getHandOff(deps: AppDeps, user: Viewer, id: string): Promise<HandOffItem> {
  await loadForUser(deps, user, id);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await findInboxItem(trx, deps.vault, id);
    if (!row) throw new AppError('NOT_FOUND', '이관 건을 찾을 수 없습니다.');
    await appendAccessRecords(trx, [accessBy(user, now.toISOString(), 'view', [row.citizen_id], `handoff:${id}`, 1)]);
    // 추가 민원: the repeat calls' notes, under the same access record (they are this citizen's).
    return { ...toItem(deps, row, now), additions: toHandOffAdditions(await listHandOffAdditions(trx, [id])) };
  });
}

const EVENT_OF: Record<HandOffAction, ContactEventInput['type']> = {
  acknowledge: 'handoff_acknowledged',
  start: 'handoff_started',
  answer: 'handoff_answered',
  close: 'case_closed',
  return: 'handoff_returned',
  reroute: 'handoff_rerouted',
};

/** 접수: the official takes the hand-off; he becomes its assignee. */
export async function acknowledgeHandOff(deps: AppDeps, user: Viewer, id: string): Promise<HandOffItem> {
  return actOnHandOff(deps, user, id, 'acknowledge', null);
}

/** The longest answer (AnswerHandOffBodySchema), as stored: after masking. */
const ANSWER_MAX = 4000;

/**
 * 회신: the official records the department's answer; the case closes with it. Personal data in the answer is masked
 * before it is stored (in the hand-off and in its event), the caller's own name and names after 민원인/성명/이름/본인
 * included (issue #10 finding 6), and its kinds are returned so the official is told. An answer that masking makes
 * longer than the limit is refused (400, nothing stored) so the official shortens it (issue #10 finding 10).
 */
export async function answerHandOff(deps: AppDeps, user: Viewer, id: string, body: AnswerHandOffBody): Promise<HandOffItem> {
  // Answers belong to the department's officials; supervisors chase, return and re-route (issue #18 item 9).
  if (user.role !== 'official') throw new AppError('HANDOFF_ANSWER_FORBIDDEN', '답변은 담당 부서의 공무원이 등록합니다. 관리자는 독촉·반려·재지정을 할 수 있습니다.');
  await loadForUser(deps, user, id);
  const callerName = (await findInboxItem(deps.db, deps.vault, id))?.citizen_name ?? null;
  // The city's own numbers ("문의: 상하수도사업소 (031-5180-2501)") reach the citizen as written (issue #18 item 8).
  const answer = maskFreeText(body.answer, [callerName], { keepPhones: await cityPhoneKeys(deps) });
  if (answer.text.length > ANSWER_MAX) {
    throw new AppError('VALIDATION_FAILED', `개인정보를 가리면 회신 내용이 ${ANSWER_MAX}자를 넘습니다(${answer.text.length}자). 조금 줄여서 다시 등록하세요.`, {
      field: 'answer',
      max: ANSWER_MAX,
      length: answer.text.length,
    });
  }
  const item = await actOnHandOff(deps, user, id, 'answer', answer.text);
  return { ...item, maskedKinds: distinctKinds(answer.found) };
}

async function actOnHandOff(deps: AppDeps, user: Viewer, id: string, action: 'acknowledge' | 'answer', answer: string | null) {
  const handOff = await loadForUser(deps, user, id);
  const next = transitionHandOff(handOff.status, action);
  const at = deps.clock.now().toISOString();

  await deps.db.transaction().execute(async (trx) => {
    const set =
      action === 'acknowledge'
        ? { status: next, assignee_id: user.id, acknowledged_at: at, updated_at: at }
        : { status: next, assignee_id: handOff.assignee_id ?? user.id, answer, answered_at: at, updated_at: at };
    if (!(await updateHandOffFrom(trx, id, handOff.status, set))) {
      throw new AppError('CONFLICT', '다른 사용자가 먼저 처리했습니다. 목록을 새로 고치세요.');
    }
    const events: ContactEventInput[] = [
      { type: EVENT_OF[action], at, caseId: handOff.case_id, handOffId: id, actorId: user.id, detail: answer },
    ];
    if (action === 'answer') {
      const theCase = await findCaseStatus(trx, handOff.case_id);
      if (theCase?.status === 'open') {
        transitionCase(theCase.status, 'close');
        await closeCase(trx, handOff.case_id, at);
        events.push({ type: 'case_closed', at, caseId: handOff.case_id, actorId: user.id });
      }
    }
    await appendEvents(trx, events);
    await queueCaseSystemEvent(trx, deps, { handOffId: id, caseId: handOff.case_id, at }, action === 'answer' ? { event: 'answered', answer: answer ?? '', at } : { event: 'status', status: next, at });
    // 회신 안내 (issue #11 §4): queued with the answer, in its transaction; the hand-off closes once the citizen is told.
    if (action === 'answer') await queueAnswerNotice(trx, deps, { handOffId: id, caseId: handOff.case_id, at, actorId: user.id });
  });
  return getHandOff(deps, user, id);
}
