import type { AddressInfo } from 'node:net';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import { createAppDeps } from '../../deps';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../../test/test-app';
import type { SipTelephony } from '../../ports/telephony/sip.adapter';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { kstDayOf } from '../../../core/domain/statistics';
import { deleteClosedDay, insertClosedDay } from '../acd/acd.repository';
import { importFallbackCallbacks } from './fallback-callbacks';
import { evapiProof, netstring } from './kamailio-evapi';
import { freeMediaPort, freePort, openSipCentre, rtpPeer, sipp, until, type SipCentre, type SipStack } from '../../test/sip-stack';

const SECRET = 'sip-test-secret-0123456789abcdef';
const CENTRE = '0315180120';

/**
 * Real SIP (issue #17): Kamailio and rtpengine started by scripts/telephony.sh, OneCall in process on a real port,
 * SIPp as the citizen's phone and as agents' phones registered with OneCall's ephemeral credentials.
 */
describe('SIP calls through Kamailio and rtpengine, routed by the ACD', () => {
  let t: TestContext;
  let stack: SipStack;
  let sip: SipTelephony;
  let env: Record<string, string> = {};
  let centre: SipCentre;

  /** The carrier's trunk of the test: a SIPp citizen's phone listens here for the callbacks agents make. */
  let trunkPort = 0;

  beforeAll(async () => {
    trunkPort = await freePort();
    centre = await openSipCentre({
      secret: SECRET,
      centre: CENTRE,
      queueCode: 'SIP',
      env: (runDir) => ({ SIP_PROMPTS_DIR: path.join(runDir, 'prompts'), ACD_OFFER_TIMEOUT_SECONDS: '5', SIP_TRUNK_URI: `sip:127.0.0.1:${trunkPort}` }),
    });
    ({ t, stack, sip, env } = centre);
  }, 60_000);

  afterAll(async () => {
    await centre?.stop();
  });

  /** An agent of the test: a user with the queue's skill, a registered SIPp phone on its own port. */
  const agent = (opts: { register?: boolean } = {}) => centre.agent(opts);

  const wallboard = () => t.app.acd.wallboard();

  /** rtpengine's counters for the call whose caller side sends from `callerPort`: packets received per side. */
  async function mediaOf(callerPort: number): Promise<{ callerLocalPort: number; packets: number[] } | undefined> {
    const list = (await sip.rtpengine.request('list', { limit: 100 }))['calls'] as string[] | undefined;
    for (const callId of list ?? []) {
      const q = await sip.rtpengine.request('query', { 'call-id': callId });
      type Stream = { 'local port'?: number; endpoint?: { port?: number }; stats?: { packets?: number } };
      const tags = Object.values((q['tags'] ?? {}) as Record<string, { medias?: Array<{ streams?: Stream[] }> }>);
      const streams = tags.map((tag) => (tag.medias ?? []).flatMap((m) => m.streams ?? []));
      const mine = streams.flat().find((st) => st.endpoint?.port === callerPort);
      if (mine?.['local port']) return { callerLocalPort: mine['local port'], packets: streams.map((ss) => ss.reduce((n, st) => n + (st.stats?.packets ?? 0), 0)) };
    }
    return undefined;
  }

  it('a call to the centre rings a registered agent, is answered, audio flows both ways through rtpengine, and ends', async () => {
    const a = await agent();
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    const phoneRtp = await rtpPeer(true);
    const callerRtp = await rtpPeer(false);
    const phone = sipp('agent_answers.xml', ['-p', String(a.phonePort), '-m', '1', '-set', 'rtp_port', String(phoneRtp.port), '-mp', String(await freeMediaPort()), '-timeout', '30']);
    const caller = sipp('caller.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345678', '-set', 'rtp_port', String(callerRtp.port), '-d', '3000', '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);

    const onCall = await until('agent on the call', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' ? t.app.acd.agentActivity(a.user.id) : undefined)).catch(async (err: unknown) => {
      phone.stop();
      caller.stop();
      console.log('DBG phone', (await phone.done).output.slice(-1500), 'DBG caller', (await caller.done).output.slice(-1500));
      throw err;
    });
    expect(onCall.contactId).toBeTruthy();
    const media = await until('the call in rtpengine', () => mediaOf(callerRtp.port));
    await callerRtp.stream(media.callerLocalPort, 50);
    // rtpengine's own counters: packets received from each side (the caller's, and the phone's echo of them).
    const counts = await until('audio both ways', async () => {
      const m = await mediaOf(callerRtp.port);
      return m && m.packets.length === 2 && m.packets.every((n) => n >= 40) ? m.packets : undefined;
    });
    expect(counts.length).toBe(2);
    expect(callerRtp.received()).toBeGreaterThanOrEqual(40);
    expect(phoneRtp.received()).toBeGreaterThanOrEqual(40);
    phoneRtp.close();
    callerRtp.close();

    const [c, p] = await Promise.all([caller.done, phone.done]);
    expect(c.code, c.output).toBe(0);
    expect(p.code, p.output).toBe(0);
    await until('call ended in the ACD', () => (t.app.acd.agentActivity(a.user.id).status === 'after_call_work' ? true : undefined));
    expect(wallboard().answeredToday).toBeGreaterThanOrEqual(1);
    await t.app.acd.setAgentState(a.user.id, { status: 'logged_out' });
  });

  it("a callback: the agent's phone dials *77, OneCall sends it to the callback's number at the trunk, the citizen answers, audio flows both ways, the citizen's hang-up ends it; a phone without a callback is refused", async () => {
    const a = await agent();
    const b = await agent();
    const credsOf = async (login: string) =>
      (await t.app.inject({ method: 'GET', url: '/api/softphone/credentials', headers: { cookie: await t.signIn(login) } })).json<{ authorizationUsername: string; password: string }>();
    const dials = async (login: string, rtpPort: number, log: string) => {
      const creds = await credsOf(login);
      return sipp('agent_dials_callback.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', '*77', '-set', 'domain', 'onecall.local', '-set', 'login', login, '-set', 'rtp_port', String(rtpPort), '-au', creds.authorizationUsername, '-ap', creds.password, '-trace_logs', '-log_file', log, '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    };
    const logOf = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

    // B has no callback: the code calls no one (Kamailio asks OneCall, OneCall refuses).
    const refusedLog = path.join(stack.runDir, 'dial-refused.log');
    const refused = await (await dials(b.user.login, await freeMediaPort(), refusedLog)).done;
    expect(refused.code, refused.output).toBe(0);
    expect(logOf(refusedLog)).toContain('outcome=403');

    // A citizen the centre could not answer asked to be called back; A is free and is offered the callback.
    const cbId = await t.app.acd.missedCallCallback({ callId: `cb-${crypto.randomUUID()}`, callerNumber: '01055501234', dialledNumber: CENTRE, at: Date.now() });
    expect(cbId).toBeTruthy();
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    await until('the callback offered to A', () => (t.app.acd.agentActivity(a.user.id).contactId === cbId ? true : undefined));

    // A's desk phone dials *77 (nobody pressed 전화 걸기 on the desk: dialling takes the callback); the citizen's phone
    // behind the trunk rings with the number.
    const citizenRtp = await rtpPeer(false);
    const phoneRtp = await rtpPeer(true);
    const citizenLog = path.join(stack.runDir, 'citizen-callback.log');
    const citizen = sipp('citizen_answers_callback.xml', ['-p', String(trunkPort), '-m', '1', '-set', 'rtp_port', String(citizenRtp.port), '-d', '3000', '-trace_logs', '-log_file', citizenLog, '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    const phoneLog = path.join(stack.runDir, 'dial-callback.log');
    const phone = await dials(a.user.login, phoneRtp.port, phoneLog);
    // A is on the callback (taken when the phone dialled), the citizen answers.
    await until('A on the callback', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' && t.app.acd.agentActivity(a.user.id).contactId === cbId ? true : undefined));
    expect(logOf(citizenLog)).toContain('dialled=01055501234');
    const media = await until('the callback in rtpengine', () => mediaOf(citizenRtp.port));
    await citizenRtp.stream(media.callerLocalPort, 50);
    const counts = await until('audio both ways', async () => {
      const m = await mediaOf(citizenRtp.port);
      return m && m.packets.length === 2 && m.packets.every((n) => n >= 40) ? m.packets : undefined;
    });
    expect(counts.length).toBe(2);
    expect(phoneRtp.received()).toBeGreaterThanOrEqual(40);
    expect(citizenRtp.received()).toBeGreaterThanOrEqual(40);
    citizenRtp.close();
    phoneRtp.close();

    // The citizen hangs up after 3 s: the callback's call is over (A in 후처리), ended by the citizen.
    const [c, p] = await Promise.all([citizen.done, phone.done]);
    expect(c.code, c.output).toBe(0);
    expect(p.code, p.output).toBe(0);
    expect(logOf(phoneLog)).toContain('outcome=answered');
    await until('the callback ended in the ACD', () => (t.app.acd.agentActivity(a.user.id).status === 'after_call_work' ? true : undefined));
    const ended = await until('the end written', () =>
      t.deps.db.selectFrom('contact_events').select(['data']).where('interaction_id', '=', cbId!).where('type', '=', 'call_ended').executeTakeFirst(),
    );
    expect(JSON.parse(ended.data ?? '{}')).toMatchObject({ by: 'caller' });
    // Done with: the code calls no one for A any more.
    const againLog = path.join(stack.runDir, 'dial-again.log');
    expect((await (await dials(a.user.login, await freeMediaPort(), againLog)).done).code).toBe(0);
    expect(logOf(againLog)).toContain('outcome=403');
    await t.app.acd.setAgentState(a.user.id, { status: 'logged_out' });
  }, 60_000);

  it('a callback whose citizen is busy (486): the agent who took it on the desk is put in 후처리, the callback ended by the system', async () => {
    const c = await agent();
    const cbId = await t.app.acd.missedCallCallback({ callId: `cb-${crypto.randomUUID()}`, callerNumber: '0311234567', dialledNumber: CENTRE, at: Date.now() });
    await t.app.acd.setAgentState(c.user.id, { status: 'available' });
    await until('the callback offered to C', () => (t.app.acd.agentActivity(c.user.id).contactId === cbId ? true : undefined));
    // 전화 걸기 on the desk: the ACD has C on the callback; then the phone dials.
    await t.app.acd.answer(c.user.id, cbId!, null);
    const busy = sipp('citizen_busy.xml', ['-p', String(trunkPort), '-m', '1', '-timeout', '30', '-timeout_error']);
    const creds = (await t.app.inject({ method: 'GET', url: '/api/softphone/credentials', headers: { cookie: await t.signIn(c.user.login) } })).json<{ authorizationUsername: string; password: string }>();
    const log = path.join(stack.runDir, 'dial-busy.log');
    const phone = await sipp('agent_dials_callback.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', '*77', '-set', 'domain', 'onecall.local', '-set', 'login', c.user.login, '-set', 'rtp_port', String(await freeMediaPort()), '-au', creds.authorizationUsername, '-ap', creds.password, '-trace_logs', '-log_file', log, '-timeout', '30', '-timeout_error']).done;
    expect(phone.code, phone.output).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toContain('outcome=486');
    expect((await busy.done).code).toBe(0);
    await until('C in 후처리', () => (t.app.acd.agentActivity(c.user.id).status === 'after_call_work' ? true : undefined));
    const ended = await until('the end written', () =>
      t.deps.db.selectFrom('contact_events').select(['data']).where('interaction_id', '=', cbId!).where('type', '=', 'call_ended').executeTakeFirst(),
    );
    expect(JSON.parse(ended.data ?? '{}')).toMatchObject({ by: 'system' });
    await t.app.acd.setAgentState(c.user.id, { status: 'logged_out' });
  }, 60_000);

  /** A citizen's call; `-d` is how long the caller talks (caller.xml) or waits before hanging up (caller_gives_up.xml). */
  async function call(scenario: 'caller.xml' | 'caller_gives_up.xml', ms: number, rtpPort = 0) {
    return sipp(scenario, [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345678', ...(scenario === 'caller.xml' ? ['-set', 'rtp_port', String(rtpPort || (await freeMediaPort()))] : []), '-d', String(ms), '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
  }

  it('an agent whose phone is not registered is never rung; a caller who hangs up while queued is abandoned in the KPIs', async () => {
    const a = await agent({ register: false });
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    const abandoned = () => t.app.acd.wallboard().abandonedToday + t.app.acd.wallboard().shortAbandonedToday;
    const abandonedBefore = abandoned();
    const caller = await call('caller_gives_up.xml', 2500);
    // The ACD offered the call; the adapter saw no registration and reconciliation paused the agent (device).
    await until('unregistered agent paused', () => (t.app.acd.deskState(a.user.id).reason === 'device' ? true : undefined));
    expect(t.app.acd.deskState(a.user.id).status).toBe('not_ready');
    expect(t.app.acd.deskState(a.user.id).missedOffers).toBe(0);
    expect(t.app.acd.waitingContacts().length).toBe(1);
    const r = await caller.done;
    expect(r.code, r.output).toBe(0); // 180 while queued, then CANCEL → 200 and 487
    await until('abandoned counted', () => (abandoned() === abandonedBefore + 1 ? true : undefined));
    expect(t.app.acd.waitingContacts().length).toBe(0);
    await t.app.acd.setAgentState(a.user.id, { status: 'logged_out' });
  });

  it('an offer the agent does not answer rings out and goes to the next agent (a missed offer counted)', async () => {
    const first = await agent();
    const second = await agent();
    await t.app.acd.setAgentState(first.user.id, { status: 'available' });
    await t.app.acd.setAgentState(second.user.id, { status: 'available' });
    const silent = sipp('agent_no_answer.xml', ['-p', String(first.phonePort), '-m', '1', '-timeout', '30']);
    const answering = sipp('agent_answers.xml', ['-p', String(second.phonePort), '-m', '1', '-set', 'rtp_port', String(await freeMediaPort()), '-mp', String(await freeMediaPort()), '-timeout', '30']);
    const caller = await call('caller.xml', 1000);
    // Rung = Kamailio took the ring (not only reserved in the ACD): moving the ACD's clock before that once left the first
    // phone never rung (its stale ring resumed after the second's; SIPp's -timeout then exited 97).
    await until('first agent rung', () => (t.app.acd.agentActivity(first.user.id).status === 'reserved' && sip.isRinging(first.user.id) ? true : undefined));
    // The ACD's offer timer (its clock is the test's): the offer times out, a missed offer, the next agent. Kamailio's
    // ring timer (offer timeout − 0.5 s, real time) cancels the first phone; the second rings once it has.
    t.clock.advance(5_000);
    await t.app.acd.tick();
    await until('second agent answered', () => (t.app.acd.agentActivity(second.user.id).status === 'on_call' ? true : undefined), 15_000);
    expect(t.app.acd.deskState(first.user.id).missedOffers).toBe(1);
    const [c, s1, s2] = await Promise.all([caller.done, silent.done, answering.done]);
    expect(c.code, c.output).toBe(0);
    expect(s1.code, s1.output).toBe(0);
    expect(s2.code, s2.output).toBe(0);
    await t.app.acd.setAgentState(first.user.id, { status: 'logged_out' });
    await until('second agent after call', () => (t.app.acd.agentActivity(second.user.id).status === 'after_call_work' ? true : undefined));
  });

  it('a blind transfer: OneCall refers the caller to agent B once, the caller talks to B (rtpengine counts both ways), the ACD records one transfer', async () => {
    const a = await agent();
    const b = await agent();
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    const callerRtp = await rtpPeer(false);
    const callerRtp2 = await rtpPeer(false);
    const bRtp = await rtpPeer(true);
    const phoneA = sipp('agent_answers.xml', ['-p', String(a.phonePort), '-m', '1', '-set', 'rtp_port', String(await freeMediaPort()), '-mp', String(await freeMediaPort()), '-timeout', '30']);
    const phoneB = sipp('agent_answers.xml', ['-p', String(b.phonePort), '-m', '1', '-set', 'rtp_port', String(bRtp.port), '-mp', String(await freeMediaPort()), '-timeout', '30']);
    const caller = sipp('caller_transferred.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345678', '-set', 'rtp_port', String(callerRtp.port), '-set', 'rtp_port2', String(callerRtp2.port), '-d', '3000', '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    const onCall = await until('agent A on the call', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' ? t.app.acd.agentActivity(a.user.id) : undefined));
    const contactId = onCall.contactId!;

    // The desk's 바로 전환: the ACD's transfer (its adapter sends the REFER; the softphone sends none).
    await t.app.acd.transfer(a.user.id, contactId, { mode: 'blind', target: b.user.login });
    expect(t.app.acd.agentActivity(a.user.id).status).toBe('after_call_work');

    // The caller called B: audio through rtpengine both ways on the new call.
    const media = await until('the transferred call in rtpengine', () => mediaOf(callerRtp2.port));
    await callerRtp2.stream(media.callerLocalPort, 50);
    const counts = await until('audio both ways with B', async () => {
      const m = await mediaOf(callerRtp2.port);
      return m && m.packets.length === 2 && m.packets.every((n) => n >= 40) ? m.packets : undefined;
    });
    expect(counts.length).toBe(2);
    expect(bRtp.received()).toBeGreaterThanOrEqual(40);
    expect(callerRtp2.received()).toBeGreaterThanOrEqual(40);
    for (const p of [callerRtp, callerRtp2, bRtp]) p.close();

    const [c, pa, pb] = await Promise.all([caller.done, phoneA.done, phoneB.done]);
    expect(c.code, c.output).toBe(0);
    expect(pa.code, pa.output).toBe(0); // A's leg ended by Kamailio (BYE) once the caller accepted the REFER
    expect(pb.code, pb.output).toBe(0); // B answered the caller and took the caller's BYE
    // One REFER, one transfer: Kamailio saw one referred INVITE to B, and the ACD wrote one call_transferred.
    expect(stack.log().match(/onecall transferred caller/g)?.length).toBe(1);
    const events = await t.deps.db.selectFrom('contact_events').select(['type', 'data']).where('interaction_id', '=', contactId).where('type', '=', 'call_transferred').execute();
    expect(events.length).toBe(1);
    expect(JSON.parse(events[0]!.data as string)).toMatchObject({ mode: 'blind', target: b.user.login });
    await t.app.acd.setAgentState(a.user.id, { status: 'logged_out' });
  });

  it('a warm transfer by the agent\'s phone: A consults B, REFER with Replaces, the caller talks to B, the ACD records one consultative transfer', async () => {
    const a = await agent();
    const b = await agent();
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    const cookie = await t.signIn(a.user.login);
    const creds = (await t.app.inject({ method: 'GET', url: '/api/softphone/credentials', headers: { cookie } })).json<{ authorizationUsername: string; password: string }>();
    const callerRtp2 = await rtpPeer(false);
    const bRtp = await rtpPeer(true);
    const phoneA = sipp('agent_warm_transfer.xml', ['-p', String(a.phonePort), '-m', '1', '-set', 'rtp_port', String(await freeMediaPort()), '-set', 'target', b.user.login, '-set', 'domain', 'onecall.local', '-set', 'login', a.user.login, '-au', creds.authorizationUsername, '-ap', creds.password, '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    // B's phone takes the consultation and then the caller's INVITE with Replaces (two calls). SIPp keys both by the
    // Call-ID after "N///" (the same): the consultation ends first and is forgotten at once (-deadcall_wait).
    const phoneB = sipp('agent_answers.xml', ['-p', String(b.phonePort), '-m', '2', '-set', 'rtp_port', String(bRtp.port), '-mp', String(await freeMediaPort()), '-deadcall_wait', '100', '-timeout', '30']);
    const caller = sipp('caller_warm.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345678', '-set', 'rtp_port', String(await freeMediaPort()), '-set', 'rtp_port2', String(callerRtp2.port), '-d', '3000', '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    const onCall = await until('agent A on the call', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' ? t.app.acd.agentActivity(a.user.id) : undefined));
    const contactId = onCall.contactId!;

    const media = await until('the caller\'s call with B in rtpengine', () => mediaOf(callerRtp2.port));
    await callerRtp2.stream(media.callerLocalPort, 50);
    const counts = await until('audio both ways with B', async () => {
      const m = await mediaOf(callerRtp2.port);
      return m && m.packets.length === 2 && m.packets.every((n) => n >= 40) ? m.packets : undefined;
    });
    expect(counts.length).toBe(2);
    for (const p of [callerRtp2, bRtp]) p.close();

    const [c, pa, pb] = await Promise.all([caller.done, phoneA.done, phoneB.done]);
    expect(c.code, c.output).toBe(0);
    expect(pa.code, pa.output).toBe(0);
    expect(pb.code, pb.output).toBe(0);
    await until('the transfer in the ACD', () => (t.app.acd.agentActivity(a.user.id).status === 'after_call_work' ? true : undefined));
    const events = await t.deps.db.selectFrom('contact_events').select(['data']).where('interaction_id', '=', contactId).where('type', '=', 'call_transferred').execute();
    expect(events.length).toBe(1);
    expect(JSON.parse(events[0]!.data as string)).toMatchObject({ mode: 'consultative', target: b.user.login });
    await t.app.acd.setAgentState(a.user.id, { status: 'logged_out' });
  });

  it('hold and resume on the agent\'s phone (re-INVITE sendonly, then sendrecv) reach the ACD: on hold, then back on the call', async () => {
    const a = await agent();
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    const phone = sipp('agent_holds.xml', ['-p', String(a.phonePort), '-m', '1', '-set', 'rtp_port', String(await freeMediaPort()), '-set', 'login', a.user.login, '-d', '1500', '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    const caller = sipp('caller_held.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345678', '-set', 'rtp_port', String(await freeMediaPort()), '-d', '1500', '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    await until('agent on the call', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' ? true : undefined));
    await until('the caller on hold', () => (t.app.acd.agentActivity(a.user.id).status === 'on_hold' ? true : undefined));
    await until('back on the call', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' ? true : undefined));
    const [c, p] = await Promise.all([caller.done, phone.done]);
    expect(c.code, c.output).toBe(0);
    expect(p.code, p.output).toBe(0);
    await until('call ended', () => (t.app.acd.agentActivity(a.user.id).status === 'after_call_work' ? true : undefined));
    await t.app.acd.setAgentState(a.user.id, { status: 'logged_out' });
  });

  it("the desk's 보류: the caller hears music on hold played by rtpengine (the agent's phone gets none of it), 보류 해제 stops it", async () => {
    const a = await agent();
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    const phoneRtp = await rtpPeer(false); // the agent's phone sends nothing
    const callerRtp = await rtpPeer(false);
    const phone = sipp('agent_answers.xml', ['-p', String(a.phonePort), '-m', '1', '-set', 'rtp_port', String(phoneRtp.port), '-mp', String(await freeMediaPort()), '-timeout', '30']);
    const caller = sipp('caller.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345678', '-set', 'rtp_port', String(callerRtp.port), '-d', '6000', '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    const onCall = await until('agent on the call', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' ? t.app.acd.agentActivity(a.user.id) : undefined));
    expect(callerRtp.received()).toBe(0);

    await t.app.acd.hold(a.user.id, onCall.contactId!);
    await until('music on hold at the caller', () => (callerRtp.received() >= 40 ? true : undefined));
    expect(phoneRtp.received()).toBe(0);

    await t.app.acd.resume(a.user.id, onCall.contactId!);
    // Stopped: the caller's count stays still over a few packet times (rtpengine plays 50 packets a second).
    await until('music on hold stopped', async () => {
      const n = callerRtp.received();
      await new Promise((r) => setTimeout(r, 200));
      return callerRtp.received() === n ? true : undefined;
    });
    const stopped = callerRtp.received();
    expect(stopped).toBeGreaterThanOrEqual(40);
    phoneRtp.close();
    callerRtp.close();
    const [c, p] = await Promise.all([caller.done, phone.done]);
    expect(c.code, c.output).toBe(0);
    expect(p.code, p.output).toBe(0);
    await until('call ended', () => (t.app.acd.agentActivity(a.user.id).status === 'after_call_work' ? true : undefined));
    await t.app.acd.setAgentState(a.user.id, { status: 'logged_out' });
  });

  it('an announcement into a connected call (a protection warning) is spoken to the caller by rtpengine, not to the agent', async () => {
    const a = await agent();
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    const phoneRtp = await rtpPeer(false);
    const callerRtp = await rtpPeer(false);
    const phone = sipp('agent_answers.xml', ['-p', String(a.phonePort), '-m', '1', '-set', 'rtp_port', String(phoneRtp.port), '-mp', String(await freeMediaPort()), '-timeout', '30']);
    const caller = sipp('caller.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345678', '-set', 'rtp_port', String(callerRtp.port), '-d', '6000', '-mp', String(await freeMediaPort()), '-timeout', '30', '-timeout_error']);
    const onCall = await until('agent on the call', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' ? t.app.acd.agentActivity(a.user.id) : undefined));
    const { external_call_id: callId } = await t.deps.db.selectFrom('acd_contacts').select('external_call_id').where('id', '=', onCall.contactId!).executeTakeFirstOrThrow();
    expect(callerRtp.received()).toBe(0);
    // The command the ACD's protection protocol sends (issue #14), given to the adapter as the ACD would.
    await sip.send({ type: 'announce', callId, announcement: { kind: 'message', purpose: 'warning', text: '폭언이 계속되면 상담이 종료될 수 있습니다.', audioId: null, step: 1 } });
    await until('the warning at the caller', () => (callerRtp.received() >= 40 ? true : undefined));
    expect(phoneRtp.received()).toBe(0);
    const spoken = fs.readdirSync(path.join(stack.runDir, 'prompts', 'tts')).filter((f) => f.endsWith('.wav'));
    expect(spoken.length).toBe(1);
    phoneRtp.close();
    callerRtp.close();
    const [c, p] = await Promise.all([caller.done, phone.done]);
    expect(c.code, c.output).toBe(0);
    expect(p.code, p.output).toBe(0);
    await until('call ended', () => (t.app.acd.agentActivity(a.user.id).status === 'after_call_work' ? true : undefined));
    await t.app.acd.setAgentState(a.user.id, { status: 'logged_out' });
  });

  it('the route service refuses anyone but Kamailio: no or wrong secret, or another address (403)', async () => {
    const url = `/api/telephony/sip/route?callid=x1&caller=0212345678&callee=${CENTRE}`;
    const none = await t.bareInject({ method: 'GET', url, remoteAddress: '127.0.0.1' });
    expect(none.statusCode).toBe(403);
    expect(none.json<{ error: { code: string } }>().error.code).toBe('FORBIDDEN');
    expect((await t.bareInject({ method: 'GET', url, remoteAddress: '127.0.0.1', headers: { 'x-onecall-sip-secret': 'not-the-secret-0123456789abcd' } })).statusCode).toBe(403);
    expect((await t.bareInject({ method: 'GET', url, remoteAddress: '192.0.2.10', headers: { 'x-onecall-sip-secret': SECRET } })).statusCode).toBe(403);
    const events = await t.bareInject({ method: 'POST', url: '/api/telephony/sip/events', remoteAddress: '127.0.0.1', payload: { type: 'abandoned', callId: 'x1' } });
    expect(events.statusCode).toBe(403);
    // Nor may anyone else ask where an agent's callback code goes (the answer holds a citizen's number).
    const dial = `/api/telephony/sip/dial?callid=x2&agent=agent1`;
    expect((await t.bareInject({ method: 'GET', url: dial, remoteAddress: '127.0.0.1' })).statusCode).toBe(403);
    expect((await t.bareInject({ method: 'GET', url: dial, remoteAddress: '192.0.2.10', headers: { 'x-onecall-sip-secret': SECRET } })).statusCode).toBe(403);
    // Nothing was routed: no contact for that call.
    expect(t.app.acd.contactIdOf('sip', 'x1')).toBeUndefined();
  });

  it("Kamailio's evapi socket serves only who proves the secret: OneCall's connection is proven, a wrong proof, another first message or a replayed hello are closed", async () => {
    expect(t.app.sipEvapi?.isReady).toBe(true);
    expect(stack.log()).toContain('onecall evapi connection proven');
    /** Opens a connection, sends `frames`, resolves with what came back once Kamailio closes it (or after 3 s). */
    const attempt = (frames: string[]) =>
      new Promise<{ closed: boolean; data: string }>((resolve) => {
        const socket = net.connect({ host: '127.0.0.1', port: stack.evapiPort });
        let data = '';
        const timer = setTimeout(() => {
          socket.destroy();
          resolve({ closed: false, data });
        }, 3000);
        socket.on('connect', () => socket.write(frames.map((f) => netstring(f)).reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0))));
        socket.on('data', (d: Buffer) => (data += d.toString()));
        socket.on('close', () => {
          clearTimeout(timer);
          resolve({ closed: true, data });
        });
      });
    const nonce = () => `${Math.floor(Date.now() / 1000)}.${crypto.randomBytes(16).toString('hex')}`;
    const n1 = nonce();
    const wrong = await attempt([JSON.stringify({ type: 'hello', nonce: n1, proof: evapiProof('onecall', n1, 'not-the-secret-0123456789abcd') })]);
    expect(wrong).toEqual({ closed: true, data: '' });
    const noHello = await attempt([JSON.stringify({ type: 'resume', id: 1, callId: 'x2', action: 'reply', code: 480, reason: 'x' })]);
    expect(noHello).toEqual({ closed: true, data: '' });
    const stale = `${Math.floor(Date.now() / 1000) - 3600}.${crypto.randomBytes(16).toString('hex')}`;
    expect(await attempt([JSON.stringify({ type: 'hello', nonce: stale, proof: evapiProof('onecall', stale, SECRET) })])).toEqual({ closed: true, data: '' });
    // The same hello twice: the first is welcomed (and answered with Kamailio's own proof), the replay is closed.
    const n2 = nonce();
    const hello = JSON.stringify({ type: 'hello', nonce: n2, proof: evapiProof('onecall', n2, SECRET) });
    const first = attempt([hello]);
    await until('the first hello welcomed', () => (stack.log().split('onecall evapi connection proven').length >= 3 ? true : undefined));
    const replay = await attempt([hello]);
    expect(replay).toEqual({ closed: true, data: '' });
    expect((await first).data).toContain(evapiProof('kamailio', n2, SECRET));
  });

  /** The audio ports a waiting caller was given by the 183 (early media) and by the agent's 200 (caller_waits.xml's log). */
  function portsLogged(file: string): { early: number; answer: number } | undefined {
    const m = fs.existsSync(file) ? /early=(\d+) answer=(\d+)/.exec(fs.readFileSync(file, 'utf8')) : null;
    return m ? { early: Number(m[1]), answer: Number(m[2]) } : undefined;
  }

  /** Until `peer` has received nothing more over a few packet times (rtpengine plays 50 packets a second). */
  const stillAt = (peer: { received(): number }) =>
    until('the caller hears nothing more', async () => {
      const n = peer.received();
      await new Promise((r) => setTimeout(r, 200));
      return peer.received() === n ? n : undefined;
    });

  it('a caller waiting in line hears the position and music as early media (183, not answered), then talks to the agent who frees up; positions follow the line', async () => {
    const a = await agent();
    const phoneRtp = await rtpPeer(true);
    const firstRtp = await rtpPeer(false);
    const secondRtp = await rtpPeer(false);
    const logs = [path.join(stack.runDir, `waits-1-${Date.now()}.log`), path.join(stack.runDir, `waits-2-${Date.now()}.log`)] as const;
    const phone = sipp('agent_answers.xml', ['-p', String(a.phonePort), '-m', '2', '-set', 'rtp_port', String(phoneRtp.port), '-mp', String(await freeMediaPort()), '-timeout', '40']);
    const waits = async (rtp: number, log: string, talkMs: number) =>
      sipp('caller_waits.xml', [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', '0212345678', '-set', 'rtp_port', String(rtp), '-d', String(talkMs), '-trace_logs', '-log_file', log, '-mp', String(await freeMediaPort()), '-timeout', '40', '-timeout_error']);
    // The caller's SDP reaches OneCall with the route request over evapi (the HTTP route service gives ringing only).
    await until('the evapi connection', () => (t.app.sipEvapi?.isReady ? true : undefined));
    // Nobody is available: both calls wait in line, the first at position 1, the second at 2.
    const first = await waits(firstRtp.port, logs[0], 2500);
    await until('the first call in line', () => (t.app.acd.waitingContacts().length === 1 ? true : undefined));
    const second = await waits(secondRtp.port, logs[1], 500);
    await until('both calls in line', () => (t.app.acd.waitingContacts().length === 2 ? true : undefined));
    await until('the announcement and music at both callers', () => (firstRtp.received() >= 40 && secondRtp.received() >= 40 ? true : undefined));
    expect(phoneRtp.received()).toBe(0);
    const waitingFiles = () => fs.readdirSync(path.join(stack.runDir, 'prompts', 'tts')).filter((f) => f.endsWith('-wait.wav'));
    expect(waitingFiles().length).toBe(2); // "상담 대기 1번째입니다 …" and "… 2번째 …", each followed by the music
    expect(await sip.refreshWaiting()).toBe(0); // nobody's position changed

    // The agent frees up: the first caller is rung and answered; the waiting music stops for them, not for the second.
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    await until('agent on the first call', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' ? true : undefined));
    const ports = await until('the first caller got the 200', () => portsLogged(logs[0]));
    const heard = await stillAt(firstRtp);
    // The caller talks to the agent through rtpengine, on the address of the agent's 200 (and the agent's echo comes back).
    await firstRtp.stream(ports.answer, 50);
    await until('audio both ways with the agent', () => (phoneRtp.received() >= 40 && firstRtp.received() >= heard + 40 ? true : undefined));
    // The second caller moved up to position 1 and hears it.
    expect(await sip.refreshWaiting()).toBe(1);
    expect(waitingFiles().length).toBe(2); // position 1's prompt is already made
    const c1 = await first.done;
    expect(c1.code, c1.output).toBe(0);
    // The agent's next call is the second caller's.
    await until('the first call ended', () => (t.app.acd.agentActivity(a.user.id).status === 'after_call_work' ? true : undefined));
    await t.app.acd.endWrapUp(a.user.id);
    const [c2, p] = await Promise.all([second.done, phone.done]);
    expect(c2.code, c2.output).toBe(0);
    expect(p.code, p.output).toBe(0);
    expect(t.app.acd.waitingContacts().length).toBe(0);
    await until('the second call ended', () => (t.app.acd.agentActivity(a.user.id).status === 'after_call_work' ? true : undefined));
    await t.app.acd.setAgentState(a.user.id, { status: 'logged_out' });
    console.log('early media ports', ports);
    phoneRtp.close();
    firstRtp.close();
    secondRtp.close();
  });

  it('a restart of OneCall during a call: the ACD rebuilds from the database, reconciles with Kamailio\'s dialogs, and the hang-up still ends the call', async () => {
    const a = await agent();
    await t.app.acd.setAgentState(a.user.id, { status: 'available' });
    const phone = sipp('agent_answers.xml', ['-p', String(a.phonePort), '-m', '1', '-set', 'rtp_port', String(await freeMediaPort()), '-mp', String(await freeMediaPort()), '-timeout', '30']);
    const caller = await call('caller.xml', 6000);
    await until('agent on the call', () => (t.app.acd.agentActivity(a.user.id).status === 'on_call' ? true : undefined));

    const port = (t.app.server.address() as AddressInfo).port;
    await t.app.close();
    // Started again with its keys (a callback in line keeps a sealed number the new process must open).
    const app = await buildApp(createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }), t.handle, t.clock, t.deps.vault), { logger: false });
    await app.listen({ port, host: '127.0.0.1' });
    (t as { app: typeof app }).app = app;
    sip = app.sip!;
    expect(app.acd.agentActivity(a.user.id).status).toBe('on_call');
    // Reconciliation compares with Kamailio: the dialog is live, the agent is registered: nothing to correct.
    const before = app.acd.agentActivity(a.user.id);
    await app.acd.reconcile();
    expect(app.acd.agentActivity(a.user.id)).toEqual(before);

    const [c, p] = await Promise.all([caller.done, phone.done]);
    expect(c.code, c.output).toBe(0);
    expect(p.code, p.output).toBe(0);
    await until('call ended after the restart', () => (app.acd.agentActivity(a.user.id).status === 'after_call_work' ? true : undefined));
  });

  /** A citizen hearing early media (the closed centre's or the fallback announcement): stays until 480, or hangs up after -d. */
  const earlyMediaCaller = async (scenario: 'caller_fallback.xml' | 'caller_fallback_hangs_up.xml', number: string, rtp: number, extra: string[] = []) =>
    sipp(scenario, [`127.0.0.1:${stack.sipPort}`, '-p', String(await freePort()), '-m', '1', '-s', CENTRE, '-set', 'caller', number, '-set', 'rtp_port', String(rtp), ...extra, '-mp', String(await freeMediaPort()), '-timeout', '60', '-timeout_error']);

  it('outside hours the caller hears the hours as early media and, staying on the line, asks for a callback at the next opening; then 480 Closed', async () => {
    await until('the evapi connection', () => (t.app.sipEvapi?.isReady ? true : undefined));
    const day = kstDayOf(t.clock.now().getTime());
    await insertClosedDay(t.deps.db, { day, reason: '시험 휴무일', created_by: null, created_at: t.clock.now().toISOString() });
    await t.app.acd.reloadConfig();
    try {
      const callbacks = async () => t.deps.db.selectFrom('acd_contacts').select(['id', 'ready_at']).where('kind', '=', 'callback').where('external_call_id', 'not like', 'fallback-%').execute();
      const before = new Set((await callbacks()).map((r) => r.id));
      const stayRtp = await rtpPeer(false);
      const leaveRtp = await rtpPeer(false);
      const stays = await earlyMediaCaller('caller_fallback.xml', '0212340005', stayRtp.port);
      const leaves = await earlyMediaCaller('caller_fallback_hangs_up.xml', '0212340006', leaveRtp.port, ['-d', '2500']);
      const [st, lv] = await Promise.all([stays.done, leaves.done]);
      expect(lv.code, lv.output).toBe(0); // 183, CANCEL → 487
      expect(st.code, st.output).toBe(0); // 183, the hours, the offer, the confirmation, 480
      expect(leaveRtp.received()).toBeGreaterThanOrEqual(100);
      expect(stayRtp.received()).toBeGreaterThan(leaveRtp.received() + 250);
      stayRtp.close();
      leaveRtp.close();
      // One callback, the stayer's, ready at the next opening (not before).
      const added = (await callbacks()).filter((r) => !before.has(r.id));
      expect(added.length).toBe(1);
      expect(Date.parse(added[0]!.ready_at!)).toBeGreaterThan(t.clock.now().getTime());
    } finally {
      await deleteClosedDay(t.deps.db, day);
      await t.app.acd.reloadConfig();
    }
  }, 90_000);

  it('OneCall stalls past Kamailio\'s 1 s: the caller gets the fallback announcement instead of the line (the late route request is shed, not queued)', async () => {
    await until('the evapi connection', () => (t.app.sipEvapi?.isReady ? true : undefined));
    const spool = path.join(stack.runDir, 'fallback');
    const rtp = await rtpPeer(false);
    const calls = () => t.app.acd.waitingContacts().filter((c) => c.kind === 'call').length;
    const callsBefore = calls();
    const fallbackRows = async () => (await t.deps.db.selectFrom('acd_contacts').select('id').where('external_call_id', 'like', 'fallback-%').execute()).length;
    const rowsBefore = await fallbackRows();
    const stays = await earlyMediaCaller('caller_fallback.xml', '0212340003', rtp.port);
    // OneCall's event loop is held (as by a long GC or an overload) until Kamailio has given up on the route request.
    const deadline = performance.now() + 20_000;
    while (!stack.log().includes('no answer over evapi in 1 s') && performance.now() < deadline) {
      /* held on purpose */
    }
    expect(stack.log()).toContain('no answer over evapi in 1 s');
    const s = await stays.done;
    expect(s.code, s.output).toBe(0); // 183 from the failure route, the offer, the confirmation, 480
    expect(rtp.received()).toBeGreaterThanOrEqual(250);
    rtp.close();
    expect(calls()).toBe(callsBefore); // the late request never entered the line
    // OneCall (running) takes the spooled request at its next read (its own 30 s read may have come first).
    const spooled = fs.readdirSync(spool).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(spool, f), 'utf8')) as { caller: string });
    expect(spooled.map((e) => e.caller)).toEqual((await fallbackRows()) > rowsBefore ? [] : ['0212340003']);
    await importFallbackCallbacks(spool, t.app.acd, { info: () => undefined, warn: () => undefined });
    expect(fs.readdirSync(spool).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect(await fallbackRows()).toBe(rowsBefore + 1);
  }, 90_000);

  it('OneCall does not answer: the fallback service speaks to the caller (early media), a caller who stays asks for a callback, one who hangs up leaves nothing; OneCall back queues the callback', async () => {
    const spool = path.join(stack.runDir, 'fallback');
    const port = (t.app.server.address() as AddressInfo).port;
    const queued = () => t.deps.db.selectFrom('acd_contacts').select(['id', 'kind', 'status', 'external_call_id', 'dialled_number']).where('external_call_id', 'like', 'fallback-%').execute();
    const known = new Set((await queued()).map((r) => r.id));
    await t.app.close(); // OneCall is down: Kamailio's route request fails at once (connection refused)
    const stayRtp = await rtpPeer(false);
    const leaveRtp = await rtpPeer(false);
    const stays = await earlyMediaCaller('caller_fallback.xml', '0212340001', stayRtp.port);
    const leaves = await earlyMediaCaller('caller_fallback_hangs_up.xml', '0212340002', leaveRtp.port, ['-d', '2500']);
    const [s, l] = await Promise.all([stays.done, leaves.done]);
    expect(l.code, l.output).toBe(0); // 183, CANCEL → 487
    expect(s.code, s.output).toBe(0); // 183, the offer and the confirmation, then 480
    // Both heard rtpengine (≥ 2 s of the offer: 50 packets a second); the one who stayed heard the confirmation too.
    expect(leaveRtp.received()).toBeGreaterThanOrEqual(100);
    expect(stayRtp.received()).toBeGreaterThan(leaveRtp.received() + 250);
    const files = fs.readdirSync(spool).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(1);
    const entry = JSON.parse(fs.readFileSync(path.join(spool, files[0]!), 'utf8')) as { caller: string; callee: string };
    expect(entry).toMatchObject({ caller: '0212340001', callee: CENTRE });
    stayRtp.close();
    leaveRtp.close();

    // OneCall is back (with its keys: the line's callbacks keep sealed numbers): the spool becomes a callback in the
    // centre's line and is emptied; the same call read again is not queued twice.
    const app = await buildApp(createAppDeps(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }), t.handle, t.clock, t.deps.vault), { logger: false });
    await app.listen({ port, host: '127.0.0.1' });
    (t as { app: typeof app }).app = app;
    sip = app.sip!;
    const mine = async () => (await queued()).filter((r) => !known.has(r.id));
    const [row] = await until('the callback queued', async () => ((await mine()).length ? mine() : undefined));
    expect(row).toMatchObject({ kind: 'callback', status: 'waiting', dialled_number: CENTRE });
    expect(app.acd.waitingContacts().find((c) => c.id === row!.id)).toMatchObject({ kind: 'callback', dialledNumber: CENTRE });
    await until('the spool emptied', () => (fs.readdirSync(spool).some((f) => f.endsWith('.json')) ? undefined : true));
    expect(await app.acd.missedCallCallback({ callId: row!.external_call_id.slice('fallback-'.length), callerNumber: '0212340001', dialledNumber: CENTRE, at: Date.now() })).toBeNull();
    expect((await mine()).length).toBe(1); // queued once (the stalled call's, test above, was queued before)
  }, 90_000);
  it("without OneCall's evapi connection (the HTTP route service) the caller still gets early media: outside hours, the hours are spoken, not a bare 480", async () => {
    const evapi = t.app.sipEvapi!;
    await until('the evapi connection', () => (evapi.isReady ? true : undefined));
    const closedLines = () => stack.log().split('onecall evapi connection closed (0 left)').length;
    const httpRoutes = () => (stack.log().match(/onecall route ci=\S+ us=\d+ answer=\{"action":"queue"\}/g) ?? []).length;
    const [closedBefore, httpBefore] = [closedLines(), httpRoutes()];
    evapi.close();
    await until('Kamailio without OneCall on evapi', () => (closedLines() > closedBefore ? true : undefined));
    const day = kstDayOf(t.clock.now().getTime());
    await insertClosedDay(t.deps.db, { day, reason: '시험 휴무일', created_by: null, created_at: t.clock.now().toISOString() });
    await t.app.acd.reloadConfig();
    try {
      const rtp = await rtpPeer(false);
      const caller = await earlyMediaCaller('caller_fallback_hangs_up.xml', '0212340009', rtp.port, ['-d', '2500']);
      const r = await caller.done;
      expect(r.code, r.output).toBe(0); // 183 with rtpengine's SDP, the hours spoken, CANCEL → 487
      expect(rtp.received()).toBeGreaterThanOrEqual(100);
      rtp.close();
      // The route went over HTTP (Kamailio logs OneCall's HTTP answer as is).
      expect(httpRoutes()).toBe(httpBefore + 1);
    } finally {
      await deleteClosedDay(t.deps.db, day);
      await t.app.acd.reloadConfig();
    }
  }, 60_000);
});
