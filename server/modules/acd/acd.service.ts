import type { AcdContact, AgentDeskState, AgentStateChangeBody, TransferBody, WallboardSnapshot } from '../../../core/contracts/acd';
import type { CallerCard, Interaction } from '../../../core/contracts/calls';
import { KEYPAD_CALL_PREFIX, type Announcement, type TelephonyCommandDraft, type TelephonyEvent, type TelephonyEventResult } from '../../../core/contracts/telephony';
import type { Db } from '../../db/database';
import type { AppDeps } from '../../deps';
import type { SimulatorTelephony } from '../../ports/telephony/simulator.adapter';
import type { TelephonyEventSink } from '../../ports/telephony/telephony.port';
import type { Viewer } from '../privacy/access-context';
import type { AgentActivity } from './agent-states';
import { wallboard } from './counters';
import { AcdEngine } from './engine';
import type { AcdNotice, AcdStartOptions, CallerPolicy, ContactRec, EventReceipt, OutboundQueueCode, TelephonyEventOptions } from './model';

export type { AgentActivity } from './agent-states';
export { toKpiEvents } from './counters';
export { HAPPY_CALL_QUEUE, OUTBOUND_CALLBACK_QUEUE, type AcdLogger, type AcdNotice, type AcdStartOptions, type CallerPolicy, type EventReceipt, type TelephonyEventOptions } from './model';

/**
 * The ACD (issue #4): queues chosen by dialled number and IVR choice, skills with escalation over time, caller
 * priority, one line across queues (core/domain/routing.ts), offers with a timeout and auto-pause, callbacks that keep
 * the caller's place, business hours and holidays, agent states (core/domain/agent-state.ts) with a periodic
 * reconciler, position-aware wait estimates, and the contact event log every KPI is recomputed from.
 *
 * This class is the facade the server uses; the engine's rooms (docs/ARCHITECTURE.md "The ACD's rooms") do the work:
 * calls.ts (a call's life and the phone system's events), queues.ts (the line), offers.ts (routing decisions and
 * offers), agent-states.ts, callbacks.ts, hours.ts, counters.ts (live KPIs), timers.ts, persistence.ts (one
 * transaction per decision) and reconciliation.ts (rebuild from the database, telephony facts), wired by engine.ts.
 * The decision is made in memory; its rows are written in one transaction before commands go to the phone system and
 * messages to the desks. Time is `deps.clock`; timers run in {@link AcdService.tick}.
 */
export class AcdService implements TelephonyEventSink {
  readonly simulator: SimulatorTelephony;
  private readonly e: AcdEngine;

  private constructor(deps: AppDeps, options: AcdStartOptions) {
    this.e = new AcdEngine(deps, options);
    this.simulator = this.e.simulator;
    this.simulator.connect(this);
  }

  /** Loads configuration and state from the database (a restart rebuilds the line, callbacks and agents) and starts. */
  static async start(deps: AppDeps, options: AcdStartOptions = {}): Promise<AcdService> {
    const acd = new AcdService(deps, options);
    await acd.e.reconciliation.load();
    return acd;
  }

  // ————————————————————————————————————————— configuration and lifecycle —————————————————————————————————————————

  /** Re-reads queues, routes, skills, hours and closed days (after an admin change). Agents and calls stay. */
  reloadConfig(): Promise<void> {
    return this.e.reconciliation.reloadConfig();
  }

  /** Makes sure a user who can take calls is known to the ACD (loads one created after start). */
  async ensureAgent(agentId: string): Promise<void> {
    await this.e.agents.of(agentId);
  }

  /** Writes the deferred unit of work now (a no-op unless `writes: 'deferred'`). */
  flush(): Promise<void> {
    return this.e.store.flush(this.e.now());
  }

  /** Epoch ms of the next timer (offer timeout, wrap-up end, escalation, callback readiness, reconciliation). */
  nextDueAt(): number | null {
    return this.e.timers.nextDueAt();
  }

  /** Processes everything due at the clock's now: timeouts, wrap-up ends, escalations, callbacks, reconciliation. */
  tick(): Promise<void> {
    return this.e.timers.tick();
  }

  /** Waits for queued writes and commands in flight; stops the timer. */
  async stop(): Promise<void> {
    this.e.timers.stop();
    await this.flush();
    await this.e.drainCommands();
  }

  /** Waits until every command sent so far was delivered (or failed). */
  drainCommands(): Promise<void> {
    return this.e.drainCommands();
  }

  /** Compares agents and contacts with the phone systems' facts and corrects drift; the number of corrections. */
  reconcile(): Promise<number> {
    return this.e.reconciliation.reconcile();
  }

  /** Listens to the ACD's messages for desks and the wallboard; returns the unsubscribe function. */
  subscribe(listener: (notice: AcdNotice) => void): () => void {
    this.e.listeners.add(listener);
    return () => this.e.listeners.delete(listener);
  }

  /** Decision times in ms (in-memory pick only), for the routing benchmark. `reset` empties the samples. */
  routingStats(reset = false): number[] {
    return this.e.offers.routingStats(reset);
  }

  // ————————————————————————————————————————— telephony —————————————————————————————————————————

  /**
   * One event from a phone system (idempotent: repeated, unknown or out-of-order events are answered `ignored`).
   * `options.desksLater`: the phone system waits for the decision (model.ts, TelephonyEventOptions).
   */
  handleTelephonyEvent(source: string, input: TelephonyEvent, receipt?: EventReceipt, options?: TelephonyEventOptions): Promise<TelephonyEventResult> {
    // Keypad survey calls (issue #15) are no ACD contacts: their events go to the surveys (wired in app.ts).
    if (this.keypadListener && (input.type === 'digits_collected' || String(input.callId).startsWith(KEYPAD_CALL_PREFIX))) return this.keypadListener(source, input);
    return this.e.calls.handleTelephonyEvent(source, input, receipt, options);
  }

  /** Where the events of keypad survey calls go (`digits_collected`, and any event of a `survey-…` call). */
  keypadListener: ((source: string, event: TelephonyEvent) => Promise<TelephonyEventResult>) | null = null;

  /** Sends a command through the adapter of `source` (keypad survey calls); false when there is no such adapter. */
  async sendTelephonyCommand(source: string, command: TelephonyCommandDraft): Promise<boolean> {
    const adapter = this.e.adapters.get(source);
    if (!adapter) return false;
    await adapter.send(command);
    return true;
  }

  /**
   * Where `extension_state` events go (the directory's presence, wired by acd.plugin.ts): true when the extension is an
   * active official's and his phone flag changed.
   */
  get extensionListener(): ((extension: string, onCall: boolean) => Promise<boolean>) | null {
    return this.e.calls.extensionListener;
  }

  set extensionListener(listener: ((extension: string, onCall: boolean) => Promise<boolean>) | null) {
    this.e.calls.extensionListener = listener;
  }

  /** True when the centre is open at `at` (business hours, public holidays, admin-declared closed days). */
  isOpen(at: number = this.e.now()): boolean {
    return this.e.hours.isOpen(at);
  }

  /** The contact's position in its queue (1 = next) and its estimated wait in seconds (null: no honest estimate). */
  positionOf(c: ContactRec | string): { position: number; estimatedWaitSeconds: number | null } {
    return this.e.calls.positionOf(c);
  }

  // ————————————————————————————————————————— callbacks —————————————————————————————————————————

  /** The outbound callback queue (회신 전화), created on first use with `create`; null without it until then. */
  async outboundCallbackQueue(create: true): Promise<string>;
  async outboundCallbackQueue(create: false): Promise<string | null>;
  async outboundCallbackQueue(create: boolean): Promise<string | null> {
    return this.e.callbacks.outboundQueue(create);
  }

  /** Another outbound queue (만족도 조사 전화) by code, created on first use with `create`; null while absent or inactive. */
  outboundQueue(code: OutboundQueueCode, create: boolean): Promise<string | null> {
    return this.e.callbacks.outboundQueue(create, code);
  }

  /** 회신 전화: an outbound call queued on `queueId`; `link` runs in the transaction that writes the contact. */
  queueOutboundCallback(
    input: { number: string; citizenId: string | null; queueId: string; readyAt: number | null },
    link: (db: Db, contactId: string) => Promise<void>,
  ): Promise<string> {
    return this.e.callbacks.queueOutbound(input, link);
  }

  /** A caller OneCall could not take asked, through the SIP fallback announcement, to be called back (callbacks.ts). */
  missedCallCallback(input: { callId: string; callerNumber: string; dialledNumber: string; at: number }): Promise<string | null> {
    return this.e.callbacks.missedCall(input);
  }

  /** Takes an outbound callback off the line or back from its agent; false when the ACD does not hold it so. */
  withdrawOutboundCallback(contactId: string): Promise<boolean> {
    return this.e.callbacks.withdrawOutbound(contactId);
  }

  /** The outbound callbacks of `queueId` still in line or offered to an agent (not yet answered). */
  pendingOutboundCallbacks(queueId: string): string[] {
    return this.e.callbacks.pendingOutbound(queueId);
  }

  /** True while the ACD holds the contact (in line, offered, handled, or in its agent's wrap-up). */
  holdsContact(contactId: string): boolean {
    return this.e.calls.get(contactId) !== undefined;
  }

  // ————————————————————————————————————————— the agent's desk —————————————————————————————————————————

  /**
   * The agent's state buttons: available (logging in if needed), not ready with a reason, logged out. Not ready or
   * logged out asked for during a call wait for the end of its after-call work (issue #19); available cancels them.
   */
  setAgentState(agentId: string, body: AgentStateChangeBody, source: 'agent' | 'supervisor' = 'agent'): Promise<AgentDeskState> {
    return this.e.agents.setState(agentId, body, source);
  }

  /** The agent accepts the offer: connected, and the caller card for the screen pop (masked as the viewer sees it). */
  answer(agentId: string, contactId: string, viewer: Viewer | null = null): Promise<{ interaction: Interaction; callerCard: CallerCard | null }> {
    return this.e.calls.answer(agentId, contactId, viewer);
  }

  /** The live call as the desk shows it, after a reload of the desk mid-call (issue #18 item 3). */
  connectedCall(agentId: string, contactId: string, viewer: Viewer | null = null): Promise<{ interaction: Interaction; callerCard: CallerCard | null }> {
    return this.e.calls.connectedCall(agentId, contactId, viewer);
  }

  /** The agent rejects the offer: it goes back to its place and to the next agent (issue #18 item 2). */
  reject(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.e.offers.reject(agentId, contactId);
  }

  hold(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.e.calls.holdCall(agentId, contactId);
  }

  resume(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.e.calls.resume(agentId, contactId);
  }

  /** The agent hangs up: the call ends and after-call work starts (its timer is extendable). */
  hangUp(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.e.calls.hangUp(agentId, contactId);
  }

  /** Ends a call the ACD is handling as its agent would; false when the ACD does not handle this contact. */
  endIfHandled(contactId: string): Promise<boolean> {
    return this.e.calls.endIfHandled(contactId);
  }

  /** Blind: the call goes to the target at once and the agent to wrap-up. Consultative: a consultation leg starts. */
  transfer(agentId: string, contactId: string, body: TransferBody): Promise<AgentDeskState> {
    return this.e.calls.transfer(agentId, contactId, body);
  }

  completeTransfer(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.e.calls.completeTransfer(agentId, contactId);
  }

  cancelTransfer(agentId: string, contactId: string): Promise<AgentDeskState> {
    return this.e.calls.cancelTransfer(agentId, contactId);
  }

  /** A three-way call with a target (the official joins; the agent stays on the call): the phone system mixes it. */
  conference(agentId: string, contactId: string, target: string): Promise<AgentDeskState> {
    return this.e.calls.conference(agentId, contactId, target);
  }

  // ————————————————————————————————————————— 감정노동 보호 (issue #14) —————————————————————————————————————————

  /** Sets the protection module's routing policy (null: none). */
  setCallerPolicy(policy: CallerPolicy | null): void {
    this.e.callerPolicy = policy;
  }

  /** The phone system's reference of the agent's current call, or NOT_FOUND when the agent is not talking on it. */
  agentCall(agentId: string, contactId: string): { source: string; callId: string; answeredAt: string | null } {
    return this.e.calls.agentCall(agentId, contactId);
  }

  /** Plays a message to the caller of the agent's current call (a protection warning) through the telephony port. */
  playToCaller(agentId: string, contactId: string, announcement: Announcement): Promise<void> {
    return this.e.calls.playToCaller(agentId, contactId, announcement);
  }

  /** Ends an abusive call by the protocol (issue #14 §2): notice, hang-up, the agent to 회복 for `recoverySeconds`. */
  endAbusiveCall(agentId: string, contactId: string, notice: Announcement, recoverySeconds: number): Promise<AgentDeskState> {
    return this.e.calls.endAbusiveCall(agentId, contactId, notice, recoverySeconds);
  }

  /** A supervisor gives an agent in 회복 more rest (issue #14 §3); INVALID_TRANSITION when the agent is not resting. */
  extendRecovery(agentId: string, seconds: number): Promise<AgentDeskState> {
    return this.e.agents.extendRecovery(agentId, seconds);
  }

  extendWrapUp(agentId: string): Promise<AgentDeskState> {
    return this.e.agents.extendWrapUp(agentId);
  }

  endWrapUp(agentId: string): Promise<AgentDeskState> {
    return this.e.agents.endWrapUp(agentId);
  }

  // ————————————————————————————————————————— reads —————————————————————————————————————————

  /** An agent's status, the contact they hold and what they asked for after the call (not ready, logout). */
  agentActivity(agentId: string): AgentActivity {
    return this.e.agents.activity(agentId);
  }

  /** The agent's desk: state, timer, the offered or handled contact, the actions open now. */
  deskState(agentId: string): AgentDeskState {
    return this.e.agents.deskState(agentId);
  }

  /** The supervisors' wallboard: the line now, today's figures (SL 80/20 definition of kpi.ts), agents by state. */
  wallboard(): WallboardSnapshot {
    return wallboard(this.e);
  }

  /** Contacts in line now (calls and callbacks), in line order: for tests, the simulator and supervisors. */
  waitingContacts(): AcdContact[] {
    return this.e.calls.waitingPage(0, this.e.queues.line.length).items;
  }

  /** One page of the line in line order, and how many wait in all (only the page's views are built). */
  waitingPage(offset: number, limit: number): { items: AcdContact[]; total: number } {
    return this.e.calls.waitingPage(offset, limit);
  }

  /** The contact id of a phone system's call, while the ACD holds it. */
  contactIdOf(source: string, callId: string): string | undefined {
    return this.e.calls.idOf(source, callId);
  }

  /** Is the agent handling a contact now (for reports and tests). */
  isHandling(agentId: string): boolean {
    return this.e.agents.isHandling(agentId);
  }
}
