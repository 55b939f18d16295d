import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import { createTestContext, type TestContext } from '../../test/test-app';
import { findCitizen } from '../../modules/calls/calls.repository';
import { seedDemoData, isEmptyDatabase } from './seed';

// The demo data of the sample city 한빛시 loads on the run's dialect and makes the app feel real (issue #2 §4).
describe('demo seed', () => {
  let t: TestContext;
  let logins: Awaited<ReturnType<typeof seedDemoData>>;

  beforeAll(async () => {
    t = await createTestContext();
    expect(await isEmptyDatabase(t.deps.db)).toBe(true);
    logins = await seedDemoData(t.deps, 'demo-password-1');
  }, 120_000);
  afterAll(async () => t.close());

  const count = async (table: 'departments' | 'categories' | 'articles' | 'users' | 'citizens' | 'cases' | 'handoffs') =>
    Number((await t.deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('has the sizes a Gimpo-sized centre needs', async () => {
    expect(await count('departments')).toBeGreaterThanOrEqual(20);
    expect(await count('categories')).toBeGreaterThanOrEqual(120);
    expect(await count('articles')).toBeGreaterThanOrEqual(100);
    expect(await isEmptyDatabase(t.deps.db)).toBe(false);
    const roles = new Set(logins.map((l) => l.role));
    expect([...roles].sort()).toEqual(['admin', 'agent', 'official', 'supervisor']);
    expect(logins.filter((l) => l.role === 'agent').length).toBeGreaterThanOrEqual(12);
  });

  it('every task has an owner department and a complaint type, and every official duties', async () => {
    const tasks = await t.deps.db.selectFrom('categories').select(['code', 'department_id', 'complaint_type']).where('level', '>=', 2).execute();
    expect(tasks.filter((c) => !c.department_id || !c.complaint_type)).toEqual([]);
    const officialsWithoutDuties = await t.deps.db
      .selectFrom('users as u')
      .select('u.login')
      .where('u.role', '=', 'official')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('duties as d').select('d.user_id').whereRef('d.user_id', '=', 'u.id'))))
      .execute();
    expect(officialsWithoutDuties).toEqual([]);
  });

  it('has a 업무분장 for every task with officials, the 주무관 first, and 담당자 연결 proposes one at 10:00 on a weekday', async () => {
    const duties = await t.app.directory.list();
    expect(duties.duties.length).toBe(45);
    expect(duties.duties.every((d) => d.officials.length > 0 && d.officials[0]?.title === '주무관')).toBe(true);
    const task = duties.duties.find((d) => d.code === '01-01');
    const cookie = await t.signIn('agent01', 'demo-password-1');
    const res = await t.app.inject({ method: 'GET', url: `/api/directory/proposal?categoryId=${task?.categories[0]?.id}`, headers: { cookie } });
    expect(res.json().proposed).toMatchObject({ name: '김서준', extension: '2103', needsReason: false });
  });

  it('the demo caller has history and an open hand-off, and the articles are searchable', async () => {
    const cookie = await t.signIn('agent01', 'demo-password-1');
    const res = await t.app.inject({ method: 'POST', url: '/api/calls/simulate', headers: { cookie }, payload: { callerNumber: '010-7777-1234' } });
    const call: CallConnected = res.json();
    // The seeded caller, found by number through the blind index; the name is stored sealed (answers mask it by role).
    expect((await findCitizen(t.deps.db, t.deps.vault, call.callerCard.citizenId))?.name).toBe('김영희');
    expect(call.callerCard.totalCases).toBeGreaterThanOrEqual(3);
    expect(call.callerCard.openHandOffs.length).toBeGreaterThanOrEqual(1);
    expect(call.callerCard.lastContactAt).not.toBeNull();

    for (const q of ['여권발급', '자동차세 연납', '대형폐기물', '전입 신고']) {
      const search = await t.app.inject({ method: 'GET', url: `/api/kb/search?q=${encodeURIComponent(q)}`, headers: { cookie } });
      expect(search.json().total, q).toBeGreaterThan(0);
    }
  });

  it('seeded hand-offs appear in their department inbox with a due time', async () => {
    const open = await t.deps.db.selectFrom('handoffs').select(['id', 'due_at', 'received_at']).where('status', 'in', ['pending', 'acknowledged']).execute();
    expect(open.length).toBeGreaterThanOrEqual(4);
    for (const h of open) expect(Date.parse(h.due_at)).toBeGreaterThan(Date.parse(h.received_at));
  });
});
