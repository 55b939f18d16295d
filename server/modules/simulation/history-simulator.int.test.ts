import { afterEach, describe, expect, it } from 'vitest';
import { computeDueAt, deadlineRuleFor } from '../../../core/domain/deadlines';
import { loadConfig } from '../../config';
import { createAppDeps } from '../../deps';
import { FakeClock } from '../../ports/clock/fake.adapter';
import { createTestDb } from '../../test/test-db';
import { ByDepartmentQuerySchema } from '../../../core/contracts/statistics';
import { departmentsReport } from '../../../core/domain/statistics';
import { byDepartment } from '../statistics/statistics.service';
import { simulateHistory } from './history-simulator';

const TIMEOUT_MS = 240_000;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('simulated history: cases and hand-offs per department', () => {
  it('records a case per handled call and a hand-off per 이관 with its legal deadline, answered on time, late or not yet', async () => {
    const handle = await createTestDb();
    closers.push(() => handle.close());
    const clock = new FakeClock('2026-12-01T09:00:00+09:00');
    const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), handle, clock);
    const r = await simulateHistory(deps, { days: 45, toDay: '2026-11-30', seed: 'paper', callsPerDay: 60, agents: 3, holidays: deps.holidays });

    const dispositions = await deps.db.selectFrom('contact_events').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', 'call_dispositioned').executeTakeFirstOrThrow();
    const cases = await deps.db.selectFrom('cases').select(['id', 'number', 'outcome', 'status', 'interaction_id', 'category_id', 'created_at', 'closed_at']).execute();
    expect(cases.length).toBe(Number(dispositions.n));
    expect(r.cases).toBe(cases.length);
    expect(new Set(cases.map((c) => c.number)).size).toBe(cases.length);

    const handOffs = await deps.db
      .selectFrom('handoffs as h')
      .innerJoin('cases as c', 'c.id', 'h.case_id')
      .innerJoin('categories as k', 'k.id', 'c.category_id')
      .select(['h.department_id', 'h.status', 'h.received_at', 'h.due_at', 'h.answered_at', 'h.acknowledged_at', 'h.complaint_type', 'k.deadline_days', 'k.path', 'k.department_id as category_department'])
      .execute();
    expect(handOffs.length).toBe(r.handOffs.total);
    expect(handOffs.length).toBe(cases.filter((c) => c.outcome === 'handed_off').length);
    expect(r.handOffs.onTime + r.handOffs.late + r.handOffs.open).toBe(r.handOffs.total);
    // Several departments receive them, each the category's own, due by the legal deadline of its 민원 type.
    expect(new Set(handOffs.map((h) => h.department_id)).size).toBeGreaterThan(3);
    for (const h of handOffs) {
      expect(h.department_id).toBe(h.category_department);
      const due = computeDueAt(new Date(h.received_at), deadlineRuleFor(h.complaint_type, h.deadline_days, h.path), (d) => deps.holidays.isHoliday(d));
      expect(h.due_at).toBe(due.toISOString());
    }
    // Outcomes: mostly on time, some late, some still open (a few of those overdue at the history's end).
    const onTime = handOffs.filter((h) => h.answered_at !== null && h.answered_at <= h.due_at);
    const late = handOffs.filter((h) => h.answered_at !== null && h.answered_at > h.due_at);
    const open = handOffs.filter((h) => h.answered_at === null);
    expect([onTime.length, late.length, open.length]).toEqual([r.handOffs.onTime, r.handOffs.late, r.handOffs.open]);
    expect(onTime.length / handOffs.length).toBeGreaterThan(0.6);
    expect(late.length).toBeGreaterThan(0);
    expect(open.filter((h) => h.due_at < '2026-11-30T15:00:00.000Z').length).toBeGreaterThan(0);
    expect(open.every((h) => h.status === 'pending' || h.status === 'acknowledged')).toBe(true);
    // A case closes with its answer; 직접처리 closes at once.
    for (const c of cases) expect(c.status).toBe(c.closed_at === null ? 'open' : 'closed');
    expect(cases.filter((c) => c.outcome === 'resolved').every((c) => c.closed_at === c.created_at)).toBe(true);

    // 부서별 reads the received and due ranges by index and counts the open overdue apart (migration 0036): for a month
    // and for the whole history, every figure equals departmentsReport over every hand-off read whole.
    const every = await deps.db.selectFrom('handoffs').select(['department_id', 'received_at', 'due_at', 'acknowledged_at', 'answered_at', 'status']).execute();
    const facts = every.map((h) => ({
      departmentId: h.department_id,
      receivedAt: Date.parse(h.received_at),
      dueAt: Date.parse(h.due_at),
      acknowledgedAt: h.acknowledged_at ? Date.parse(h.acknowledged_at) : null,
      answeredAt: h.answered_at ? Date.parse(h.answered_at) : null,
      isReturned: h.status === 'returned',
      isClosed: h.status === 'closed',
    }));
    const supervisor = { id: '00000000-0000-7000-8000-000000000000', login: 's', name: '감독자', role: 'supervisor' as const, departmentId: null, departmentName: null, sessionId: 's' };
    for (const q of [{ period: 'month', date: '2026-11-15' }, { period: 'custom', from: '2026-10-17', to: '2026-11-30' }]) {
      const report = await byDepartment(deps, supervisor, ByDepartmentQuerySchema.parse(q));
      const period = { from: Date.parse(report.period.from), to: Date.parse(report.period.to) };
      const whole = departmentsReport(facts, [], period, clock.now().getTime(), report.departments.map((d) => d.departmentId));
      expect(report.departments.map(({ name: _name, ...figures }) => figures)).toEqual(whole);
      expect(whole.reduce((n, d) => n + d.overdueNow, 0)).toBeGreaterThan(0);
      expect(whole.reduce((n, d) => n + d.received, 0)).toBeGreaterThan(0);
    }
  }, TIMEOUT_MS);
  it('answers every hand-off some day: after four months only those answered after the end are open, so overdue now stays bounded', async () => {
    const handle = await createTestDb();
    closers.push(() => handle.close());
    const clock = new FakeClock('2026-12-01T09:00:00+09:00');
    const deps = createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), handle, clock);
    const r = await simulateHistory(deps, { days: 120, toDay: '2026-11-30', seed: 'closing', callsPerDay: 40, agents: 2, holidays: deps.holidays });
    const rows = await deps.db.selectFrom('handoffs').select(['due_at', 'answered_at', 'status']).execute();
    const end = Date.parse('2026-11-30T15:00:00.000Z'); // 00:00 KST on 1 December: the history's end
    const open = rows.filter((h) => h.answered_at === null);
    const veryLate = rows.filter((h) => h.answered_at !== null && Date.parse(h.answered_at) - Date.parse(h.due_at) > 10 * 86_400_000);
    expect(rows.length).toBeGreaterThan(300);
    expect(open.length).toBe(r.handOffs.open);
    // Answered at most 45 days after the deadline: an open one was due within the last 45 days, none older.
    expect(open.length).toBeGreaterThan(0);
    for (const h of open) expect(Date.parse(h.due_at)).toBeGreaterThan(end - 45 * 86_400_000);
    // The weeks-late ones exist and were answered within the history (the 6 % that stayed open for ever before).
    expect(veryLate.length).toBeGreaterThan(0);
    expect(veryLate.every((h) => Date.parse(h.answered_at!) <= end && Date.parse(h.answered_at!) - Date.parse(h.due_at) <= 45 * 86_400_000)).toBe(true);
    expect(open.length / rows.length).toBeLessThan(0.06);
  }, TIMEOUT_MS);
});
