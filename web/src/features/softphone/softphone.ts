import { useSyncExternalStore } from 'react';
import { Invitation, Inviter, SessionState, Web, type Session } from 'sip.js';
import { CALLBACK_DIAL_CODE } from '../../../../core/contracts/telephony';
import { api, ApiError } from '../../api/client';
import {
  mediaProblem,
  registrationView,
  renewDelayMs,
  retryDelayMs,
  SoftphoneCredentialsSchema,
  targetUri,
  type MediaProblem,
  type RegistrationView,
  type SoftphoneCredentials,
} from './softphone-logic';

/**
 * 소프트폰 (issue #17 §2): SIP.js over WebSocket to Kamailio, registering as the signed-in agent while the desk is open
 * and the server's TELEPHONY is sip. One engine per tab; the desk's controls (응답, 보류, 통화 종료, 호 전환) call the
 * functions below next to the ACD command they already send, and the desk reads {@link useSoftphone}.
 */

export type AudioDevice = { id: string; label: string };

export type SoftphoneSnapshot = {
  /** The server runs SIP telephony and this desk registers (false: the simulator; nothing is shown). */
  enabled: boolean;
  registration: RegistrationView;
  /** When the next automatic attempt runs after a failure (ms epoch), if one is planned. */
  retryAt: number | null;
  media: MediaProblem | null;
  ringing: boolean;
  inCall: boolean;
  held: boolean;
  muted: boolean;
  consult: 'none' | 'ringing' | 'talking' | 'failed';
  /** A callback this phone is calling (the citizen not answered yet), or one the citizen did not take. */
  callback: 'none' | 'calling' | 'failed';
  /** The last failed command, in words the agent can pass on. */
  error: { kind: 'answer' | 'action' | 'credentials'; reason: string } | null;
  inputs: AudioDevice[];
  outputs: AudioDevice[];
  inputId: string;
  outputId: string;
  /** The browser can choose the speaker (HTMLMediaElement.setSinkId). */
  canPickOutput: boolean;
};

const INPUT_KEY = 'onecall.softphone.input';
const OUTPUT_KEY = 'onecall.softphone.output';
/** The registration is refreshed by SIP.js well before this (Kamailio may shorten it). */
const REGISTER_EXPIRES_S = 300;
/** An 응답 pressed just before the INVITE reached this tab still answers it. */
const EARLY_ANSWER_MS = 5_000;

function stored(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode: the choice lasts for this page
  }
}

const initial: SoftphoneSnapshot = {
  enabled: false,
  registration: 'connecting',
  retryAt: null,
  media: null,
  ringing: false,
  inCall: false,
  held: false,
  muted: false,
  consult: 'none',
  callback: 'none',
  error: null,
  inputs: [],
  outputs: [],
  inputId: '',
  outputId: '',
  canPickOutput: typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype,
};

let snapshot: SoftphoneSnapshot = initial;
const listeners = new Set<() => void>();

function update(patch: Partial<SoftphoneSnapshot>): void {
  snapshot = { ...snapshot, ...patch };
  for (const l of listeners) l();
}

function reason(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return String(err);
}

/** The softphone's state for the desk (re-renders on change). */
export function useSoftphone(): SoftphoneSnapshot {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => snapshot,
  );
}

class Engine {
  private manager: Web.SessionManager | null = null;
  private credentials: SoftphoneCredentials | null = null;
  private caller: Session | null = null;
  private consultSession: Inviter | null = null;
  private audio: HTMLAudioElement;
  private renewTimer: number | null = null;
  private retryTimer: number | null = null;
  private attempt = 0;
  private stopped = false;
  private renewDue = false;
  private answerRequestedAt = 0;
  private transportUp = false;
  private registered = false;

  constructor() {
    this.audio = document.createElement('audio');
    this.audio.autoplay = true;
    this.audio.dataset.softphone = 'remote';
    this.audio.hidden = true;
    document.body.appendChild(this.audio);
    update({
      ...initial,
      inputId: stored(INPUT_KEY),
      outputId: stored(OUTPUT_KEY),
    });
  }

  private audioConstraints(): MediaStreamConstraints {
    const id = snapshot.inputId;
    return { audio: id ? { deviceId: { exact: id } } : true, video: false };
  }

  private show(): void {
    update({
      registration: registrationView({
        transport: this.transportUp ? 'connected' : 'disconnected',
        registered: this.registered,
        gaveUp: snapshot.retryAt !== null,
      }),
    });
  }

  /** Fetch credentials, check the microphone, connect and register; on failure try again later. */
  async start(): Promise<void> {
    if (this.stopped) return;
    this.clearTimers();
    update({ registration: 'connecting', retryAt: null });
    let creds: SoftphoneCredentials;
    try {
      creds = SoftphoneCredentialsSchema.parse(await api<unknown>('/api/softphone/credentials'));
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'SOFTPHONE_DISABLED' || err.status === 404)) {
        update({ enabled: false });
        return;
      }
      update({
        enabled: true,
        error: { kind: 'credentials', reason: reason(err) },
      });
      return this.retryLater();
    }
    if (this.stopped) return;
    this.credentials = creds;
    update({ enabled: true });
    if (!(await this.checkMicrophone())) return this.retryLater();
    await this.refreshDevices();
    try {
      await this.connect(creds);
      this.attempt = 0;
      update({ error: null });
      this.renewTimer = window.setTimeout(() => void this.renew(), renewDelayMs(creds.expiresAt, Date.now()));
    } catch (err) {
      console.warn('softphone: registration failed', err);
      await this.teardown(false);
      return this.retryLater();
    }
  }

  /** Microphone permission first (권한 거부, 장치 없음, 다른 앱 사용 중): an agent who cannot talk is not registered. */
  private async checkMicrophone(): Promise<boolean> {
    try {
      if (!navigator.mediaDevices?.getUserMedia)
        throw Object.assign(new Error('no mediaDevices'), {
          name: 'NoMediaDevices',
        });
      const stream = await navigator.mediaDevices.getUserMedia(this.audioConstraints());
      for (const track of stream.getTracks()) track.stop();
      update({ media: null });
      return true;
    } catch (err) {
      // A remembered headset that is gone: fall back to the default microphone once.
      if (snapshot.inputId && mediaProblem(err) === 'noDevice') {
        update({ inputId: '' });
        return this.checkMicrophone();
      }
      update({ media: mediaProblem(err), registration: 'disconnected' });
      return false;
    }
  }

  async refreshDevices(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    const all = await navigator.mediaDevices.enumerateDevices();
    const list = (kind: MediaDeviceKind) =>
      all
        .filter((d) => d.kind === kind && d.deviceId !== 'default' && d.deviceId !== '')
        .map((d, i) => ({
          id: d.deviceId,
          label: d.label || `${kind} ${i + 1}`,
        }));
    update({ inputs: list('audioinput'), outputs: list('audiooutput') });
  }

  private async connect(creds: SoftphoneCredentials): Promise<void> {
    const manager = new Web.SessionManager(creds.wsUrl, {
      aor: creds.aor,
      maxSimultaneousSessions: 2,
      media: {
        constraints: { audio: true, video: false },
        remote: { audio: this.audio },
      },
      // Reconnection is ours (fresh credentials each time); SIP.js refreshes the registration before it expires.
      reconnectionAttempts: 0,
      registrationRetry: true,
      registrationRetryInterval: 5,
      registererOptions: { expires: REGISTER_EXPIRES_S },
      userAgentOptions: {
        authorizationUsername: creds.authorizationUsername,
        authorizationPassword: creds.password,
        logLevel: 'warn',
        sessionDescriptionHandlerFactoryOptions: {
          peerConnectionConfiguration: { iceServers: creds.iceServers },
          iceGatheringTimeout: 500,
        },
      },
      delegate: {
        onServerConnect: () => {
          this.transportUp = true;
          this.show();
        },
        onServerDisconnect: (error) => {
          this.transportUp = false;
          this.registered = false;
          this.show();
          if (error && !this.stopped) this.retryLater();
        },
        onRegistered: () => {
          this.registered = true;
          this.show();
        },
        onUnregistered: () => {
          this.registered = false;
          this.show();
        },
        onCallReceived: (session) => this.onIncoming(session),
        onCallAnswered: (session) => {
          if (session === this.caller) update({ ringing: false, inCall: true, callback: 'none' });
          if (session === this.consultSession) update({ consult: 'talking' });
        },
        onCallHold: (session, held) => {
          if (session === this.caller) update({ held });
        },
        onCallHangup: (session) => this.onHangup(session),
      },
    });
    this.manager = manager;
    await manager.connect();
    await manager.register();
  }

  private onIncoming(session: Session): void {
    if (this.caller && this.caller.state !== SessionState.Terminated) return;
    this.caller = session;
    update({
      ringing: true,
      inCall: false,
      held: false,
      muted: false,
      consult: 'none',
      callback: 'none',
    });
    if (Date.now() - this.answerRequestedAt < EARLY_ANSWER_MS) void this.answer().catch(() => undefined);
  }

  private onHangup(session: Session): void {
    if (session === this.consultSession) {
      this.consultSession = null;
      // No answer, busy or the official hung up before the hand-over: back to the caller.
      if (snapshot.consult !== 'none') {
        update({ consult: snapshot.consult === 'talking' ? 'none' : 'failed' });
        if (this.caller && snapshot.held) void this.manager?.unhold(this.caller).catch(() => undefined);
      }
      return;
    }
    if (session === this.caller) {
      this.caller = null;
      if (this.consultSession) void this.manager?.hangup(this.consultSession).catch(() => undefined);
      update({
        ringing: false,
        inCall: false,
        held: false,
        muted: false,
        consult: 'none',
        // A callback that ends before the citizen answered: busy, no answer, or refused.
        callback: snapshot.callback === 'calling' ? 'failed' : 'none',
      });
      // Credentials due for renewal, or the connection dropped during the call: reconnect now.
      if (this.renewDue || !this.registered) void this.renew();
    }
  }

  private retryLater(): void {
    if (this.stopped || this.retryTimer !== null) return;
    this.attempt += 1;
    const delay = retryDelayMs(this.attempt);
    update({ retryAt: Date.now() + delay, registration: 'disconnected' });
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      void this.restart();
    }, delay);
  }

  /** 다시 연결: now, with fresh credentials (also after the microphone was allowed). */
  async restart(): Promise<void> {
    if (this.stopped || this.caller) return;
    await this.teardown(true);
    await this.start();
  }

  /** Fresh credentials before they expire; during a call, once it ends. */
  private async renew(): Promise<void> {
    if (this.caller) {
      this.renewDue = true;
      return;
    }
    this.renewDue = false;
    await this.restart();
  }

  private clearTimers(): void {
    if (this.renewTimer !== null) window.clearTimeout(this.renewTimer);
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.renewTimer = null;
    this.retryTimer = null;
  }

  private async teardown(unregister: boolean): Promise<void> {
    const manager = this.manager;
    this.manager = null;
    this.transportUp = false;
    this.registered = false;
    const sessions = [this.consultSession, this.caller];
    // Forgotten first, so that their hang-up does not count as a call ending on a live softphone.
    this.caller = null;
    this.consultSession = null;
    if (!manager) return;
    for (const s of sessions) if (s) await manager.hangup(s).catch(() => undefined);
    if (unregister) await manager.unregister().catch(() => undefined);
    await manager.disconnect().catch(() => undefined);
  }

  /** Sign-out or leaving the desk: hang up, unregister, close the WebSocket. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    await this.teardown(true);
    this.audio.remove();
    update({ ...initial });
  }

  // ---- the desk's controls ----

  /** 응답: answers the ringing SIP call (true), or remembers the wish for a few seconds when none rings yet (false). */
  async answer(): Promise<boolean> {
    const session = this.caller;
    if (!this.manager || !(session instanceof Invitation) || session.state !== SessionState.Initial) {
      this.answerRequestedAt = Date.now();
      return false;
    }
    this.answerRequestedAt = 0;
    try {
      await this.manager.answer(session, {
        sessionDescriptionHandlerOptions: {
          constraints: this.audioConstraints(),
        },
      });
      update({ error: null });
      return true;
    } catch (err) {
      const problem = mediaProblem(err);
      if (problem !== 'other') update({ media: problem });
      update({ error: { kind: 'answer', reason: reason(err) } });
      throw err;
    }
  }

  /**
   * 콜백: the agent took a callback offer, so this phone calls the citizen. It dials the callback code, never the
   * number (the desk only has it masked): OneCall tells Kamailio the number of the callback it offered this agent.
   */
  async dialCallback(): Promise<void> {
    const manager = this.manager;
    const creds = this.credentials;
    if (!manager || !creds || (this.caller && this.caller.state !== SessionState.Terminated)) return;
    update({ callback: 'calling', ringing: false, inCall: false, held: false, muted: false, consult: 'none' });
    try {
      this.caller = await manager.call(targetUri(CALLBACK_DIAL_CODE, creds.sipDomain), {
        sessionDescriptionHandlerOptions: {
          constraints: this.audioConstraints(),
        },
      });
      update({ error: null });
    } catch (err) {
      const problem = mediaProblem(err);
      if (problem !== 'other') update({ media: problem });
      update({ callback: 'failed', error: { kind: 'action', reason: reason(err) } });
    }
  }

  async decline(): Promise<void> {
    this.answerRequestedAt = 0;
    const session = this.caller;
    if (this.manager && session instanceof Invitation && session.state === SessionState.Initial) await this.act(() => this.manager!.decline(session));
  }

  async hangUp(): Promise<void> {
    const manager = this.manager;
    const session = this.caller;
    if (!manager || !session) return;
    if (this.consultSession) await manager.hangup(this.consultSession).catch(() => undefined);
    await this.act(() => manager.hangup(session));
  }

  async setHold(on: boolean): Promise<void> {
    const manager = this.manager;
    const session = this.caller;
    if (!manager || !session || session.state !== SessionState.Established) return;
    await this.act(() => (on ? manager.hold(session) : manager.unhold(session)));
  }

  toggleMute(): void {
    const manager = this.manager;
    const session = this.caller;
    if (!manager || !session) return;
    if (manager.isMuted(session)) manager.unmute(session);
    else manager.mute(session);
    update({ muted: manager.isMuted(session) });
  }

  /** 협의 후 전환, step 1: the caller on hold, then a consultation call to the target. */
  async startConsult(target: string): Promise<void> {
    const manager = this.manager;
    const session = this.caller;
    if (!manager || !session || !this.credentials || this.consultSession) return;
    await this.act(async () => {
      if (!manager.isHeld(session)) await manager.hold(session);
      update({ consult: 'ringing' });
      this.consultSession = await manager.call(targetUri(target, this.credentials!.sipDomain), {
        sessionDescriptionHandlerOptions: {
          constraints: this.audioConstraints(),
        },
      });
    });
  }

  /** 전환 완료: REFER with Replaces (the caller's side calls the official in place of us), then our leg ends. */
  async completeConsult(): Promise<void> {
    const manager = this.manager;
    const session = this.caller;
    const consult = this.consultSession;
    if (!manager || !session || !consult) return;
    await this.act(() =>
      manager.transfer(session, consult, {
        requestDelegate: {
          onAccept: () => void manager.hangup(session).catch(() => undefined),
        },
      }),
    );
  }

  /** 협의 취소: end the consultation and take the caller off hold. */
  async cancelConsult(): Promise<void> {
    const manager = this.manager;
    const consult = this.consultSession;
    if (!manager) return;
    update({ consult: 'none' });
    if (consult) await manager.hangup(consult).catch(() => undefined);
    if (this.caller && manager.isHeld(this.caller)) await this.act(() => manager.unhold(this.caller!));
  }

  async chooseInput(id: string): Promise<void> {
    store(INPUT_KEY, id);
    update({ inputId: id });
    // The next call uses it; while idle, check it now so a bad choice shows at once.
    if (!this.caller && (await this.checkMicrophone()) && !this.manager) await this.restart();
  }

  async chooseOutput(id: string): Promise<void> {
    store(OUTPUT_KEY, id);
    update({ outputId: id });
    const el = this.audio as HTMLAudioElement & {
      setSinkId?: (id: string) => Promise<void>;
    };
    if (el.setSinkId) await el.setSinkId(id).catch((err: unknown) => update({ error: { kind: 'action', reason: reason(err) } }));
  }

  private async act(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
      update({ error: null });
    } catch (err) {
      update({ error: { kind: 'action', reason: reason(err) } });
    }
  }
}

let engine: Engine | null = null;

/** The desk opened: register if the server runs SIP (nothing changes otherwise). */
export function startSoftphone(): void {
  if (engine) return;
  engine = new Engine();
  void engine.start();
}

/** The desk closed or the agent signed out: unregister. */
export function stopSoftphone(): Promise<void> {
  const e = engine;
  engine = null;
  return e ? e.stop() : Promise.resolve();
}

/** The desk's controls: each one is a no-op when the softphone is off or has no call. */
export const softphone = {
  answer: (): Promise<boolean> => engine?.answer() ?? Promise.resolve(false),
  decline: (): Promise<void> => engine?.decline() ?? Promise.resolve(),
  dialCallback: (): Promise<void> => engine?.dialCallback() ?? Promise.resolve(),
  hangUp: (): Promise<void> => engine?.hangUp() ?? Promise.resolve(),
  setHold: (on: boolean): Promise<void> => engine?.setHold(on) ?? Promise.resolve(),
  toggleMute: (): void => engine?.toggleMute(),
  startConsult: (target: string): Promise<void> => engine?.startConsult(target) ?? Promise.resolve(),
  completeConsult: (): Promise<void> => engine?.completeConsult() ?? Promise.resolve(),
  cancelConsult: (): Promise<void> => engine?.cancelConsult() ?? Promise.resolve(),
  retry: (): Promise<void> => engine?.restart() ?? Promise.resolve(),
  chooseInput: (id: string): Promise<void> => engine?.chooseInput(id) ?? Promise.resolve(),
  chooseOutput: (id: string): Promise<void> => engine?.chooseOutput(id) ?? Promise.resolve(),
  refreshDevices: (): Promise<void> => engine?.refreshDevices() ?? Promise.resolve(),
  /** True while the SIP side is live: the desk sends its SIP command next to the ACD's. */
  active: (): boolean => snapshot.enabled && snapshot.registration === 'registered',
};
