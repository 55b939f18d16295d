import type { Config } from '../../config';
import type { Clock } from '../../ports/clock/clock.port';
import type { EmailPort } from '../../ports/email/email.port';
import { notConfiguredEmail } from '../../ports/email/not-configured.adapter';
import { SmtpEmail } from '../../ports/email/smtp.adapter';
import { HttpSmsGateway } from '../../ports/sms/http-gateway.adapter';
import { notConfiguredSms } from '../../ports/sms/not-configured.adapter';
import type { SmsPort } from '../../ports/sms/sms.port';

/** The outbox's channels. */
export type Messaging = { sms: SmsPort; email: EmailPort };

/** The channels from the configuration; a channel without its settings fails every message visibly. */
export function createMessaging(config: Config, clock: Clock): Messaging {
  const { sms, email } = config.notifications;
  return {
    sms: sms ? new HttpSmsGateway(sms, clock) : notConfiguredSms,
    email: email ? new SmtpEmail(email) : notConfiguredEmail,
  };
}
