import type { RealtimeServerMessage } from '../../../core/contracts/acd';
import type { TelephonyCommandDraft } from '../../../core/contracts/telephony';
import { DEFAULT_AGENT_STATE_CONFIG, type AgentStateConfig } from '../../../core/domain/agent-state';
import { DEFAULT_ESCALATION } from '../../../core/domain/routing';
import type { AppDeps } from '../../deps';
import { SimulatorTelephony } from '../../ports/telephony/simulator.adapter';
import type { TelephonyPort } from '../../ports/telephony/telephony.port';
import { AgentStates } from './agent-states';
import { Callbacks } from './callbacks';
import { Calls } from './calls';
import { Counters } from './counters';
import { Hours } from './hours';
import { SILENT, iso, type AcdLogger, type AcdNotice, type AcdStartOptions, type CallerPolicy, type ContactRec } from './model';
import { Offers } from './offers';
import { Persistence } from './persistence';
import { Queues } from './queues';
import { Reconciliation } from './reconciliation';
import { Timers } from './timers';

type CallEvent = Extract<RealtimeServerMessage, { type: 'call.event' }>['event'];

/**
 * The ACD's rooms wired together, and the decision cycle they share. A use case changes memory through the rooms
 * (calls, offers, agent states, callbacks, queues, counters), which record what must be written (persistence) and
 * what must follow (commands to the phone system, messages to the desks); {@link commit} then writes the decision in
 * one transaction and only after it sends the commands and messages. AcdService is the facade the server uses.
 */
export class AcdEngine {
  readonly log: AcdLogger;
  readonly agentConfig: AgentStateConfig;
  readonly callerCards: boolean;
  readonly simulator: SimulatorTelephony;
  readonly adapters = new Map<string, TelephonyPort>();

  readonly hours: Hours;
  readonly counters: Counters;
  readonly queues: Queues;
  readonly store: Persistence;
  readonly agents: AgentStates;
  readonly calls: Calls;
  readonly offers: Offers;
  readonly callbacks: Callbacks;
  readonly timers: Timers;
  readonly reconciliation: Reconciliation;

  callerPolicy: CallerPolicy | null = null;
  private commands: Array<{ source: string; command: TelephonyCommandDraft }> = [];
  private notices: AcdNotice[] = [];
  private offersToAnnounce: ContactRec[] = [];
  private readonly inflight = new Set<Promise<void>>();
  /** The desks' messages of the decisions committed so far, sent in the decisions' order (never rejects). */
  private desks: Promise<void> = Promise.resolve();
  private turn: Promise<void> | null = null;
  readonly listeners = new Set<(notice: AcdNotice) => void>();

  constructor(
    readonly deps: AppDeps,
    readonly options: AcdStartOptions,
  ) {
    this.log = options.logger ?? SILENT;
    this.agentConfig = { ...DEFAULT_AGENT_STATE_CONFIG, ...options.agentConfig };
    this.callerCards = options.callerCards ?? true;
    this.simulator = options.simulator ?? new SimulatorTelephony(deps.clock);
    this.adapters.set(this.simulator.name, this.simulator);
    for (const a of options.adapters ?? []) this.adapters.set(a.name, a);

    this.hours = new Hours(deps.holidays);
    this.counters = new Counters((options.serviceLevelSeconds ?? 20) * 1000);
    this.queues = new Queues(options.escalation ?? DEFAULT_ESCALATION);
    this.store = new Persistence(deps, options.writes === 'deferred' ? 'deferred' : 'immediate', async (err) => {
      this.log.error({ err }, 'acd: writing a decision failed; rebuilding the ACD from the database');
      await this.reconciliation.rebuildFromDatabase();
    });
    this.agents = new AgentStates(this);
    this.calls = new Calls(this);
    this.offers = new Offers(this);
    this.callbacks = new Callbacks(this);
    this.timers = new Timers(this, options.reconcileIntervalMs ?? 10_000);
    this.reconciliation = new Reconciliation(this);
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** A command for the phone system, sent once the decision is written. */
  command(source: string, command: TelephonyCommandDraft): void {
    this.commands.push({ source, command });
  }

  /** A message for a desk or the wallboard, sent once the decision is written. */
  notice(notice: AcdNotice): void {
    this.notices.push(notice);
  }

  /** A call.event message for the agent's desk. */
  callEvent(agentId: string, contactId: string, event: CallEvent, now: number): void {
    this.notices.push({ kind: 'agent', agentId, type: 'call.event', message: { type: 'call.event', contactId, event, at: iso(now) } });
  }

  /** The offer (and its caller card) goes to the agent's desk once the decision is written. */
  announce(c: ContactRec): void {
    this.offersToAnnounce.push(c);
  }

  /**
   * Writes the decision in one transaction (persistence.ts), then sends commands and messages. On failure, memory is
   * rebuilt from the database. Deferred (the day simulator): the writes wait for the batch and the effects go out at
   * once.
   *
   * `desksLater` (a phone system waits for this decision: a SIP route request, issue #17): returns once the decision is
   * written and its commands are sent; the desks' messages — the offer with its caller card (reads and an access
   * record: about half of a route decision's time) — follow on the next turn of the event loop. Desk messages keep the
   * decisions' order: a later commit's go after those still pending (a commit without `desksLater` waits for them).
   */
  async commit(options: { desksLater?: boolean } = {}): Promise<void> {
    const unit = this.store.take();
    const commands = this.commands;
    const notices = this.notices;
    const offers = this.offersToAnnounce;
    this.commands = [];
    this.notices = [];
    this.offersToAnnounce = [];
    const hasWrites = Persistence.hasWrites(unit);
    await this.store.save(unit, this.now());

    for (const { source, command } of commands) this.sendCommand(source, command);
    const toDesks = async () => {
      for (const c of offers) await this.offers.announce(c);
      for (const a of unit.agents.values()) notices.push(this.agents.notice(a.id));
      if (hasWrites) notices.push({ kind: 'wallboard_changed' });
      for (const n of notices) this.notify(n);
    };
    const sent = (options.desksLater ? Promise.all([this.desks, this.nextTurn()]) : this.desks).then(toDesks);
    this.desks = sent.catch((err: unknown) => {
      if (options.desksLater) this.log.warn({ err }, 'acd: messages of a decision to the desks failed');
    });
    if (!options.desksLater) await sent;
    this.timers.arm();
  }

  /** The next turn of the event loop, one for all the decisions of this turn. */
  private nextTurn(): Promise<void> {
    this.turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.turn = null;
        resolve();
      }),
    );
    return this.turn;
  }

  /** Forgets the effects not sent yet (before a rebuild from the database). */
  dropEffects(): void {
    this.commands = [];
    this.notices = [];
    this.offersToAnnounce = [];
  }

  private sendCommand(source: string, command: TelephonyCommandDraft): void {
    const adapter = this.adapters.get(source);
    if (!adapter) {
      this.log.warn({ source, command: command.type }, 'acd: no telephony adapter for this source');
      return;
    }
    const p = adapter
      .send(command)
      .catch((err: unknown) => this.log.warn({ err, source, command: command.type, callId: 'callId' in command ? command.callId : null }, 'acd: telephony command failed (reconciliation will correct)'))
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /** Waits until every command sent so far was delivered (or failed), and the desks' messages still pending were sent. */
  async drainCommands(): Promise<void> {
    await this.desks;
    await Promise.allSettled([...this.inflight]);
  }

  notify(notice: AcdNotice): void {
    for (const l of this.listeners) {
      try {
        l(notice);
      } catch (err) {
        this.log.warn({ err }, 'acd: a notice listener failed');
      }
    }
  }
}
