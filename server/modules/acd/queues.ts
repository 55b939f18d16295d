import {
  DEFAULT_ESCALATION,
  nextEscalationAt,
  positionInLine,
  selectQueue,
  type EscalationStep,
  type QueueRoute,
  type RoutableAgent,
  type RoutingConfig,
  type RoutingStrategy,
  type WaitingCall,
} from '../../../core/domain/routing';
import type { ContactRec, QueueRec } from './model';
import { OUTBOUND_CALLBACK_QUEUE } from './model';

type QueueRow = { id: string; code: string; name: string; skill: string | null; strategy: RoutingStrategy; escalation: string | null; priority: number; is_active: number };
type RouteRow = { dialled_number: string; ivr_choice: string; queue_id: string };

/**
 * The queues and the one line across them (core/domain/routing.ts): which queue a dialled number and IVR choice
 * reach, the waiting callers in line with their priority and place (a callback keeps its caller's place), positions,
 * and the agents available for routing. Both the line and the available agents are arrays with an index by id, so
 * entering, leaving and the routing scan stay O(1) and O(n) without copies.
 */
export class Queues {
  private queues = new Map<string, QueueRec>();
  private routes: QueueRoute[] = [];
  /** The routing rules: the default strategy and escalation, each queue's own. */
  routing: RoutingConfig = { strategy: 'longest_idle', escalation: DEFAULT_ESCALATION };
  /** The one line across queues: contacts waiting for an agent (with their index for O(1) removal). */
  readonly line: WaitingCall[] = [];
  private readonly lineIndex = new Map<string, number>();
  /** Routable agents (status available), indexed likewise. */
  readonly available: RoutableAgent[] = [];
  private readonly availableIndex = new Map<string, number>();

  constructor(private readonly defaultEscalation: readonly EscalationStep[]) {}

  /** Queues and routes as stored (an inactive queue's routes lead nowhere). */
  configure(queues: readonly QueueRow[], routes: readonly RouteRow[]): void {
    this.queues = new Map(
      queues.map((q) => [
        q.id,
        {
          id: q.id,
          code: q.code,
          name: q.name,
          skill: q.skill,
          strategy: q.strategy,
          escalation: q.escalation ? (JSON.parse(q.escalation) as EscalationStep[]) : null,
          priority: q.priority,
          isActive: q.is_active === 1,
        },
      ]),
    );
    this.routes = routes
      .filter((r) => this.queues.get(r.queue_id)?.isActive)
      .map((r) => ({ dialledNumber: r.dialled_number, ivrChoice: r.ivr_choice === '' ? null : r.ivr_choice, queueId: r.queue_id }));
    const perQueue: Record<string, { strategy: RoutingStrategy; escalation?: readonly EscalationStep[] }> = {};
    for (const q of this.queues.values()) perQueue[q.id] = q.escalation ? { strategy: q.strategy, escalation: q.escalation } : { strategy: q.strategy };
    this.routing = { strategy: 'longest_idle', escalation: this.defaultEscalation, queues: perQueue };
  }

  get(queueId: string): QueueRec | undefined {
    return this.queues.get(queueId);
  }

  /** The queue a call to `dialledNumber` with `ivrChoice` enters (undefined: no route). */
  routeOf(dialledNumber: string, ivrChoice: string | null): QueueRec | undefined {
    const id = selectQueue(this.routes, dialledNumber, ivrChoice);
    return id ? this.queues.get(id) : undefined;
  }

  /** The outbound callback queue (회신 전화), once created. */
  outboundCallbackQueue(): QueueRec | undefined {
    for (const q of this.queues.values()) if (q.code === OUTBOUND_CALLBACK_QUEUE) return q;
    return undefined;
  }

  active(): QueueRec[] {
    return [...this.queues.values()].filter((q) => q.isActive);
  }

  /** The contact takes (or keeps) its place in line: its routing view is rebuilt from the record. */
  enter(c: ContactRec): void {
    const w: WaitingCall = {
      id: c.id,
      queueId: c.queueId,
      skill: c.skill,
      priority: c.priority,
      enteredAt: c.enteredAt,
      virtualStartAt: c.virtualStartAt,
      kind: c.kind,
      ...(c.readyAt !== null ? { readyAt: c.readyAt } : {}),
      excludedAgentIds: c.excluded,
    };
    c.waiting = w;
    const i = this.lineIndex.get(c.id);
    if (i === undefined) {
      this.lineIndex.set(c.id, this.line.length);
      this.line.push(w);
    } else this.line[i] = w;
  }

  leave(c: ContactRec): void {
    const i = this.lineIndex.get(c.id);
    c.waiting = null;
    if (i === undefined) return;
    const last = this.line.pop()!;
    if (i < this.line.length) {
      this.line[i] = last;
      this.lineIndex.set(last.id, i);
    }
    this.lineIndex.delete(c.id);
  }

  /** The contact's place in its queue (1 = next); null when it is not in line. */
  positionOf(c: ContactRec): number | null {
    return c.waiting ? positionInLine(c.waiting, this.line) : null;
  }

  /** When the waiting contact's next escalation step opens it to more agents (null: none left). */
  nextEscalationAt(c: ContactRec, now: number): number | null {
    return c.waiting ? nextEscalationAt(c.waiting, now, this.routing) : null;
  }

  /** The line in line order (priority, then place): for the supervisors' list. */
  ordered(): WaitingCall[] {
    return [...this.line].sort((a, b) => (a.priority !== b.priority ? b.priority - a.priority : (a.virtualStartAt ?? a.enteredAt) - (b.virtualStartAt ?? b.enteredAt)));
  }

  addAvailable(agent: RoutableAgent): void {
    if (this.availableIndex.has(agent.id)) return;
    this.availableIndex.set(agent.id, this.available.length);
    this.available.push(agent);
  }

  removeAvailable(agentId: string): void {
    const i = this.availableIndex.get(agentId);
    if (i === undefined) return;
    const last = this.available.pop()!;
    if (i < this.available.length) {
      this.available[i] = last;
      this.availableIndex.set(last.id, i);
    }
    this.availableIndex.delete(agentId);
  }

  /** Forgets every contact in line and every available agent (before a rebuild from the database). */
  clear(): void {
    this.line.length = 0;
    this.lineIndex.clear();
    this.available.length = 0;
    this.availableIndex.clear();
  }
}
