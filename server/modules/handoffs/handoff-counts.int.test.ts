import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Insertable } from 'kysely';
import type { HandOffStatus } from '../../../core/contracts/enums';
import type { CaseTable, HandOffTable } from '../../db/tables';
import { newId } from '../../lib/ids';
import { buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * The 운영 현황 tiles counted on the server (issue #12 §0: they were counted in the browser over a list capped at 200,
 * so they stopped at 200). The fake clock is Friday 2026-11-27 10:00 KST; the Seoul day ends at 15:00 UTC.
 */
describe('GET /api/handoffs/counts', () => {
  let t: TestContext;
  let departmentA: string;

  let sequence = 0;
  async function handOffs(departmentId: string, n: number, dueAt: string, status: HandOffStatus = 'pending') {
    const cases: Insertable<CaseTable>[] = [];
    const rows: Insertable<HandOffTable>[] = [];
    for (let i = 0; i < n; i++) {
      const caseId = newId();
      cases.push({ id: caseId, number: `20261127-T${String(++sequence).padStart(5, '0')}`, summary: '문의', notes: '', status: 'open', created_at: '2026-11-27T00:30:00.000Z' });
      rows.push({
        id: newId(),
        case_id: caseId,
        department_id: departmentId,
        status,
        complaint_type: 'inquiry',
        deadline_basis: '시험',
        received_at: '2026-11-27T00:30:00.000Z',
        due_at: dueAt,
        created_by: null,
        updated_at: '2026-11-27T00:30:00.000Z',
      });
    }
    await t.deps.db.insertInto('cases').values(cases).execute();
    await t.deps.db.insertInto('handoffs').values(rows).execute();
  }

  beforeAll(async () => {
    t = await createTestContext();
    departmentA = (await buildDepartment(t.deps.db)).id;
    const departmentB = (await buildDepartment(t.deps.db)).id;
    await handOffs(departmentA, 205, '2026-11-30T02:00:00.000Z'); // later (Monday)
    await handOffs(departmentA, 2, '2026-11-27T00:00:00.000Z'); // overdue
    await handOffs(departmentA, 1, '2026-11-27T00:59:59.999Z', 'acknowledged'); // overdue by a millisecond
    await handOffs(departmentA, 1, '2026-11-27T01:00:00.000Z', 'in_progress'); // due now: today, not overdue
    await handOffs(departmentA, 1, '2026-11-27T14:59:59.999Z'); // the last moment of the Seoul day
    await handOffs(departmentA, 1, '2026-11-27T15:00:00.000Z'); // Saturday 00:00 KST: later
    await handOffs(departmentA, 4, '2026-11-27T00:00:00.000Z', 'closed'); // not open: never counted
    await handOffs(departmentB, 5, '2026-11-27T00:00:00.000Z'); // another department's, overdue
    await buildUser(t.deps.db, { role: 'official', login: 'count-official', departmentId: departmentA });
    await buildUser(t.deps.db, { role: 'supervisor', login: 'count-supervisor' });
    await buildUser(t.deps.db, { role: 'agent', login: 'count-agent' });
  });
  afterAll(async () => t.close());

  const get = async (login: string, url = '/api/handoffs/counts') => t.app.inject({ method: 'GET', url, headers: { cookie: await t.signIn(login) } });

  it('counts every open hand-off past the list limit, for the supervisor across departments', async () => {
    const res = await get('count-supervisor');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ open: 216, overdue: 8, dueToday: 2, at: '2026-11-27T01:00:00.000Z' });
    // The list the tiles were counted from stops at 200.
    expect((await get('count-supervisor', '/api/handoffs?status=open&limit=200')).json().items).toHaveLength(200);
  });

  it("counts the official's own department only", async () => {
    expect((await get('count-official')).json()).toMatchObject({ open: 211, overdue: 3, dueToday: 2 });
  });

  it('is not for agents', async () => {
    expect((await get('count-agent')).statusCode).toBe(403);
  });
});
