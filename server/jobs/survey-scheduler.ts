import type { AppDeps } from '../deps';
import type { HappyCallOffers } from '../modules/surveys/happy-call-offers.service';
import type { KeypadSurveys } from '../modules/surveys/keypad-surveys.service';
import { runSurveyJob } from '../modules/surveys/surveys.service';

/**
 * 만족도 조사 (issue #15): every few seconds on deps.clock, schedules surveys of new settled calls and answers that
 * reached citizens, then sends what is due through the outbox (consent and opt-out checked again), places the
 * keypad surveys that are due (when given the app's {@link KeypadSurveys}) and hands due happy calls to the ACD (when
 * given the app's {@link HappyCallOffers}). Tests drive a
 * FakeClock and call tick(). Idempotent: each contact has one survey at most (unique source key), so two nodes
 * running it do no harm.
 */
export class SurveyScheduler {
  private running = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'vault' | 'config'>,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly keypad: KeypadSurveys | null = null,
    private readonly happyCalls: HappyCallOffers | null = null,
  ) {}

  async tick(): Promise<
    (Awaited<ReturnType<typeof runSurveyJob>> & { keypad: { called: number; skipped: number } | null; happyCalls: Awaited<ReturnType<HappyCallOffers['tick']>> | null }) | null
  > {
    if (this.running) return null;
    this.running = true;
    try {
      const now = this.deps.clock.now();
      const job = await runSurveyJob(this.deps, now);
      const keypad = this.keypad ? await this.keypad.sendDue(now) : null;
      // The demo's simulated citizens press their keys (a no-op unless the app made them: keypad-surveys.plugin.ts).
      if (this.keypad) await this.keypad.answerSimulatedCitizens();
      return { ...job, keypad, happyCalls: this.happyCalls ? await this.happyCalls.tick() : null };
    } catch (err) {
      this.onError(err);
      return null;
    } finally {
      this.running = false;
    }
  }

  start(intervalMs = 5_000): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
