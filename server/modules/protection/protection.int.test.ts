import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Queue, RealtimeServerMessage } from '../../../core/contracts/acd';
import type { CallProtection, CallerFlag, EndAbusiveCallResultSchema, Incident, IncidentDetail, ProtectionRequest } from '../../../core/contracts/protection';
import type { TelephonyCommand } from '../../../core/contracts/telephony';
import { DEFAULT_PROTECTION_SETTINGS, DEFAULT_QUEUE_NOTICE_TEXT } from '../../../core/domain/protection';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * 감정노동 보호 (issue #14) end to end on a real database (both dialects): the ACD with its simulator phone system
 * (every announcement and hang-up it was told to play is asserted), the fake clock (Friday 2026-11-27 10:00 KST),
 * and the supervisors' socket messages.
 */

type Setup = {
  t: TestContext;
  agentId: string;
  agentCookie: string;
  seniorId: string;
  supervisorId: string;
  supervisorCookie: string;
  adminCookie: string;
  general: Queue;
  senior: Queue;
  alerts: RealtimeServerMessage[];
};

type EndResult = ReturnType<typeof EndAbusiveCallResultSchema.parse>;

async function setup(): Promise<Setup> {
  const t = await createTestContext();
  const dept = await buildDepartment(t.deps.db);
  const chain = await buildCategoryChain(t.deps.db, dept.id, 'inquiry', ['세무', '자동차세', '연납']);
  const seniorChain = await buildCategoryChain(t.deps.db, dept.id, 'inquiry', ['특별', '관리', '민원']);
  await buildUser(t.deps.db, { role: 'admin', login: 'pr-admin' });
  const adminCookie = await t.signIn('pr-admin');
  const mk = async (code: string, skill: string, ivr: string | null) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/acd/queues',
      headers: { cookie: adminCookie },
      payload: { code, name: code, skill, routes: ivr ? [{ dialledNumber: '120', ivrChoice: ivr }] : [] },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Queue;
  };
  const general = await mk('GENERAL', chain.field.id, '1');
  const senior = await mk('SENIOR', seniorChain.field.id, null);
  const skills = async (userId: string, skill: string) => {
    const res = await t.app.inject({ method: 'PUT', url: `/api/acd/agents/${userId}/skills`, headers: { cookie: adminCookie }, payload: { skills: [{ skill, level: 1 }] } });
    expect(res.statusCode, res.body).toBe(200);
  };
  const agent = await buildUser(t.deps.db, { role: 'agent', login: 'pr-agent', name: '김상담' });
  await skills(agent.id, chain.field.id);
  const senior1 = await buildUser(t.deps.db, { role: 'agent', login: 'pr-senior', name: '박선임' });
  await skills(senior1.id, seniorChain.field.id);
  const supervisor = await buildUser(t.deps.db, { role: 'supervisor', login: 'pr-super', name: '이감독' });

  const alerts: RealtimeServerMessage[] = [];
  vi.spyOn(t.app.realtime, 'sendToBoards').mockImplementation((message) => void alerts.push(message));
  return {
    t,
    agentId: agent.id,
    agentCookie: await t.signIn('pr-agent'),
    seniorId: senior1.id,
    supervisorId: supervisor.id,
    supervisorCookie: await t.signIn('pr-super'),
    adminCookie,
    general,
    senior,
    alerts,
  };
}

/** A call from `number` answered by the agent; returns the contact (= interaction) id and the phone system's call id. */
async function callAnswered(s: Setup, number = '010-7777-1234', agentId = s.agentId): Promise<{ contactId: string; callId: string }> {
  await s.t.app.acd.setAgentState(agentId, { status: 'available' });
  const { callId, result } = await s.t.app.acd.simulator.placeCall({ callerNumber: number, ivrChoice: '1' });
  const contactId = result.decision!.contactId!;
  expect(result.decision!.agentId).toBe(agentId);
  await s.t.app.acd.answer(agentId, contactId);
  return { contactId, callId };
}

function commandsFor(s: Setup, callId: string): TelephonyCommand[] {
  return s.t.app.acd.simulator.commands.filter((c) => 'callId' in c && c.callId === callId);
}

describe('감정노동 보호 (issue #14)', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await s.t.close();
  });

  const post = (cookie: string, url: string, payload: unknown = {}) => s.t.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });

  it('plays the queue notice to every caller entering a queue, before the agent rings (per queue text and audio id)', async () => {
    const first = await callAnswered(s);
    const [notice] = commandsFor(s, first.callId);
    expect(notice).toMatchObject({ type: 'announce', announcement: { kind: 'message', purpose: 'queue_notice', text: DEFAULT_QUEUE_NOTICE_TEXT } });
    expect(commandsFor(s, first.callId).map((c) => c.type)).toEqual(['announce', 'offer', 'answer']);

    const put = await s.t.app.inject({
      method: 'PUT',
      url: `/api/protection/queue-notices/${s.general.id}`,
      headers: { cookie: s.adminCookie },
      payload: { text: '녹음 안내 (세무)', audioId: 'notice-tax-01', isEnabled: true },
    });
    expect(put.statusCode, put.body).toBe(200);
    const { callId } = await s.t.app.acd.simulator.placeCall({ callerNumber: '010-2222-3333', ivrChoice: '1' });
    expect(commandsFor(s, callId)[0]).toMatchObject({ announcement: { purpose: 'queue_notice', text: '녹음 안내 (세무)', audioId: 'notice-tax-01' } });
  });

  it('warns 1, 2, 3 through the port, refuses an early end (409), then ends with the termination notice, an incident and 회복', async () => {
    const { contactId, callId } = await callAnswered(s);
    const url = `/api/protection/calls/${contactId}`;
    const early = await post(s.agentCookie, `${url}/end`, { type: 'verbal_abuse', kind: 'after_warnings' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('PROTECTION_WARNINGS_REQUIRED');

    let state: CallProtection | undefined;
    for (let i = 0; i < 3; i++) {
      s.t.clock.advance(10_000);
      const res = await post(s.agentCookie, `${url}/warnings`, { type: 'verbal_abuse' });
      expect(res.statusCode, res.body).toBe(200);
      state = res.json() as CallProtection;
    }
    expect(state!.warnings.map((w) => w.step)).toEqual([1, 2, 3]);
    expect(state!.types.find((x) => x.type === 'verbal_abuse')).toMatchObject({ given: 3, canEnd: true });
    const warnings = commandsFor(s, callId).filter((c) => c.type === 'announce' && c.announcement.kind === 'message' && c.announcement.purpose === 'warning');
    expect(warnings.map((c) => (c.type === 'announce' && c.announcement.kind === 'message' ? [c.announcement.step, c.announcement.text] : null))).toEqual(
      DEFAULT_PROTECTION_SETTINGS.warningTexts.verbal_abuse.map((text, i) => [i + 1, text]),
    );

    const end = await post(s.agentCookie, `${url}/end`, { type: 'verbal_abuse', kind: 'after_warnings', notes: '반복 욕설' });
    expect(end.statusCode, end.body).toBe(200);
    const { incident, desk } = end.json() as EndResult;
    expect(commandsFor(s, callId).slice(-2)).toMatchObject([
      { type: 'announce', announcement: { purpose: 'termination', text: DEFAULT_PROTECTION_SETTINGS.terminationText } },
      { type: 'hang_up' },
    ]);
    expect(s.t.app.acd.simulator.isLive(callId)).toBe(false);
    expect(desk).toMatchObject({ status: 'recovery', timerEndsAt: '2026-11-27T01:10:30.000Z' });
    expect(incident).toMatchObject({ type: 'verbal_abuse', endKind: 'after_warnings', warningsGiven: 3, notes: '반복 욕설', recordingRef: `simulator:${callId}`, hasCaller: true, version: 1 });
    expect(s.alerts).toEqual([{ type: 'protection.alert', alert: expect.objectContaining({ kind: 'incident', agentId: s.agentId, incidentId: incident.id }) }]);

    const events = await s.t.deps.db.selectFrom('contact_events').select('type').where('interaction_id', '=', contactId).orderBy('at').orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['abuse_warning', 'abuse_call_ended', 'call_ended']));
    expect(events.map((e) => e.type)).not.toContain('wrap_up_started');
  });

  it('회복: the agent cannot end or shorten it (403 RECOVERY_IN_PROGRESS); a supervisor extends it; only the timer ends it', async () => {
    const { contactId } = await callAnswered(s);
    await post(s.agentCookie, `/api/protection/calls/${contactId}/warnings`, { type: 'sexual_harassment' });
    const end = await post(s.agentCookie, `/api/protection/calls/${contactId}/end`, { type: 'sexual_harassment', kind: 'after_warnings' });
    expect(end.statusCode, end.body).toBe(200);

    for (const payload of [{ status: 'available' }, { status: 'not_ready', reason: 'break' }, { status: 'logged_out' }]) {
      const res = await s.t.app.inject({ method: 'POST', url: '/api/acd/agent/state', headers: { cookie: s.agentCookie }, payload });
      expect(res.statusCode, `${JSON.stringify(payload)} ${res.body}`).toBe(403);
      expect(res.json().error.code).toBe('RECOVERY_IN_PROGRESS');
    }
    // Not offered calls while resting.
    const { result } = await s.t.app.acd.simulator.placeCall({ callerNumber: '010-5555-6666', ivrChoice: '1' });
    expect(result.decision!.action).toBe('queue');

    const byAgent = await post(s.agentCookie, `/api/protection/agents/${s.agentId}/recovery/extend`, { minutes: 5, reason: '더 쉬고 싶음' });
    expect(byAgent.statusCode).toBe(403);
    const ext = await post(s.supervisorCookie, `/api/protection/agents/${s.agentId}/recovery/extend`, { minutes: 5, reason: '충격이 커서 연장' });
    expect(ext.statusCode, ext.body).toBe(200);
    expect(ext.json()).toMatchObject({ status: 'recovery', timerEndsAt: '2026-11-27T01:15:00.000Z' });
    expect(s.alerts.map((a) => (a.type === 'protection.alert' ? a.alert.kind : null))).toEqual(['incident', 'recovery_extended']);

    s.t.clock.advance(10 * 60_000);
    await s.t.app.acd.tick();
    expect(s.t.app.acd.deskState(s.agentId).status).toBe('recovery');
    s.t.clock.advance(5 * 60_000);
    await s.t.app.acd.tick();
    expect(s.t.app.acd.deskState(s.agentId)).toMatchObject({ status: 'not_ready', reason: 'after_recovery' });
    const ready = await s.t.app.inject({ method: 'POST', url: '/api/acd/agent/state', headers: { cookie: s.agentCookie }, payload: { status: 'available' } });
    expect(ready.statusCode, ready.body).toBe(200);
    const recoveries = await s.t.deps.db.selectFrom('protection_recoveries').select(['kind', 'seconds']).orderBy('at').execute();
    expect(recoveries).toEqual([
      { kind: 'started', seconds: 600 },
      { kind: 'extended', seconds: 300 },
    ]);
  });

  it('긴급종료 for a threat at once (no warning needed) alerts supervisors as an emergency; other types cannot use it', async () => {
    const { contactId } = await callAnswered(s);
    const refused = await post(s.agentCookie, `/api/protection/calls/${contactId}/end`, { type: 'prank', kind: 'emergency' });
    expect(refused.statusCode).toBe(409);
    const res = await post(s.agentCookie, `/api/protection/calls/${contactId}/end`, { type: 'threat', kind: 'emergency' });
    expect(res.statusCode, res.body).toBe(200);
    expect(s.alerts).toEqual([{ type: 'protection.alert', alert: expect.objectContaining({ kind: 'emergency_end', abuseType: 'threat', agentName: '김상담' }) }]);
    // Ending it again (a retry) answers the same incident and alerts no one twice; no call at all is not theirs to end.
    const again = await post(s.agentCookie, `/api/protection/calls/${contactId}/end`, { type: 'threat', kind: 'emergency' });
    expect(again.statusCode).toBe(200);
    expect((again.json() as EndResult).incident.id).toBe((res.json() as EndResult).incident.id);
    expect(s.alerts).toHaveLength(1);
    expect((await post(s.agentCookie, `/api/protection/calls/${crypto.randomUUID()}/end`, { type: 'threat', kind: 'emergency' })).statusCode).toBe(404);
  });

  it('incidents are append-only: a correction is a new version; the database refuses UPDATE and DELETE; agents see only their own', async () => {
    const { contactId } = await callAnswered(s);
    const end = await post(s.agentCookie, `/api/protection/calls/${contactId}/end`, { type: 'threat', kind: 'emergency', notes: '첫 기록' });
    const incidentId = (end.json() as EndResult).incident.id;
    const corr = await post(s.agentCookie, `/api/protection/incidents/${incidentId}/corrections`, { notes: '고친 기록', reason: '오타 수정' });
    expect(corr.statusCode, corr.body).toBe(200);
    const detail = corr.json() as IncidentDetail;
    expect(detail.versions.map((v) => [v.version, v.notes, v.correctionReason])).toEqual([
      [1, '첫 기록', null],
      [2, '고친 기록', '오타 수정'],
    ]);
    expect(detail.incident.notes).toBe('고친 기록');
    const noReason = await post(s.agentCookie, `/api/protection/incidents/${incidentId}/corrections`, { notes: 'x' });
    expect(noReason.statusCode).toBe(400);

    await expect(s.t.deps.db.updateTable('protection_incidents').set({ notes: 'tampered' }).execute()).rejects.toThrow(/append-only/);
    await expect(s.t.deps.db.deleteFrom('protection_incidents').execute()).rejects.toThrow(/append-only/);
    await expect(s.t.deps.db.deleteFrom('protection_recoveries').execute()).rejects.toThrow(/append-only/);

    const list = await s.t.app.inject({ method: 'GET', url: '/api/protection/incidents', headers: { cookie: s.supervisorCookie } });
    expect((list.json().items as Incident[]).map((i) => [i.id, i.version, i.agentName])).toEqual([[incidentId, 2, '김상담']]);
    await buildUser(s.t.deps.db, { role: 'agent', login: 'pr-other' });
    const other = await s.t.signIn('pr-other');
    expect((await s.t.app.inject({ method: 'GET', url: '/api/protection/incidents', headers: { cookie: other } })).json().items).toEqual([]);
    expect((await s.t.app.inject({ method: 'GET', url: `/api/protection/incidents/${incidentId}`, headers: { cookie: other } })).statusCode).toBe(404);
  });

  it('the evidence package (ZIP: JSON, HTML page, notes, recording reference) only with a reason, recorded as a download', async () => {
    const { contactId, callId } = await callAnswered(s, '010-8888-7777');
    await post(s.agentCookie, `/api/protection/calls/${contactId}/warnings`, { type: 'threat' });
    const end = await post(s.agentCookie, `/api/protection/calls/${contactId}/end`, { type: 'threat', kind: 'after_warnings', notes: '가족을 해치겠다고 협박' });
    const incidentId = (end.json() as EndResult).incident.id;
    const url = `/api/protection/incidents/${incidentId}/evidence`;

    expect((await post(s.agentCookie, url, { reasonCode: 'legal_request', reasonText: '경찰 제출' })).statusCode).toBe(403);
    const noReason = await post(s.supervisorCookie, url, { reasonCode: 'legal_request', reasonText: '' });
    expect(noReason.statusCode).toBe(400);
    const records = () => s.t.deps.db.selectFrom('access_records').select(['action', 'target', 'reason', 'user_id']).where('target', 'like', 'protection:evidence:%').execute();
    expect(await records()).toEqual([]);

    const res = await post(s.supervisorCookie, url, { reasonCode: 'legal_request', reasonText: '한빛경찰서 고소장 제출' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zip = await JSZip.loadAsync(res.rawPayload);
    expect(Object.keys(zip.files).sort()).toEqual(['incident.html', 'incident.json', 'notes.txt', 'recording.txt']);
    const json = JSON.parse(await zip.file('incident.json')!.async('string'));
    expect(json).toMatchObject({ incident: { id: incidentId, type: 'threat', notes: '가족을 해치겠다고 협박' }, reason: '수사·소송 제출: 한빛경찰서 고소장 제출' });
    expect(json.warnings).toHaveLength(1);
    expect(json.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['call_answered', 'abuse_warning', 'abuse_call_ended']));
    const html = await zip.file('incident.html')!.async('string');
    expect(html).toContain('협박');
    expect(html).toContain('한빛경찰서 고소장 제출');
    expect(await zip.file('recording.txt')!.async('string')).toContain(`simulator:${callId}`);
    expect(await records()).toEqual([{ action: 'export', target: `protection:evidence:${incidentId}`, reason: '수사·소송 제출: 한빛경찰서 고소장 제출', user_id: s.supervisorId }]);
  });

  it('a flagged caller (blind index, never the number) goes to the senior queue; the flag expires after 90 days or is cleared with a reason', async () => {
    const settings = { ...DEFAULT_PROTECTION_SETTINGS, seniorQueueId: s.senior.id };
    const put = await s.t.app.inject({ method: 'PUT', url: '/api/protection/settings', headers: { cookie: s.adminCookie }, payload: settings });
    expect(put.statusCode, put.body).toBe(200);

    const unknown = await post(s.supervisorCookie, '/api/protection/flags', { phoneNumber: '010-9999-0000', reason: '반복 폭언' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('CALLER_UNKNOWN');

    const { contactId } = await callAnswered(s, '010-4444-1234');
    const end = await post(s.agentCookie, `/api/protection/calls/${contactId}/end`, { type: 'threat', kind: 'emergency' });
    const incidentId = (end.json() as EndResult).incident.id;
    const flag = await post(s.supervisorCookie, '/api/protection/flags', { incidentId, reason: '협박 반복' });
    expect(flag.statusCode, flag.body).toBe(201);
    const flagged = flag.json() as CallerFlag;
    expect(flagged).toMatchObject({ isActive: true, mode: 'senior_queue', expiresAt: '2027-02-25T01:00:00.000Z' });
    const stored = await s.t.deps.db.selectFrom('caller_flags').selectAll().execute();
    expect(JSON.stringify(stored)).not.toMatch(/4444|1234/);
    expect((await s.t.app.inject({ method: 'GET', url: `/api/protection/incidents/${incidentId}`, headers: { cookie: s.supervisorCookie } })).json().incident.callerFlagged).toBe(true);

    // The next call of the same number goes to the senior agent; another number stays in its queue.
    await s.t.app.acd.setAgentState(s.seniorId, { status: 'available' });
    const next = await s.t.app.acd.simulator.placeCall({ callerNumber: '010-4444-1234', ivrChoice: '1' });
    expect(next.result.decision).toMatchObject({ action: 'agent', queueId: s.senior.id, agentId: s.seniorId });
    const plain = await s.t.app.acd.simulator.placeCall({ callerNumber: '010-1212-3434', ivrChoice: '1' });
    expect(plain.result.decision).toMatchObject({ queueId: s.general.id });
    const queued = await s.t.deps.db.selectFrom('contact_events').select('data').where('interaction_id', '=', next.result.decision!.contactId!).where('type', '=', 'call_queued').executeTakeFirstOrThrow();
    expect(JSON.parse(queued.data!)).toMatchObject({ flaggedCaller: true, queueId: s.senior.id });

    const noReason = await post(s.supervisorCookie, `/api/protection/flags/${flagged.id}/clear`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const cleared = await post(s.supervisorCookie, `/api/protection/flags/${flagged.id}/clear`, { reason: '사과 후 재발 없음' });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ isActive: false, clearReason: '사과 후 재발 없음' });
    const after = await s.t.app.acd.simulator.placeCall({ callerNumber: '010-4444-1234', ivrChoice: '1' });
    expect(after.result.decision).toMatchObject({ queueId: s.general.id });

    // Expiry: a new flag in notice-first mode plays the notice; 90 days later it is gone.
    await s.t.app.inject({ method: 'PUT', url: '/api/protection/settings', headers: { cookie: s.adminCookie }, payload: { ...settings, flagMode: 'notice_first' } });
    expect((await post(s.supervisorCookie, '/api/protection/flags', { phoneNumber: '010-4444-1234', reason: '다시 폭언' })).statusCode).toBe(201);
    const noticed = await s.t.app.acd.simulator.placeCall({ callerNumber: '010-4444-1234', ivrChoice: '1' });
    expect(noticed.result.decision).toMatchObject({ queueId: s.general.id });
    expect(commandsFor(s, noticed.callId).map((c) => (c.type === 'announce' && c.announcement.kind === 'message' ? c.announcement.purpose : c.type))).toEqual(
      expect.arrayContaining(['queue_notice', 'flagged_caller']),
    );
    s.t.clock.advance(90 * 86_400_000);
    const later = await s.t.app.acd.simulator.placeCall({ callerNumber: '010-4444-1234', ivrChoice: '1' });
    expect(commandsFor(s, later.callId).some((c) => c.type === 'announce' && c.announcement.kind === 'message' && c.announcement.purpose === 'flagged_caller')).toBe(false);
  });

  it('wellbeing: continuous talk time alerts once per call; per agent incidents, 회복, counselling, talk time and occupancy (warned above 85%)', async () => {
    const { contactId } = await callAnswered(s);
    const board = () => s.t.app.acd.wallboard().agents;
    s.t.clock.advance(59 * 60_000);
    expect(s.t.app.protection.checkLongTalk(board())).toBe(0);
    s.t.clock.advance(61 * 60_000 - 59 * 60_000);
    expect(s.t.app.protection.checkLongTalk(board())).toBe(1);
    expect(s.t.app.protection.checkLongTalk(board())).toBe(0);
    expect(s.alerts).toEqual([{ type: 'protection.alert', alert: expect.objectContaining({ kind: 'long_talk', agentId: s.agentId }) }]);

    // An hour without a click signs the desk out (idle sign-out): sign in again.
    s.agentCookie = await s.t.signIn('pr-agent');
    s.supervisorCookie = await s.t.signIn('pr-super');
    expect((await post(s.agentCookie, `/api/protection/calls/${contactId}/end`, { type: 'threat', kind: 'emergency' })).statusCode).toBe(200);
    expect((await post(s.agentCookie, '/api/protection/requests', { kind: 'counselling' })).statusCode).toBe(201);
    s.t.clock.advance(10 * 60_000);
    await s.t.app.acd.tick();

    const res = await s.t.app.inject({ method: 'GET', url: '/api/protection/wellbeing?day=2026-11-27', headers: { cookie: s.supervisorCookie } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.agents.find((a: { agentId: string }) => a.agentId === s.agentId)).toEqual({
      agentId: s.agentId,
      agentName: '김상담',
      incidents: 1,
      recoveryMinutes: 10,
      counsellingRequests: 1,
      breaksTaken: 0,
      breakMinutes: 0,
      breaksMissed: 0,
      talkMinutes: 61,
      occupancy: 1,
      isOccupancyHigh: true,
    });
    expect(body.incidentsByType).toContainEqual({ type: 'threat', count: 1 });
    expect(body.incidentsByHour).toEqual([{ hour: 11, count: 1 }]);
    const month = await s.t.app.inject({ method: 'GET', url: '/api/protection/wellbeing?month=2026-11', headers: { cookie: s.supervisorCookie } });
    expect(month.json().agents.find((a: { agentId: string }) => a.agentId === s.agentId)).toMatchObject({ incidents: 1, talkMinutes: 61 });

    // Agents see their own row only.
    const own = await s.t.app.inject({ method: 'GET', url: '/api/protection/wellbeing?day=2026-11-27', headers: { cookie: s.agentCookie } });
    expect(own.json().agents.map((a: { agentId: string }) => a.agentId)).toEqual([s.agentId]);
    expect((await s.t.app.inject({ method: 'GET', url: '/api/protection/wellbeing?day=2026-11-27&month=2026-11', headers: { cookie: s.agentCookie } })).statusCode).toBe(400);
  });

  it('ends an abusive call exactly once: two ends at once and a retry share one incident, one 회복, one hang-up', async () => {
    const { contactId, callId } = await callAnswered(s);
    const url = `/api/protection/calls/${contactId}/end`;
    const body = { type: 'threat', kind: 'emergency', notes: '협박' };
    const [a, b] = await Promise.all([post(s.agentCookie, url, body), post(s.agentCookie, url, body)]);
    expect([a.statusCode, b.statusCode], a.body + b.body).toEqual([200, 200]);
    const first = (a.json() as EndResult).incident;
    expect((b.json() as EndResult).incident.id).toBe(first.id);
    // The answer was lost and the desk asks again: the same incident, nothing new.
    const retry = await post(s.agentCookie, url, body);
    expect(retry.statusCode, retry.body).toBe(200);
    expect((retry.json() as EndResult).incident.id).toBe(first.id);
    // Another agent cannot end (or read) this call through a retry.
    const other = await post(await s.t.signIn('pr-senior'), url, body);
    expect(other.statusCode).toBe(404);

    const incidents = await s.t.deps.db.selectFrom('protection_incidents').select('incident_id').where('interaction_id', '=', contactId).execute();
    expect(incidents).toEqual([{ incident_id: first.id }]);
    const recoveries = await s.t.deps.db.selectFrom('protection_recoveries').select('kind').where('agent_id', '=', s.agentId).execute();
    expect(recoveries).toEqual([{ kind: 'started' }]);
    expect(commandsFor(s, callId).filter((c) => c.type === 'hang_up')).toHaveLength(1);
    expect(s.alerts.filter((m) => m.type === 'protection.alert' && m.alert.kind === 'emergency_end')).toHaveLength(1);
    expect(s.t.app.acd.deskState(s.agentId).status).toBe('recovery');
    // The database holds one protocol end per call whatever a second node would write (migration 0028).
    const row = await s.t.deps.db.selectFrom('protection_incidents').selectAll().where('incident_id', '=', first.id).executeTakeFirstOrThrow();
    await expect(s.t.deps.db.insertInto('protection_incidents').values({ ...row, id: crypto.randomUUID(), incident_id: crypto.randomUUID() }).execute()).rejects.toThrow();
  });

  it('the caller hanging up while the agent ends: one incident (reported after the call), no 회복 by the protocol, no termination notice', async () => {
    const { contactId, callId } = await callAnswered(s);
    await post(s.agentCookie, `/api/protection/calls/${contactId}/warnings`, { type: 'sexual_harassment' });
    const acd = s.t.app.acd;
    const endAbusiveCall = acd.endAbusiveCall.bind(acd);
    // The hang-up lands after the end was checked and before the phone system is told: the race of the two.
    vi.spyOn(acd, 'endAbusiveCall').mockImplementationOnce(async (...args) => {
      await acd.simulator!.callerHangsUp(callId);
      return endAbusiveCall(...args);
    });
    const res = await post(s.agentCookie, `/api/protection/calls/${contactId}/end`, { type: 'sexual_harassment', kind: 'after_warnings' });
    expect(res.statusCode, res.body).toBe(200);
    const { incident, desk } = res.json() as EndResult;
    expect(incident).toMatchObject({ type: 'sexual_harassment', endKind: 'reported', warningsGiven: 1 });
    expect(desk.status).toBe('after_call_work');
    const incidents = await s.t.deps.db.selectFrom('protection_incidents').select('end_kind').where('interaction_id', '=', contactId).execute();
    expect(incidents).toEqual([{ end_kind: 'reported' }]);
    expect(await s.t.deps.db.selectFrom('protection_recoveries').selectAll().execute()).toEqual([]);
    expect(commandsFor(s, callId).filter((c) => c.type === 'announce' && JSON.stringify(c).includes('termination'))).toEqual([]);
  });

  it('requests: 심리상담 and 고소·고발 지원 are tracked to their outcome; "off the phones today" makes the agent not ready', async () => {
    const file = (kind: string) => post(s.agentCookie, '/api/protection/requests', { kind, note: '도움 요청' });
    const counselling = (await file('counselling')).json() as ProtectionRequest;
    const legal = (await file('legal_support')).json() as ProtectionRequest;
    await s.t.app.acd.setAgentState(s.agentId, { status: 'available' });
    const off = (await file('off_phones')).json() as ProtectionRequest;
    expect([counselling.status, legal.status, off.status]).toEqual(['requested', 'requested', 'requested']);

    const status = (id: string, payload: object, cookie = s.supervisorCookie) => post(cookie, `/api/protection/requests/${id}/status`, payload);
    expect((await status(counselling.id, { status: 'scheduled' }, s.agentCookie)).statusCode).toBe(403);
    expect((await status(counselling.id, { status: 'scheduled' })).json().status).toBe('scheduled');
    expect((await status(counselling.id, { status: 'done' })).json().status).toBe('done');
    expect((await status(legal.id, { status: 'closed' })).statusCode).toBe(409);
    expect((await status(legal.id, { status: 'filed' })).statusCode).toBe(200);
    expect((await status(legal.id, { status: 'closed' })).statusCode).toBe(400);
    expect((await status(legal.id, { status: 'closed', outcome: '벌금 200만 원 약식명령' })).json()).toMatchObject({ status: 'closed', outcome: '벌금 200만 원 약식명령' });
    expect((await status(off.id, { status: 'approved' })).statusCode).toBe(200);
    expect(s.t.app.acd.deskState(s.agentId)).toMatchObject({ status: 'not_ready', reason: 'admin' });
    expect(s.alerts.filter((a) => a.type === 'protection.alert' && a.alert.kind === 'request')).toHaveLength(3);
  });
});
