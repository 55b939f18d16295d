import crypto from 'node:crypto';
import type { TelephonyCommand, TelephonyCommandDraft } from '../../../core/contracts/telephony';
import { AppError } from '../../../core/errors';
import { newId } from '../../lib/ids';
import type { Clock } from '../clock/clock.port';
import type { TelephonyFacts, TelephonyPort } from './telephony.port';

/**
 * The CTI webhook adapter (issue #4, docs/TELEPHONY-WEBHOOK.md): any PBX or CTI middleware posts events to
 * POST /api/telephony/events and receives commands at its own URL, both signed the same way:
 *
 *   X-OneCall-Timestamp: <Unix seconds>
 *   X-OneCall-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * A request older or newer than 5 minutes is stale; an event id seen before is a replay; both are refused like a bad
 * signature (401, each with its own code).
 */
export const TIMESTAMP_HEADER = 'x-onecall-timestamp';
export const SIGNATURE_HEADER = 'x-onecall-signature';
/** How far a request's timestamp may be from the server's clock. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

/** The signature header value of a body sent at `timestamp` (Unix seconds, as a string). */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Checks a delivery's signature and freshness; throws WEBHOOK_SIGNATURE_INVALID (missing or wrong signature or
 * timestamp) or WEBHOOK_STALE (timestamp more than 5 minutes away from `nowMs`). Constant-time comparison.
 */
export function verifyWebhook(secret: string, timestamp: string | undefined, signature: string | undefined, body: string, nowMs: number): void {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) {
    throw new AppError('WEBHOOK_SIGNATURE_INVALID', '서명 또는 시각 헤더가 없거나 형식이 틀렸습니다.');
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    throw new AppError('WEBHOOK_SIGNATURE_INVALID', '서명이 올바르지 않습니다.');
  }
  if (Math.abs(nowMs - Number(timestamp) * 1000) > WEBHOOK_TOLERANCE_MS) {
    throw new AppError('WEBHOOK_STALE', '요청 시각이 허용 범위(5분)를 벗어났습니다.');
  }
}

export type WebhookTelephonyConfig = { secret: string; pbxUrl: string | null; timeoutMs?: number };

/**
 * Sends commands to the PBX's URL as signed JSON (`{ "command": {...} }`); a non-2xx answer or a network failure
 * rejects (the ACD logs it; reconciliation corrects). It knows no live facts: reconciliation only fixes timers.
 */
export class WebhookTelephony implements TelephonyPort {
  readonly name = 'webhook';

  constructor(
    private readonly config: WebhookTelephonyConfig,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async send(command: TelephonyCommandDraft): Promise<void> {
    if (!this.config.pbxUrl) throw new Error('TELEPHONY_PBX_URL is not configured: command not sent');
    const full = { ...command, commandId: newId() } as TelephonyCommand;
    const body = JSON.stringify({ command: full });
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const res = await this.fetchImpl(this.config.pbxUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(this.config.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 5_000),
    });
    if (!res.ok) throw new Error(`PBX answered ${res.status} to ${full.type}`);
  }

  async facts(): Promise<TelephonyFacts> {
    return { liveCallIds: null, registeredAgentIds: null };
  }
}
