import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { CallerConsent, HappyCallList, HappyCallOutcome, HappyCallSheet, Results } from '../../../core/contracts/surveys';
import { HAPPY_CALL_MAX_ATTEMPTS, HAPPY_CALL_RETRY_MINUTES } from '../../../core/domain/surveys';
import { SurveyScheduler } from '../../jobs/survey-scheduler';
import { buildConsentedCall, buildSurveyCentre, buildUser, SURVEY_EVERY_CALL as ALL, SURVEY_GOOD_ANSWERS as GOOD } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * 만족도 조사 전화 (happy calls, issue #15) and consent on the desk: a citizen who agreed, during the call, to be asked
 * by phone becomes a task on the desk; one agent takes it, reads the questionnaire, writes the answers down (checked
 * like the page's, stored with channel 'call', a low score's follow-up) or records 부재 / 거절. On SQLite and PostgreSQL.
 */
describe('happy calls and consent on the desk (issue #15)', () => {
  let t: TestContext;
  let chain: Awaited<ReturnType<typeof buildSurveyCentre>>['chain'];
  let scheduler: SurveyScheduler;
  let agentId = '';
  const cookie = { agent: '', other: '', super: '' };

  beforeAll(async () => {
    t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '1440' });
    t.clock.set('2026-12-07T00:30:00.000Z'); // 09:30 in Seoul
    ({ chain } = await buildSurveyCentre(t, 'hc-super'));
    agentId = (await buildUser(t.deps.db, { role: 'agent', login: 'hc-agent', name: '김상담' })).id;
    await buildUser(t.deps.db, { role: 'agent', login: 'hc-other', name: '이상담' });
    await signInAll();
    scheduler = new SurveyScheduler(t.deps);
  }, 60_000);
  afterAll(async () => {
    t.deps.messaging.email.close();
    await t.close();
  });

  const signInAll = async () => {
    cookie.agent = await t.signIn('hc-agent');
    cookie.other = await t.signIn('hc-other');
    cookie.super = await t.signIn('hc-super');
  };
  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: keyof typeof cookie, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookie[who] }, ...(payload ? { payload } : {}) });
  const minutes = (n: number) => t.clock.advance(n * 60_000);
  const invitationOf = (caseId: string) => t.deps.db.selectFrom('survey_invitations').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
  const list = async (who: keyof typeof cookie = 'agent') => (await inject('GET', '/api/surveys/calls', who)).json<HappyCallList>();

  /** A call: consent to be asked by phone recorded during it (by the interaction), then the case settled. */
  const consentedCall = (number: string) => buildConsentedCall(t, cookie.agent, chain.detail.id, number);

  it('consent during the call, read back on the desk; a case or a call, never both or neither; an unknown call is 404', async () => {
    const c: CallConnected = (await inject('POST', '/api/calls/simulate', 'agent', { callerNumber: '010-2100-0001' })).json();
    const before = (await inject('GET', `/api/surveys/consents?interactionId=${c.interaction.id}`, 'agent')).json<CallerConsent>();
    expect(before).toMatchObject({ recorded: false, surveys: false, optedOut: false, channel: null });
    const r = await inject('POST', '/api/surveys/consents', 'agent', { interactionId: c.interaction.id, surveys: true, polls: true, channel: 'call', district: '중앙동', ageBand: '40s' });
    expect(r.statusCode, r.body).toBe(200);
    const after = (await inject('GET', `/api/surveys/consents?interactionId=${c.interaction.id}`, 'agent')).json<CallerConsent>();
    expect(after).toMatchObject({ recorded: true, surveys: true, polls: true, channel: 'call', district: '중앙동', ageBand: '40s', optedOut: false });
    expect((await inject('POST', '/api/surveys/consents', 'agent', { surveys: true, polls: false, channel: 'sms' })).statusCode).toBe(400);
    const both = await inject('POST', '/api/surveys/consents', 'agent', { caseId: c.interaction.id, interactionId: c.interaction.id, surveys: true, polls: false, channel: 'sms' });
    expect(both.statusCode).toBe(400);
    expect((await inject('POST', '/api/surveys/consents', 'agent', { interactionId: '0190d9a8-0000-7000-8000-000000000000', surveys: true, polls: false, channel: 'sms' })).statusCode).toBe(404);
    // 수신 거부 on the desk: for ever, and a later consent does not undo it.
    expect((await inject('POST', '/api/surveys/caller-opt-outs', 'agent', { interactionId: c.interaction.id })).statusCode).toBe(204);
    const out = (await inject('GET', `/api/surveys/consents?interactionId=${c.interaction.id}`, 'agent')).json<CallerConsent>();
    expect(out).toMatchObject({ optedOut: true, surveys: false, polls: false });
    expect((await inject('POST', '/api/surveys/consents', 'agent', { interactionId: c.interaction.id, surveys: true, polls: true, channel: 'sms' })).json()).toEqual({ optedOut: true });
    // Officials do not record consent.
    expect((await t.app.inject({ method: 'GET', url: `/api/surveys/consents?interactionId=${c.interaction.id}` })).statusCode).toBe(401);
  });

  it('a happy call: listed when due, taken by one agent, the questionnaire read, answers checked and stored as a call, a low score followed up', async () => {
    const c = await consentedCall('010-2200-0001');
    await scheduler.tick();
    expect(await invitationOf(c.caseId)).toMatchObject({ channel: 'call', status: 'scheduled' });
    // Not before the delay.
    expect((await list()).items.find((x) => x.caseId === c.caseId)).toBeUndefined();
    minutes(31);
    await scheduler.tick();
    const owed = await list();
    const task = owed.items.find((x) => x.caseId === c.caseId)!;
    expect(owed.count).toBeGreaterThanOrEqual(1);
    expect(task).toMatchObject({ trigger: 'call', caseNumber: c.number, phone: '010-****-0001', attempts: 0, maxAttempts: HAPPY_CALL_MAX_ATTEMPTS, takenByMe: false, takenBy: null });
    // The scheduler's sender leaves it alone: no link goes out for a phone survey.
    expect(await invitationOf(c.caseId)).toMatchObject({ status: 'scheduled', token_hash: null });

    const taken = await inject('POST', `/api/surveys/calls/${task.id}/take`, 'agent');
    expect(taken.statusCode, taken.body).toBe(200);
    const sheet = taken.json<HappyCallSheet>();
    expect(sheet.takenByMe).toBe(true);
    expect(sheet.questions.map((q) => q.id)).toEqual(['kind', 'clear', 'resolved', 'overall', 'comment']);
    // Another agent: 409 while it is held, and he sees who holds it.
    const clash = await inject('POST', `/api/surveys/calls/${task.id}/take`, 'other');
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.message).toContain('김상담');
    expect((await list('other')).items.find((x) => x.id === task.id)).toMatchObject({ takenBy: '김상담', takenByMe: false });
    expect((await inject('POST', `/api/surveys/calls/${task.id}/answers`, 'other', { answers: GOOD })).statusCode).toBe(409);

    // Out of scale: 400 naming the question, nothing written.
    const bad = await inject('POST', `/api/surveys/calls/${task.id}/answers`, 'agent', { answers: { ...GOOD, overall: 6 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { problems: [{ questionId: 'overall' }] } } });
    const ok = await inject('POST', `/api/surveys/calls/${task.id}/answers`, 'agent', { answers: { kind: 2, clear: 2, resolved: false, overall: 1, comment: '다시 전화 주세요 010-1234-5678' } });
    expect(ok.statusCode, ok.body).toBe(204);
    const inv = await invitationOf(c.caseId);
    expect(inv).toMatchObject({ status: 'answered', call_attempts: 1 });
    const response = await t.deps.db.selectFrom('survey_responses').selectAll().where('invitation_id', '=', inv.id).executeTakeFirstOrThrow();
    expect(response).toMatchObject({ channel: 'call', recorded_by: agentId, csat: 1, resolved: 0 });
    expect(response.comment).not.toContain('1234-5678');
    const followUp = await t.deps.db.selectFrom('survey_followups').selectAll().where('invitation_id', '=', inv.id).executeTakeFirstOrThrow();
    expect(followUp).toMatchObject({ case_id: c.caseId, reason: '전반적 만족도 1점', status: 'open' });
    // Once only.
    const again = await inject('POST', `/api/surveys/calls/${task.id}/answers`, 'agent', { answers: GOOD });
    expect(again.statusCode).toBe(410);
    expect((await list()).items.find((x) => x.id === task.id)).toBeUndefined();
    // Listing shows citizens' masked numbers: recorded.
    const records = await t.deps.db.selectFrom('access_records').select('target').where('target', 'like', 'happy-call%').execute();
    expect(records.length).toBeGreaterThan(0);
  });

  it('부재 is tried again after the retry time and closed after the last try (both 조사 설정); 거절 closes at once; both count as asked', async () => {
    // Not the defaults (3 tries, 60 minutes): the centre's settings rule.
    const TRIES = HAPPY_CALL_MAX_ATTEMPTS + 1;
    const SPACING = HAPPY_CALL_RETRY_MINUTES / 4;
    expect((await inject('PUT', '/api/surveys/settings', 'super', { ...ALL, happyCallMaxAttempts: TRIES, happyCallRetryMinutes: SPACING })).statusCode).toBe(200);
    const c = await consentedCall('010-2300-0001');
    const r = await consentedCall('010-2300-0002');
    minutes(31);
    await scheduler.tick();
    const id = (await invitationOf(c.caseId)).id;
    for (let attempt = 1; attempt <= TRIES; attempt++) {
      expect((await inject('POST', `/api/surveys/calls/${id}/take`, 'agent')).statusCode).toBe(200);
      const outcome = await inject('POST', `/api/surveys/calls/${id}/outcome`, 'agent', { outcome: 'no_answer' });
      expect(outcome.statusCode, outcome.body).toBe(200);
      const step = outcome.json<HappyCallOutcome>();
      expect(step).toMatchObject({ attempts: attempt, status: attempt < TRIES ? 'retry' : 'closed' });
      if (attempt < TRIES) {
        // Off the list until the next try; taking it early is refused.
        expect((await list()).items.find((x) => x.id === id)).toBeUndefined();
        expect((await inject('POST', `/api/surveys/calls/${id}/take`, 'agent')).statusCode).toBe(410);
        minutes(SPACING - 1);
        expect((await list()).items.find((x) => x.id === id)).toBeUndefined();
        minutes(1);
        expect((await list()).items.find((x) => x.id === id)).toMatchObject({ attempts: attempt, maxAttempts: TRIES });
      }
    }
    expect(await invitationOf(c.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'no_answer', call_attempts: TRIES });
    expect((await inject('PUT', '/api/surveys/settings', 'super', ALL)).statusCode).toBe(200);
    expect((await inject('POST', `/api/surveys/calls/${id}/take`, 'agent')).statusCode).toBe(410);

    const refusedId = (await invitationOf(r.caseId)).id;
    // An outcome without taking the call first is refused.
    expect((await inject('POST', `/api/surveys/calls/${refusedId}/outcome`, 'agent', { outcome: 'refused' })).statusCode).toBe(409);
    expect((await inject('POST', `/api/surveys/calls/${refusedId}/take`, 'other')).statusCode).toBe(200);
    expect((await inject('POST', `/api/surveys/calls/${refusedId}/outcome`, 'other', { outcome: 'refused' })).json()).toEqual({ status: 'closed', attempts: 1, nextAttemptAt: null });
    expect(await invitationOf(r.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'refused' });
    expect((await inject('POST', `/api/surveys/calls/${refusedId}/outcome`, 'other', { outcome: 'no_answer' })).statusCode).toBe(410);

    // Results of the day: the answered call, the 부재 and the 거절 were all asked; one answered.
    const results: Results = (await inject('GET', '/api/surveys/results?from=2026-12-07&to=2026-12-07&groupBy=trigger', 'super')).json();
    expect(results.total).toMatchObject({ invited: 3, answered: 1 });
    expect(results.total.responseRate).toBeCloseTo(1 / 3, 5);
  });

  it('an opt-out after scheduling closes the task when it is taken; a call nobody made expires with the link time', async () => {
    await signInAll();
    const c = await consentedCall('010-2400-0001');
    const late = await consentedCall('010-2400-0002');
    minutes(31);
    await scheduler.tick();
    expect((await inject('POST', '/api/surveys/caller-opt-outs', 'agent', { caseId: c.caseId })).statusCode).toBe(204);
    const id = (await invitationOf(c.caseId)).id;
    const taken = await inject('POST', `/api/surveys/calls/${id}/take`, 'agent');
    expect(taken.statusCode).toBe(410);
    expect(await invitationOf(c.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });

    expect((await list()).items.find((x) => x.caseId === late.caseId)).toBeDefined();
    t.clock.advance(72 * 3_600_000);
    await signInAll();
    expect((await list()).items.find((x) => x.caseId === late.caseId)).toBeUndefined();
    expect((await scheduler.tick())!.expiredCalls).toBeGreaterThanOrEqual(1);
    expect(await invitationOf(late.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'expired' });
  });
});
