import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrentHappyCall, HappyCallList, HappyCallOutcome } from '../../../core/contracts/surveys';
import { HAPPY_CALL_QUEUE_NAME } from '../../../core/domain/surveys';
import { buildApp } from '../../app';
import { createAppDeps } from '../../deps';
import { SurveyScheduler } from '../../jobs/survey-scheduler';
import { buildConsentedCall, buildSurveyCentre, buildUser, SURVEY_GOOD_ANSWERS as GOOD } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * 만족도 조사 전화 offered by the ACD (issue #15), on SQLite and PostgreSQL: a due happy call is queued on the outbound
 * queue 만족도 조사 전화 and offered to an available agent like a call (the simulator phone system dials the citizen);
 * the agent who answers the offer gets the questionnaire (consent checked again) and writes down the answers, 부재 or
 * 거절 as from the list. A try nobody reported counts as 부재; calls whose survey is over or whose citizen opted out are
 * taken back from the line; a queue turned off leaves happy calls to the list. Fake clock: Monday 2026-12-07 10:00 KST.
 */
describe('happy calls offered to agents by the ACD (만족도 조사 전화)', () => {
  let t: TestContext;
  let chain: Awaited<ReturnType<typeof buildSurveyCentre>>['chain'];
  let scheduler: SurveyScheduler;
  const ids = { agent: '', other: '' };
  const cookie = { agent: '', other: '', super: '' };

  beforeAll(async () => {
    t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '1440' });
    t.clock.set('2026-12-07T01:00:00.000Z');
    ({ chain, superCookie: cookie.super } = await buildSurveyCentre(t, 'hco-super'));
    ids.agent = (await buildUser(t.deps.db, { role: 'agent', login: 'hco-agent', name: '김상담' })).id;
    ids.other = (await buildUser(t.deps.db, { role: 'agent', login: 'hco-other', name: '이상담' })).id;
    cookie.agent = await t.signIn('hco-agent');
    cookie.other = await t.signIn('hco-other');
    scheduler = new SurveyScheduler(t.deps);
  }, 60_000);
  afterAll(async () => {
    t.deps.messaging.email.close();
    await t.close();
  });

  const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, who: keyof typeof cookie, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookie[who] }, ...(payload ? { payload } : {}) });
  const minutes = (n: number) => t.clock.advance(n * 60_000);
  const acd = () => t.app.acd;
  const tick = () => t.app.happyCallOffers.tick();
  const invitationOf = (caseId: string) => t.deps.db.selectFrom('survey_invitations').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
  const current = async (who: 'agent' | 'other' = 'agent') => {
    const res = await inject('GET', '/api/surveys/calls/current', who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<CurrentHappyCall>().sheet;
  };
  const list = async () => (await inject('GET', '/api/surveys/calls', 'agent')).json<HappyCallList>();

  /** A call with consent to be asked by phone, settled by the agent, and its happy call due (the delay passed). */
  async function dueHappyCall(number: string): Promise<{ caseId: string; id: string }> {
    const { caseId } = await buildConsentedCall(t, cookie.agent, chain.detail.id, number);
    await scheduler.tick();
    minutes(31);
    return { caseId, id: (await invitationOf(caseId)).id };
  }

  /** The agent answers the happy call the ACD offers him (the phone system has dialled the citizen); its contact id. */
  async function answerOffer(agentId: string): Promise<string> {
    const offer = acd().deskState(agentId).offer;
    expect(offer?.contact).toMatchObject({ kind: 'callback', queueName: HAPPY_CALL_QUEUE_NAME });
    await acd().answer(agentId, offer!.contact.id);
    return offer!.contact.id;
  }

  async function finishCall(agentId: string, contactId: string) {
    await acd().hangUp(agentId, contactId);
    await acd().endWrapUp(agentId);
  }

  it('queues a due happy call on 만족도 조사 전화, offers it to the next available agent, and the answered offer opens the questionnaire', async () => {
    const h = await dueHappyCall('010-4100-0001');
    expect(await tick()).toEqual({ queued: 1, withdrawn: 0, unreported: 0, skipped: 0 });
    // Nobody is available: it waits in line; a second tick does not queue it twice.
    expect(acd().waitingContacts()).toMatchObject([{ kind: 'callback', queueName: HAPPY_CALL_QUEUE_NAME, callerNumber: '010-****-0001' }]);
    expect(await tick()).toEqual({ queued: 0, withdrawn: 0, unreported: 0, skipped: 0 });
    // The list still shows it (a supervisor's view of what is owed), as queued: nobody takes it from there.
    expect((await list()).items.find((x) => x.id === h.id)).toMatchObject({ queued: true, takenBy: null });
    const fromList = await inject('POST', `/api/surveys/calls/${h.id}/take`, 'other');
    expect(fromList.statusCode).toBe(409);
    expect(fromList.json().error.message).toContain('대기열');

    await acd().setAgentState(ids.agent, { status: 'available' });
    const offer = acd().deskState(ids.agent).offer!;
    expect(offer.contact).toMatchObject({ kind: 'callback', status: 'reserved', queueName: HAPPY_CALL_QUEUE_NAME });
    expect(offer.callbackNumber).toBe('010-****-0001');
    // The phone system dials the citizen for the agent.
    expect(acd().simulator.commands.at(-1)).toMatchObject({ type: 'dial_callback', agentId: ids.agent, number: '+821041000001' });
    // While it only rings there is no questionnaire yet.
    expect(await current()).toBeNull();

    const contactId = await answerOffer(ids.agent);
    const sheet = await current();
    expect(sheet).toMatchObject({ id: h.id, takenByMe: true, attempts: 0, phone: '010-****-0001' });
    expect(sheet!.questions.map((q) => q.id)).toEqual(['kind', 'clear', 'resolved', 'overall', 'comment']);
    // Another agent's desk has none, and cannot take it from the list or answer it.
    expect(await current('other')).toBeNull();
    expect((await inject('POST', `/api/surveys/calls/${h.id}/take`, 'other')).statusCode).toBe(409);
    expect((await inject('POST', `/api/surveys/calls/${h.id}/answers`, 'other', { answers: GOOD })).statusCode).toBe(409);

    const ok = await inject('POST', `/api/surveys/calls/${h.id}/answers`, 'agent', { answers: GOOD });
    expect(ok.statusCode, ok.body).toBe(204);
    expect(await invitationOf(h.caseId)).toMatchObject({ status: 'answered', call_attempts: 1, contact_id: contactId });
    const response = await t.deps.db.selectFrom('survey_responses').selectAll().where('invitation_id', '=', h.id).executeTakeFirstOrThrow();
    expect(response).toMatchObject({ channel: 'call', recorded_by: ids.agent, csat: 5 });
    expect(await current()).toBeNull();
    await finishCall(ids.agent, contactId);
    expect(await tick()).toEqual({ queued: 0, withdrawn: 0, unreported: 0, skipped: 0 });
    await acd().setAgentState(ids.agent, { status: 'not_ready', reason: 'break' });
  });

  it('부재 is offered again after the retry wait and closed after the last try; a try nobody reported counts as 부재', async () => {
    const h = await dueHappyCall('010-4200-0001');
    await acd().setAgentState(ids.agent, { status: 'available' });
    expect((await tick()).queued).toBe(1);

    // Try 1: answered, 부재 written down.
    let contactId = await answerOffer(ids.agent);
    expect(await current()).toMatchObject({ id: h.id, attempts: 0 });
    const first = await inject('POST', `/api/surveys/calls/${h.id}/outcome`, 'agent', { outcome: 'no_answer' });
    expect(first.json<HappyCallOutcome>()).toMatchObject({ status: 'retry', attempts: 1 });
    await finishCall(ids.agent, contactId);
    // Not before its time.
    minutes(59);
    expect((await tick()).queued).toBe(0);
    minutes(1);
    expect((await tick()).queued).toBe(1);

    // Try 2: answered, then the agent finishes without writing anything: counted as 부재 once the ACD lets it go.
    contactId = await answerOffer(ids.agent);
    expect(await current()).toMatchObject({ id: h.id, attempts: 1 });
    await acd().hangUp(ids.agent, contactId);
    // In wrap-up the questionnaire is still his.
    expect(await current()).toMatchObject({ id: h.id });
    expect((await tick()).unreported).toBe(0);
    await acd().endWrapUp(ids.agent);
    expect(await tick()).toEqual({ queued: 0, withdrawn: 0, unreported: 1, skipped: 0 });
    expect(await invitationOf(h.caseId)).toMatchObject({ status: 'scheduled', call_attempts: 2, contact_id: null, claimed_by: null });

    // Try 3, the last: 부재 closes it.
    minutes(60);
    expect((await tick()).queued).toBe(1);
    contactId = await answerOffer(ids.agent);
    expect(await current()).toMatchObject({ id: h.id, attempts: 2 });
    const last = await inject('POST', `/api/surveys/calls/${h.id}/outcome`, 'agent', { outcome: 'no_answer' });
    expect(last.json<HappyCallOutcome>()).toEqual({ status: 'closed', attempts: 3, nextAttemptAt: null });
    await finishCall(ids.agent, contactId);
    minutes(120);
    expect(await tick()).toEqual({ queued: 0, withdrawn: 0, unreported: 0, skipped: 0 });
    expect(await invitationOf(h.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'no_answer', call_attempts: 3 });
    await acd().setAgentState(ids.agent, { status: 'not_ready', reason: 'break' });
  });

  it('an opt-out takes the call back from the line; consent withdrawn after the offer closes it when answered; an expired one is taken back', async () => {
    const out = await dueHappyCall('010-4300-0001');
    expect((await tick()).queued).toBe(1);
    expect((await inject('POST', '/api/surveys/caller-opt-outs', 'agent', { caseId: out.caseId })).statusCode).toBe(204);
    expect(await tick()).toMatchObject({ withdrawn: 1 });
    expect(acd().waitingContacts()).toEqual([]);
    expect(await invitationOf(out.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });

    // Offered and answered, then the citizen's consent is gone (withdrawn on another call): 410, closed.
    const withdrawn = await dueHappyCall('010-4300-0002');
    await acd().setAgentState(ids.other, { status: 'available' });
    expect((await tick()).queued).toBe(1);
    const contactId = await answerOffer(ids.other);
    await t.deps.db.updateTable('survey_consents').set({ surveys: 0 }).where('phone_index', '=', (await invitationOf(withdrawn.caseId)).phone_index).execute();
    const res = await inject('GET', '/api/surveys/calls/current', 'other');
    expect(res.statusCode).toBe(410);
    expect(await invitationOf(withdrawn.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'no_consent' });
    await finishCall(ids.other, contactId);
    expect(await tick()).toEqual({ queued: 0, withdrawn: 0, unreported: 0, skipped: 0 });
    await acd().setAgentState(ids.other, { status: 'not_ready', reason: 'break' });

    // Nobody takes it within the link time: it expires and leaves the line.
    const late = await dueHappyCall('010-4300-0003');
    expect((await tick()).queued).toBe(1);
    t.clock.advance(72 * 3_600_000);
    cookie.agent = await t.signIn('hco-agent');
    cookie.super = await t.signIn('hco-super');
    cookie.other = await t.signIn('hco-other');
    await scheduler.tick();
    expect(await invitationOf(late.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'expired' });
    expect(await tick()).toMatchObject({ withdrawn: 1 });
    expect(acd().waitingContacts()).toEqual([]);
  });

  it('with the 만족도 조사 전화 queue turned off nothing is queued: happy calls are taken from the list', async () => {
    const queue = await t.deps.db.selectFrom('acd_queues').select(['id', 'code']).where('code', '=', 'HAPPY_CALL').executeTakeFirstOrThrow();
    await t.deps.db.updateTable('acd_queues').set({ is_active: 0 }).where('id', '=', queue.id).execute();
    await acd().reloadConfig();
    const h = await dueHappyCall('010-4400-0001');
    expect(await tick()).toEqual({ queued: 0, withdrawn: 0, unreported: 0, skipped: 0 });
    expect((await list()).items.find((x) => x.id === h.id)).toMatchObject({ queued: false });
    expect((await inject('POST', `/api/surveys/calls/${h.id}/take`, 'agent')).statusCode).toBe(200);
    // Taken from the list: not queued while he holds it, even with the queue back on.
    await t.deps.db.updateTable('acd_queues').set({ is_active: 1 }).where('id', '=', queue.id).execute();
    await acd().reloadConfig();
    expect((await tick()).queued).toBe(0);
    expect((await inject('POST', `/api/surveys/calls/${h.id}/answers`, 'agent', { answers: GOOD })).statusCode).toBe(204);
  });

  it('a restart (a new app on the same database) keeps the queued happy call once, in line, and offers it', async () => {
    const h = await dueHappyCall('010-4500-0001');
    expect((await tick()).queued).toBe(1);
    const contactId = (await invitationOf(h.caseId)).contact_id;
    expect(contactId).not.toBeNull();

    const deps2 = createAppDeps(t.deps.config, t.handle, t.clock, t.deps.vault);
    const app2 = await buildApp(deps2, { logger: false });
    await app2.ready();
    try {
      expect(await app2.happyCallOffers.tick()).toEqual({ queued: 0, withdrawn: 0, unreported: 0, skipped: 0 });
      expect(app2.acd.waitingContacts().filter((c) => c.queueName === HAPPY_CALL_QUEUE_NAME).map((c) => c.id)).toEqual([contactId]);
      await app2.acd.setAgentState(ids.agent, { status: 'available' });
      expect(app2.acd.deskState(ids.agent).offer?.contact.id).toBe(contactId);
    } finally {
      deps2.messaging.email.close();
      await app2.close();
    }
  });
});
