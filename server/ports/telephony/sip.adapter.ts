import fs from 'node:fs';
import path from 'node:path';
import type { Announcement, TelephonyCommandDraft } from '../../../core/contracts/telephony';
import type { SipConfig } from '../../config';
import { KamailioClient } from './sip/kamailio-client';
import { openEarlyMedia, playToCaller } from './sip/early-media';
import { trunkTarget } from './sip/callback-dial';
import { callbackNumberOf, FALLBACK_STAY_MS as CLOSED_STAY_MS, wavDurationMs } from './sip/fallback';
import { announcementText, spokenPrompt, waitingPrompt } from './sip/prompts';
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
  /** The caller's SDP offer (from the route request): what early media while waiting in line is built on. */
  callerSdp: string | null;
  /**
   * Early media (a 183 with rtpengine's SDP) while the caller waits in line: off, being set up, or on (rtpengine plays
   * `waiting` to the caller until the agent answers).
   */
  early: 'off' | 'starting' | 'on';
  /** What the waiting caller hears (the last announcement's text; then the waiting music), and the position in it. */
  waiting: { text: string; position: number | null } | null;
  /** The caller's number as Kamailio reported it (From user): the callback a closed centre offers goes to it. */
  caller: string | null;
  /** Outside hours: the hours are spoken (early media) and a callback offered, then the call ends (480 Closed). */
  closed: { text: string; callbackTo: string | null } | null;
};

/** Said after the hours when the caller can be called back: staying on the line accepts (as the fallback service). */
export const CLOSED_CALLBACK_OFFER = '상담 시간에 이 번호로 다시 전화 드리기를 원하시면 끊지 말고 잠시만 기다려 주십시오.';
/** … and having stayed. */
export const CLOSED_CALLBACK_CONFIRMED = '콜백 요청이 접수되었습니다. 상담 시간이 시작되면 상담사가 이 번호로 전화 드리겠습니다. 감사합니다.';

/** What a caller waiting in line hears when the ACD has said nothing yet (a ring failed, the call is back in line). */
const WAITING_TEXT = '잠시만 기다려 주십시오. 곧 상담사를 연결해 드리겠습니다.';
/** rtpengine's To tag of the side that "answers" a waiting caller's early media (no phone: rtpengine plays to the caller). */
const EARLY_TAG = 'onecall-waiting';

/** How OneCall finds agents' SIP names: their login (AOR sip:<login>@<domain>). */
export type AgentDirectory = {
  loginOf(agentId: string): Promise<string | null>;
  idOf(login: string): Promise<string | null>;
};

/** A callback the ACD gave an agent (dial_callback): the call id the ACD knows it by and the number to call. */
type PendingCallback = { callId: string; number: string };

/**
 * The agent's call to the citizen (the phone dialled the callback code, sip/callback-dial.ts), by its SIP Call-ID: the ACD's call
 * id of the callback, the agent, and the dialog's tags once the citizen answered.
 */
type CallbackLeg = { callId: string; agentId: string; fromTag: string | null; toTag: string | null };

/** Kamailio's answer to the agent's phone dialling the callback code. */
export type SipDialAnswer = { action: 'dial'; uri: string } | { action: 'reply'; code: number; reason: string };

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
  /** Callbacks offered to agents (agent id → the callback), until the ACD takes them back or the call ends. */
  private readonly callbacks = new Map<string, PendingCallback>();
  /** Agents' calls to citizens (SIP Call-ID → the callback leg). */
  private readonly legs = new Map<string, CallbackLeg>();
  /** The registration view, fed by Kamailio's REGISTER events and ul.dump: login → contact expiry (ms). */
  private readonly registered = new Map<string, number>();
  /** Set by the plugin: call recording (SIP_RECORDING), started when the agent answers, sealed when the call ends. */
  recorder: RecordingService | null = null;
  /** Set by the plugin: a caller of a closed centre stayed on the line to be called back (the ACD's callback_requested). */
  onClosedCallback: ((callId: string, number: string) => Promise<void>) | null = null;
  /** Set by the plugin: a waiting call's current position in line (the ACD's), for the waiting announcement's refresh. */
  positionOf: ((callId: string) => { position: number; estimatedWaitSeconds: number | null } | null) | null = null;
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

  /**
   * Kamailio's route request for a new call is in flight. `media` (the caller's From tag and SDP offer, over evapi)
   * lets a caller who must wait in line hear the announcement and music as early media.
   */
  beginRouting(callId: string, media?: { fromTag: string; sdp: string }, caller?: string): void {
    if (this.calls.has(callId)) return;
    const call = newCall('routing');
    if (media?.fromTag && media.sdp) {
      call.fromTag = media.fromTag;
      call.callerSdp = media.sdp;
    }
    call.caller = caller ?? null;
    this.calls.set(callId, call);
  }

  /**
   * The ACD found the centre closed: with early media possible, the caller hears the hours (and, with a number to call,
   * the callback offer) instead of the carrier's tone for a bare 480; true when the adapter takes the call so.
   */
  closedCall(callId: string, announcement: Announcement): boolean {
    const call = this.calls.get(callId);
    if (!call || call.phase !== 'routing' || !call.callerSdp || announcement.kind !== 'closed') return false;
    const callbackTo = announcement.callbackOffered && call.caller ? callbackNumberOf(call.caller) : null;
    call.closed = { text: `${announcementText(announcement)} ${callbackTo ? CLOSED_CALLBACK_OFFER : '감사합니다.'}`, callbackTo };
    return true;
  }

  /**
   * OneCall answered the route request: the call waits suspended; an offer made meanwhile goes out now, else a caller
   * the ACD put in line (it announced the position) hears it as early media.
   */
  routed(callId: string): void {
    const call = this.calls.get(callId);
    if (!call) return;
    if (call.phase === 'routing') call.phase = 'waiting';
    const offer = call.pendingOffer;
    call.pendingOffer = null;
    if (offer) void this.ring(callId, offer.agentId, offer.timeoutSeconds).catch((err: unknown) => this.log.error({ err, callId }, 'sip: ring failed'));
    else if (call.closed) void this.speakClosed(callId, call).catch((err: unknown) => this.endClosed(callId, call, err));
    else if (call.waiting) this.startEarlyMedia(callId, call);
  }

  /** The call is over for the adapter (ended, abandoned, refused): a waiting caller's early media is closed in rtpengine. */
  forget(callId: string): void {
    const call = this.calls.get(callId);
    this.calls.delete(callId);
    // Connected calls are closed by Kamailio (rtpengine_delete on the BYE); a wait that ended without an answer is not.
    if (call && call.early !== 'off' && call.phase !== 'up') {
      void this.rtpengine.request('delete', { 'call-id': callId }).catch((err: unknown) => this.log.warn({ err, callId }, 'sip: early media not closed in rtpengine'));
    }
  }

  answered(callId: string, fromTag: string | null, toTag: string | null): string | null {
    const call = this.calls.get(callId);
    if (!call) return null;
    const early = call.early !== 'off';
    call.phase = 'up';
    call.early = 'off';
    call.waiting = null;
    call.fromTag = fromTag;
    call.toTag = toTag;
    // The agent answered: the waiting announcement and music stop (the caller now hears the agent).
    if (early && fromTag) {
      void this.rtpengine.request('stop media', { 'call-id': callId, 'from-tag': fromTag }).catch((err: unknown) => this.log.warn({ err, callId }, 'sip: waiting music not stopped'));
    }
    return call.agentId;
  }

  /**
   * The waiting callers' announcements follow the line: a caller whose position changed since it was last told hears
   * the new one (the plugin calls this every 20 s with the ACD's positions).
   */
  async refreshWaiting(): Promise<number> {
    let told = 0;
    for (const [callId, call] of this.calls) {
      if (call.early !== 'on' || call.phase === 'up' || !call.waiting) continue;
      const now = this.positionOf?.(callId);
      if (!now || now.position < 1 || now.position === call.waiting.position) continue;
      const announcement: Announcement = { kind: 'position', position: now.position, estimatedWaitSeconds: now.estimatedWaitSeconds };
      call.waiting = { text: announcementText(announcement), position: now.position };
      await this.playWaiting(callId, call);
      told++;
    }
    return told;
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
      // Back in line after a ring that failed: the caller hears the waiting music until the next offer.
      if (call.early === 'off' && call.callerSdp) {
        call.waiting ??= { text: WAITING_TEXT, position: null };
        this.startEarlyMedia(callId, call);
      }
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

  // ——— callbacks: the agent's phone calls the citizen ———

  /** The callback the ACD offered to the agent whose phone registered as `login` (null: none). */
  async callbackOf(login: string): Promise<{ agentId: string; callId: string } | null> {
    const agentId = await this.agents.idOf(login);
    const pending = agentId ? this.callbacks.get(agentId) : undefined;
    return agentId && pending ? { agentId, callId: pending.callId } : null;
  }

  /**
   * The agent's phone dialled the callback code (SIP Call-ID `sipCallId`): Kamailio relays it to the callback's number
   * at the trunk. Only the callback the ACD gave this agent can be dialled (the caller checked it is still the agent's),
   * and only through the configured trunk.
   */
  dial(sipCallId: string, agentId: string): SipDialAnswer {
    const pending = this.callbacks.get(agentId);
    if (!pending) return { action: 'reply', code: 403, reason: 'No Callback' };
    if (!this.config.trunkUri) {
      this.log.warn({ callId: pending.callId }, 'sip: a callback was dialled but no trunk is configured (SIP_TRUNK_URI)');
      return { action: 'reply', code: 503, reason: 'No Trunk' };
    }
    const uri = trunkTarget(this.config.trunkUri, pending.number);
    if (!uri) return { action: 'reply', code: 484, reason: 'Address Incomplete' };
    // A second try (the citizen was busy, the agent dials again) is a new leg of the same callback.
    for (const [id, leg] of this.legs) if (leg.callId === pending.callId && leg.toTag === null) this.legs.delete(id);
    this.legs.set(sipCallId, { callId: pending.callId, agentId, fromTag: null, toTag: null });
    return { action: 'dial', uri };
  }

  /** The agent's call to a citizen with this SIP Call-ID, if it is one. */
  legOf(sipCallId: string): CallbackLeg | undefined {
    return this.legs.get(sipCallId);
  }

  /** The citizen answered the agent's call: its tags (hang-up from the desk, recording) are kept. */
  legAnswered(sipCallId: string, fromTag: string | null, toTag: string | null): CallbackLeg | undefined {
    const leg = this.legs.get(sipCallId);
    if (leg) {
      leg.fromTag = fromTag;
      leg.toTag = toTag;
    }
    return leg;
  }

  /** The agent's call to the citizen is over (ended, or never answered): the callback is done with on this phone. */
  legEnded(sipCallId: string): CallbackLeg | undefined {
    const leg = this.legs.get(sipCallId);
    this.legs.delete(sipCallId);
    if (leg && this.callbacks.get(leg.agentId)?.callId === leg.callId && leg.toTag !== null) this.callbacks.delete(leg.agentId);
    return leg;
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
        if (await this.hangUpCallback(command.callId)) return;
        const call = this.calls.get(command.callId);
        if (call?.phase === 'up' && call.fromTag && call.toTag) {
          const status = await this.kamailio.dialog({ callId: command.callId, fromTag: call.fromTag, toTag: call.toTag, action: 'hangup' });
          if (status !== 200) throw new Error(`kamailio could not end the dialog (${status})`);
        } else if (call) {
          await this.resumeWithRetry({ callId: command.callId, action: 'reply', code: 480, reason: 'Temporarily Unavailable' });
          this.forget(command.callId);
        } else {
          // Not a call of this process: one waiting in Kamailio since before a restart (ended once), or none at all —
          // a callback whose phone never dialled (or a restart forgot its leg) — which Kamailio refuses: nothing to end.
          const status = await this.kamailio.resume({ callId: command.callId, action: 'reply', code: 480, reason: 'Temporarily Unavailable' });
          if (status !== 200) this.log.info({ callId: command.callId, status }, 'sip: hang-up of a call Kamailio does not hold');
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
      case 'dial_callback':
        // The agent's phone dials the callback code when the agent takes the offer (the desk's softphone does so on
        // 응답; a desk phone's user dials *77): Kamailio asks OneCall (dial) and calls the citizen through the trunk.
        this.callbacks.set(command.agentId, { callId: command.callId, number: command.number });
        if (!this.config.trunkUri) this.log.warn({ callId: command.callId }, 'sip: a callback was offered but no trunk is configured (SIP_TRUNK_URI): the agent cannot call out');
        return;
      case 'withdraw_offer': {
        if (this.callbacks.get(command.agentId)?.callId === command.callId) this.callbacks.delete(command.agentId);
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
        await playToCaller(this.rtpengine, command.callId, call.fromTag, file, 1000);
        return;
      }
      case 'announce': {
        // Into a connected call (a protection warning, a transfer notice) the text is spoken (espeak-ng, Korean) to the
        // caller. A caller waiting in line hears it as early media, followed by the waiting music, over and over.
        const call = this.calls.get(command.callId);
        const text = announcementText(command.announcement);
        if (!text) return;
        if (call?.closed) return; // the adapter speaks the hours itself (closedCall)
        if (call && call.phase !== 'up' && call.callerSdp) {
          call.waiting = { text, position: command.announcement.kind === 'position' ? command.announcement.position : (call.waiting?.position ?? null) };
          if (call.early === 'on') await this.playWaiting(command.callId, call);
          else if (call.phase === 'waiting') this.startEarlyMedia(command.callId, call);
          // routing: routed() starts it once Kamailio has the route answer.
          return;
        }
        if (call?.phase !== 'up' || !call.fromTag) {
          this.log.info({ callId: command.callId, kind: command.announcement.kind }, 'sip: announcement to a caller not connected (no early media: ringing only)');
          return;
        }
        const file = await spokenPrompt(this.config.promptsDir, text);
        await playToCaller(this.rtpengine, command.callId, call.fromTag, file);
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

  /**
   * The desk ends a callback: the citizen's call (when the citizen answered) is ended by Kamailio; one still ringing is
   * the agent's phone's to cancel (the softphone hangs up with the desk). The callback is no longer dialable. False when
   * `callId` is no callback of this adapter.
   */
  private async hangUpCallback(callId: string): Promise<boolean> {
    let known = false;
    for (const [agentId, pending] of this.callbacks) {
      if (pending.callId !== callId) continue;
      this.callbacks.delete(agentId);
      known = true;
    }
    for (const [sipCallId, leg] of this.legs) {
      if (leg.callId !== callId) continue;
      known = true;
      if (!leg.fromTag || !leg.toTag) continue;
      const status = await this.kamailio.dialog({ callId: sipCallId, fromTag: leg.fromTag, toTag: leg.toTag, action: 'hangup' });
      if (status !== 200) this.log.info({ callId, status }, 'sip: the callback call was already over in Kamailio');
    }
    return known;
  }

  private callOf(callId: string): SipCall {
    let call = this.calls.get(callId);
    if (!call) {
      // A call OneCall knows from before a restart: it waits suspended in Kamailio.
      call = newCall('waiting');
      this.calls.set(callId, call);
    }
    return call;
  }

  /**
   * Early media for a caller waiting in line (Kamailio is a proxy: nothing answers the caller before the agent does).
   * rtpengine gets the caller's offer and an answer from a side that only plays (no phone: a discard address), Kamailio
   * sends the caller 183 Session Progress with rtpengine's SDP (resume "early"), and rtpengine plays the announcement
   * and the waiting music to the caller. A ring that starts meanwhile wins: the early media is given up, not forced.
   */
  private startEarlyMedia(callId: string, call: SipCall): void {
    if (call.early !== 'off' || !call.callerSdp || !call.fromTag) return;
    call.early = 'starting';
    const ringSeq = call.ringSeq;
    const stillWaiting = () => this.calls.get(callId) === call && call.phase === 'waiting' && call.ringSeq === ringSeq;
    const setUp = async () => {
      const sdp = await openEarlyMedia(this.rtpengine, callId, call.fromTag!, call.callerSdp!, EARLY_TAG);
      if (!(await this.resumeWithRetry({ callId, action: 'early', sdp }, stillWaiting))) {
        call.early = 'off';
        return;
      }
      call.early = 'on';
      await this.playWaiting(callId, call);
    };
    void setUp().catch((err: unknown) => {
      if (call.early === 'starting') call.early = 'off';
      this.log.warn({ err, callId }, 'sip: early media for a waiting caller not set up (ringing only)');
    });
  }

  /**
   * A closed centre's caller: early media, the hours and the callback offer spoken once; a caller still on the line
   * 2 s after it accepted (the ACD's callback for the next opening) and hears the confirmation; then 480 Closed.
   */
  private async speakClosed(callId: string, call: SipCall): Promise<void> {
    const closed = call.closed!;
    const current = () => this.calls.get(callId) === call;
    const sdp = await openEarlyMedia(this.rtpengine, callId, call.fromTag!, call.callerSdp!, EARLY_TAG);
    if (!(await this.resumeWithRetry({ callId, action: 'early', sdp }, current))) return;
    call.early = 'on';
    const offered = await this.playOnce(callId, call, closed.text);
    await new Promise((resolve) => setTimeout(resolve, offered + (closed.callbackTo ? CLOSED_STAY_MS : 300)));
    if (!current()) return; // hung up meanwhile (abandoned): no callback
    if (closed.callbackTo && this.onClosedCallback) {
      await this.onClosedCallback(callId, closed.callbackTo);
      const confirmed = await this.playOnce(callId, call, CLOSED_CALLBACK_CONFIRMED);
      await new Promise((resolve) => setTimeout(resolve, confirmed + 300));
    }
    this.endClosed(callId, call, null);
  }

  private endClosed(callId: string, call: SipCall, err: unknown): void {
    if (err) this.log.warn({ err, callId }, 'sip: the closed centre announcement failed');
    if (this.calls.get(callId) !== call) return;
    void this.resumeWithRetry({ callId, action: 'reply', code: 480, reason: 'Closed' })
      .catch((e: unknown) => this.log.info({ err: e, callId }, 'sip: the closed call had ended already'))
      .finally(() => this.forget(callId));
  }

  /** Plays `text` once to the caller; its length in ms. */
  private async playOnce(callId: string, call: SipCall, text: string): Promise<number> {
    const file = await spokenPrompt(this.config.promptsDir, text);
    await playToCaller(this.rtpengine, callId, call.fromTag!, file);
    return wavDurationMs(file);
  }

  /** The waiting caller hears the last announcement, then the waiting music, repeated until the agent answers. */
  private async playWaiting(callId: string, call: SipCall): Promise<void> {
    if (!call.waiting || !call.fromTag) return;
    const file = await waitingPrompt(this.config.promptsDir, call.waiting.text);
    if (this.calls.get(callId) !== call || call.early !== 'on') return;
    await playToCaller(this.rtpengine, callId, call.fromTag, file, 1000);
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

function newCall(phase: SipCall['phase']): SipCall {
  return { phase, agentId: null, fromTag: null, toTag: null, pendingOffer: null, ringSeq: 0, rung: false, callerSdp: null, early: 'off', waiting: null, caller: null, closed: null };
}
