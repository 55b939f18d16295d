import type { Delivered } from '../delivery';

/** One plain-text e-mail to a citizen (UTF-8); `id`: the outbox message id (also the Message-ID's left part). */
export type EmailMessage = { id: string; to: string; subject: string; text: string };

/** Sends e-mail. Rejects with DeliveryError (server/ports/delivery.ts). */
export interface EmailPort {
  readonly name: string;
  send(message: EmailMessage): Promise<Delivered>;
  /** Closes pooled connections (at shutdown). */
  close(): void;
}
