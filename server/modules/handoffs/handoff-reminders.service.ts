import { OPEN_HANDOFF_STATUSES } from '../../../core/domain/handoff-lifecycle';
import { reminderSchedule, remindersDue, type ReminderKind } from '../../../core/domain/handoff-reminders';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import { appendEvents, type ContactEventInput } from '../events/events.repository';
import { listDepartmentHeads, listOpenForReminders, recordNotice } from './handoffs.repository';

/** The timeline's words for a reminder (the kind itself is in the event's data). */
const REMINDER_WORDS: Record<'half' | 'd1', string> = { half: '처리기간 절반 경과', d1: '처리기한 하루 전' };

/** Who was told by one scan: users (their notices) and departments (notices to all its officials). */
export type ReminderScanResult = { sent: { handOffId: string; kind: ReminderKind | 'escalated' }[]; users: string[]; departments: string[] };

/**
 * One scan of the reminders (core/domain/handoff-reminders.ts decides which are due): for every open hand-off, the
 * due reminder is recorded once in handoff_notices (for the assignee, or the department when nobody took it yet)
 * with its contact event (handoff_reminded, detail half | d1). Past the due time: handoff_overdue once, and the
 * department head (users.is_department_head) gets an escalation notice with handoff_escalated. Each hand-off in its
 * own transaction; the unique key of the notices makes a repeated or concurrent scan record nothing twice.
 */
export async function scanHandOffReminders(deps: Pick<AppDeps, 'db' | 'clock' | 'holidays'>): Promise<ReminderScanResult> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const isHoliday = (d: string) => deps.holidays.isHoliday(d);
  const { rows, notices } = await listOpenForReminders(deps.db, [...OPEN_HANDOFF_STATUSES]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const sentOf = new Map<string, Set<ReminderKind>>();
  for (const n of notices) {
    const h = byId.get(n.handoff_id);
    if (!h || Date.parse(n.due_at) !== Date.parse(h.due_at)) continue; // a notice of the due time before an extension
    const set = sentOf.get(n.handoff_id) ?? new Set<ReminderKind>();
    set.add(n.kind as ReminderKind);
    sentOf.set(n.handoff_id, set);
  }
  const result: ReminderScanResult = { sent: [], users: [], departments: [] };
  const tell = (userId: string | null, departmentId: string) => (userId ? result.users.push(userId) : result.departments.push(departmentId));

  for (const h of rows) {
    const kinds = remindersDue(reminderSchedule(new Date(h.received_at), new Date(h.due_at), isHoliday), now, sentOf.get(h.id) ?? new Set());
    if (kinds.length === 0) continue;
    await deps.db.transaction().execute(async (trx) => {
      const events: ContactEventInput[] = [];
      const base = { handoff_id: h.id, due_at: h.due_at, department_id: h.department_id, at };
      for (const kind of kinds) {
        if (!(await recordNotice(trx, { id: newId(), ...base, kind, user_id: h.assignee_id }))) continue;
        result.sent.push({ handOffId: h.id, kind });
        tell(h.assignee_id, h.department_id);
        const ids = { at, caseId: h.case_id, handOffId: h.id, actorId: null };
        if (kind !== 'overdue') {
          events.push({ type: 'handoff_reminded', ...ids, detail: REMINDER_WORDS[kind], data: { kind, dueAt: h.due_at, userId: h.assignee_id } });
          continue;
        }
        events.push({ type: 'handoff_overdue', ...ids, data: { dueAt: h.due_at } });
        // 부서장 보고: the head of the department (the department's officials when no head is recorded).
        const head = (await listDepartmentHeads(trx, h.department_id))[0] ?? null;
        if (await recordNotice(trx, { id: newId(), ...base, kind: 'escalated', user_id: head?.id ?? null })) {
          result.sent.push({ handOffId: h.id, kind: 'escalated' });
          tell(head?.id ?? null, h.department_id);
          events.push({ type: 'handoff_escalated', ...ids, detail: head ? head.name : '부서장 미지정 (부서 전체 알림)', data: { headId: head?.id ?? null, dueAt: h.due_at } });
        }
      }
      await appendEvents(trx, events);
    });
  }
  result.users = [...new Set(result.users)];
  result.departments = [...new Set(result.departments)];
  return result;
}
