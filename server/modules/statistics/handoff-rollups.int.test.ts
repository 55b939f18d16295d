import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByDepartmentQuerySchema, type ByDepartmentReport } from '../../../core/contracts/statistics';
import type { SessionUser } from '../../http/access';
import { newId } from '../../lib/ids';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { insertHandOff } from '../cases/cases.repository';
import { extendHandOffOnce, updateHandOffFrom } from '../handoffs/handoffs.repository';
import { simulateHistory } from '../simulation/history-simulator';
import { fillHandOffWaitMonthsIfMissing, rebuildHandOffRollups } from './handoff-rollups.repository';
import { byDepartment } from './statistics.service';

/**
 * Trust for 부서별 (issue #12 §4, migration 0039): after a simulated month of hand-offs written in bulk, and live
 * changes through the hand-off repository's guarded updates (접수, 회신, 반려, 재지정 to another department, 연장, a new
 * hand-off from a recorded case), the report read from the rollups equals a count written here from the raw hand-off
 * rows — ISO strings against the period's bounds, its own nearest-rank percentile, not the service's mapping — and the
 * kept rollups (the day rows of 0039 and the answer times' month rows of 0041, which ranges holding a whole month read)
 * equal a rebuild, and month rows filled from the day rows equal them too. SQLite and PostgreSQL (the postgres project
 * runs this file too).
 */
const TIMEOUT = 300_000;
const HOUR = 3_600_000;

type Row = { id: string; department_id: string; received_at: string; due_at: string; acknowledged_at: string | null; answered_at: string | null; status: string };

/** The department report's figures counted from raw rows, by the definitions of docs/METRICS.md 부서별. */
function countFromRows(rows: readonly Row[], fromIso: string, toIso: string, nowIso: string, departments: readonly string[], overdueAt: string) {
  const iso = (t: string) => new Date(t).toISOString();
  return departments.map((departmentId) => {
    const mine = rows.filter((r) => r.department_id === departmentId).map((r) => ({ ...r, received_at: iso(r.received_at), due_at: iso(r.due_at), answered_at: r.answered_at && iso(r.answered_at), acknowledged_at: r.acknowledged_at && iso(r.acknowledged_at) }));
    const received = mine.filter((r) => r.received_at >= fromIso && r.received_at < toIso);
    const answered = received.filter((r) => r.status !== 'returned' && r.answered_at !== null);
    const due = mine.filter((r) => r.status !== 'returned' && r.due_at >= fromIso && r.due_at < toIso && r.due_at <= nowIso);
    const onTime = due.filter((r) => r.answered_at !== null && r.answered_at <= r.due_at);
    const waits = answered.map((r) => new Date(r.answered_at!).getTime() - new Date(r.received_at).getTime()).sort((a, b) => a - b);
    const rank = (p: number) => (waits.length === 0 ? null : waits[Math.ceil((p * waits.length) / 100) - 1]! / HOUR);
    const returned = received.filter((r) => r.status === 'returned').length;
    return {
      departmentId,
      received: received.length,
      acknowledged: received.filter((r) => r.acknowledged_at !== null).length,
      answered: answered.length,
      answeredOnTime: onTime.length,
      dueInPeriod: due.length,
      onTimeRate: due.length > 0 ? onTime.length / due.length : null,
      medianHoursToAnswer: rank(50),
      p90HoursToAnswer: rank(90),
      returned,
      returnedRate: received.length > 0 ? returned / received.length : null,
      overdueNow: mine.filter((r) => ['pending', 'acknowledged', 'in_progress'].includes(r.status) && r.answered_at === null && r.due_at < overdueAt).length,
    };
  });
}

describe('부서별 rollups after a simulated month and live hand-off changes', () => {
  let ctx: TestContext;
  let user: SessionUser;
  const NOW = '2026-12-01T05:30:00.000Z'; // 14:30 KST on Tuesday 1 December: some deadlines of the day passed, some not

  beforeAll(async () => {
    ctx = await createTestContext();
    ctx.clock.set(new Date(NOW));
    await simulateHistory(ctx.deps, { days: 40, toDay: '2026-11-30', seed: 'dept-trust', callsPerDay: 120, agents: 4, holidays: ctx.deps.holidays });
    const u = await buildUser(ctx.deps.db, { role: 'supervisor' });
    user = { id: u.id, login: u.login, name: '감독자', role: 'supervisor', departmentId: null, departmentName: null, sessionId: 's' };
    // Live changes, each in its own transaction as the services make them.
    const db = ctx.deps.db;
    const open = await db.selectFrom('handoffs').select(['id', 'status', 'department_id', 'case_id', 'due_at']).where('answered_at', 'is', null).orderBy('received_at').execute();
    const answered = await db.selectFrom('handoffs').select(['id', 'status']).where('answered_at', 'is not', null).orderBy('received_at').limit(3).execute();
    const departments = [...new Set(open.map((h) => h.department_id))];
    expect(open.length).toBeGreaterThan(8);
    expect(departments.length).toBeGreaterThan(1);
    const at = NOW;
    const tx = <T>(f: (trx: typeof db) => Promise<T>) => db.transaction().execute(f);
    const [a, b, c, d, e, f] = open.filter((h) => h.status === 'pending').concat(open.filter((h) => h.status !== 'pending'));
    await tx((trx) => updateHandOffFrom(trx, a!.id, a!.status, { status: 'acknowledged', acknowledged_at: at, updated_at: at })); // 접수
    await tx((trx) => updateHandOffFrom(trx, b!.id, b!.status, { status: 'answered', answered_at: at, answer: '회신', updated_at: at })); // 회신 (late or on time)
    await tx((trx) => updateHandOffFrom(trx, c!.id, c!.status, { status: 'returned', updated_at: at })); // 반려
    const other = departments.find((x) => x !== d!.department_id)!;
    await tx((trx) => updateHandOffFrom(trx, d!.id, d!.status, { status: 'pending', department_id: other, acknowledged_at: null, updated_at: at })); // 재지정
    await tx((trx) => extendHandOffOnce(trx, e!.id, e!.status, { due_at: new Date(Date.parse(e!.due_at as string) + 3 * 86_400_000).toISOString(), extended_at: at, updated_at: at })); // 연장
    await tx((trx) => updateHandOffFrom(trx, f!.id, f!.status, { status: 'answered', answered_at: '2026-12-01T01:00:00.000Z', updated_at: at }));
    // An answered one returned afterwards (its answer time leaves the figures) and a guarded update that loses (no change).
    await tx((trx) => updateHandOffFrom(trx, answered[0]!.id, answered[0]!.status, { status: 'returned', updated_at: at }));
    expect(await tx((trx) => updateHandOffFrom(trx, answered[1]!.id, 'pending', { status: 'answered', answered_at: at }))).toBe(false);
    // A new hand-off recorded today, due tomorrow.
    await tx((trx) =>
      insertHandOff(trx, {
        id: newId(), case_id: a!.case_id, department_id: other, assignee_id: null, status: 'pending', complaint_type: 'inquiry', deadline_basis: 'test',
        received_at: '2026-12-01T01:00:00.000Z', due_at: '2026-12-02T09:00:00.000Z', acknowledged_at: null, answered_at: null, closed_at: null, answer: null,
        created_by: null, updated_at: at,
      }),
    );
  }, TIMEOUT);
  afterAll(async () => ctx?.close());

  const rowsNow = () => ctx.deps.db.selectFrom('handoffs').select(['id', 'department_id', 'received_at', 'due_at', 'acknowledged_at', 'answered_at', 'status']).execute() as Promise<Row[]>;

  it(
    'every figure equals a count from the raw hand-off rows: the month, a week across the month end, a custom range, single days, today',
    async () => {
      const rows = await rowsNow();
      const periods: Array<Record<string, string>> = [
        { period: 'month', date: '2026-11-15' },
        { period: 'week', date: '2026-11-30' },
        { period: 'custom', from: '2026-10-23', to: '2026-12-01' },
        { period: 'day', date: '2026-11-17' },
        { period: 'day', date: '2026-12-01' },
        { period: 'month', date: '2026-12-01' },
        { period: 'year', date: '2026-06-01' },
      ];
      let totals = { received: 0, answered: 0, due: 0, returned: 0 };
      for (const p of periods) {
        const report: ByDepartmentReport = await byDepartment(ctx.deps, user, ByDepartmentQuerySchema.parse(p));
        const ids = report.departments.map((d) => d.departmentId);
        const expected = countFromRows(rows, report.period.from, report.period.to, NOW, ids, NOW);
        expect(report.departments.map(({ name: _n, transfers: _t, ...figures }) => figures), JSON.stringify(p)).toEqual(expected);
        for (const d of expected) totals = { received: totals.received + d.received, answered: totals.answered + d.answered, due: totals.due + d.dueInPeriod, returned: totals.returned + d.returned };
      }
      // The periods hold what is compared: hand-offs received, answered, due and returned.
      expect(totals.received).toBeGreaterThan(200);
      expect(totals.answered).toBeGreaterThan(100);
      expect(totals.due).toBeGreaterThan(100);
      expect(totals.returned).toBeGreaterThan(0);
      // Today: deadlines after 14:30 KST are not counted yet; the new hand-off is received today.
      const today = await byDepartment(ctx.deps, user, ByDepartmentQuerySchema.parse({ period: 'day', date: '2026-12-01' }));
      expect(today.departments.reduce((n, d) => n + d.received, 0)).toBe(1);
    },
    TIMEOUT,
  );

  it('the rollups read equals the service reading every hand-off (fromEvents), and the kept rollups equal a rebuild', async () => {
    for (const p of [{ period: 'month', date: '2026-11-15' }, { period: 'day', date: '2026-12-01' }, { period: 'custom', from: '2026-10-23', to: '2026-12-01' }]) {
      const q = ByDepartmentQuerySchema.parse(p);
      expect(await byDepartment(ctx.deps, user, q)).toEqual(await byDepartment(ctx.deps, user, q, { fromEvents: true }));
    }
    const sorted = (waits: string) => waits.split(',').filter(Boolean).map(Number).sort((x, y) => x - y);
    const snapshot = async () => ({
      days: (await ctx.deps.db.selectFrom('handoff_rollups').selectAll().execute())
        .map((r) => ({ ...r, day: Number(r.day), waits: sorted(r.waits) }))
        .filter((r) => r.received !== 0 || r.due !== 0 || r.waits.length > 0)
        .map((r) => JSON.stringify(r))
        .sort(),
      months: (await ctx.deps.db.selectFrom('handoff_wait_months').selectAll().execute())
        .map((r) => ({ ...r, month: Number(r.month), bucket: Number(r.bucket), waits: sorted(r.waits) }))
        .filter((r) => r.n !== 0 || r.waits.length > 0)
        .map((r) => JSON.stringify(r))
        .sort(),
    });
    const kept = await snapshot();
    expect(kept.days.length).toBeGreaterThan(50);
    expect(kept.months.length).toBeGreaterThan(20);
    // Every month row's count is its number of answer times.
    for (const m of kept.months) expect((JSON.parse(m) as { n: number; waits: number[] }).n).toBe((JSON.parse(m) as { waits: number[] }).waits.length);
    await ctx.deps.db.transaction().execute((trx) => rebuildHandOffRollups(trx));
    expect(await snapshot()).toEqual(kept);
    // A database written before 0041: the month rows filled from the day rows at start equal the kept ones.
    await ctx.deps.db.deleteFrom('handoff_wait_months').execute();
    expect(await ctx.deps.db.transaction().execute((trx) => fillHandOffWaitMonthsIfMissing(trx))).toBeGreaterThan(1);
    expect(await snapshot()).toEqual(kept);
    expect(await fillHandOffWaitMonthsIfMissing(ctx.deps.db)).toBe(0);
  });
});
