import { DeliveryError } from '../delivery';
import type { SmsPort } from './sms.port';

/** Without SMS_GATEWAY_URL, SMS_GATEWAY_SECRET and SMS_SENDER: every message fails visibly (never dropped silently). */
export const notConfiguredSms: SmsPort = {
  name: 'not-configured',
  send: () => Promise.reject(new DeliveryError('SMS 발송이 설정되지 않았습니다 (SMS_GATEWAY_URL, SMS_GATEWAY_SECRET, SMS_SENDER).', true)),
};
