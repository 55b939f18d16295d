import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { RecordCaseResult } from '../../../core/contracts/cases';
import type { Poll, PublicSurvey, Results, Template } from '../../../core/contracts/surveys';
import { buildSurveyCentre, buildUser, SURVEY_GOOD_ANSWERS } from '../../test/factories';
import { readMail, startSmsSink, startSmtpSink } from '../../test/message-sinks';
import { createTestContext, type TestContext } from '../../test/test-app';
import { drainOutbox } from '../notifications/outbox-worker';
import { runRetention } from '../retention/retention.service';
import { SurveyScheduler } from '../../jobs/survey-scheduler';
import { hashToken } from './surveys.service';

const SECRET = 'sms-gateway-secret-0123';
const GOOD = { ...SURVEY_GOOD_ANSWERS, comment: '친절했습니다' };

describe('satisfaction surveys and policy polls (issue #15)', () => {
  let t: TestContext;
  let sms: Awaited<ReturnType<typeof startSmsSink>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let chain: Awaited<ReturnType<typeof buildSurveyCentre>>['chain'];
  let scheduler: SurveyScheduler;
  const cookie = { agent: '', official: '', super: '' };

  beforeAll(async () => {
    let clockMs = () => Date.now();
    sms = await startSmsSink(SECRET, () => clockMs());
    smtp = await startSmtpSink();
    t = await createTestContext({
      IDLE_TIMEOUT_MINUTES: '1440',
      SMS_GATEWAY_URL: sms.url,
      SMS_GATEWAY_SECRET: SECRET,
      SMS_SENDER: '1588-0120',
      SMTP_URL: smtp.url,
      MAIL_FROM: '한빛시 민원콜센터 <noreply@hanbit.example>',
      PUBLIC_URL: 'https://onecall.hanbit.example/',
    });
    clockMs = () => t.clock.now().getTime();
    const centre = await buildSurveyCentre(t, 's-super', { quietDays: 30 });
    chain = centre.chain;
    cookie.super = centre.superCookie;
    await buildUser(t.deps.db, { role: 'agent', login: 's-agent', name: '김상담' });
    await buildUser(t.deps.db, { role: 'official', login: 's-official', departmentId: centre.department.id });
    cookie.agent = await t.signIn('s-agent');
    cookie.official = await t.signIn('s-official');
    scheduler = new SurveyScheduler(t.deps);
  }, 60_000);
  afterAll(async () => {
    t.deps.messaging.email.close();
    await t.close();
    await sms.close();
    await smtp.close();
  });

  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: keyof typeof cookie | null, payload?: object) =>
    t.app.inject({ method, url, headers: who ? { cookie: cookie[who] } : {}, ...(payload ? { payload } : {}) });
  const minutes = (n: number) => t.clock.advance(n * 60_000);
  /** Moves the fake clock to another day; sessions older than a day are gone, so everyone signs in again. */
  const setDay = async (at: string) => {
    t.clock.set(at);
    cookie.agent = await t.signIn('s-agent');
    cookie.official = await t.signIn('s-official');
    cookie.super = await t.signIn('s-super');
  };
  const run = async () => {
    const r = await scheduler.tick();
    await drainOutbox(t.deps, t.clock.now());
    return r!;
  };
  const invitationOf = (caseId: string) => t.deps.db.selectFrom('survey_invitations').selectAll().where('case_id', '=', caseId).executeTakeFirst();

  async function call(number: string, outcome: 'resolved' | 'handed_off' = 'resolved') {
    const c: CallConnected = (await inject('POST', '/api/calls/simulate', 'agent', { callerNumber: number })).json();
    const res = await inject('POST', '/api/cases', 'agent', { interactionId: c.interaction.id, categoryId: chain.detail.id, summary: '자동차세 연납 문의', outcome });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<RecordCaseResult>();
  }
  const consent = (caseId: string, body: object = {}) => inject('POST', '/api/surveys/consents', 'agent', { caseId, surveys: true, polls: false, channel: 'sms', ...body });
  const tokenOfSms = () => /\/s\/([A-Za-z0-9_-]{32})/.exec(sms.received.at(-1)!.body.text)![1]!;

  it('seeds versioned Korean templates; publishing an edit makes a new version and leaves the old one as it was', async () => {
    const list: Template[] = (await inject('GET', '/api/surveys/templates', 'super')).json();
    const v1 = list.find((x) => x.key === 'call')!;
    expect(v1).toMatchObject({ version: 1, isCurrent: true, title: '민원콜센터 상담 만족도 조사', overallQuestionId: 'overall' });
    expect(list.find((x) => x.key === 'poll-sample')!.overallQuestionId).toBeNull();
    const body = { key: 'call', title: v1.title, intro: v1.intro, audience: 'survey', overallQuestionId: 'overall' };
    const res = await inject('POST', '/api/surveys/templates', 'super', { ...body, questions: [...v1.questions.slice(0, 4)] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Template>()).toMatchObject({ version: 2, isCurrent: true, overallQuestionId: 'overall' });
    const after: Template[] = (await inject('GET', '/api/surveys/templates', 'super')).json();
    expect(after.find((x) => x.id === v1.id)).toMatchObject({ version: 1, isCurrent: false, questions: v1.questions });
    // A choice question without options is refused with a reason.
    const bad = await inject('POST', '/api/surveys/templates', 'super', { key: 'x1', title: 't', intro: '', audience: 'survey', questions: [{ id: 'a', type: 'single', text: '?', required: true }] });
    expect(bad.statusCode).toBe(400);
    // Back to the full questionnaire (version 3) for the rest.
    expect((await inject('POST', '/api/surveys/templates', 'super', { ...body, questions: v1.questions })).statusCode).toBe(201);
  });

  it('a survey names its overall question: none → 422 SURVEY_OVERALL_QUESTION_MISSING; not a 1–5 question of its own → 400; a poll names none', async () => {
    const v = (await inject('GET', '/api/surveys/templates', 'super')).json<Template[]>().find((x) => x.key === 'call' && x.isCurrent)!;
    const body = { key: 'call', title: v.title, intro: v.intro, audience: 'survey', questions: v.questions };
    for (const missing of [body, { ...body, overallQuestionId: null }]) {
      const r = await inject('POST', '/api/surveys/templates', 'super', missing);
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json()).toMatchObject({ error: { code: 'SURVEY_OVERALL_QUESTION_MISSING', details: { field: 'overallQuestionId' } } });
    }
    for (const wrong of ['resolved', 'comment', 'nope']) {
      const r = await inject('POST', '/api/surveys/templates', 'super', { ...body, overallQuestionId: wrong });
      expect(r.statusCode, `${wrong}: ${r.body}`).toBe(400);
      expect(r.json().error.code).toBe('VALIDATION_FAILED');
    }
    const poll = (await inject('GET', '/api/surveys/templates', 'super')).json<Template[]>().find((x) => x.key === 'poll-sample' && x.isCurrent)!;
    const pollBody = { key: poll.key, title: poll.title, intro: poll.intro, audience: 'poll', questions: poll.questions };
    expect((await inject('POST', '/api/surveys/templates', 'super', { ...pollBody, overallQuestionId: 'need' })).statusCode).toBe(400);
    // Nothing was published by the refusals.
    const now = (await inject('GET', '/api/surveys/templates', 'super')).json<Template[]>();
    expect(now.find((x) => x.key === 'call' && x.isCurrent)!.version).toBe(v.version);
    expect(now.find((x) => x.key === 'poll-sample' && x.isCurrent)!.version).toBe(poll.version);
  });

  it('a settled call with consent: SMS link the same day after the delay; the page shows no personal data; answered once', async () => {
    const c = await call('010-3333-4444');
    expect((await consent(c.caseId)).json()).toEqual({ optedOut: false });
    await run();
    const inv = await invitationOf(c.caseId);
    expect(inv).toMatchObject({ trigger: 'call', status: 'scheduled', channel: 'sms' });
    expect(Date.parse(inv!.due_at) - Date.parse(inv!.contact_at)).toBe(30 * 60_000);
    const before = sms.received.length;
    minutes(31);
    expect((await run()).send.sent).toBe(1);
    expect(sms.received.length).toBe(before + 1);
    const text = sms.received.at(-1)!.body;
    expect(text.to).toBe('01033334444');
    expect(text.text).toContain('https://onecall.hanbit.example/s/');
    const token = tokenOfSms();
    // Only the hash is stored.
    const stored = await invitationOf(c.caseId);
    expect(stored!.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(await t.deps.db.selectFrom('survey_invitations').selectAll().execute())).not.toContain(token);

    const page = await inject('GET', `/api/public/surveys/${token}`, null);
    expect(page.statusCode).toBe(200);
    const survey: PublicSurvey = page.json();
    expect(survey.title).toBe('민원콜센터 상담 만족도 조사');
    expect(page.body).not.toMatch(/3333|4444|김상담|자동차세/);

    // Out of scale → 400 with the question; nothing written.
    const outOfScale = await inject('POST', `/api/public/surveys/${token}/answers`, null, { answers: { ...GOOD, overall: 7 } });
    expect(outOfScale.statusCode).toBe(400);
    expect(outOfScale.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { problems: [{ questionId: 'overall' }] } } });
    expect((await invitationOf(c.caseId))!.status).toBe('sent');

    const ok = await inject('POST', `/api/public/surveys/${token}/answers`, null, { answers: { ...GOOD, comment: '상담원이 친절했어요. 제 번호는 010-9876-5432입니다' } });
    expect(ok.statusCode, ok.body).toBe(204);
    const response = await t.deps.db.selectFrom('survey_responses').selectAll().where('invitation_id', '=', inv!.id).executeTakeFirstOrThrow();
    expect(response.comment).not.toContain('9876-5432');
    expect(response.answers).not.toContain('9876-5432');
    expect(response.csat).toBe(5);

    // Reused link → 410 SURVEY_CLOSED, never a second answer.
    const again = await inject('POST', `/api/public/surveys/${token}/answers`, null, { answers: GOOD });
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe('SURVEY_CLOSED');
    expect((await inject('GET', `/api/public/surveys/${token}`, null)).statusCode).toBe(410);
    expect(await t.deps.db.selectFrom('survey_responses').select('id').where('invitation_id', '=', inv!.id).execute()).toHaveLength(1);
  });

  it('forged and malformed tokens are a 404 with no hint; an expired link is a friendly 410', async () => {
    for (const token of ['A'.repeat(32), 'short', '../../etc']) {
      const r = await inject('GET', `/api/public/surveys/${encodeURIComponent(token)}`, null);
      expect(r.statusCode).toBe(404);
      expect(r.json().error.message).toBe('찾을 수 없습니다.');
    }
    const c = await call('010-5555-6666');
    await consent(c.caseId);
    minutes(1);
    await run();
    minutes(30);
    await run();
    const token = tokenOfSms();
    minutes(72 * 60 + 1);
    const r = await inject('POST', `/api/public/surveys/${token}/answers`, null, { answers: GOOD });
    expect(r.statusCode).toBe(410);
    expect(r.json()).toMatchObject({ error: { code: 'SURVEY_CLOSED', details: { reason: 'expired' } } });
  });

  it('no consent, a hand-off outcome or a repeat within the quiet period: no survey', async () => {
    await setDay('2026-11-30T01:00:00.000Z');
    const noConsent = await call('010-7777-0001');
    const handedOff = await call('010-7777-0002', 'handed_off');
    await consent(handedOff.caseId);
    const first = await call('010-7777-0003');
    await consent(first.caseId);
    await run();
    const second = await call('010-7777-0003');
    await run();
    expect(await invitationOf(noConsent.caseId)).toBeUndefined();
    expect(await invitationOf(handedOff.caseId)).toBeUndefined();
    expect(await invitationOf(first.caseId)).toBeDefined();
    expect(await invitationOf(second.caseId)).toBeUndefined();
  });

  it('consent withdrawn (opt-out) after scheduling is honoured at send time, and for ever after', async () => {
    await setDay('2026-12-01T01:00:00.000Z');
    const c = await call('010-8888-0001');
    await consent(c.caseId);
    await run();
    expect((await invitationOf(c.caseId))!.status).toBe('scheduled');
    expect((await inject('POST', '/api/surveys/opt-outs', 'agent', { phone: '010-8888-0001' })).statusCode).toBe(204);
    minutes(31);
    const before = sms.received.length;
    await run();
    expect(sms.received.length).toBe(before);
    expect(await invitationOf(c.caseId)).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });
    // Consent recorded again later does not undo the opt-out.
    await setDay('2027-02-01T01:00:00.000Z');
    const later = await call('010-8888-0001');
    expect((await consent(later.caseId)).json()).toEqual({ optedOut: true });
    await run();
    expect(await invitationOf(later.caseId)).toBeUndefined();
  });

  it('a hand-off survey is timed to the answer reaching the citizen, by e-mail; a low score opens a follow-up; results by department', async () => {
    await setDay('2026-12-02T01:00:00.000Z');
    const c = await call('010-9999-0001', 'handed_off');
    await consent(c.caseId, { channel: 'email', email: 'citizen.lee@example.kr' });
    const hid = c.handOff!.id;
    await inject('PUT', `/api/cases/${c.caseId}/reply-preference`, 'agent', { channel: 'sms', consent: true });
    expect((await inject('POST', `/api/handoffs/${hid}/acknowledge`, 'official')).statusCode).toBe(200);
    await run();
    expect(await invitationOf(c.caseId)).toBeUndefined(); // the call was not settled by the agent
    minutes(120);
    expect((await inject('POST', `/api/handoffs/${hid}/answer`, 'official', { answer: '1월에 신청하시면 공제됩니다.' })).statusCode).toBe(200);
    await drainOutbox(t.deps, t.clock.now()); // the answer reaches the citizen: citizen_told
    const toldAt = t.clock.now().toISOString();
    await run();
    const inv = await invitationOf(c.caseId);
    expect(inv).toMatchObject({ trigger: 'handoff', channel: 'email', contact_at: toldAt });
    minutes(31);
    const mails = smtp.received.length;
    await run();
    expect(smtp.received.length).toBe(mails + 1);
    const mail = readMail(smtp.received.at(-1)!.raw);
    expect(smtp.received.at(-1)!.to).toEqual(['citizen.lee@example.kr']);
    expect(mail.subject).toBe('[한빛시 민원콜센터] 민원 처리 만족도 조사에 참여해 주십시오');
    const token = /\/s\/([A-Za-z0-9_-]{32})/.exec(mail.text)![1]!;
    const r = await inject('POST', `/api/public/surveys/${token}/answers`, null, { answers: { speed: 2, clear: 2, resolved: false, overall: 1, recommend: 3 } });
    expect(r.statusCode, r.body).toBe(204);

    const results: Results = (await inject('GET', '/api/surveys/results?from=2026-11-27&to=2026-12-02&groupBy=department', 'super')).json();
    const dept = results.rows.find((x) => x.label === '세정과')!;
    expect(dept).toMatchObject({ invited: 1, answered: 1, responseRate: 1, csatMean: 1, nps: -100 });
    expect(dept.resolved).toMatchObject({ share: 0, n: 1 });
    expect(results.followUps[0]).toMatchObject({ caseId: c.caseId, reason: '전반적 만족도 1점', status: 'open' });
    const centre = results.rows.find((x) => x.key === 'centre')!;
    expect(centre.answered).toBe(1);
    expect(centre.satisfied.low).toBeGreaterThan(0);
    expect((await inject('POST', `/api/surveys/follow-ups/${results.followUps[0]!.id}/done`, 'super')).statusCode).toBe(204);
    // Agents do not see results.
    expect((await inject('GET', '/api/surveys/results?from=2026-11-27&to=2026-12-02', 'agent')).statusCode).toBe(403);
    expect((await inject('GET', '/api/surveys/results?from=2026-12-02&to=2026-11-27', 'super')).statusCode).toBe(400);
  });

  it('a policy poll goes to those who consented to polls in the district, with response rate and 95% intervals', async () => {
    await setDay('2026-12-03T01:00:00.000Z');
    for (const [n, district] of [
      ['010-4444-1001', '중앙동'],
      ['010-4444-1002', '중앙동'],
      ['010-4444-1003', '북구동'],
    ] as const) {
      const c = await call(n);
      await consent(c.caseId, { surveys: false, polls: true, district, ageBand: '40s' });
    }
    const res = await inject('POST', '/api/surveys/polls', 'super', { templateKey: 'poll-sample', title: '공공자전거 확대', closesAt: '2026-12-10T09:00:00.000Z', districts: ['중앙동'], channel: 'sms', publicResults: true });
    expect(res.statusCode, res.body).toBe(201);
    const poll: Poll = res.json();
    const before = sms.received.length;
    await run();
    expect(sms.received.length).toBe(before + 2);
    const token = tokenOfSms();
    expect((await inject('POST', `/api/public/surveys/${token}/answers`, null, { answers: { need: 'yes', where: ['park', 'station'] } })).statusCode).toBe(204);
    // Not sampled by the call scheduler: those citizens did not consent to satisfaction surveys.
    expect((await inject('POST', '/api/surveys/polls', 'super', { templateKey: 'call', title: 'x', closesAt: '2026-12-10T09:00:00.000Z', channel: 'sms' })).statusCode).toBe(400);
    // The public results page opens only once the poll has closed (404 before, as for an unpublished poll).
    expect((await inject('GET', `/api/public/polls/${poll.id}`, null)).statusCode).toBe(404);
    t.clock.set('2026-12-10T09:00:00.000Z');
    const pub: Poll = (await inject('GET', `/api/public/polls/${poll.id}`, null)).json();
    expect(pub).toMatchObject({ invited: 2, answered: 1, responseRate: 0.5 });
    const need = pub.questions.find((q) => q.questionId === 'need')!;
    expect(need.options.find((o) => o.id === 'yes')!.share).toMatchObject({ share: 1, n: 1 });
    expect(need.options.find((o) => o.id === 'yes')!.share.low).toBeCloseTo(0.2065, 3);
  });

  it('retention erases the blind index and link hash of old invitations, keeping the answers', async () => {
    await setDay('2028-01-01T01:00:00.000Z');
    const run1 = await runRetention(t.deps, { actor: 'test' });
    expect(run1.items.find((i) => i.kind === 'survey_contacts')!.count).toBeGreaterThan(0);
    const left = await t.deps.db.selectFrom('survey_invitations').select(['phone_index', 'token_hash']).where('contact_at', '<', '2027-01-01').execute();
    expect(left.every((r) => r.phone_index === '' && r.token_hash === null)).toBe(true);
    expect((await t.deps.db.selectFrom('survey_responses').select('id').execute()).length).toBeGreaterThan(0);
    expect((await t.deps.db.selectFrom('survey_opt_outs').select('phone_index').execute()).length).toBe(1);
  });

  it('the public page is rate-limited per client address: 429 RATE_LIMITED with a Korean message, other addresses unaffected', async () => {
    const ask = (ip: string) => t.app.inject({ method: 'GET', url: `/api/public/surveys/${'B'.repeat(32)}`, remoteAddress: ip });
    const codes: number[] = [];
    for (let i = 0; i < 61; i++) codes.push((await ask('203.0.113.7')).statusCode);
    expect(codes.slice(0, 60).every((c) => c === 404)).toBe(true);
    const limited = await ask('203.0.113.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('다시 시도해 주십시오') });
    expect((await ask('203.0.113.8')).statusCode).toBe(404);
  });

  it('a 1–5 question added at the end does not become the overall score: the named 전반적 만족도 drives the follow-up', async () => {
    // A day of its own: the results checked by the tests before stay as they were.
    await setDay('2028-01-10T01:00:00.000Z');
    const v = (await inject('GET', '/api/surveys/templates', 'super')).json<Template[]>().find((x) => x.key === 'call' && x.isCurrent)!;
    const body = { key: 'call', title: v.title, intro: v.intro, audience: 'survey', overallQuestionId: 'overall' };
    const wait = { id: 'wait', type: 'csat', text: '상담을 위해 기다린 시간은 적당했습니까?', required: true };
    expect((await inject('POST', '/api/surveys/templates', 'super', { ...body, questions: [...v.questions, wait] })).statusCode).toBe(201);
    const answerCall = async (number: string, answers: object) => {
      const c = await call(number);
      await consent(c.caseId);
      await run();
      minutes(31);
      await run();
      const r = await inject('POST', `/api/public/surveys/${tokenOfSms()}/answers`, null, { answers });
      expect(r.statusCode, r.body).toBe(204);
      const inv = (await invitationOf(c.caseId))!;
      const response = await t.deps.db.selectFrom('survey_responses').selectAll().where('invitation_id', '=', inv.id).executeTakeFirstOrThrow();
      const followUps = await t.deps.db.selectFrom('survey_followups').selectAll().where('invitation_id', '=', inv.id).execute();
      return { response, followUps };
    };
    // Overall 5, the new last question 1: satisfied, no follow-up (by position the 1 would have opened one).
    const happy = await answerCall('010-3100-0001', { ...GOOD, overall: 5, wait: 1 });
    expect(happy.response.csat).toBe(5);
    expect(happy.followUps).toHaveLength(0);
    // Overall 2, the new last question 5: a low score, followed up (by position the 5 would have hidden it).
    const unhappy = await answerCall('010-3100-0002', { ...GOOD, overall: 2, wait: 5 });
    expect(unhappy.response.csat).toBe(2);
    expect(unhappy.followUps).toMatchObject([{ reason: '전반적 만족도 2점', score: 2 }]);
    // The supervisor may name the new question instead: from that version on, it is the overall score.
    expect((await inject('POST', '/api/surveys/templates', 'super', { ...body, overallQuestionId: 'wait', questions: [...v.questions, wait] })).statusCode).toBe(201);
    const named = await answerCall('010-3100-0003', { ...GOOD, overall: 5, wait: 1 });
    expect(named.response.csat).toBe(1);
    expect(named.followUps).toHaveLength(1);
    // Back to the default questionnaire for the rest.
    expect((await inject('POST', '/api/surveys/templates', 'super', { ...body, questions: v.questions })).statusCode).toBe(201);
  });
});
