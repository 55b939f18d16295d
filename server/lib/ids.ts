import { randomUUID } from 'node:crypto';

let lastMs = -1;
let counter = 0;

/**
 * App-generated, time-ordered UUIDv7 keys (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, a 12-bit counter
 * in rand_a (§6.2 method 1) so ids made in one process are strictly increasing even within one millisecond (events
 * of one use case keep their order), then random bits. Built from Node's randomUUID() (whose entropy is batched)
 * because it is ~8× cheaper than the uuid package's v7 on the case-recording hot path.
 */
export function newId(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = Math.floor(Math.random() * 0x400); // start in the lower quarter: room to count up
  } else if (++counter > 0xfff) {
    lastMs += 1; // counter exhausted: borrow the next millisecond, as §6.2 allows
    counter = 0;
  }
  const ts = lastMs.toString(16).padStart(12, '0');
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}${randomUUID().slice(18)}`;
}
