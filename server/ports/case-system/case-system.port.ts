import type { ClientTls } from '../../lib/json-http';

/**
 * The external administrative case system (새올 or its successor; issue #16 §1). OneCall registers each hand-off,
 * then tells its status changes and its answer; each call carries the outbox message's idempotency key, so a
 * repeated delivery is applied once by the receiver. Failures are DeliveryError (server/ports/delivery.ts):
 * permanent when trying again cannot help (a 4xx refusal), otherwise the outbox retries with backoff.
 */
export interface CaseSystemPort {
  /** Registers a hand-off (the mapped body); answers the external case number. */
  register(idempotencyKey: string, body: Record<string, unknown>): Promise<{ caseNo: string }>;
  /** A status change of a registered case. */
  updateStatus(idempotencyKey: string, caseNo: string, change: { status: string; at: string }): Promise<void>;
  /** The department's answer recorded in OneCall. */
  answer(idempotencyKey: string, caseNo: string, answer: { text: string; at: string }): Promise<void>;
  /** Polling mode: the reports after `cursor` (raw, checked by the caller) and the cursor to ask from next time. */
  poll(cursor: string | null): Promise<{ events: unknown[]; cursor: string | null }>;
}

/** Where and how to reach the case system (settings with the secrets opened, only in memory). */
export type CaseSystemEndpoint = {
  baseUrl: string;
  timeoutMs: number;
  /** Authentication headers (API key or basic), already built. */
  headers: Record<string, string>;
  tls: ClientTls | null;
};
