/**
 * A message a channel could not deliver. `permanent`: trying again cannot help (the channel is not configured, the
 * provider refused the address or the message); otherwise (5xx, timeout, a malformed answer, a lost connection) the
 * outbox tries again later. The message is safe to store and show to the admin: adapters never put the address or
 * the text in it.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** What a channel answers for a delivered message: the provider's id of it. */
export type Delivered = { providerId: string };

/** The in-memory channels' common part (tests): keeps what was sent; `failNext` makes the next sends fail. */
export class MemoryOutlet<T extends { id: string }> {
  readonly sent: T[] = [];
  private readonly failures: DeliveryError[] = [];

  /** The next `count` sends fail with `error`. */
  failNext(count: number, error: DeliveryError): void {
    for (let i = 0; i < count; i++) this.failures.push(error);
  }

  protected deliver(message: T): Promise<Delivered> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    this.sent.push(message);
    return Promise.resolve({ providerId: `memory-${message.id}` });
  }
}
