import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roomHarness, type RoomHarness } from './rooms.harness';

/** Agent states (agent-states.ts): the agent's buttons, each change written to the state row and its log. */
describe('Agent states (the ACD room of the people on the phones)', () => {
  let h: RoomHarness;
  beforeEach(async () => {
    h = await roomHarness();
  });
  afterEach(async () => h.close());

  const changes = async (agentId: string) =>
    (await h.t.deps.db.selectFrom('agent_state_changes').select(['status', 'reason', 'source']).where('user_id', '=', agentId).orderBy('at').orderBy('id').execute()).map((r) => `${r.status}${r.reason ? `/${r.reason}` : ''}`);

  it('available logs the agent in first; each change is logged and the state row follows', async () => {
    const a = await h.agent();
    expect(h.e.agents.deskState(a).status).toBe('logged_out');
    expect((await h.e.agents.setState(a, { status: 'available' }, 'agent')).status).toBe('available');
    await h.e.agents.setState(a, { status: 'not_ready', reason: 'meal' }, 'agent');
    await h.e.agents.setState(a, { status: 'logged_out' }, 'agent');
    expect(await changes(a)).toEqual(['not_ready/login', 'available', 'not_ready/meal', 'logged_out']);
    const row = await h.t.deps.db.selectFrom('agent_states').select(['status', 'reason']).where('user_id', '=', a).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'logged_out', reason: null });
  });

  it('not ready asked during a call waits for the end of wrap-up, and the agent gets no offer meanwhile', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-7000-0001');
    await h.e.calls.answer(a, contactId, null);
    const desk = await h.e.agents.setState(a, { status: 'not_ready', reason: 'break' }, 'agent');
    expect(desk).toMatchObject({ status: 'on_call', pendingNotReady: 'break' });
    expect(h.e.agents.activity(a)).toEqual({ status: 'on_call', contactId, pendingNotReady: 'break', pendingLogout: false });
    await h.call('010-7000-0002'); // waits
    await h.e.calls.hangUp(a, contactId);
    await h.advance(30);
    expect(h.e.agents.deskState(a)).toMatchObject({ status: 'not_ready', reason: 'break', pendingNotReady: null });
    expect(h.e.queues.line).toHaveLength(1);
  });

  it('available during a call cancels a pending not-ready', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-7000-0003');
    await h.e.calls.answer(a, contactId, null);
    await h.e.agents.setState(a, { status: 'not_ready', reason: 'break' }, 'agent');
    expect((await h.e.agents.setState(a, { status: 'available' }, 'agent')).pendingNotReady).toBeNull();
    await h.e.calls.hangUp(a, contactId);
    await h.e.agents.endWrapUp(a);
    expect(h.e.agents.deskState(a).status).toBe('available');
  });

  it('logging out during after-call work while a call waits: the call is not reserved for the leaving agent, the next agent gets it', async () => {
    const [a, b] = [await h.agent(), await h.agent()];
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const first = await h.call('010-7000-0011');
    await h.e.calls.answer(a, first.contactId, null);
    await h.e.calls.hangUp(a, first.contactId);
    expect(h.e.agents.deskState(a).status).toBe('after_call_work');
    const { contactId } = await h.call('010-7000-0012'); // waits: nobody is free
    expect(h.e.calls.get(contactId)).toMatchObject({ status: 'waiting', agentId: null });
    await h.e.agents.setState(a, { status: 'logged_out' }, 'agent');
    // Before: the end of the wrap-up offered the waiting call to A, then A logged out with it still reserved — a call
    // offered to nobody, for good.
    expect(h.e.agents.deskState(a)).toMatchObject({ status: 'logged_out', contact: null, offer: null });
    expect(h.e.calls.get(contactId)).toMatchObject({ status: 'waiting', agentId: null });
    await h.e.agents.setState(b, { status: 'available' }, 'agent');
    expect(h.e.calls.get(contactId)).toMatchObject({ status: 'reserved', agentId: b });
  });

  it('logging out while an offer rings sends the call back to its place, with no miss counted', async () => {
    const [a, b] = [await h.agent(), await h.agent()];
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-7000-0004');
    expect(h.e.calls.get(contactId)!.agentId).toBe(a);
    await h.e.agents.setState(a, { status: 'logged_out' }, 'agent');
    expect(h.e.calls.get(contactId)).toMatchObject({ status: 'waiting', agentId: null });
    expect(h.e.agents.get(a)!.snap).toMatchObject({ status: 'logged_out', missedOffers: 0 });
    await h.e.agents.setState(b, { status: 'available' }, 'agent');
    expect(h.e.calls.get(contactId)).toMatchObject({ status: 'reserved', agentId: b });
  });

  it('log out after this call (#19): the agent finishes the call and its wrap-up, gets no offer meanwhile, then is logged out', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-7000-0007');
    await h.e.calls.answer(a, contactId, null);
    expect(await h.e.agents.setState(a, { status: 'logged_out' }, 'agent')).toMatchObject({ status: 'on_call', pendingLogout: true });
    expect(h.e.agents.activity(a)).toMatchObject({ status: 'on_call', pendingLogout: true, pendingNotReady: null });
    // It survives a restart like a pending not-ready.
    const r = await h.restart();
    expect(r.agents.get(a)!.snap).toMatchObject({ status: 'on_call', pendingLogout: true });
    await h.e.calls.hangUp(a, contactId);
    const waiting = await h.call('010-7000-0008');
    await h.advance(29);
    expect(h.e.agents.get(a)!.snap.status).toBe('after_call_work');
    expect(h.e.calls.get(waiting.contactId)!.status).toBe('waiting');
    await h.advance(1);
    expect(h.e.agents.deskState(a)).toMatchObject({ status: 'logged_out', pendingLogout: false });
    expect(h.e.calls.get(waiting.contactId)!.status).toBe('waiting');
    expect((await changes(a)).slice(-3)).toEqual(['on_call', 'after_call_work', 'logged_out']);
    const row = await h.t.deps.db.selectFrom('agent_states').select(['status', 'pending_logout']).where('user_id', '=', a).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'logged_out', pending_logout: 0 });
  });

  it('end of shift (#19) is a not-ready reason the agent may choose, now or after the call', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-7000-0009');
    await h.e.calls.answer(a, contactId, null);
    await h.e.agents.setState(a, { status: 'not_ready', reason: 'end_of_shift' }, 'agent');
    expect(h.e.agents.activity(a)).toMatchObject({ pendingNotReady: 'end_of_shift', pendingLogout: false });
    await h.e.calls.hangUp(a, contactId);
    await h.e.agents.endWrapUp(a);
    expect(h.e.agents.deskState(a)).toMatchObject({ status: 'not_ready', reason: 'end_of_shift' });
    await h.e.agents.setState(a, { status: 'logged_out' }, 'agent');
    expect((await changes(a)).slice(-2)).toEqual(['not_ready/end_of_shift', 'logged_out']);
  });

  it('counts the calls an agent handled today', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    for (const n of ['010-7000-0005', '010-7000-0006']) {
      const { contactId } = await h.call(n);
      await h.e.calls.answer(a, contactId, null);
      await h.e.calls.hangUp(a, contactId);
      await h.e.agents.endWrapUp(a);
    }
    expect(h.e.agents.deskState(a)).toMatchObject({ status: 'available', callsHandledToday: 2 });
  });
});
