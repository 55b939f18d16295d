import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsPeriod } from '../../../core/contracts/statistics';
import type { Results } from '../../../core/contracts/surveys';
import { satisfactionCells, surveyQueryOf } from '../../../web/src/features/statistics/satisfaction-format';
import { newId } from '../../lib/ids';
import { buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';
import { ensureSurveyDefaults, getResults } from './surveys.service';

/**
 * 만족도 in 통계 (issue #15 §3): the figures the statistics screen shows for its period are the surveys results of the
 * same KST days — the period as the statistics API answers it, asked of GET /api/surveys/results, written by the
 * screen's own formatting — on SQLite and PostgreSQL.
 */
describe('satisfaction beside the statistics (issue #15 §3)', () => {
  let t: TestContext;
  let cookie = '';
  let deptId = '';

  beforeAll(async () => {
    t = await createTestContext();
    await ensureSurveyDefaults(t.deps.db, t.clock.now().toISOString());
    const template = await t.deps.db.selectFrom('survey_templates').select('id').where('key', '=', 'call').executeTakeFirstOrThrow();
    deptId = (await buildDepartment(t.deps.db, { name: '세정과' })).id;
    await buildUser(t.deps.db, { role: 'supervisor', login: 'sat-super' });
    cookie = await t.signIn('sat-super');
    // Contacts around the KST month boundary: 2026-10-31T15:00Z is 1 November 00:00 in Seoul, one minute before is October.
    const seed: Array<{ at: string; dept: string | null; csat?: number; resolved?: 0 | 1 }> = [
      { at: '2026-11-10T02:00:00.000Z', dept: deptId, csat: 5, resolved: 1 },
      { at: '2026-11-12T02:00:00.000Z', dept: deptId, csat: 2, resolved: 0 },
      { at: '2026-11-13T02:00:00.000Z', dept: deptId },
      { at: '2026-11-20T02:00:00.000Z', dept: null, csat: 4, resolved: 1 },
      { at: '2026-10-31T15:00:00.000Z', dept: null },
      { at: '2026-10-31T14:59:00.000Z', dept: deptId, csat: 1, resolved: 0 },
      { at: '2026-12-01T02:00:00.000Z', dept: null, csat: 1, resolved: 0 },
    ];
    for (const [i, s] of seed.entries()) {
      const id = newId();
      await t.deps.db
        .insertInto('survey_invitations')
        .values({
          id,
          source_key: `sat-${i}`,
          trigger: s.dept ? 'handoff' : 'call',
          template_id: template.id,
          poll_id: null,
          case_id: null,
          handoff_id: null,
          agent_id: null,
          department_id: s.dept,
          category_id: null,
          phone_index: `idx-${i}`,
          channel: 'sms',
          status: s.csat ? 'answered' : 'sent',
          skip_reason: null,
          contact_at: s.at,
          due_at: s.at,
          sent_at: s.at,
          expires_at: null,
          answered_at: s.csat ? s.at : null,
          token_hash: null,
          created_at: s.at,
        })
        .execute();
      if (s.csat) {
        await t.deps.db
          .insertInto('survey_responses')
          .values({ id: newId(), invitation_id: id, template_id: template.id, answers: JSON.stringify({ overall: s.csat, resolved: s.resolved === 1 }), csat: s.csat, resolved: s.resolved ?? null, nps: null, comment: null, answered_at: s.at })
          .execute();
      }
    }
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  const get = async <T>(url: string): Promise<T> => {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  it('the 부서별 month shows the surveys results of the same KST days, overall and per department', async () => {
    const { period } = await get<{ period: StatsPeriod }>('/api/stats/by-department?period=month&date=2026-11-27');
    const q = surveyQueryOf(period);
    expect(q).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    const shown = await get<Results>(`/api/surveys/results?${new URLSearchParams(q).toString()}`);
    const direct = await getResults(t.deps, '2026-11-01', '2026-11-30', 'department');
    expect(shown.total).toEqual(direct.total);
    expect(shown.rows).toEqual(direct.rows);
    // Five contacts in November (Seoul), the one at 00:00 on 1 November included, the one a minute before and December's not.
    expect(satisfactionCells(shown.total)).toMatchObject({ answered: '3/5', responseRate: '60.0%', csat: '3.67' });
    expect(satisfactionCells(shown.total).satisfied).toMatch(/^66\.7% \(\d+\.\d–\d+\.\d%\)$/);
    const dept = shown.rows.find((r) => r.key === deptId)!;
    expect(dept.label).toBe('세정과');
    expect(satisfactionCells(dept)).toMatchObject({ answered: '2/3', responseRate: '66.7%', csat: '3.50', satisfied: satisfactionCells(direct.rows.find((r) => r.key === deptId)!).satisfied });
    expect(satisfactionCells(shown.rows.find((r) => r.key === 'centre')!)).toMatchObject({ answered: '1/2', csat: '4.00' });
  });

  it("with the 부서 filter, the panel shows that department's figures: the same as its row in the unfiltered results", async () => {
    const { period } = await get<{ period: StatsPeriod }>(`/api/stats/by-department?period=month&date=2026-11-27&department=${deptId}`);
    const q = surveyQueryOf(period, deptId);
    expect(q).toMatchObject({ from: '2026-11-01', to: '2026-11-30', departmentId: deptId });
    const filtered = await get<Results>(`/api/surveys/results?${new URLSearchParams(q).toString()}`);
    const all = await get<Results>(`/api/surveys/results?${new URLSearchParams(surveyQueryOf(period)).toString()}`);
    const row = all.rows.find((r) => r.key === deptId)!;
    expect(filtered.rows).toHaveLength(1);
    expect(filtered.rows[0]).toEqual(row);
    expect({ ...filtered.total, key: row.key, label: row.label }).toEqual(row);
    expect(satisfactionCells(filtered.total)).toMatchObject({ answered: '2/3', responseRate: '66.7%', csat: '3.50' });
    // The centre's own calls (no department) are not in it.
    expect(filtered.total.invited).toBeLessThan(all.total.invited);
    // A department with no surveys: nothing, not the centre's.
    const other = (await buildDepartment(t.deps.db, { name: '민원여권과' })).id;
    expect((await get<Results>(`/api/surveys/results?${new URLSearchParams(surveyQueryOf(period, other)).toString()}`)).total.invited).toBe(0);
    expect((await t.app.inject({ method: 'GET', url: `/api/surveys/results?from=2026-11-01&to=2026-11-30&departmentId=nope`, headers: { cookie } })).statusCode).toBe(400);
  });

  it('a day with no survey sent shows none; another period moves with the statistics period', async () => {
    const day = await get<{ period: StatsPeriod }>('/api/stats/by-department?period=day&date=2026-11-27');
    const none = await get<Results>(`/api/surveys/results?${new URLSearchParams(surveyQueryOf(day.period)).toString()}`);
    expect(none.total.invited).toBe(0);
    expect(satisfactionCells(none.total)).toMatchObject({ responseRate: '–', csat: '–', satisfied: '–', resolved: '–' });
    const october = await get<{ period: StatsPeriod }>('/api/stats/by-period?period=month&date=2026-10-15');
    const oct = await get<Results>(`/api/surveys/results?${new URLSearchParams(surveyQueryOf(october.period)).toString()}`);
    expect(oct.total).toEqual((await getResults(t.deps, '2026-10-01', '2026-10-31', 'department')).total);
    expect(satisfactionCells(oct.total)).toMatchObject({ answered: '1/1', csat: '1.00', satisfied: '0.0% (0.0–79.3%)' });
  });
});
