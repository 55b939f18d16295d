import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roomHarness, type RoomHarness } from './rooms.harness';

/** Timers (timers.ts): everything due runs on the injected clock, when ticked, and never early. */
describe('Timers (the ACD room of time)', () => {
  let h: RoomHarness;
  beforeEach(async () => {
    h = await roomHarness({ offerTimeoutSeconds: 15, wrapUpSeconds: 30, maxMissedOffers: 5 });
  });
  afterEach(async () => h.close());

  it('fires on the fake clock only: a tick before the time changes nothing, the clock passing alone changes nothing', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const start = h.t.clock.now().getTime();
    await h.call('010-5000-0001');
    expect(h.e.agents.get(a)!.snap.timerEndsAt).toBe(start + 15_000);
    expect(h.e.timers.nextDueAt()).toBe(start + 10_000); // the reconciler's run comes first
    await h.advance(14.999);
    expect(h.e.agents.get(a)!.snap.status).toBe('reserved');
    h.t.clock.advance(10);
    // The clock has passed the timeout but nobody ticked (manual timers): still reserved.
    expect(h.e.agents.get(a)!.snap.status).toBe('reserved');
    await h.e.timers.tick();
    expect(h.e.agents.get(a)!.snap).toMatchObject({ status: 'available', missedOffers: 1 });
    // The lone agent gets the call again when the 15 s pass-over ends, at that tick and not before.
    await h.advance(14.9);
    expect(h.e.agents.get(a)!.snap.status).toBe('available');
    await h.advance(0.1);
    expect(h.e.agents.get(a)!.snap.status).toBe('reserved');
  });

  it('ends wrap-up at its time, later when extended', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-5000-0002');
    await h.e.calls.answer(a, contactId, null);
    await h.e.calls.hangUp(a, contactId);
    await h.advance(29);
    expect(h.e.agents.get(a)!.snap.status).toBe('after_call_work');
    await h.e.agents.extendWrapUp(a);
    await h.advance(30);
    expect(h.e.agents.get(a)!.snap.status).toBe('after_call_work');
    await h.advance(1);
    expect(h.e.agents.get(a)!.snap.status).toBe('available');
  });

  it('a timer set for an older state is checked against the state now (an answered offer does not time out)', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-5000-0003');
    await h.e.calls.answer(a, contactId, null);
    await h.advance(60);
    expect(h.e.agents.get(a)!.snap).toMatchObject({ status: 'on_call', missedOffers: 0 });
  });

  it('runs the reconciler every interval, and not before', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { callId, contactId } = await h.call('010-5000-0004');
    await h.e.calls.answer(a, contactId, null);
    h.e.simulator.dropSilently(callId);
    await h.advance(9);
    expect(h.e.agents.get(a)!.snap.status).toBe('on_call');
    await h.advance(1);
    expect(h.e.agents.get(a)!.snap.status).toBe('after_call_work');
  });
});
