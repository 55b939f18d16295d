import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roomHarness, type RoomHarness } from './rooms.harness';

/** Callbacks (callbacks.ts): a caller's place kept as a callback, offered when an agent is free and the centre open. */
describe('Callbacks (the ACD room of callbacks)', () => {
  let h: RoomHarness;
  beforeEach(async () => {
    h = await roomHarness();
  });
  afterEach(async () => h.close());

  it('a callback keeps the caller’s place ahead of later callers and is offered first, the number dialled sealed', async () => {
    const first = await h.call('010-4000-0001');
    h.t.clock.advance(5_000);
    const second = await h.call('010-4000-0002');
    h.t.clock.advance(5_000);
    await h.e.simulator.requestCallback(first.callId, '010-4000-9999');
    const line = h.e.queues.ordered().map((w) => h.e.calls.get(w.id)!);
    expect(line.map((c) => c.kind)).toEqual(['callback', 'call']);
    expect(line[1]!.id).toBe(second.contactId);
    const cb = line[0]!;
    expect(cb).toMatchObject({ originId: first.contactId, virtualStartAt: h.e.calls.get(second.contactId)!.virtualStartAt - 5_000, readyAt: null });
    expect(h.e.counters.centre).toMatchObject({ callbacks: 1, abandoned: 0 });
    expect(await h.eventsOf(first.contactId)).toEqual(['call_offered', 'call_queued', 'callback_requested']);

    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    expect(h.e.agents.get(a)!.contactId).toBe(cb.id);
    expect(h.e.simulator.commands.at(-1)).toMatchObject({ type: 'dial_callback', agentId: a, number: '+821040009999' });
  });

  it('a callback asked for when the centre is closed waits, unoffered, until the centre opens', async () => {
    const a = await h.agent();
    await h.e.agents.setState(a, { status: 'available' }, 'agent');
    h.t.clock.set('2026-11-28T03:00:00.000Z'); // Saturday 12:00 KST: closed
    const { callId } = await h.e.simulator.placeCall({ callerNumber: '010-4000-0003', ivrChoice: '1' });
    await h.e.simulator.requestCallback(callId, '010-4000-0003');
    const [waiting] = h.e.queues.ordered();
    const cb = h.e.calls.get(waiting!.id)!;
    expect(cb).toMatchObject({ kind: 'callback', status: 'waiting', readyAt: Date.parse('2026-11-29T23:30:00.000Z') });
    await h.advance(36 * 3600); // Monday 00:00 KST: still closed
    expect(h.e.agents.get(a)!.snap.status).toBe('available');
    h.t.clock.set('2026-11-29T23:30:00.000Z'); // Monday 08:30 KST
    await h.e.timers.tick();
    expect(h.e.calls.get(cb.id)).toMatchObject({ status: 'reserved', agentId: a });
  });

  it('an outbound 회신 전화 is queued, withdrawn while waiting, and then no longer pending', async () => {
    const queueId = await h.e.callbacks.outboundQueue(true);
    expect(queueId).not.toBeNull();
    const linked: string[] = [];
    const id = await h.e.callbacks.queueOutbound({ number: '010-4000-0004', citizenId: null, queueId: queueId!, readyAt: null }, async (_db, contactId) => void linked.push(contactId));
    expect(linked).toEqual([id]);
    expect(h.e.callbacks.pendingOutbound(queueId!)).toEqual([id]);
    expect(await h.e.callbacks.withdrawOutbound(id)).toBe(true);
    expect(h.e.callbacks.pendingOutbound(queueId!)).toEqual([]);
    expect(await h.e.callbacks.withdrawOutbound(id)).toBe(false);
    const row = await h.t.deps.db.selectFrom('acd_contacts').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('ended');
  });
});
