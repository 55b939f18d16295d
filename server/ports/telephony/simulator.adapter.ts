import type { TelephonyCommand, TelephonyCommandDraft, TelephonyEventResult } from '../../../core/contracts/telephony';
import { newId } from '../../lib/ids';
import type { Clock } from '../clock/clock.port';
import type { TelephonyEventSink, TelephonyFacts, TelephonyPort } from './telephony.port';

/** How a simulated citizen answers a keypad prompt: keys, nothing in time (null), or hanging up. */
export type KeypadRespondent = (prompt: Extract<TelephonyCommand, { type: 'collect_digits' }>) => string | null | 'hang_up';

/**
 * A seeded simulated citizen for keypad surveys: mostly a key on the scale (skewed to the satisfied end, as real
 * answers are), now and then a key off the scale; the same seed gives the same answers.
 */
export function seededKeypadRespondent(seed: number): KeypadRespondent {
  let a = seed >>> 0;
  const next = () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (p) => {
    if (next() < 0.05) return '9'.repeat(p.maxDigits);
    const share = Math.sqrt(next());
    return `${Math.min(p.max, p.min + Math.floor(share * (p.max - p.min + 1)))}${p.maxDigits > 1 ? '#' : ''}`;
  };
}

/** A call the simulator places. */
export type SimulatedCall = { callerNumber: string; dialledNumber?: string; ivrChoice?: string | null; priority?: number };

/**
 * The in-process phone system (issue #4) for demos, training, tests and the day simulator: it places calls as
 * `offered` events, lets callers hang up or ask for a callback, and keeps the live calls and every command it
 * received. Commands are applied to its own view of the calls (a hang-up ends the call), so reconciliation has true
 * facts to compare with. No I/O, no timers: time is the injected clock.
 */
export class SimulatorTelephony implements TelephonyPort {
  readonly name = 'simulator';
  /** Every command received, oldest first (bounded: trimmed back to the last `maxCommands` once twice as many). */
  readonly commands: TelephonyCommand[] = [];
  private readonly live = new Set<string>();
  private readonly prompts = new Map<string, Extract<TelephonyCommand, { type: 'collect_digits' }>>();
  private readonly respondent = seededKeypadRespondent(20_261_206);
  private sink: TelephonyEventSink | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly maxCommands = 10_000,
  ) {}

  /** Where events go (the ACD service connects itself at start). */
  connect(sink: TelephonyEventSink): void {
    this.sink = sink;
  }

  async send(command: TelephonyCommandDraft): Promise<void> {
    const full = { ...command, commandId: newId() } as TelephonyCommand;
    this.commands.push(full);
    // Trim in batches: splice(0, 1) on every command is O(kept) each time (at 10,000 kept it dominated a Seoul-size
    // simulated day); trimming once the list doubles keeps the cost amortised O(1) and at most 2 × maxCommands kept.
    if (this.commands.length > 2 * this.maxCommands) this.commands.splice(0, this.commands.length - this.maxCommands);
    if (full.type === 'hang_up' || (full.type === 'transfer' && full.mode === 'blind') || full.type === 'complete_transfer') {
      this.live.delete(full.callId);
    }
    if (full.type === 'dial_callback') this.live.add(full.callId);
    if (full.type === 'hang_up') this.prompts.delete(full.callId);
    if (full.type === 'collect_digits') {
      // A keypad survey call: dialled on its first prompt, then waiting for the citizen's keys (pressKeys).
      this.live.add(full.callId);
      this.prompts.set(full.callId, full);
    }
  }

  /** The keypad prompts read out and not answered yet (survey calls waiting for the citizen's keys). */
  pendingPrompts(): Array<Extract<TelephonyCommand, { type: 'collect_digits' }>> {
    return [...this.prompts.values()];
  }

  /** The citizen on a survey call presses keys (null: nothing in time), or hangs up. */
  async pressKeys(callId: string, keys: string | null | 'hang_up'): Promise<TelephonyEventResult> {
    this.prompts.delete(callId);
    if (keys === 'hang_up') {
      this.live.delete(callId);
      return this.emit({ type: 'ended', callId, by: 'caller' });
    }
    return this.emit({ type: 'digits_collected', callId, digits: keys });
  }

  /**
   * Every waiting prompt answered once by `respond` (default: a seeded citizen, {@link seededKeypadRespondent}); the
   * answers may bring new prompts, answered by the next call. Returns how many prompts were answered.
   */
  async answerPrompts(respond: KeypadRespondent = this.respondent): Promise<number> {
    const waiting = this.pendingPrompts();
    for (const p of waiting) await this.pressKeys(p.callId, respond(p));
    return waiting.length;
  }

  async facts(): Promise<TelephonyFacts> {
    return { liveCallIds: new Set(this.live), registeredAgentIds: null };
  }

  /** True while the call is connected in the simulated phone system. */
  isLive(callId: string): boolean {
    return this.live.has(callId);
  }

  /** A caller dials in: the ACD answers with its route decision. */
  async placeCall(call: SimulatedCall): Promise<{ callId: string; result: TelephonyEventResult }> {
    const callId = `sim-${newId()}`;
    this.live.add(callId);
    const result = await this.emit({
      type: 'offered',
      callId,
      callerNumber: call.callerNumber,
      dialledNumber: call.dialledNumber ?? '120',
      ivrChoice: call.ivrChoice ?? null,
      priority: call.priority ?? 0,
    });
    if (result.decision?.action === 'reject') this.live.delete(callId);
    return { callId, result };
  }

  /** The caller hangs up: abandoned when nobody answered yet, ended otherwise (the ACD tells them apart). */
  async callerHangsUp(callId: string): Promise<TelephonyEventResult> {
    this.live.delete(callId);
    return this.emit({ type: 'ended', callId, by: 'caller' });
  }

  /** The waiting caller presses the callback key and leaves a number, then hangs up. */
  async requestCallback(callId: string, callbackNumber: string): Promise<TelephonyEventResult> {
    const result = await this.emit({ type: 'callback_requested', callId, callbackNumber });
    // Only a callback the ACD took ends the call: when the request was ignored (e.g. the call already rings at an
    // agent), the caller is still on the line, and dropping it would make reconciliation end a live conversation.
    if (result.outcome === 'applied') this.live.delete(callId);
    return result;
  }

  /**
   * An official's desk phone (내선) picks up or hangs up a call of its own, as a PBX reports it (`extension_state`):
   * the official shows "통화 중" while it lasts.
   */
  async extensionCall(extension: string, onCall: boolean, callId = `sim-ext-${extension}`): Promise<TelephonyEventResult> {
    return this.emit({ type: 'extension_state', callId, extension, onCall });
  }

  /** Marks a call live (a callback dialled out, or a test that needs a live call the ACD did not place). */
  markLive(callId: string): void {
    this.live.add(callId);
  }

  /** Drops a call from the live set without telling the ACD (a lost event, for reconciliation tests). */
  dropSilently(callId: string): void {
    this.live.delete(callId);
  }

  private async emit(event: Record<string, unknown> & { type: string; callId: string }): Promise<TelephonyEventResult> {
    if (!this.sink) throw new Error('simulator telephony is not connected to the ACD');
    const full = { eventId: newId(), at: this.clock.now().toISOString(), ...event };
    return this.sink.handleTelephonyEvent(this.name, full as Parameters<TelephonyEventSink['handleTelephonyEvent']>[1]);
  }
}
