import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallConnected } from '../../../core/contracts/calls';
import type { RecordCaseResult } from '../../../core/contracts/cases';
import type { CallbackTask, DeliveryStatus } from '../../../core/contracts/notifications';
import { buildApp } from '../../app';
import { createAppDeps } from '../../deps';
import { buildCategoryChain, buildDepartment, buildUser } from '../../test/factories';
import { createTestContext, type TestContext } from '../../test/test-app';

/**
 * 회신 전화 through the ACD (issue #11 §4) on a real database (both dialects): a callback task is queued by the ACD on
 * its outbound queue, offered to an available agent like a call (the simulator phone system dials the citizen), the
 * desk reads the answer and the masked number, and the agent reports told (the hand-off closes) or not reached
 * (tried again two hours later, given up after three attempts, visibly). Fake clock: Friday 2026-11-27 10:00 KST.
 */
describe('callback tasks offered to agents by the ACD (회신 전화)', () => {
  let t: TestContext;
  const ids = { agent: '', agent2: '' };
  const cookie = { agent: '', agent2: '', official: '' };
  let chain: Awaited<ReturnType<typeof buildCategoryChain>>;

  beforeAll(async () => {
    t = await createTestContext({ IDLE_TIMEOUT_MINUTES: '1440' });
    const dept = await buildDepartment(t.deps.db, { name: '세정과' });
    chain = await buildCategoryChain(t.deps.db, dept.id, 'inquiry');
    ids.agent = (await buildUser(t.deps.db, { role: 'agent', login: 'cb-agent' })).id;
    ids.agent2 = (await buildUser(t.deps.db, { role: 'agent', login: 'cb-agent2' })).id;
    await buildUser(t.deps.db, { role: 'official', login: 'cb-official', departmentId: dept.id });
    cookie.agent = await t.signIn('cb-agent');
    cookie.agent2 = await t.signIn('cb-agent2');
    cookie.official = await t.signIn('cb-official');
  }, 60_000);
  afterAll(async () => t.close());

  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, who: keyof typeof cookie, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookie[who] }, ...(payload ? { payload } : {}) });
  const handOffOf = (id: string) => t.deps.db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const taskOf = (handOffId: string) => t.deps.db.selectFrom('callback_tasks').selectAll().where('handoff_id', '=', handOffId).executeTakeFirstOrThrow();
  const acd = () => t.app.acd;
  const current = async (who: 'agent' | 'agent2' = 'agent'): Promise<CallbackTask | null> => {
    const res = await inject('GET', '/api/callback-tasks/current', who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().task;
  };
  const report = (id: string, outcome: 'done' | 'not-reached', who: 'agent' | 'agent2' = 'agent') => inject('POST', `/api/callback-tasks/${id}/${outcome}`, who);

  /** A call from `number`, handed off with "call me back", acknowledged and answered: one open callback task. */
  async function answeredWithCallback(number: string) {
    const call: CallConnected = (await inject('POST', '/api/calls/simulate', 'agent', { callerNumber: number })).json();
    const recorded = await inject('POST', '/api/cases', 'agent', { interactionId: call.interaction.id, categoryId: chain.detail.id, summary: '자동차세 연납 문의', outcome: 'handed_off' });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const result: RecordCaseResult = recorded.json();
    expect((await inject('PUT', `/api/cases/${result.caseId}/reply-preference`, 'agent', { channel: 'callback', consent: true })).statusCode).toBe(200);
    const handOffId = result.handOff!.id;
    expect((await inject('POST', `/api/handoffs/${handOffId}/acknowledge`, 'official')).statusCode).toBe(200);
    expect((await inject('POST', `/api/handoffs/${handOffId}/answer`, 'official', { answer: '1월에 신청하시면 세액의 5%를 공제받습니다.' })).statusCode).toBe(200);
    return { caseId: result.caseId, handOffId };
  }

  /** The agent takes the offered callback (the phone system has dialled the citizen) and returns its contact id. */
  async function takeOffer(agentId: string): Promise<string> {
    const offer = acd().deskState(agentId).offer;
    expect(offer?.contact).toMatchObject({ kind: 'callback', queueName: '회신 전화' });
    await acd().answer(agentId, offer!.contact.id);
    return offer!.contact.id;
  }

  async function finishCall(agentId: string, contactId: string) {
    await acd().hangUp(agentId, contactId);
    await acd().endWrapUp(agentId);
  }

  it('queues the task in the ACD, offers it to the next available agent with the answer to read, and closes the hand-off when told', async () => {
    const h = await answeredWithCallback('010-3100-0001');
    expect(await t.app.callbackCalls.tick()).toEqual({ queued: 1, withdrawn: 0, unreported: 0, unreachable: 0 });
    // Nobody is available: it waits in line on the outbound queue; a second tick does not queue it twice.
    expect(acd().waitingContacts()).toMatchObject([{ kind: 'callback', queueName: '회신 전화', callerNumber: '010-****-0001' }]);
    expect(await t.app.callbackCalls.tick()).toEqual({ queued: 0, withdrawn: 0, unreported: 0, unreachable: 0 });

    await acd().setAgentState(ids.agent, { status: 'available' });
    const offer = acd().deskState(ids.agent).offer!;
    expect(offer.contact).toMatchObject({ kind: 'callback', status: 'reserved' });
    // The phone system dials the citizen's number for the agent.
    expect(acd().simulator.commands.at(-1)).toMatchObject({ type: 'dial_callback', agentId: ids.agent, number: '+821031000001' });

    const task = await current();
    expect(task).toMatchObject({ handOffId: h.handOffId, status: 'open', inCall: true, attempts: 0, maxAttempts: 3, phone: '010-****-0001', departmentName: '세정과' });
    expect(task!.answer).toContain('세액의 5%');
    // Showing the citizen's (masked) number is recorded like any other view of a citizen.
    const access = await t.deps.db.selectFrom('access_records').select('target').where('target', '=', `callback-task:${task!.id}`).execute();
    expect(access.length).toBeGreaterThan(0);
    // Another agent's desk does not show it.
    expect(await current('agent2')).toBeNull();

    const contactId = await takeOffer(ids.agent);
    const done = await report(task!.id, 'done');
    expect(done.statusCode, done.body).toBe(200);
    expect(await handOffOf(h.handOffId)).toMatchObject({ status: 'closed', told_channel: 'callback' });
    await finishCall(ids.agent, contactId);
    expect(await t.app.callbackCalls.tick()).toEqual({ queued: 0, withdrawn: 0, unreported: 0, unreachable: 0 });
    await acd().setAgentState(ids.agent, { status: 'not_ready', reason: 'break' });
  });

  it('not reached: tried again two hours later; after the third attempt the task is given up and shown as such', async () => {
    const h = await answeredWithCallback('010-3100-0002');
    await acd().setAgentState(ids.agent, { status: 'available' });
    expect((await t.app.callbackCalls.tick()).queued).toBe(1);
    const taskId = (await taskOf(h.handOffId)).id;

    for (let attempt = 1; attempt <= 3; attempt++) {
      const contactId = await takeOffer(ids.agent);
      expect(await current()).toMatchObject({ id: taskId, attempts: attempt - 1, inCall: true });
      const res = await report(taskId, 'not-reached');
      expect(res.statusCode, res.body).toBe(200);
      // A second report of the same attempt changes nothing.
      expect((await report(taskId, 'not-reached')).statusCode).toBe(409);
      await finishCall(ids.agent, contactId);
      if (attempt < 3) {
        expect(res.json()).toMatchObject({ status: 'open', attempts: attempt, inCall: false, nextAttemptAt: new Date(t.clock.now().getTime() + attempt * 2 * 3_600_000).toISOString() });
        // Not before its time.
        expect((await t.app.callbackCalls.tick()).queued).toBe(0);
        t.clock.advance(attempt * 2 * 3_600_000);
        expect((await t.app.callbackCalls.tick()).queued).toBe(1);
      } else {
        expect(res.json()).toMatchObject({ status: 'gave_up', attempts: 3, nextAttemptAt: null, inCall: false });
      }
    }
    expect((await t.app.callbackCalls.tick()).queued).toBe(0);
    // The citizen was not told: the hand-off stays answered, and the case and the list of given-up tasks show why.
    expect((await handOffOf(h.handOffId)).status).toBe('answered');
    const delivery: DeliveryStatus = (await inject('GET', `/api/cases/${h.caseId}/delivery`, 'agent')).json();
    expect(delivery.callbackTasks).toMatchObject([{ status: 'gave_up', attempts: 3, maxAttempts: 3 }]);
    const gaveUp: CallbackTask[] = (await inject('GET', '/api/callback-tasks?status=gave_up', 'agent')).json().items;
    expect(gaveUp.map((x) => x.id)).toContain(taskId);
    const events = await t.deps.db.selectFrom('contact_events').select('detail').where('type', '=', 'callback_not_reached').where('handoff_id', '=', h.handOffId).orderBy('at').execute();
    expect(events.map((e) => e.detail)).toEqual(['not_reached', 'not_reached', 'gave_up']);
    expect((await report(taskId, 'done')).statusCode).toBe(409);
    await acd().setAgentState(ids.agent, { status: 'not_ready', reason: 'break' });
  });

  it('takes a queued call back when the citizen was told another way, and counts an attempt left without a report', async () => {
    const told = await answeredWithCallback('010-3100-0003');
    expect((await t.app.callbackCalls.tick()).queued).toBe(1);
    const toldTask = await taskOf(told.handOffId);
    // An agent marks it done from the list (the citizen called in and heard it): the queued call is withdrawn.
    expect((await report(toldTask.id, 'done', 'agent2')).statusCode).toBe(200);
    expect(await t.app.callbackCalls.tick()).toMatchObject({ withdrawn: 1 });
    expect(acd().waitingContacts()).toEqual([]);

    // Also when it already rings an agent: the offer is withdrawn and the agent is free again.
    const ringing = await answeredWithCallback('010-3100-0008');
    await acd().setAgentState(ids.agent, { status: 'available' });
    expect((await t.app.callbackCalls.tick()).queued).toBe(1);
    expect(acd().deskState(ids.agent).offer?.contact.kind).toBe('callback');
    expect((await report((await taskOf(ringing.handOffId)).id, 'done', 'agent2')).statusCode).toBe(200);
    expect(await t.app.callbackCalls.tick()).toMatchObject({ withdrawn: 1 });
    expect(acd().deskState(ids.agent)).toMatchObject({ status: 'available', offer: null });
    await acd().setAgentState(ids.agent, { status: 'not_ready', reason: 'break' });

    const left = await answeredWithCallback('010-3100-0004');
    await acd().setAgentState(ids.agent2, { status: 'available' });
    expect((await t.app.callbackCalls.tick()).queued).toBe(1);
    const contactId = await takeOffer(ids.agent2);
    // The agent hangs up and finishes wrap-up without saying how it went: counted as not reached, tried again later.
    await finishCall(ids.agent2, contactId);
    expect(await t.app.callbackCalls.tick()).toMatchObject({ unreported: 1, queued: 0 });
    expect(await taskOf(left.handOffId)).toMatchObject({ status: 'open', attempts: 1, contact_id: null });
    await acd().setAgentState(ids.agent2, { status: 'not_ready', reason: 'break' });
  });

  it('a restart (a new app on the same database) keeps the queued call once, in line', async () => {
    const h = await answeredWithCallback('010-3100-0005');
    expect((await t.app.callbackCalls.tick()).queued).toBe(1);
    const contactId = (await taskOf(h.handOffId)).contact_id;
    expect(contactId).not.toBeNull();

    const deps2 = createAppDeps(t.deps.config, t.handle, t.clock, t.deps.vault);
    const app2 = await buildApp(deps2, { logger: false });
    await app2.ready();
    try {
      expect(await app2.callbackCalls.tick()).toMatchObject({ queued: 0, unreported: 0 });
      expect(app2.acd.waitingContacts().filter((c) => c.kind === 'callback').map((c) => c.id)).toEqual([contactId]);
      await app2.acd.setAgentState(ids.agent, { status: 'available' });
      expect(app2.acd.deskState(ids.agent).offer?.contact.id).toBe(contactId);
    } finally {
      deps2.messaging.email.close();
      await app2.close();
    }
  });

  it('gives up at once, visibly, a callback to a caller who withheld the number', async () => {
    const call: CallConnected = (await inject('POST', '/api/calls/simulate', 'agent', { callerNumber: '010-3100-0007' })).json();
    // The phone system reported the caller as withheld (발신번호 표시제한): the call's number is "anonymous".
    await t.deps.db.updateTable('interactions').set({ caller_number_sealed: t.deps.vault.seal('anonymous') }).where('id', '=', call.interaction.id).execute();
    const recorded = await inject('POST', '/api/cases', 'agent', { interactionId: call.interaction.id, categoryId: chain.detail.id, summary: '익명 문의', outcome: 'handed_off' });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const { caseId, handOff } = recorded.json() as RecordCaseResult;
    // Nor can the agent record "call me back" on that number: a number must be given.
    const pref = await inject('PUT', `/api/cases/${caseId}/reply-preference`, 'agent', { channel: 'callback', consent: true });
    expect([pref.statusCode, pref.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await inject('PUT', `/api/cases/${caseId}/reply-preference`, 'agent', { channel: 'sms', consent: true })).statusCode).toBe(400);
    expect((await inject('POST', `/api/handoffs/${handOff!.id}/acknowledge`, 'official')).statusCode).toBe(200);
    expect((await inject('POST', `/api/handoffs/${handOff!.id}/answer`, 'official', { answer: '처리했습니다.' })).statusCode).toBe(200);

    const waiting = acd().waitingContacts().length;
    expect(await t.app.callbackCalls.tick()).toMatchObject({ queued: 0, unreachable: 1 });
    // Nothing was put in line to dial "anonymous".
    expect(acd().waitingContacts()).toHaveLength(waiting);
    const delivery: DeliveryStatus = (await inject('GET', `/api/cases/${caseId}/delivery`, 'agent')).json();
    expect(delivery.callbackTasks).toMatchObject([{ status: 'gave_up', reason: 'no_preference', attempts: 0 }]);
    const events = await t.deps.db.selectFrom('contact_events').select('detail').where('type', '=', 'callback_not_reached').where('handoff_id', '=', handOff!.id).execute();
    expect(events).toEqual([{ detail: 'no_number' }]);
  });

  it('refuses reports it cannot apply, with clear codes', async () => {
    const h = await answeredWithCallback('010-3100-0006');
    const task = await taskOf(h.handOffId);
    // Not yet offered to anyone: nothing to report as not reached.
    expect((await report(task.id, 'not-reached')).json().error.code).toBe('CONFLICT');
    expect((await report('0190f5a2-8c1e-7b6a-9d3e-123456789abc', 'not-reached')).statusCode).toBe(404);
    expect((await report('not-an-id', 'not-reached')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/callback-tasks/current', headers: { cookie: cookie.official } })).statusCode).toBe(403);
  });
});
