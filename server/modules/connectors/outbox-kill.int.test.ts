import { describe, expect, it } from 'vitest';
import { deliverAcrossKill } from '../../../bench/outbox.bench';

/**
 * The case-system link across a real kill -9 (issue #16 §1), small: the outbox worker runs in its own process
 * (bench/outbox-worker.child.ts) on a SQLite file, is killed with SIGKILL half-way through its second batch, and a new
 * worker process takes over the dead one's leased messages once the lease (1 s here) has run out. Nothing is lost,
 * nothing is applied twice at the receiver (a repeat is dropped by its Idempotency-Key), and every hand-off's four
 * messages arrive in order. SQLite only (the worker processes share the database file); the bench runs it at size.
 */
describe('outbox worker killed with SIGKILL mid-batch', () => {
  it('a new worker takes over after the lease: 0 lost, 0 applied twice, in order', async () => {
    const r = await deliverAcrossKill({ n: 40, leaseMs: 1000, killInBatch: 1 });
    expect(r.secondExit).toBe(0);
    // Killed mid-batch: messages were leased by the dead worker, and the new one waited for the lease before sending them.
    expect(r.receivedAtKill).toBeGreaterThan(40);
    expect(r.receivedAtKill).toBeLessThan(120);
    expect(r.leasedAtKill).toBeGreaterThan(0);
    expect(r.leasedDelivered).toBe(r.leasedAtKill);
    expect(r.takeoverMs).toBeGreaterThan(0);
    expect(r.sent).toBe(r.total);
    expect(r.lost).toBe(0);
    expect(r.twice).toBe(0);
    expect(r.exact).toBe(r.n);
    expect(r.applied).toBe(r.total);
  }, 120_000);
});
