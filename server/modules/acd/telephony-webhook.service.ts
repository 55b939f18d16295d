import { TelephonyEventSchema, type TelephonyEventResult } from '../../../core/contracts/telephony';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { verifyWebhook } from '../../ports/telephony/webhook.adapter';
import { recordWebhookEvent } from './acd.repository';
import type { AcdService } from './acd.service';

/** One delivery of the CTI webhook as it came in: the raw body (signed as is) and the two headers. */
export type WebhookDelivery = { raw: string; timestamp: string | undefined; signature: string | undefined };

/**
 * Accepts one webhook delivery (docs/TELEPHONY-WEBHOOK.md): signature → freshness → JSON → schema → replay (the
 * event id is recorded; a second delivery of it is refused) → the ACD, which answers idempotently.
 */
export async function receiveWebhookEvent(deps: AppDeps, acd: AcdService, delivery: WebhookDelivery): Promise<TelephonyEventResult> {
  const secret = deps.config.telephony.webhookSecret;
  if (!secret) throw new AppError('SERVICE_UNAVAILABLE', 'CTI 웹훅이 설정되지 않았습니다 (TELEPHONY_WEBHOOK_SECRET).');
  const now = deps.clock.now();
  verifyWebhook(secret, delivery.timestamp, delivery.signature, delivery.raw, now.getTime());
  let json: unknown;
  try {
    json = JSON.parse(delivery.raw);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'JSON 형식이 올바르지 않습니다.');
  }
  const parsed = TelephonyEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new AppError('VALIDATION_FAILED', '이벤트 형식이 올바르지 않습니다.', { issues });
  }
  if (!(await recordWebhookEvent(deps.db, parsed.data.eventId, now.toISOString()))) {
    throw new AppError('WEBHOOK_REPLAYED', '이미 처리한 이벤트입니다.', { eventId: parsed.data.eventId });
  }
  return acd.handleTelephonyEvent('webhook', parsed.data);
}
