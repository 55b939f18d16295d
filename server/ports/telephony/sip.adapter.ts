import fs from 'node:fs';
import path from 'node:path';
import type { TelephonyCommandDraft } from '../../../core/contracts/telephony';
import type { SipConfig } from '../../config';
import { KamailioClient } from './sip/kamailio-client';
import { announcementText, spokenPrompt } from './sip/prompts';
import { RtpengineNg } from './sip/rtpengine-ng';
import type { TelephonyFacts, TelephonyPort } from './telephony.port';
import type { RecordingService } from '../../modules/recordings/recordings.service';

type Log = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

/** What the adapter knows of one SIP call (by Call-ID). */
type SipCall = {
  /** routing: Kamailio's route request is in flight; waiting: suspended (ringing-only wait); ringing; up. */
  phase: 'routing' | 'waiting' | 'ringing' | 'up';
  agentId: string | null;
  fromTag: string | null;
  toTag: string | null;
  /** An offer that arrived while the route request was in flight: sent once Kamailio has suspended the call. */
  pendingOffer: { agentId: string; timeoutSeconds: number } | null;
  /**
   * Counts rings: a ring still retrying its resume (Kamailio answers 409 while the last branch rings) gives up when a
   * later ring or a withdrawal has replaced it, so a stale offer never rings a phone after the ACD has moved on.
   */
  ringSeq: number;
  /** Kamailio took the current ring (the agent's phone is being rung). */
  rung: boolean;
};

/** How OneCall finds agents' SIP names: their login (AOR sip:<login>@<domain>). */
export type AgentDirectory = {
  loginOf(agentId: string): Promise<string | null>;
  idOf(login: string): Promise<string | null>;
};

const RESUME_RETRY_MS = 10;
const RESUME_RETRY_FOR_MS = 8_000;

/**
 * The SIP adapter of the telephony port (issue #17, docs/TELEPHONY-SIP.md): Kamailio asks OneCall for each call
 * (route service → `offered`), holds the caller ringing (a suspended transaction) and relays to the agent OneCall's
 * `offer` names, with the ACD's offer timeout as ring timeout. Dialog events come back through the intake
 * (server/modules/telephony-sip). Commands: offer → resume the transaction towards the agent's registered contact;
 * hang_up → BYE both sides (dialog module); transfer (blind) → REFER the caller (the one REFER of a blind transfer: the
 * desk's softphone leaves it to OneCall) and BYE to the agent; announce/record → rtpengine's ng
 * protocol where the call is answered. Facts: Kamailio's dialogs (dlg.list) and registrations (ul.dump).
 */
export class SipTelephony implements TelephonyPort {
  readonly name = 'sip';
  readonly kamailio: KamailioClient;
  readonly rtpengine: RtpengineNg;
  private readonly calls = new Map<string, SipCall>();
  /** The registration view, fed by Kamailio's REGISTER events and ul.dump: login → contact expiry (ms). */
  private readonly registered = new Map<string, number>();
  /** Set by the plugin: call recording (SIP_RECORDING), started when the agent answers, sealed when the call ends. */
  recorder: RecordingService | null = null;
  /** Set by the plugin: what to do when the ACD offers a call to an agent whose phone is not registered. */
  onUnregisteredOffer: ((agentId: string) => void) | null = null;
  private closed = false;

  constructor(
    private readonly config: SipConfig,
    private readonly agents: AgentDirectory,
    private readonly now: () => number,
    private log: Log,
  ) {
    this.kamailio = new KamailioClient(config.kamailioHttpUrl, config.sharedSecret);
    this.rtpengine = new RtpengineNg(config.rtpengineNg.host, config.rtpengineNg.port);
  }

  setLogger(log: Log): void {
    this.log = log;
  }

  /** Reads who is registered (after a restart of OneCall); Kamailio down = nobody yet, retried by facts(). */
  async loadRegistrations(): Promise<void> {
    try {
      const aors = await this.kamailio.registeredAors();
      const until = this.now() + 3600_000;
      this.registered.clear();
      for (const aor of aors) this.registered.set(aor.split('@')[0]!, until);
    } catch (err) {
      this.log.warn({ err }, 'sip: registrations not readable from Kamailio');
    }
  }

  // ——— intake (Kamailio → OneCall) ———

  /** Kamailio's route request for a new call is in flight. */
  beginRouting(callId: string): void {
    if (!this.calls.has(callId)) this.calls.set(callId, { phase: 'routing', agentId: null, fromTag: null, toTag: null, pendingOffer: null, ringSeq: 0, rung: false });
  }

  /** OneCall answered the route request: the call waits suspended; an offer made meanwhile goes out now. */
  routed(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    if (call.phase === 'routing') call.phase = 'waiting';
    const offer = call.pendingOffer;
    call.pendingOffer = null;
    if (offer) void this.ring(callId, offer.agentId, offer.timeoutSeconds).catch((err: unknown) => this.log.error({ err, callId }, 'sip: ring failed'));
  }

  forget(callId: string): void {
    this.calls.delete(callId);
  }

  answered(callId: string, fromTag: string | null, toTag: string | null): string | null {
    const call = this.calls.get(callId);
    if (!call) return null;
    call.phase = 'up';
    call.fromTag = fromTag;
    call.toTag = toTag;
    return call.agentId;
  }

  /**
   * Kamailio gave up ringing `aor` for this call: the call waits again (unless another agent's ring has begun since).
   * Returns the agent's id.
   */
  async offerFailed(callId: string, aor: string): Promise<string | null> {
    const login = aor.replace(/^sips?:/, '').split('@')[0] ?? '';
    const agentId = login ? await this.agents.idOf(login) : null;
    const call = this.calls.get(callId);
    if (call && call.agentId === agentId) {
      call.phase = 'waiting';
      call.agentId = null;
    }
    return agentId;
  }

  registration(aor: string, expiresSeconds: number): void {
    const login = aor.replace(/^sips?:/, '').split('@')[0]!;
    if (expiresSeconds === 0) this.registered.delete(login);
    else this.registered.set(login, this.now() + Math.max(expiresSeconds, 60) * 1000);
  }

  /** True when Kamailio is ringing this agent's phone for a call (the resume of the current offer was taken). */
  isRinging(agentId: string): boolean {
    for (const call of this.calls.values()) if (call.phase === 'ringing' && call.agentId === agentId && call.rung) return true;
    return false;
  }

  isRegistered(login: string): boolean {
    const until = this.registered.get(login);
    return until !== undefined && until > this.now();
  }

  // ——— the port ———

  async send(command: TelephonyCommandDraft): Promise<void> {
    switch (command.type) {
      case 'offer': {
        const call = this.callOf(command.callId);
        if (call.phase === 'routing') {
          call.pendingOffer = { agentId: command.agentId, timeoutSeconds: command.timeoutSeconds };
          return;
        }
        await this.ring(command.callId, command.agentId, command.timeoutSeconds);
        return;
      }
      case 'hang_up': {
        const call = this.calls.get(command.callId);
        if (call?.phase === 'up' && call.fromTag && call.toTag) {
          const status = await this.kamailio.dialog({ callId: command.callId, fromTag: call.fromTag, toTag: call.toTag, action: 'hangup' });
          if (status !== 200) throw new Error(`kamailio could not end the dialog (${status})`);
        } else {
          await this.resumeWithRetry({ callId: command.callId, action: 'reply', code: 480, reason: 'Temporarily Unavailable' });
        }
        return;
      }
      case 'transfer': {
        // A consultative transfer is the agent's phone's own: it holds the caller, calls the target and sends REFER with
        // Replaces (the desk's softphone, or a desk phone's transfer key); Kamailio reports the REFER (transferred).
        if (command.mode !== 'blind') return;
        const call = this.calls.get(command.callId);
        if (call?.phase !== 'up' || !call.fromTag || !call.toTag) throw new Error('sip: transfer of a call that is not connected');
        const target = command.target.startsWith('sip:') ? command.target : `sip:${command.target}@${this.config.domain}`;
        const status = await this.kamailio.dialog({ callId: command.callId, fromTag: call.fromTag, toTag: call.toTag, action: 'refer', target });
        if (status !== 200) throw new Error(`kamailio could not send REFER (${status})`);
        return;
      }
      case 'complete_transfer':
      case 'cancel_transfer':
        // The agent's phone completes (REFER with Replaces) or cancels (hangs up the consultation) a consultative transfer.
        return;
      case 'withdraw_offer': {
        // A ring not yet taken by Kamailio is dropped; one already ringing ends by Kamailio's ring timer (offer timeout
        // less half a second), so Kamailio gives up first.
        const call = this.calls.get(command.callId);
        if (call?.phase === 'ringing' && call.agentId === command.agentId && !call.rung) {
          call.ringSeq++;
          call.phase = 'waiting';
          call.agentId = null;
        }
        return;
      }
      case 'answer':
        // The ring timer of the agent's branch is the offer timeout less half a second: Kamailio gives up first. The
        // agent answers on the phone itself (browser softphone or desk phone).
        return;
      case 'hold':
      case 'resume': {
        // The desk's 보류 (the softphone also sends its re-INVITE sendonly): the caller hears music on hold played by
        // rtpengine into the call (the caller's side, by its From tag) until 보류 해제 stops it.
        const call = this.calls.get(command.callId);
        if (call?.phase !== 'up' || !call.fromTag) {
          this.log.warn({ callId: command.callId, type: command.type }, 'sip: hold/resume of a call that is not connected');
          return;
        }
        if (command.type === 'resume') {
          await this.rtpengine.request('stop media', { 'call-id': command.callId, 'from-tag': call.fromTag });
          return;
        }
        const file = path.join(this.config.promptsDir, 'moh.wav');
        if (!fs.existsSync(file)) {
          this.log.warn({ callId: command.callId, file }, 'sip: no music on hold (scripts/telephony.sh prompts)');
          return;
        }
        const answer = await this.rtpengine.request('play media', { 'call-id': command.callId, 'from-tag': call.fromTag, file, 'repeat-times': 1000 });
        if (answer['result'] !== 'ok') throw new Error(`rtpengine play media: ${String(answer['error-reason'] ?? answer['result'])}`);
        return;
      }
      case 'announce': {
        // rtpengine can play media only into an answered call: a caller waiting in line hears ringing (docs). Into a
        // connected call (a protection warning, a transfer notice) the text is spoken (espeak-ng, Korean) to the caller.
        const call = this.calls.get(command.callId);
        if (call?.phase !== 'up' || !call.fromTag) {
          this.log.info({ callId: command.callId, kind: command.announcement.kind }, 'sip: announcement to a caller not connected (ringing-only wait)');
          return;
        }
        const text = announcementText(command.announcement);
        if (!text) return;
        const file = await spokenPrompt(this.config.promptsDir, text);
        const answer = await this.rtpengine.request('play media', { 'call-id': command.callId, 'from-tag': call.fromTag, file });
        if (answer['result'] !== 'ok') throw new Error(`rtpengine play media: ${String(answer['error-reason'] ?? answer['result'])}`);
        return;
      }
      default:
        this.log.warn({ type: command.type, callId: 'callId' in command ? command.callId : null }, 'sip: command not supported by the SIP adapter');
    }
  }

  async facts(): Promise<TelephonyFacts> {
    // Live = Kamailio's dialogs (ringing or talking) and the calls waiting suspended in line (htable susp).
    const liveCallIds = await this.kamailio.dialogCallIds();
    for (const callId of await this.kamailio.htableKeys('susp')) liveCallIds.add(callId);
    await this.loadRegistrations();
    const registeredAgentIds = new Set<string>();
    for (const login of this.registered.keys()) {
      const id = await this.agents.idOf(login);
      if (id) registeredAgentIds.add(id);
    }
    return { liveCallIds, registeredAgentIds };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rtpengine.close();
  }

  private callOf(callId: string): SipCall {
    let call = this.calls.get(callId);
    if (!call) {
      // A call OneCall knows from before a restart: it waits suspended in Kamailio.
      call = { phase: 'waiting', agentId: null, fromTag: null, toTag: null, pendingOffer: null, ringSeq: 0, rung: false };
      this.calls.set(callId, call);
    }
    return call;
  }

  private async ring(callId: string, agentId: string, timeoutSeconds: number): Promise<void> {
    const login = await this.agents.loginOf(agentId);
    if (!login || !this.isRegistered(login)) {
      this.log.warn({ callId, agentId }, 'sip: offer to an agent whose phone is not registered: reconciling');
      this.onUnregisteredOffer?.(agentId);
      return;
    }
    const call = this.callOf(callId);
    call.agentId = agentId;
    call.phase = 'ringing';
    call.rung = false;
    const seq = ++call.ringSeq;
    const timeoutMs = Math.max(1000, timeoutSeconds * 1000 - 500);
    const current = () => this.calls.get(callId) === call && call.ringSeq === seq;
    if (await this.resumeWithRetry({ callId, action: 'ring', aor: `sip:${login}@${this.config.domain}`, timeoutMs }, current)) call.rung = true;
  }

  /**
   * Resumes the suspended INVITE; 409 (Kamailio has not suspended it yet, or the last branch still rings) is retried
   * while `stillWanted` holds. False when it was given up because it is no longer wanted.
   */
  private async resumeWithRetry(command: Parameters<KamailioClient['resume']>[0], stillWanted: () => boolean = () => true): Promise<boolean> {
    // A network retry deadline: wall time, not the ACD's clock (which a test may hold still).
    const until = performance.now() + RESUME_RETRY_FOR_MS;
    for (;;) {
      if (!stillWanted()) return false;
      const status = await this.kamailio.resume(command);
      if (status === 200) return true;
      if (status !== 409 || this.closed || performance.now() > until) throw new Error(`kamailio did not resume ${command.callId} (${status})`);
      await new Promise((resolve) => setTimeout(resolve, RESUME_RETRY_MS));
    }
  }
}
