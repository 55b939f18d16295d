import type { Delivered } from '../delivery';

/**
 * One text message to a citizen's phone. `to`: domestic digits as Korean providers take them (01012345678);
 * `kind`: 단문 SMS (≤ 90 bytes EUC-KR) or 장문 LMS (core/domain/notifications.ts fitTextMessage); `id`: the outbox
 * message id, which the gateway can use to drop a repeat.
 */
export type SmsMessage = { id: string; to: string; text: string; kind: 'sms' | 'lms' };

/** Sends text messages through an SMS provider. Rejects with DeliveryError (server/ports/delivery.ts). */
export interface SmsPort {
  readonly name: string;
  send(message: SmsMessage): Promise<Delivered>;
}
