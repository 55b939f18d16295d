import type { AppDeps } from '../deps';
import { scanHandOffReminders, type ReminderScanResult } from '../modules/handoffs/handoff-reminders.service';

/** How the job reaches officials in the app (the realtime hub): the inbox and the notice badge reload. */
export type ReminderNotifier = {
  sendToUser(userId: string, message: { type: 'handoffs.changed'; at: string }): void;
  notifyDepartmentInbox(departmentId: string, at: string): void;
};

/**
 * Reminders of hand-offs (half time, D-1, overdue with escalation to the department head), in process on deps.clock:
 * `tick()` scans once (server/modules/handoffs/handoff-reminders.service.ts), `start()` calls it every minute. Tests
 * drive a FakeClock and call tick(). Each notice is recorded once, so a missed minute is caught up by the next scan
 * and two nodes scanning at once do no harm.
 */
export class HandOffReminderScheduler {
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'holidays'>,
    private readonly notifier: ReminderNotifier | null,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Scans once (null when a scan is still running or failed). */
  async tick(): Promise<ReminderScanResult | null> {
    if (this.running) return null;
    this.running = true;
    try {
      const result = await scanHandOffReminders(this.deps);
      const at = this.deps.clock.now().toISOString();
      for (const u of result.users) this.notifier?.sendToUser(u, { type: 'handoffs.changed', at });
      for (const d of result.departments) this.notifier?.notifyDepartmentInbox(d, at);
      return result;
    } catch (err) {
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
