import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REOFFER_AFTER_MISS_MS, type AcdNotice } from './model';
import { roomHarness, type RoomHarness } from './rooms.harness';

/** Offers (offers.ts): the routing decision, the reservation with its timeout, and what a reject or a miss does. */
describe('Offers (the ACD room that reserves an agent for a contact)', () => {
  let h: RoomHarness;
  beforeEach(async () => {
    h = await roomHarness({ offerTimeoutSeconds: 15, maxMissedOffers: 2 });
  });
  afterEach(async () => h.close());

  it('reserves the longest-idle agent with the ring timeout, tells the phone system, and keeps the offer for the desk', async () => {
    const [first, second] = [await h.agent(), await h.agent()];
    await h.e.agents.setState(first, { status: 'available' }, 'agent');
    h.t.clock.advance(1000);
    await h.e.agents.setState(second, { status: 'available' }, 'agent');
    const { callId, contactId } = await h.call('010-2000-0001');
    const c = h.e.calls.get(contactId)!;
    expect(c).toMatchObject({ status: 'reserved', agentId: first, offerExpiresAt: h.t.clock.now().getTime() + 15_000 });
    expect(h.e.agents.get(first)!.snap.status).toBe('reserved');
    expect(h.e.agents.get(second)!.snap.status).toBe('available');
    expect(h.e.simulator.commands.at(-1)).toMatchObject({ type: 'offer', callId, agentId: first, timeoutSeconds: 15 });
    expect(h.e.offers.offerOf(c)).toMatchObject({ contact: { id: contactId }, expiresAt: new Date(c.offerExpiresAt!).toISOString() });
    expect(await h.eventsOf(contactId)).toEqual(['call_offered', 'call_queued', 'call_reserved']);
  });

  it('a rejected offer goes back to its place and to the next agent, and is not a miss', async () => {
    const [a, b] = [await h.agent(), await h.agent()];
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { contactId } = await h.call('010-2000-0002');
    h.t.clock.advance(2000);
    const later = await h.call('010-2000-0003'); // waits behind the first (nobody free)
    const placeBefore = h.e.calls.get(contactId)!.virtualStartAt;

    // a asked for a break after this offer, so he takes nothing else: the line shows where the rejected call went.
    await h.e.agents.setState(a, { status: 'not_ready', reason: 'break' }, 'agent');
    await h.e.offers.reject(a, contactId);
    // Back in line ahead of the later call (its own place), passed over by a for a while; a has no miss counted.
    expect(h.e.queues.ordered().map((w) => w.id)).toEqual([contactId, later.contactId]);
    expect(h.e.agents.get(a)!.snap).toMatchObject({ status: 'not_ready', reason: 'break', missedOffers: 0 });
    expect(h.e.calls.get(contactId)).toMatchObject({ status: 'waiting', virtualStartAt: placeBefore, excluded: [a] });
    expect(h.e.calls.get(contactId)!.excludedUntil).toBe(h.t.clock.now().getTime() + REOFFER_AFTER_MISS_MS);
    const missed = await h.t.deps.db.selectFrom('contact_events').select('data').where('interaction_id', '=', contactId).where('type', '=', 'call_offer_missed').executeTakeFirstOrThrow();
    expect(JSON.parse(missed.data!)).toMatchObject({ reason: 'rejected', missedOffers: 0 });

    // The next agent to come in gets it at once.
    await h.e.agents.setState(b, { status: 'available' }, 'agent');
    expect(h.e.calls.get(contactId)).toMatchObject({ status: 'reserved', agentId: b });
  });

  it('a timed-out offer is a miss: it counts, the contact goes to the next agent, and the limit auto-pauses', async () => {
    const [a, b] = [await h.agent(), await h.agent()];
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    h.t.clock.advance(1000);
    await h.e.agents.setState(b, { status: 'available' }, 'agent');
    const first = await h.call('010-2000-0004');
    expect(h.e.calls.get(first.contactId)!.agentId).toBe(a);
    await h.advance(14);
    expect(h.e.agents.get(a)!.snap.status).toBe('reserved');
    await h.advance(1);
    expect(h.e.agents.get(a)!.snap).toMatchObject({ status: 'available', missedOffers: 1 });
    expect(h.e.calls.get(first.contactId)).toMatchObject({ status: 'reserved', agentId: b });
    const missed = await h.t.deps.db.selectFrom('contact_events').select('data').where('interaction_id', '=', first.contactId).where('type', '=', 'call_offer_missed').executeTakeFirstOrThrow();
    expect(JSON.parse(missed.data!)).toMatchObject({ reason: 'timeout', missedOffers: 1 });

    await h.e.calls.answer(b, first.contactId, null);
    // A second miss in a row reaches the limit (2): not ready, reason missed, no more offers.
    const second = await h.call('010-2000-0005');
    expect(h.e.calls.get(second.contactId)!.agentId).toBe(a);
    await h.advance(15);
    expect(h.e.agents.get(a)!.snap).toMatchObject({ status: 'not_ready', reason: 'missed', missedOffers: 2 });
    expect(h.e.calls.get(second.contactId)!.status).toBe('waiting');
  });

  it('a withdrawn offer (the caller hung up while it rang) is neither a miss nor requeued', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const { callId, contactId } = await h.call('010-2000-0006');
    await h.e.simulator.callerHangsUp(callId);
    expect(h.e.agents.get(a)!.snap).toMatchObject({ status: 'available', missedOffers: 0 });
    expect(h.e.calls.get(contactId)).toBeUndefined();
    expect(h.e.queues.line).toHaveLength(0);
    expect(await h.eventsOf(contactId)).toEqual(['call_offered', 'call_queued', 'call_reserved', 'call_abandoned']);
  });

  it('a decision the phone system waits for (desksLater: a SIP route request) is answered before its desk messages, which follow on the next turn and before those of any later decision', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const seen: string[] = [];
    const label = (n: AcdNotice) => (n.kind === 'agent' ? (n.message.type === 'call.event' ? `call.event ${n.message.event}` : n.type) : n.kind);
    h.e.listeners.add((n) => seen.push(label(n)));
    const offered = { type: 'offered', eventId: 'ev-route-1', callId: 'route-1', at: h.t.clock.now().toISOString(), callerNumber: '010-2000-0007', dialledNumber: '120', ivrChoice: '1', priority: 0 } as const;

    const r = await h.e.calls.handleTelephonyEvent('simulator', offered, undefined, { desksLater: true });
    // Answered: written (its events are in the database) and the phone system has its command; the desk has nothing yet.
    expect(r.decision).toMatchObject({ action: 'agent', agentId: a });
    const contactId = r.decision!.contactId!;
    expect(await h.eventsOf(contactId)).toEqual(['call_offered', 'call_queued', 'call_reserved']);
    expect(h.e.simulator.commands.at(-1)).toMatchObject({ type: 'offer', callId: 'route-1', agentId: a });
    expect(seen).toEqual([]);

    // A later decision (another caller, who waits: the agent is taken) sends its messages only after the offer's.
    const second = await h.call('010-2000-0009');
    expect(h.e.calls.get(second.contactId)!.status).toBe('waiting');
    expect(seen).toEqual(['offer', 'agent.state', 'wallboard_changed', 'wallboard_changed']);
    expect(h.e.offers.offerOf(h.e.calls.get(contactId)!)?.contact.id).toBe(contactId);
  });

  it('desk messages of decisions the phone system waits for go out after them, in the decisions\' order', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const seen: string[] = [];
    h.e.listeners.add((n) => seen.push(n.kind === 'agent' ? n.type : n.kind));
    const offered = (n: number) => ({ type: 'offered', eventId: `ev-route-${n}`, callId: `route-${n}`, at: h.t.clock.now().toISOString(), callerNumber: `010-2000-001${n}`, dialledNumber: '120', ivrChoice: '1', priority: 0 }) as const;
    await h.e.calls.handleTelephonyEvent('simulator', offered(1), undefined, { desksLater: true });
    expect(seen).toEqual([]);
    // (On PostgreSQL the second decision's queries take turns of the event loop: the first's messages may go meanwhile.)
    await h.e.calls.handleTelephonyEvent('simulator', offered(2), undefined, { desksLater: true });
    await h.e.drainCommands();
    expect(seen).toEqual(['offer', 'agent.state', 'wallboard_changed', 'wallboard_changed']);
  });

  it('without desksLater a decision resolves after its desk messages (the default: HTTP, the simulator, the webhook)', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    const seen: string[] = [];
    h.e.listeners.add((n) => seen.push(n.kind === 'agent' ? n.type : n.kind));
    await h.call('010-2000-0008');
    expect(seen).toEqual(['offer', 'agent.state', 'wallboard_changed']);
  });
});
