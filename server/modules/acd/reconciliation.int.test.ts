import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roomHarness, type RoomHarness } from './rooms.harness';

/**
 * Reconciliation (reconciliation.ts): a restart rebuilds calls and agent states from the database; the periodic run
 * corrects drift against the phone system's facts.
 */
describe('Reconciliation (the ACD room that rebuilds and corrects)', () => {
  let h: RoomHarness;
  beforeEach(async () => {
    h = await roomHarness();
  });
  afterEach(async () => h.close());

  it('a restart rebuilds the line, the agents’ states, a call on an agent and today’s counters from the database', async () => {
    const [talker, resting, idle] = [await h.agent(), await h.agent(), await h.agent()];
    await h.e.agents.setState(talker, { status: 'available' }, 'agent');
    const talking = await h.call('010-6000-0001');
    await h.e.calls.answer(talker, talking.contactId, null);
    await h.e.agents.setState(resting, { status: 'not_ready', reason: 'meal' }, 'agent');
    await h.e.agents.setState(talker, { status: 'not_ready', reason: 'break' }, 'agent'); // after this call
    const w1 = await h.call('010-6000-0002');
    h.t.clock.advance(1_000);
    const w2 = await h.call('010-6000-0003');
    const lineBefore = h.e.queues.ordered().map((w) => w.id);
    expect(lineBefore).toEqual([w1.contactId, w2.contactId]);

    const r = await h.restart();
    expect(r.queues.ordered().map((w) => w.id)).toEqual(lineBefore);
    expect(r.calls.get(w1.contactId)).toMatchObject({ status: 'waiting', virtualStartAt: h.e.calls.get(w1.contactId)!.virtualStartAt, callerMasked: '010-****-0002' });
    expect(r.agents.get(talker)).toMatchObject({ contactId: talking.contactId, snap: { status: 'on_call', pendingNotReady: 'break' } });
    expect(r.calls.get(talking.contactId)).toMatchObject({ status: 'connected', agentId: talker });
    expect(r.agents.get(resting)!.snap).toMatchObject({ status: 'not_ready', reason: 'meal' });
    expect(r.agents.get(idle)!.snap.status).toBe('logged_out');
    expect(r.counters.centre).toEqual(h.e.counters.centre);
    // The rebuilt engine keeps going: the talker's pending break lands after the call, the next caller waits.
    await r.calls.hangUp(talker, talking.contactId);
    await r.agents.endWrapUp(talker);
    expect(r.agents.get(talker)!.snap).toMatchObject({ status: 'not_ready', reason: 'break' });
    await r.agents.setState(idle, { status: 'available' }, 'agent');
    expect(r.calls.get(w1.contactId)).toMatchObject({ status: 'reserved', agentId: idle });
  });

  it('an offer whose agent side was lost goes back to its place in line after a restart', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-6000-0004');
    expect(h.e.calls.get(contactId)!.status).toBe('reserved');
    // The agent's row says otherwise (a crash between two writes of an older version): not reserved.
    await h.t.deps.db.updateTable('agent_states').set({ status: 'not_ready', reason: 'break', contact_id: null }).where('user_id', '=', a).execute();
    const r = await h.restart();
    expect(r.calls.get(contactId)).toMatchObject({ status: 'waiting', agentId: null });
    expect(r.queues.ordered().map((w) => w.id)).toEqual([contactId]);
    const row = await h.t.deps.db.selectFrom('acd_contacts').select(['status', 'agent_id']).where('id', '=', contactId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'waiting', agent_id: null });
  });

  it('corrects drift against the phone system: a call gone while waiting is abandoned, one gone while talking ends', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const talking = await h.call('010-6000-0005');
    await h.e.calls.answer(a, talking.contactId, null);
    const waiting = await h.call('010-6000-0006');
    expect(await h.e.reconciliation.reconcile()).toBe(0);
    h.e.simulator.dropSilently(talking.callId);
    h.e.simulator.dropSilently(waiting.callId);
    expect(await h.e.reconciliation.reconcile()).toBe(2);
    expect(h.e.agents.get(a)!.snap.status).toBe('after_call_work');
    expect(h.e.calls.get(waiting.contactId)).toBeUndefined();
    expect(await h.eventsOf(waiting.contactId)).toEqual(['call_offered', 'call_queued', 'call_abandoned']);
    const last = await h.t.deps.db.selectFrom('agent_state_changes').select(['status', 'source']).where('user_id', '=', a).orderBy('at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ status: 'after_call_work', source: 'reconciliation' });
    expect(await h.e.reconciliation.reconcile()).toBe(0);
  });
});
