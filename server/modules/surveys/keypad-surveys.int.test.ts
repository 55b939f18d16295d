import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { RecordCaseResult } from '../../../core/contracts/cases';
import type { Results } from '../../../core/contracts/surveys';
import type { TelephonyCommand } from '../../../core/contracts/telephony';
import { SurveyScheduler } from '../../jobs/survey-scheduler';
import { KeypadSurveys } from './keypad-surveys.service';
import { buildSurveyCentre, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

type Prompt = Extract<TelephonyCommand, { type: 'collect_digits' }>;

/**
 * 만족도 조사 by keypad (ARS, issue #15 §1): a citizen who agreed to the keypad survey is called after the settled call
 * through the ACD's telephony port (the simulator adapter here), asked one question at a time with `collect_digits`,
 * and answers with keys (`digits_collected`). On SQLite and PostgreSQL.
 */
describe('keypad surveys through the ACD and the simulator adapter (issue #15)', () => {
  let t: TestContext;
  let chain: Awaited<ReturnType<typeof buildSurveyCentre>>['chain'];
  let scheduler: SurveyScheduler;
  const cookie = { agent: '', super: '' };

  beforeAll(async () => {
    t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '1440' });
    t.clock.set('2026-12-08T00:30:00.000Z'); // 09:30 in Seoul
    ({ chain, superCookie: cookie.super } = await buildSurveyCentre(t, 'kp-super'));
    await buildUser(t.deps.db, { role: 'agent', login: 'kp-agent', name: '김상담' });
    cookie.agent = await t.signIn('kp-agent');
    scheduler = new SurveyScheduler(t.deps, (err) => {
      throw err;
    }, t.app.keypadSurveys);
  }, 60_000);
  afterAll(async () => {
    t.deps.messaging.email.close();
    await t.close();
  });

  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: keyof typeof cookie, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookie[who] }, ...(payload ? { payload } : {}) });
  const sim = () => t.app.acd.simulator;
  const invitationOf = (caseId: string) => t.deps.db.selectFrom('survey_invitations').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
  const responseOf = (invitationId: string) => t.deps.db.selectFrom('survey_responses').selectAll().where('invitation_id', '=', invitationId).execute();
  const promptOf = (callId: string): Prompt | undefined => sim().pendingPrompts().find((p) => p.callId === callId);
  const commandsOf = (callId: string) => sim().commands.filter((c) => 'callId' in c && c.callId === callId);

  /** A settled call whose caller agreed to the keypad survey, then the scheduler after the delay: the survey call is placed. */
  async function surveyCall(number: string): Promise<{ c: RecordCaseResult; callId: string }> {
    const call: CallConnected = (await inject('POST', '/api/calls/simulate', 'agent', { callerNumber: number })).json();
    const consent = await inject('POST', '/api/surveys/consents', 'agent', { interactionId: call.interaction.id, surveys: true, polls: false, channel: 'keypad' });
    expect(consent.statusCode, consent.body).toBe(200);
    const res = await inject('POST', '/api/cases', 'agent', { interactionId: call.interaction.id, categoryId: chain.detail.id, summary: '자동차세 연납 문의', outcome: 'resolved' });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json<RecordCaseResult>();
    await scheduler.tick();
    expect(await invitationOf(c.caseId)).toMatchObject({ channel: 'keypad', status: 'scheduled' });
    t.clock.advance(31 * 60_000);
    expect((await scheduler.tick())!.keypad).toMatchObject({ called: 1 });
    const inv = await invitationOf(c.caseId);
    expect(inv).toMatchObject({ status: 'sent', keypad_call_id: `survey-${inv.id}` });
    return { c, callId: inv.keypad_call_id! };
  }
  /** The citizen presses `keys` for the prompt waiting on `callId` (it must be waiting). */
  const press = async (callId: string, keys: string | null | 'hang_up') => {
    expect(promptOf(callId), `a prompt waits on ${callId}`).toBeDefined();
    return sim().pressKeys(callId, keys);
  };

  it('asks each keypad question in turn and stores the answers once, as a keypad response of the named overall question', async () => {
    const { c, callId } = await surveyCall('010-4100-0001');
    const first = promptOf(callId)!;
    expect(first).toMatchObject({ number: '+821041000001', min: 1, max: 5, maxDigits: 1, again: false });
    expect(first.intro).toContain('민원콜센터');
    expect(first.prompt).toContain('친절');
    // 친절성 4, 정확성 5, 해결 여부 1 (예), 전반적 만족도 2; the free-text question is not asked by keypad.
    for (const keys of ['4', '5', '1']) expect((await press(callId, keys)).outcome).toBe('applied');
    expect(promptOf(callId)!.prompt).toContain('전반적으로');
    await press(callId, '2');
    expect(promptOf(callId)).toBeUndefined();
    const inv = await invitationOf(c.caseId);
    expect(inv.status).toBe('answered');
    const [response] = await responseOf(inv.id);
    expect(response).toMatchObject({ channel: 'keypad', csat: 2, resolved: 1, recorded_by: null });
    expect(JSON.parse(response!.answers)).toEqual({ kind: 4, clear: 5, resolved: true, overall: 2 });
    // A low overall score opens the supervisors' follow-up, as on every channel.
    expect(await t.deps.db.selectFrom('survey_followups').select('reason').where('invitation_id', '=', inv.id).execute()).toEqual([{ reason: '전반적 만족도 2점' }]);
    // The call is ended by OneCall; a late repeat of the keys is ignored and stores nothing.
    expect(commandsOf(callId).at(-1)).toMatchObject({ type: 'hang_up' });
    expect(sim().isLive(callId)).toBe(false);
    expect((await sim().pressKeys(callId, '5')).outcome).toBe('ignored');
    expect(await responseOf(inv.id)).toHaveLength(1);
  });

  it('a key off the scale is asked once more; a second miss ends the call with nothing stored', async () => {
    const { c, callId } = await surveyCall('010-4100-0002');
    await press(callId, '7');
    const again = promptOf(callId)!;
    expect(again).toMatchObject({ again: true, min: 1, max: 5 });
    expect(again.prompt).toContain('다시');
    expect(again.prompt).toContain('친절');
    await press(callId, '3'); // taken on the second asking
    expect(promptOf(callId)).toMatchObject({ again: false });
    expect(promptOf(callId)!.prompt).toContain('정확');
    await press(callId, '0');
    expect(promptOf(callId)).toMatchObject({ again: true });
    await press(callId, null); // nothing pressed in time: the second miss
    expect(promptOf(callId)).toBeUndefined();
    const inv = await invitationOf(c.caseId);
    expect(inv).toMatchObject({ status: 'skipped', skip_reason: 'keypad_invalid' });
    expect(await responseOf(inv.id)).toEqual([]);
    expect(commandsOf(callId).at(-1)).toMatchObject({ type: 'hang_up' });
  });

  it('a citizen who hangs up leaves no response and counts as asked, not answered', async () => {
    const { c, callId } = await surveyCall('010-4100-0003');
    await press(callId, '5');
    expect((await press(callId, 'hang_up')).outcome).toBe('applied');
    const inv = await invitationOf(c.caseId);
    expect(inv).toMatchObject({ status: 'skipped', skip_reason: 'hung_up' });
    expect(await responseOf(inv.id)).toEqual([]);
    // The results count the three keypad surveys so far: asked 3, answered 1.
    const results = (await inject('GET', '/api/surveys/results?from=2026-12-08&to=2026-12-08&groupBy=trigger', 'super')).json<Results>();
    expect(results.total).toMatchObject({ invited: 3, answered: 1 });
  });

  it('the seeded simulated citizen answers through the port: every stored answer is on its scale', async () => {
    const calls: Array<{ caseId: string }> = [];
    for (let i = 0; i < 6; i++) calls.push((await surveyCall(`010-4200-00${String(i).padStart(2, '0')}`)).c);
    // Each round answers every waiting prompt; a finished or stopped survey asks nothing more.
    for (let round = 0; round < 12 && sim().pendingPrompts().length > 0; round++) await sim().answerPrompts();
    expect(sim().pendingPrompts()).toEqual([]);
    for (const c of calls) {
      const inv = await invitationOf(c.caseId);
      expect(['answered', 'skipped']).toContain(inv.status);
      for (const r of await responseOf(inv.id)) {
        const a = JSON.parse(r.answers) as Record<string, number | boolean>;
        for (const id of ['kind', 'clear', 'overall']) {
          expect(a[id]).toBeGreaterThanOrEqual(1);
          expect(a[id]).toBeLessThanOrEqual(5);
        }
        expect(typeof a.resolved).toBe('boolean');
      }
    }
    expect((await Promise.all(calls.map((c) => invitationOf(c.caseId)))).some((inv) => inv.status === 'answered')).toBe(true);
  });

  it('consent withdrawn before the survey call: no call is placed', async () => {
    const call: CallConnected = (await inject('POST', '/api/calls/simulate', 'agent', { callerNumber: '010-4300-0001' })).json();
    await inject('POST', '/api/surveys/consents', 'agent', { interactionId: call.interaction.id, surveys: true, polls: false, channel: 'keypad' });
    const c = (await inject('POST', '/api/cases', 'agent', { interactionId: call.interaction.id, categoryId: chain.detail.id, summary: '문의', outcome: 'resolved' })).json<RecordCaseResult>();
    await scheduler.tick();
    expect((await inject('POST', '/api/surveys/caller-opt-outs', 'agent', { caseId: c.caseId })).statusCode).toBe(204);
    t.clock.advance(31 * 60_000);
    expect((await scheduler.tick())!.keypad).toMatchObject({ called: 0, skipped: 1 });
    expect(await invitationOf(c.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });
  });

  it('in a demo on the simulator the scheduler lets its seeded citizens answer, one key a tick; tests and real phone systems press their own', async () => {
    const { c, callId } = await surveyCall('010-4400-0001');
    // The test app (NODE_ENV=test) has no simulated citizens: the prompt waits for the test's keys.
    expect(await t.app.keypadSurveys.answerSimulatedCitizens()).toBe(0);
    expect(promptOf(callId)).toBeDefined();
    // As keypad-surveys.plugin.ts makes them for a demo: the same phone system, its seeded citizen answering.
    const demo = new SurveyScheduler(t.deps, (err) => {
      throw err;
    }, new KeypadSurveys(t.deps, t.app.acd, 'simulator', sim()));
    for (let tick = 0; tick < 12 && promptOf(callId); tick++) await demo.tick();
    expect(promptOf(callId)).toBeUndefined();
    const inv = await invitationOf(c.caseId);
    // The seeded citizen (the same seed each run) answers this one on the scale.
    expect(inv.status).toBe('answered');
    expect(await responseOf(inv.id)).toHaveLength(1);
  });
});
