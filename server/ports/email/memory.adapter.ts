import { MemoryOutlet } from '../delivery';
import type { EmailMessage, EmailPort } from './email.port';

/** E-mail into memory, for tests (`sent`, `failNext`). */
export class MemoryEmail extends MemoryOutlet<EmailMessage> implements EmailPort {
  readonly name = 'memory';
  send(message: EmailMessage) {
    return this.deliver(message);
  }
  close(): void {}
}
