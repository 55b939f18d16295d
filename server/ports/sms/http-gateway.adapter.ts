import { z } from 'zod';
import type { Clock } from '../clock/clock.port';
import { DeliveryError, type Delivered } from '../delivery';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../telephony/webhook.adapter';
import type { SmsMessage, SmsPort } from './sms.port';

export type HttpSmsGatewayConfig = { url: string; secret: string; sender: string; timeoutMs?: number };

/** What the gateway must answer (2xx): its id of the message and that it took it. */
const GatewayAnswerSchema = z.object({
  messageId: z.string().min(1).max(200),
  status: z.enum(['accepted', 'queued', 'sent']),
});

/**
 * SMS through an HTTP gateway: a small relay in front of a Korean SMS provider (the provider's own API differs from
 * vendor to vendor; the relay maps this one request to it). OneCall posts
 *
 *   POST SMS_GATEWAY_URL   Content-Type: application/json
 *   X-OneCall-Timestamp: <Unix seconds>
 *   X-OneCall-Signature: v1=<hex HMAC-SHA256(SMS_GATEWAY_SECRET, "<timestamp>.<raw body>")>
 *   Idempotency-Key: <message id>
 *   {"id": "<message id>", "to": "01012345678", "from": SMS_SENDER, "text": "…", "kind": "sms" | "lms"}
 *
 * signed like the CTI webhook (docs/TELEPHONY-WEBHOOK.md), and expects `200 {"messageId": "…", "status":
 * "accepted" | "queued" | "sent"}`. 5xx, 408, 429, a timeout, a lost connection or a malformed answer are worth
 * another try; any other 4xx is a refusal (a wrong number, a blocked sender) and final.
 */
export class HttpSmsGateway implements SmsPort {
  readonly name = 'http-gateway';

  constructor(
    private readonly config: HttpSmsGatewayConfig,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async send(message: SmsMessage): Promise<Delivered> {
    const body = JSON.stringify({ id: message.id, to: message.to, from: this.config.sender, text: message.text, kind: message.kind });
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const timeoutMs = this.config.timeoutMs ?? 10_000;
    let res: Response;
    try {
      res = await this.fetchImpl(this.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signWebhook(this.config.secret, timestamp, body),
          'idempotency-key': message.id,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') throw new DeliveryError(`SMS 게이트웨이 응답 없음 (${timeoutMs / 1000}초 초과)`, false);
      throw new DeliveryError('SMS 게이트웨이에 연결하지 못했습니다.', false);
    }
    if (!res.ok) {
      await res.body?.cancel();
      const retry = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new DeliveryError(`SMS 게이트웨이 오류 HTTP ${res.status}`, !retry);
    }
    let answer: unknown;
    try {
      answer = await res.json();
    } catch {
      throw new DeliveryError('SMS 게이트웨이 응답 형식 오류 (JSON 아님)', false);
    }
    const parsed = GatewayAnswerSchema.safeParse(answer);
    if (!parsed.success) throw new DeliveryError('SMS 게이트웨이 응답 형식 오류', false);
    return { providerId: parsed.data.messageId };
  }
}
