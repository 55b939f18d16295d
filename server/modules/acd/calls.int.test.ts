import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roomHarness, type RoomHarness } from './rooms.harness';

/** Calls (calls.ts): a call's life from the phone system's events and the agent's buttons on it. */
describe('Calls (the ACD room of a call’s life)', () => {
  let h: RoomHarness;
  beforeEach(async () => {
    h = await roomHarness();
  });
  afterEach(async () => h.close());

  it('a call offered by the phone system enters the line with its events and its masked caller', async () => {
    const { callId, contactId } = await h.call('010-3000-0001');
    expect(h.e.calls.idOf('simulator', callId)).toBe(contactId);
    expect(h.e.calls.get(contactId)).toMatchObject({ status: 'waiting', queueId: h.queueId, callerMasked: '010-****-0001' });
    expect(h.e.calls.positionOf(contactId).position).toBe(1);
    expect(await h.eventsOf(contactId)).toEqual(['call_offered', 'call_queued']);
    const row = await h.t.deps.db.selectFrom('interactions').select(['status', 'caller_number_sealed']).where('id', '=', contactId).executeTakeFirstOrThrow();
    expect(row.caller_number_sealed).not.toContain('3000');
  });

  it('answer, hold, resume and hang-up move the call and the agent; wrap-up keeps the call until it ends', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-3000-0002');
    await h.e.calls.answer(a, contactId, null);
    expect(h.e.calls.get(contactId)!.status).toBe('connected');
    expect((await h.e.calls.holdCall(a, contactId)).status).toBe('on_hold');
    expect(h.e.calls.get(contactId)!.status).toBe('held');
    expect((await h.e.calls.resume(a, contactId)).status).toBe('on_call');
    h.t.clock.advance(40_000);
    expect((await h.e.calls.hangUp(a, contactId)).status).toBe('after_call_work');
    expect(h.e.calls.get(contactId)!.status).toBe('ended'); // still held in memory for the wrap-up
    expect(h.e.agents.get(a)!.callsHandled).toBe(1);
    await h.e.agents.endWrapUp(a);
    expect(h.e.calls.get(contactId)).toBeUndefined();
    expect(await h.eventsOf(contactId)).toEqual(['call_offered', 'call_queued', 'call_reserved', 'call_answered', 'call_held', 'call_resumed', 'call_ended', 'wrap_up_started', 'wrap_up_ended']);
  });

  it('refuses buttons on a call the agent does not hold (NOT_FOUND) or in the wrong state (INVALID_TRANSITION)', async () => {
    const [a, b] = [await h.agent(), await h.agent()];
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-3000-0003');
    await expect(h.e.calls.answer(b, contactId, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(h.e.calls.holdCall(a, contactId)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(h.e.calls.get(contactId)!.status).toBe('reserved');
  });

  it('a caller who hangs up in line is abandoned and counted; repeated and unknown events are ignored', async () => {
    const { callId, contactId } = await h.call('010-3000-0004');
    h.t.clock.advance(25_000);
    expect((await h.e.simulator.callerHangsUp(callId)).outcome).toBe('applied');
    expect(h.e.calls.get(contactId)).toBeUndefined();
    expect(h.e.queues.line).toHaveLength(0);
    expect(h.e.counters.centre).toMatchObject({ offered: 1, abandoned: 1, abandonedAfter: 1 });
    expect(await h.eventsOf(contactId)).toEqual(['call_offered', 'call_queued', 'call_abandoned']);
    expect(await h.e.calls.handleTelephonyEvent('simulator', { type: 'abandoned', eventId: 'late-1', callId, at: h.t.clock.now().toISOString() } as never)).toMatchObject({ outcome: 'ignored' });
    expect(await h.e.calls.handleTelephonyEvent('simulator', { type: 'answered', eventId: 'x-1', callId: 'nobody', at: h.t.clock.now().toISOString() } as never)).toMatchObject({ outcome: 'ignored' });
  });
});
