import type { BreakService, BreakTickResult } from '../modules/protection/breaks.service';

/**
 * Scheduled breaks (issue #14 §4) in process on deps.clock: `tick()` checks once (BreakService.tick: breaks put due,
 * agents sent on their break or after their call, breaks taken or missed), `start()` every 15 s. Tests drive a
 * FakeClock and call tick(). A check still running is not started twice; two nodes checking at once do no harm.
 */
export class BreakScheduler {
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly breaks: Pick<BreakService, 'tick'>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Checks once (null when a check is still running or failed). */
  async tick(): Promise<BreakTickResult | null> {
    if (this.running) return null;
    this.running = true;
    try {
      return await this.breaks.tick();
    } catch (err) {
      this.onError(err);
      return null;
    } finally {
      this.running = false;
    }
  }

  start(intervalMs = 15_000): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
