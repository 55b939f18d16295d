import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProtectionReport } from '../../../core/contracts/protection';
import { buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * 통계 › 상담사 보호 (issue #14 §5) on both databases: incidents by type, agent, hour and caller flag (flag in force
 * when it happened; repeat callers), 회복, 심리상담 and breaks; agents see their own only (403 for another's).
 * The clock is Friday 2026-11-27 10:00 KST; the rows are the protection tables' own (append-only facts).
 */
describe('통계 › 상담사 보호 (issue #14 §5)', () => {
  let t: TestContext;
  let a1: string;
  let a2: string;
  let cookies: { a1: string; a2: string; sup: string };

  const at = (hhmm: string, day = '2026-11-27') => new Date(`${day}T${hhmm}:00+09:00`).toISOString();
  let n = 0;
  const incident = async (agentId: string, type: string, time: string, callerIndex: string | null, kind = 'after_warnings') => {
    const id = crypto.randomUUID();
    n++;
    await t.deps.db
      .insertInto('protection_incidents')
      .values({
        id,
        incident_id: id,
        version: 1,
        interaction_id: null,
        agent_id: agentId,
        type,
        end_kind: kind,
        warnings_given: 3,
        call_answered_at: time,
        first_warning_at: time,
        ended_at: time,
        recording_ref: `sim:${n}`,
        notes: null,
        caller_index: callerIndex,
        correction_reason: null,
        recorded_by: agentId,
        recorded_at: time,
      })
      .execute();
    return id;
  };

  beforeEach(async () => {
    t = await createTestContext();
    a1 = (await buildUser(t.deps.db, { role: 'agent', login: 'ps-a1', name: '가상담' })).id;
    a2 = (await buildUser(t.deps.db, { role: 'agent', login: 'ps-a2', name: '나상담' })).id;
    const sup = await buildUser(t.deps.db, { role: 'supervisor', login: 'ps-sup', name: '다감독' });
    cookies = { a1: await t.signIn('ps-a1'), a2: await t.signIn('ps-a2'), sup: await t.signIn('ps-sup') };
    // Caller X was flagged at 09:00 (in force); caller Y's flag was cleared at 08:00; caller Z is not flagged.
    await t.deps.db
      .insertInto('caller_flags')
      .values([
        { id: crypto.randomUUID(), caller_index: 'X', incident_id: null, reason: '반복 폭언', mode: 'senior_queue', flagged_by: sup.id, flagged_at: at('09:00'), expires_at: at('09:00', '2027-02-25'), cleared_at: null, cleared_by: null, clear_reason: null },
        { id: crypto.randomUUID(), caller_index: 'Y', incident_id: null, reason: '반복 폭언', mode: 'senior_queue', flagged_by: sup.id, flagged_at: at('07:00'), expires_at: at('07:00', '2027-02-25'), cleared_at: at('08:00'), cleared_by: sup.id, clear_reason: '오인' },
      ])
      .execute();
    const corrected = await incident(a1, 'verbal_abuse', at('09:10'), 'X');
    // A correction (a new version) changes the type: the report counts the incident once, as corrected.
    await t.deps.db
      .insertInto('protection_incidents')
      .values({ ...(await t.deps.db.selectFrom('protection_incidents').selectAll().where('id', '=', corrected).executeTakeFirstOrThrow()), id: crypto.randomUUID(), version: 2, type: 'threat', correction_reason: '협박으로 정정', recorded_at: at('09:30') })
      .execute();
    await incident(a1, 'verbal_abuse', at('09:40'), 'X');
    await incident(a2, 'sexual_harassment', at('09:50'), 'Y', 'after_warnings');
    await incident(a2, 'threat', at('09:55'), 'Z', 'emergency');
    await incident(a2, 'prank', at('09:58'), null);
    await incident(a1, 'prank', at('11:00', '2026-11-26'), 'Z'); // yesterday: not in today's report
    await t.deps.db
      .insertInto('protection_recoveries')
      .values([
        { id: crypto.randomUUID(), agent_id: a1, incident_id: corrected, kind: 'started', seconds: 600, at: at('09:10'), ends_at: at('09:20'), by_user: a1, reason: null },
        { id: crypto.randomUUID(), agent_id: a1, incident_id: null, kind: 'extended', seconds: 300, at: at('09:15'), ends_at: at('09:25'), by_user: sup.id, reason: '안정 필요' },
      ])
      .execute();
    await t.deps.db
      .insertInto('protection_requests')
      .values([
        { id: crypto.randomUUID(), agent_id: a1, incident_id: corrected, kind: 'counselling', status: 'done', note: null, outcome: null, created_at: at('09:20'), updated_at: at('09:40'), updated_by: sup.id },
        { id: crypto.randomUUID(), agent_id: a2, incident_id: null, kind: 'counselling', status: 'requested', note: null, outcome: null, created_at: at('09:56'), updated_at: at('09:56'), updated_by: a2 },
        { id: crypto.randomUUID(), agent_id: a2, incident_id: null, kind: 'legal_support', status: 'requested', note: null, outcome: null, created_at: at('09:57'), updated_at: at('09:57'), updated_by: a2 },
      ])
      .execute();
    await t.deps.db
      .insertInto('agent_breaks')
      .values([
        { id: crypto.randomUUID(), agent_id: a2, day: '2026-11-27', slot: '09:00', kind: 'break', minutes: 10, due_at: at('09:00'), status: 'taken', started_at: at('09:00'), ended_at: at('09:10'), updated_at: at('09:10') },
        { id: crypto.randomUUID(), agent_id: a2, day: '2026-11-27', slot: '09:30', kind: 'break', minutes: 10, due_at: at('09:30'), status: 'missed', started_at: null, ended_at: null, updated_at: at('10:00') },
      ])
      .execute();
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

  it('counts incidents by type (as corrected), hour, agent and caller flag, with 회복, 심리상담 and breaks', async () => {
    const res = await get(cookies.sup, '/api/stats/protection?period=day');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as ProtectionReport;
    expect(r.period).toMatchObject({ fromDay: '2026-11-27', toDay: '2026-11-27' });
    expect(r.totals).toEqual({ incidents: 5, emergencyEnds: 1, recoveryMinutes: 15, counsellingRequests: 2, counsellingDone: 1, breaksTaken: 1, breaksMissed: 1 });
    expect(r.byType).toEqual([
      { type: 'verbal_abuse', count: 1 },
      { type: 'sexual_harassment', count: 1 },
      { type: 'threat', count: 2 },
      { type: 'prank', count: 1 },
      { type: 'unreasonable_demand', count: 0 },
    ]);
    expect(r.byHour).toHaveLength(24);
    expect(r.byHour.filter((h) => h.count > 0)).toEqual([{ hour: 9, count: 5 }]);
    expect(r.byAgent).toEqual([
      { agentId: a2, agentName: '나상담', incidents: 3, recoveryMinutes: 0, counsellingRequests: 1, breaksTaken: 1, breaksMissed: 1 },
      { agentId: a1, agentName: '가상담', incidents: 2, recoveryMinutes: 15, counsellingRequests: 1, breaksTaken: 0, breaksMissed: 0 },
    ]);
    // X twice while flagged; Y after its flag was cleared; Z not flagged; one without a number.
    expect(r.byCallerFlag).toEqual({ flagged: 2, notFlagged: 2, unknownCaller: 1, repeatCallers: 1, repeatFlaggedCallers: 1 });

    const week = (await get(cookies.sup, '/api/stats/protection?period=week')).json() as ProtectionReport;
    expect(week.totals.incidents).toBe(6);
    expect(week.byCallerFlag.repeatCallers).toBe(2); // X today, Z yesterday and today
    const one = (await get(cookies.sup, `/api/stats/protection?period=day&agent=${a1}`)).json() as ProtectionReport;
    expect(one.byAgent.map((a) => a.agentId)).toEqual([a1]);
    expect(one.totals.incidents).toBe(2);
  });

  it('agents see their own only: another agent is 403 FORBIDDEN; bad periods 400; an unknown agent 404', async () => {
    const own = (await get(cookies.a2, '/api/stats/protection?period=day')).json() as ProtectionReport;
    expect(own.byAgent.map((a) => a.agentId)).toEqual([a2]);
    expect(own.totals.incidents).toBe(3);
    const other = await get(cookies.a2, `/api/stats/protection?period=day&agent=${a1}`);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN');
    expect((await get(cookies.a2, `/api/stats/protection/export?period=day&agent=${a1}&format=csv`)).statusCode).toBe(403);
    expect((await get(cookies.sup, '/api/stats/protection?period=custom&from=2026-11-27&to=2026-11-01')).statusCode).toBe(400);
    expect((await get(cookies.sup, '/api/stats/protection?period=day&date=2027-01-01')).statusCode).toBe(400);
    expect((await get(cookies.sup, '/api/stats/protection?period=day&bogus=1')).statusCode).toBe(400);
    expect((await get(cookies.sup, `/api/stats/protection?period=day&agent=${crypto.randomUUID()}`)).statusCode).toBe(404);
  });

  it('exports CSV (Korean headers) and XLSX like the other statistics', async () => {
    const csv = await get(cookies.sup, '/api/stats/protection/export?period=day&format=csv');
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('상담사 보호 통계');
    expect(csv.body).toContain('유형별');
    expect(csv.body).toContain('협박,2');
    expect(csv.body).toContain('나상담,3,0,1,1,1');
    const xlsx = await get(cookies.sup, '/api/stats/protection/export?period=day&format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
