import { DAY_MS, KST_OFFSET_MS } from '../../core/domain/kst';
import type { AppDeps } from '../deps';
import { runRetention, type RetentionRunResult } from '../modules/retention/retention.service';

/** The next instant after `now` at which it is `hour`:00 in Korea (KST has no daylight saving). */
export function nextDailyRunAt(now: Date, hourKst: number): Date {
  const kstMidnight = Math.floor((now.getTime() + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;
  let at = kstMidnight + hourKst * 3_600_000;
  if (at <= now.getTime()) at += DAY_MS;
  return new Date(at);
}

export const RETENTION_ACTOR = 'system:retention-job';

/**
 * The daily retention job, in process. Time comes from deps.clock: `tick()` runs the job when the clock has passed
 * the next run time (RETENTION_HOUR_KST, default 03:00 KST) and schedules the one after; `start()` only calls tick
 * every minute. Tests drive a FakeClock and call tick(). The job is idempotent, so a missed day is caught up by the
 * next run, and two nodes running it do no harm.
 */
export class RetentionScheduler {
  private nextAt: Date;
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'config'>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.nextAt = nextDailyRunAt(deps.clock.now(), deps.config.retention.hourKst);
  }

  get nextRunAt(): Date {
    return this.nextAt;
  }

  /** Runs the job if it is due; returns its result, or null when not due (or already running). */
  async tick(): Promise<RetentionRunResult | null> {
    const now = this.deps.clock.now();
    if (this.running || now.getTime() < this.nextAt.getTime()) return null;
    this.running = true;
    try {
      const result = await runRetention(this.deps, { actor: RETENTION_ACTOR });
      this.nextAt = nextDailyRunAt(now, this.deps.config.retention.hourKst);
      return result;
    } catch (err) {
      // Each kind commits with its own log row, so a retry an hour later redoes only what failed.
      this.nextAt = new Date(now.getTime() + 3_600_000);
      this.onError(err);
      return null;
    } finally {
      this.running = false;
    }
  }

  start(intervalMs = 60_000): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
