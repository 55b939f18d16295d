import { maskPersonalData } from '../../../core/domain/pii';
import { retryDelayMs } from '../../../core/domain/notifications';
import type { AppDeps } from '../../deps';
import { DeliveryError, type Delivered } from '../../ports/delivery';
import { OUTBOX_KINDS } from './outbox-kinds';
import { claimDueMessages, markMessageFailed, markMessageSent, type OutboxRow } from './outbox.repository';

/** What a queued message carries (sealed as JSON in payload_sealed). */
export type OutboxPayload = { to: string; text: string; subject?: string; smsKind?: 'sms' | 'lms' };

export type DrainResult = { sent: number; retrying: number; failed: number };

/** How long a worker holds the messages it took: longer than a send can take (the adapters time out at 10–15 s). */
const LEASE_MS = 60_000;

type DrainDeps = Pick<AppDeps, 'db' | 'vault' | 'messaging'>;

/**
 * Sends every message due at `now` (at most `concurrency` at once), then records each outcome in its own transaction
 * with what it means (outbox-kinds.ts): delivered → sent; a permanent failure or the last attempt → failed for good
 * (e.g. a callback task); otherwise pending again after the backoff (30 s doubling, core/domain/notifications.ts).
 * Repeats until nothing is due. Tests and the bench call it directly; the server's OutboxWorker calls it every second.
 */
export async function drainOutbox(deps: DrainDeps, now: Date, options: { batchSize?: number; concurrency?: number; leaseMs?: number } = {}): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retrying: 0, failed: 0 };
  const at = now.toISOString();
  // leaseMs: the crash bench shortens it so a new worker takes over within seconds instead of a minute.
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? LEASE_MS)).toISOString();
  const concurrency = options.concurrency ?? 16;
  for (;;) {
    const batch = await claimDueMessages(deps.db, at, leaseUntil, options.batchSize ?? 200);
    if (batch.length === 0) return result;
    let next = 0;
    const lane = async () => {
      while (next < batch.length) {
        const message = batch[next++]!;
        result[await deliverOne(deps, message, now)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, lane));
  }
}

async function deliverOne(deps: DrainDeps, m: OutboxRow, now: Date): Promise<keyof DrainResult> {
  const at = now.toISOString();
  const kind = OUTBOX_KINDS[m.kind];
  let error: DeliveryError | null = null;
  try {
    await send(deps, m);
  } catch (err) {
    // Anything else (a bug, a payload the vault cannot open) is reported like a channel failure, never lost.
    error = err instanceof DeliveryError ? err : new DeliveryError(`발송 중 오류: ${err instanceof Error ? err.name : 'unknown'}`, false);
  }
  if (!error) {
    // If this write fails the lease runs out and the message goes again: at least once, never silently lost.
    await deps.db.transaction().execute(async (trx) => {
      if (await markMessageSent(trx, m.id, at)) await kind?.onSent(trx, m, at, deps);
    });
    return 'sent';
  }
  const attempts = m.attempts + 1;
  const givesUp = error.permanent || attempts >= m.max_attempts;
  const lastError = maskPersonalData(error.message).text.slice(0, 500);
  const nextAt = givesUp ? null : new Date(now.getTime() + retryDelayMs(attempts)).toISOString();
  await deps.db.transaction().execute(async (trx) => {
    if ((await markMessageFailed(trx, m.id, at, lastError, nextAt)) && givesUp) await kind?.onGaveUp(trx, m, at);
  });
  return givesUp ? 'failed' : 'retrying';
}

function send(deps: DrainDeps, m: OutboxRow): Promise<Delivered> {
  const own = OUTBOX_KINDS[m.kind]?.deliver;
  if (own) return own(deps, m);
  const payload = JSON.parse(deps.vault.open(m.payload_sealed)) as OutboxPayload;
  if (m.channel === 'sms') return deps.messaging.sms.send({ id: m.id, to: payload.to, text: payload.text, kind: payload.smsKind ?? 'lms' });
  return deps.messaging.email.send({ id: m.id, to: payload.to, subject: payload.subject ?? '', text: payload.text });
}

/**
 * The outbox in the server process: `tick()` drains what is due on deps.clock; `start()` ticks every second (a
 * message queued by an answer goes out within about a second). Pending messages live in the database, so a restart
 * resumes them; a worker that died mid-send leaves a lease that runs out after a minute.
 */
export class OutboxWorker {
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'vault' | 'messaging' | 'clock'>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  async tick(): Promise<DrainResult | null> {
    if (this.running) return null;
    this.running = true;
    try {
      return await drainOutbox(this.deps, this.deps.clock.now());
    } catch (err) {
      this.onError(err);
      return null;
    } finally {
      this.running = false;
    }
  }

  start(intervalMs = 1_000): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
