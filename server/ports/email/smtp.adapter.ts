import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryError, type Delivered } from '../delivery';
import type { EmailMessage, EmailPort } from './email.port';

export type SmtpConfig = { smtpUrl: string; from: string; timeoutMs?: number };

/**
 * E-mail over SMTP with nodemailer (a pool of up to 5 connections). Plain UTF-8 text, base64 transfer encoding (safe
 * for Korean through any relay). A 5xx reply (mailbox unknown, refused) or an address nodemailer refuses is final;
 * 4xx, timeouts and lost connections are worth another try.
 */
export class SmtpEmail implements EmailPort {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpConfig) {
    const timeout = config.timeoutMs ?? 15_000;
    this.transport = nodemailer.createTransport({
      url: config.smtpUrl,
      pool: true,
      maxConnections: 5,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(message: EmailMessage): Promise<Delivered> {
    try {
      const info = await this.transport.sendMail({
        from: this.config.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        textEncoding: 'base64',
        headers: { 'X-OneCall-Message-Id': message.id },
      });
      return { providerId: String(info.messageId ?? message.id) };
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** nodemailer's error → a DeliveryError without the address (its response text may quote it, so only the code). */
function toDeliveryError(err: unknown): DeliveryError {
  const e = err as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') return new DeliveryError(`SMTP 오류 ${e.responseCode}`, e.responseCode >= 500);
  if (e.code === 'EENVELOPE') return new DeliveryError('SMTP 서버가 받는 주소를 거부했습니다.', true);
  if (e.code === 'ETIMEDOUT') return new DeliveryError('SMTP 서버 응답 없음 (시간 초과)', false);
  return new DeliveryError(`SMTP 서버에 연결하지 못했습니다${e.code ? ` (${e.code})` : ''}.`, false);
}
