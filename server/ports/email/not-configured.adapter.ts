import { DeliveryError } from '../delivery';
import type { EmailPort } from './email.port';

/** Without SMTP_URL and MAIL_FROM: every e-mail fails visibly (never dropped silently). */
export const notConfiguredEmail: EmailPort = {
  name: 'not-configured',
  send: () => Promise.reject(new DeliveryError('이메일 발송이 설정되지 않았습니다 (SMTP_URL, MAIL_FROM).', true)),
  close: () => undefined,
};
