import { MemoryOutlet } from '../delivery';
import type { SmsMessage, SmsPort } from './sms.port';

/** SMS into memory, for tests (`sent`, `failNext`). */
export class MemorySms extends MemoryOutlet<SmsMessage> implements SmsPort {
  readonly name = 'memory';
  send(message: SmsMessage) {
    return this.deliver(message);
  }
}
