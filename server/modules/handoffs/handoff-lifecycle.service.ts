import type {
  DelegateHandOffBody,
  ExtendHandOffBody,
  HandOffItem,
  HandOffNoticeList,
  HandOffOfficial,
  OverdueByDepartment,
  RerouteHandOffBody,
  ReturnHandOffBody,
} from '../../../core/contracts/handoffs';
import { HandOffNoticeKindSchema } from '../../../core/contracts/handoffs';
import { deadlineRuleFor } from '../../../core/domain/deadlines';
import { assertExtensionAllowed, assertHandOffOpenFor, OPEN_HANDOFF_STATUSES, transitionHandOff } from '../../../core/domain/handoff-lifecycle';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { accessBy, type Viewer } from '../privacy/access-context';
import { appendAccessRecords } from '../privacy/access-records.repository';
import { appendEvents } from '../events/events.repository';
import { queueExtensionNotice } from './extension-notice';
import { queueCaseSystemEvent } from '../connectors/case-system.queue';
import {
  countOverdueByDepartment,
  extendHandOffOnce,
  findDepartmentName,
  findDepartmentOfficial,
  findHandOffRuleInputs,
  listDepartmentOfficials,
  listInbox,
  listNotices,
  markNoticesRead,
  reassignHandOff,
  updateHandOffFrom,
} from './handoffs.repository';
import { getHandOff, loadForUser, toItem } from './handoffs.service';

const RACE = '다른 사용자가 먼저 처리했습니다. 목록을 새로 고치세요.';

/** What the routes need to tell the inboxes after a change (realtime 'handoffs.changed' per department). */
export type LifecycleResult = { item: HandOffItem; departmentsChanged: string[] };

/**
 * 반려 (wrong department): the department's official (or a supervisor) returns an open hand-off with the reason; it
 * leaves the department's inbox for the supervisors' re-routing queue (재지정 대기). Its legal clock keeps running.
 */
export async function returnHandOff(deps: AppDeps, user: Viewer, id: string, body: ReturnHandOffBody): Promise<LifecycleResult> {
  const h = await loadForUser(deps, user, id);
  const next = transitionHandOff(h.status, 'return');
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const set = { status: next, returned_at: at, returned_by: user.id, return_reason: body.reason, returned_from_department_id: h.department_id, updated_at: at };
    if (!(await updateHandOffFrom(trx, id, h.status, set))) throw new AppError('CONFLICT', RACE);
    await appendEvents(trx, [{ type: 'handoff_returned', at, caseId: h.case_id, handOffId: id, actorId: user.id, detail: body.reason, data: { departmentId: h.department_id } }]);
    await queueCaseSystemEvent(trx, deps, { handOffId: id, caseId: h.case_id, at }, { event: 'status', status: next, at });
  });
  return { item: await getHandOff(deps, user, id), departmentsChanged: [h.department_id] };
}

/**
 * 재지정: a supervisor sends a returned hand-off to the right department (optionally to one of its officials); it is
 * pending there. received_at and due_at stay as they were: the legal clock does not restart. OneCall routes within one
 * city (one agency), so moving between departments is the city's own correction, not an 이송 to another agency; the
 * period counts from the city's receipt of the call (민원처리법 제19조; complaints-kr.md §3.4: `transferredTo` keeps
 * the original `receivedAt`). The last return (who, why, from where) stays on the hand-off; every move is an event.
 */
export async function rerouteHandOff(deps: AppDeps, user: Viewer, id: string, body: RerouteHandOffBody): Promise<LifecycleResult> {
  const h = await loadForUser(deps, user, id);
  const next = transitionHandOff(h.status, 'reroute');
  if (!(await findDepartmentName(deps.db, body.departmentId))) throw new AppError('HANDOFF_TARGET_INVALID', '재지정할 부서를 찾을 수 없습니다.', { field: 'departmentId' });
  if (body.departmentId === h.department_id) {
    throw new AppError('HANDOFF_TARGET_INVALID', '반려한 부서와 다른 부서를 고르세요.', { field: 'departmentId' });
  }
  const official = body.officialId ? await findDepartmentOfficial(deps.db, body.departmentId, body.officialId) : null;
  if (body.officialId && !official) throw new AppError('HANDOFF_TARGET_INVALID', '그 부서의 담당공무원이 아닙니다.', { field: 'officialId' });
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const set = { status: next, department_id: body.departmentId, assignee_id: official?.id ?? null, acknowledged_at: null, updated_at: at };
    if (!(await updateHandOffFrom(trx, id, h.status, set))) throw new AppError('CONFLICT', RACE);
    await queueCaseSystemEvent(trx, deps, { handOffId: id, caseId: h.case_id, at }, { event: 'status', status: next, at });
    await appendEvents(trx, [
      {
        type: 'handoff_rerouted',
        at,
        caseId: h.case_id,
        handOffId: id,
        actorId: user.id,
        detail: body.note || null,
        data: { fromDepartmentId: h.department_id, toDepartmentId: body.departmentId, officialId: official?.id ?? null, receivedAt: h.received_at, dueAt: h.due_at },
      },
    ]);
  });
  return { item: await getHandOff(deps, user, id), departmentsChanged: [body.departmentId] };
}

/**
 * 연장: the department's official extends the due date once, with a reason, within the original period counted again
 * (core/domain/handoff-lifecycle.ts); the citizen is told the new date and the reason through the outbox in the same
 * transaction (extension-notice.ts). A second extension is refused (HANDOFF_EXTENSION_USED).
 */
export async function extendHandOff(deps: AppDeps, user: Viewer, id: string, body: ExtendHandOffBody): Promise<LifecycleResult> {
  if (user.role !== 'official') throw new AppError('FORBIDDEN', '처리기한 연장은 담당 부서의 공무원이 합니다.');
  const h = await loadForUser(deps, user, id);
  const inputs = await findHandOffRuleInputs(deps.db, id);
  const rule = deadlineRuleFor(inputs?.complaint_type ?? h.complaint_type, inputs?.deadline_days, inputs?.category_path ?? '');
  const now = deps.clock.now();
  const newDueAt = new Date(body.newDueAt);
  assertExtensionAllowed({
    status: h.status,
    dueAt: new Date(h.due_at),
    extendedAt: h.extended_at ? new Date(h.extended_at) : null,
    rule,
    now,
    newDueAt,
    isHoliday: (d) => deps.holidays.isHoliday(d),
  });
  const at = now.toISOString();
  const due = newDueAt.toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const set = { due_at: due, original_due_at: h.due_at, extended_at: at, extended_by: user.id, extension_reason: body.reason, updated_at: at };
    if (!(await extendHandOffOnce(trx, id, h.status, set))) throw new AppError('HANDOFF_EXTENSION_USED', '처리기한은 한 번만 연장할 수 있습니다.');
    const told = await queueExtensionNotice(trx, deps.vault, { handOffId: id, caseId: h.case_id, at, newDueAt: due, reason: body.reason });
    await appendEvents(trx, [
      { type: 'handoff_extended', at, caseId: h.case_id, handOffId: id, actorId: user.id, detail: body.reason, data: { fromDueAt: h.due_at, toDueAt: due, notice: told ?? 'none' } },
    ]);
  });
  return { item: await getHandOff(deps, user, id), departmentsChanged: [h.department_id] };
}

/** 위임/재배정: to another active official of the same department (another department's official: 422). */
export async function delegateHandOff(deps: AppDeps, user: Viewer, id: string, body: DelegateHandOffBody): Promise<LifecycleResult> {
  if (user.role !== 'official') throw new AppError('FORBIDDEN', '위임은 담당 부서의 공무원이 합니다. 다른 부서로는 반려 후 재지정합니다.');
  const h = await loadForUser(deps, user, id);
  assertHandOffOpenFor(h.status, 'delegate');
  const official = await findDepartmentOfficial(deps.db, h.department_id, body.officialId);
  if (!official) throw new AppError('HANDOFF_TARGET_INVALID', '같은 부서의 담당공무원에게만 위임할 수 있습니다.', { field: 'officialId' });
  if (official.id === h.assignee_id) throw new AppError('HANDOFF_TARGET_INVALID', '이미 그 공무원이 담당하고 있습니다.', { field: 'officialId' });
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await reassignHandOff(trx, id, { status: h.status, assigneeId: h.assignee_id }, { assignee_id: official.id, updated_at: at }))) throw new AppError('CONFLICT', RACE);
    await appendEvents(trx, [
      { type: 'handoff_delegated', at, caseId: h.case_id, handOffId: id, actorId: user.id, detail: body.note || null, data: { fromUserId: h.assignee_id, toUserId: official.id } },
    ]);
  });
  return { item: await getHandOff(deps, user, id), departmentsChanged: [h.department_id] };
}

/** Officials a hand-off can go to: an official sees his own department's; a supervisor names the department. */
export async function listOfficials(deps: AppDeps, user: Viewer, departmentId: string | undefined): Promise<HandOffOfficial[]> {
  const department = user.role === 'official' ? user.departmentId : departmentId;
  if (!department) throw new AppError('VALIDATION_FAILED', '부서를 고르세요.', { field: 'departmentId' });
  if (user.role === 'official' && departmentId && departmentId !== user.departmentId) throw new AppError('FORBIDDEN', '다른 부서의 공무원 목록은 볼 수 없습니다.');
  const rows = await listDepartmentOfficials(deps.db, department);
  return rows.map((r) => ({ id: r.id, name: r.name, title: r.title, isDepartmentHead: r.is_department_head === 1 }));
}

/** The rows of one department in the overdue list. */
const OVERDUE_ITEMS_PER_DEPARTMENT = 20;

/**
 * 기한 경과 by department for supervisors: every department with open hand-offs past their due time (counted by the
 * database), the head who was told, and its most overdue items (one access record naming the citizens shown).
 */
export async function overdueByDepartment(deps: AppDeps, user: Viewer): Promise<OverdueByDepartment> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const statuses = [...OPEN_HANDOFF_STATUSES];
  return deps.db.transaction().execute(async (trx) => {
    const counts = await countOverdueByDepartment(trx, { statuses, now: at });
    counts.sort((a, b) => b.overdue - a.overdue || a.oldestDueAt.localeCompare(b.oldestDueAt));
    const departments = [];
    const citizens: (string | null)[] = [];
    for (const c of counts) {
      const rows = await listInbox(trx, deps.vault, { departmentId: c.departmentId, statuses, limit: OVERDUE_ITEMS_PER_DEPARTMENT, dueBefore: at });
      citizens.push(...rows.map((r) => r.citizen_id));
      departments.push({ ...c, items: rows.map((r) => toItem(deps, r, now)) });
    }
    if (citizens.length) await appendAccessRecords(trx, [accessBy(user, at, 'view', citizens, 'handoffs:overdue', citizens.length)]);
    return { at, total: counts.reduce((n, c) => n + c.overdue, 0), departments };
  });
}

function noticeScope(user: Viewer) {
  if (user.role !== 'official' || !user.departmentId) throw new AppError('FORBIDDEN', '담당공무원의 알림입니다.');
  return { id: user.id, departmentId: user.departmentId };
}

/** The official's in-app notices (reminders, overdue, escalations), newest first, with the unread count. */
export async function listMyNotices(deps: AppDeps, user: Viewer): Promise<HandOffNoticeList> {
  const { items, unread } = await listNotices(deps.db, noticeScope(user), 50);
  return {
    unread,
    items: items.map((n) => ({ id: n.id, handOffId: n.handoff_id, caseNumber: n.case_number, kind: HandOffNoticeKindSchema.parse(n.kind), dueAt: n.due_at, at: n.at, readAt: n.read_at })),
  };
}

export async function readMyNotices(deps: AppDeps, user: Viewer, ids: string[]): Promise<HandOffNoticeList> {
  await markNoticesRead(deps.db, noticeScope(user), ids, deps.clock.now().toISOString());
  return listMyNotices(deps, user);
}
