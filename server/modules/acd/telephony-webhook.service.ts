import { refuseUnsafeText } from '../../../core/contracts/common';
import { TelephonyEventSchema, type TelephonyEventResult } from '../../../core/contracts/telephony';
import { AppError } from '../../../core/errors';
import type { AppDeps } from '../../deps';
import { verifyWebhook } from '../../ports/telephony/webhook.adapter';
import { hasWebhookEvent, recordWebhookEvent } from './acd.repository';
import type { AcdService } from './acd.service';

/** One delivery of the CTI webhook as it came in: the raw body (signed as is) and the two headers. */
export type WebhookDelivery = { raw: string; timestamp: string | undefined; signature: string | undefined };

/** The webhook's body: the event, refusing lone surrogates and NUL like every other HTTP body. */
const WebhookEventSchema = refuseUnsafeText(TelephonyEventSchema);

const replayed = (eventId: string) => new AppError('WEBHOOK_REPLAYED', '이미 처리한 이벤트입니다.', { eventId });

/**
 * Accepts one webhook delivery (docs/TELEPHONY-WEBHOOK.md): signature → freshness → JSON → schema → replay (an event
 * id accepted before is refused) → the ACD. Exactly once: the event id is recorded in the ACD's own transaction, so
 * an event is applied and marked delivered together or not at all; a failure in between leaves neither, and the
 * PBX's retry is applied (issue #10, finding 11). An event the ACD ignores changes nothing; its id is recorded after.
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
  const parsed = WebhookEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const fields = [...new Set(issues.map((i) => i.path).filter(Boolean))];
    throw new AppError('VALIDATION_FAILED', `이벤트 형식이 올바르지 않습니다${fields.length > 0 ? ` (${fields.slice(0, 5).join(', ')})` : ''}.`, { issues, fields });
  }
  const { eventId } = parsed.data;
  const at = now.toISOString();
  if (await hasWebhookEvent(deps.db, eventId)) throw replayed(eventId);
  const result = await acd.handleTelephonyEvent('webhook', parsed.data, async (trx) => {
    // Another node took the same delivery a moment ago: refuse, which rolls this one back.
    if (!(await recordWebhookEvent(trx, eventId, at))) throw replayed(eventId);
  });
  // duplicate_event: the same id is being applied by another delivery right now, which records it (or fails and is retried).
  if (result.outcome === 'ignored' && result.reason !== 'duplicate_event') await recordWebhookEvent(deps.db, eventId, at);
  return result;
}
