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

  it('logging out while an offer rings sends the call back to its place; logging out on a call is refused', async () => {
    const [a, b] = [await h.agent(), await h.agent()];
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-7000-0004');
    expect(h.e.calls.get(contactId)!.agentId).toBe(a);
    await h.e.agents.setState(a, { status: 'logged_out' }, 'agent');
    expect(h.e.calls.get(contactId)).toMatchObject({ status: 'waiting', agentId: null });
    expect(h.e.agents.get(a)!.snap.missedOffers).toBe(0);
    await h.e.agents.setState(b, { status: 'available' }, 'agent');
    await h.e.calls.answer(b, contactId, null);
    await expect(h.e.agents.setState(b, { status: 'logged_out' }, 'supervisor')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(h.e.agents.deskState(b).status).toBe('on_call');
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
