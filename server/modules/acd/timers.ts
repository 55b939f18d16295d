import { dueAgentAction } from '../../../core/domain/agent-state';
import type { AcdEngine } from './engine';
import type { ContactRec } from './model';
import { TimerHeap } from './timer-heap';

/**
 * Time in the ACD: offer timeouts, wrap-up and recovery ends, a waiting contact's next escalation step or callback
 * readiness, and the periodic reconciliation, on one min-heap (timer-heap.ts; a fired timer is checked against the
 * state it was set for). On the server one real timer is armed for the earliest; the simulator ticks itself.
 */
export class Timers {
  private readonly heap = new TimerHeap();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private nextReconcileAt = 0;

  constructor(
    private readonly e: AcdEngine,
    private readonly reconcileIntervalMs: number,
  ) {}

  /** The agent's state timer (offer timeout, wrap-up end, recovery end). */
  atAgent(agentId: string, at: number): void {
    this.heap.push({ at, kind: 'agent', id: agentId });
  }

  /** Arms the contact's next timer: its readiness (callbacks) or its next escalation step. */
  schedule(c: ContactRec, now: number): void {
    if (!c.waiting) return;
    if (c.readyAt !== null && c.readyAt > now) {
      this.heap.push({ at: c.readyAt, kind: 'contact', id: c.id });
      return;
    }
    const escalation = this.e.queues.nextEscalationAt(c, now);
    const lifted = c.excludedUntil !== null && c.excludedUntil > now ? c.excludedUntil : null;
    const next = escalation === null ? lifted : lifted === null ? escalation : Math.min(escalation, lifted);
    if (next !== null) this.heap.push({ at: next, kind: 'contact', id: c.id });
  }

  /** The reconciler's first run, `reconcileIntervalMs` from now. */
  startReconciling(now: number): void {
    this.nextReconcileAt = now + this.reconcileIntervalMs;
    this.heap.push({ at: this.nextReconcileAt, kind: 'reconcile', id: '' });
  }

  /** Epoch ms of the next timer. */
  nextDueAt(): number | null {
    return this.heap.peek()?.at ?? null;
  }

  /** Processes everything due at the clock's now: timeouts, wrap-up ends, escalations, callbacks, reconciliation. */
  async tick(): Promise<void> {
    const now = this.e.now();
    let reconcile = false;
    for (let t = this.heap.peek(); t && t.at <= now; t = this.heap.peek()) {
      this.heap.pop();
      if (t.kind === 'reconcile') {
        if (t.at === this.nextReconcileAt) reconcile = true;
      } else if (t.kind === 'agent') this.onAgentTimer(t.id, now);
      else this.onContactTimer(t.id, now);
    }
    this.e.counters.rollDay(now);
    await this.e.commit();
    if (reconcile) {
      this.startReconciling(now);
      await this.e.reconciliation.reconcile();
    }
  }

  private onAgentTimer(agentId: string, now: number): void {
    const agent = this.e.agents.get(agentId);
    if (!agent) return;
    const action = dueAgentAction(agent.snap, now);
    if (action === 'offer_timeout') this.e.offers.miss(agent, now, 'offer_timeout');
    else if (action === 'end_wrap_up') this.e.agents.finishWrapUp(agent, now, 'system');
    else if (action === 'end_recovery') this.e.agents.transition(agent, 'end_recovery', now, 'system');
  }

  private onContactTimer(contactId: string, now: number): void {
    const c = this.e.calls.get(contactId);
    if (!c?.waiting) return;
    if (c.excludedUntil !== null && c.excludedUntil <= now) {
      // Nobody else took it: the agent who missed or rejected it may have it again.
      c.excluded = [];
      c.excludedUntil = null;
      this.e.store.contact(c);
      this.e.calls.enterLine(c, now);
    }
    if (!this.e.offers.dispatchContact(c, now)) this.schedule(c, now);
  }

  /** On the server: one real timer for the earliest due timer, re-armed after every decision. */
  arm(): void {
    if (this.e.options.timers !== 'auto' || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.nextDueAt();
    if (next === null) return;
    const delay = Math.max(0, Math.min(next - this.e.now(), 2_147_000_000));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick().catch((err: unknown) => this.e.log.error({ err }, 'acd: timer tick failed'));
    }, delay);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Forgets every timer (before a rebuild from the database). */
  clear(): void {
    this.heap.clear();
  }
}
