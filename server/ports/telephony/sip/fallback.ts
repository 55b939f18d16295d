import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ReportedCallerNumberSchema } from '../../../../core/contracts/common';
import { parsePhone } from '../../../../core/domain/phone';
import { openEarlyMedia, playToCaller } from './early-media';
import { spokenPrompt } from './prompts';
import type { Bencoded } from './rtpengine-ng';

/**
 * When OneCall does not answer Kamailio's route request (down, restarting, shedding load), the caller is not dropped:
 * Kamailio asks this small service — its own process (`server/cli/sip-fallback.ts`, started by scripts/telephony.sh
 * next to Kamailio and rtpengine), so it lives when OneCall does not — for early media. The caller hears that the
 * centre cannot answer now and is offered a callback: **staying on the line accepts it** (no key to press: it works from
 * any phone and through carriers that drop RFC 4733 events in early media). A caller still there when the offer has
 * been spoken hears the confirmation; the request goes to the spool (one file per call, written whole then renamed),
 * which OneCall reads when it is back (server/modules/telephony-sip/fallback-callbacks.ts) and turns into a callback
 * in the line. A caller who hangs up first leaves nothing. Either way the wait ends with 480.
 */

/** What the caller hears first (a number OneCall can call back). */
export const FALLBACK_OFFER_TEXT = '지금은 상담 연결이 어렵습니다. 이 번호로 다시 전화 드리기를 원하시면 끊지 말고 잠시만 기다려 주십시오.';
/** … then, having stayed on the line. */
export const FALLBACK_CONFIRM_TEXT = '콜백 요청이 접수되었습니다. 상담이 가능해지는 대로 상담사가 이 번호로 전화 드리겠습니다. 감사합니다.';
/** A caller OneCall could not call back (no number, or not a phone number). */
export const FALLBACK_RETRY_TEXT = '지금은 상담 연결이 어렵습니다. 잠시 후 다시 걸어 주십시오. 감사합니다.';

/** How long after the offer has been spoken a caller still on the line counts as having accepted it. */
export const FALLBACK_STAY_MS = 2_000;

/** One accepted callback in the spool: what OneCall needs to queue it. */
export const FallbackCallbackSchema = z.object({
  callId: z.string().min(1).max(128),
  caller: ReportedCallerNumberSchema,
  callee: z.string().min(1).max(32),
  /** When the caller reached the centre (ISO). */
  at: z.string().datetime(),
});
export type FallbackCallback = z.infer<typeof FallbackCallbackSchema>;

/** Kamailio's fallback request (GET /fallback?callid&fromtag&caller&callee&sdp, the SDP base64). */
export const FallbackRequestSchema = z.object({
  callid: z.string().min(1).max(128),
  fromtag: z.string().min(1).max(128),
  caller: z.string().max(64).default(''),
  callee: z.string().min(1).max(32),
  sdp: z
    .string()
    .min(1)
    .max(16_384)
    .regex(/^[A-Za-z0-9+/=]+$/),
});
export type FallbackRequest = z.infer<typeof FallbackRequestSchema>;

type Log = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };

export type FallbackDeps = {
  rtpengine: { request(command: string, args: Record<string, Bencoded>): Promise<Record<string, Bencoded>> };
  /** Kamailio: is the call still waiting (suspended), and end its wait (resume with a final reply). */
  kamailio: { htableKeys(table: string): Promise<string[]>; resume(command: { callId: string; action: 'reply'; code: number; reason: string }): Promise<number> };
  promptsDir: string;
  spoolDir: string;
  now: () => Date;
  /** Runs `task` after `ms` of real time (the prompts' own lengths). */
  after: (ms: number, task: () => void) => void;
  log: Log;
};

/** rtpengine's To tag of the side that plays the fallback announcement. */
const FALLBACK_TAG = 'onecall-fallback';

/** The length of a prompt (8 kHz mono 16-bit PCM WAV, as prompts.ts writes them), from its size. */
export async function wavDurationMs(file: string): Promise<number> {
  const { size } = await fs.stat(file);
  return Math.max(0, Math.round(((size - 44) / 16_000) * 1000));
}

/** A caller OneCall can call back: a valid phone number (not `anonymous`, not a SIP name). */
export function callbackNumberOf(caller: string): string | null {
  return ReportedCallerNumberSchema.safeParse(caller).success && parsePhone(caller) ? caller : null;
}

export class SipFallback {
  constructor(private readonly d: FallbackDeps) {}

  /**
   * A call OneCall did not take: sets its early media up and answers the SDP for Kamailio's 183; then, on its own
   * time, the offer, the check that the caller stayed, the spool, the confirmation and the end of the wait.
   */
  async start(q: FallbackRequest): Promise<string> {
    const sdp = await openEarlyMedia(this.d.rtpengine, q.callid, q.fromtag, Buffer.from(q.sdp, 'base64').toString('utf8'), FALLBACK_TAG);
    const at = this.d.now().toISOString();
    const number = callbackNumberOf(q.caller);
    // Kamailio sends the 183 once this answer is back: the first words are played a moment later.
    this.d.after(200, () => void this.speak(q, number, at).catch((err: unknown) => this.fail(q.callid, err)));
    return sdp;
  }

  private async speak(q: FallbackRequest, number: string | null, at: string): Promise<void> {
    if (!number) {
      const ms = await this.play(q, FALLBACK_RETRY_TEXT);
      this.d.after(ms + 300, () => void this.end(q.callid).catch((err: unknown) => this.fail(q.callid, err)));
      return;
    }
    const ms = await this.play(q, FALLBACK_OFFER_TEXT);
    this.d.after(ms + FALLBACK_STAY_MS, () => void this.decide(q, number, at).catch((err: unknown) => this.fail(q.callid, err)));
  }

  /** The offer has been spoken: a caller still waiting accepted it. */
  private async decide(q: FallbackRequest, number: string, at: string): Promise<void> {
    const waiting = await this.d.kamailio.htableKeys('susp');
    if (!waiting.includes(q.callid)) {
      this.d.log.info({ callId: q.callid }, 'sip fallback: the caller hung up before accepting the callback');
      await this.close(q.callid);
      return;
    }
    await writeSpool(this.d.spoolDir, { callId: q.callid, caller: number, callee: q.callee, at });
    this.d.log.info({ callId: q.callid }, 'sip fallback: callback accepted (spooled for OneCall)');
    const ms = await this.play(q, FALLBACK_CONFIRM_TEXT);
    this.d.after(ms + 300, () => void this.end(q.callid).catch((err: unknown) => this.fail(q.callid, err)));
  }

  private async play(q: FallbackRequest, text: string): Promise<number> {
    const file = await spokenPrompt(this.d.promptsDir, text);
    await playToCaller(this.d.rtpengine, q.callid, q.fromtag, file);
    return wavDurationMs(file);
  }

  /** The announcement is over: the wait ends with 480 (a caller who hung up meanwhile is gone already: 409/410). */
  private async end(callId: string): Promise<void> {
    const status = await this.d.kamailio.resume({ callId, action: 'reply', code: 480, reason: 'Temporarily Unavailable' });
    if (status !== 200) this.d.log.info({ callId, status }, 'sip fallback: the wait had ended already');
    await this.close(callId);
  }

  private async close(callId: string): Promise<void> {
    await this.d.rtpengine.request('delete', { 'call-id': callId }).catch(() => undefined);
  }

  private fail(callId: string, err: unknown): void {
    this.d.log.warn({ err, callId }, 'sip fallback: announcement failed');
    void this.end(callId).catch(() => undefined);
  }
}

/** One request, one file: written whole as `.part`, then renamed (a reader never sees half a request). */
export async function writeSpool(dir: string, entry: FallbackCallback): Promise<string> {
  const body = JSON.stringify(FallbackCallbackSchema.parse(entry));
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const name = `${entry.at.replace(/[^0-9]/g, '')}-${crypto.createHash('sha256').update(entry.callId).digest('hex').slice(0, 16)}.json`;
  const file = path.join(dir, name);
  await fs.writeFile(`${file}.part`, body, { mode: 0o600 });
  await fs.rename(`${file}.part`, file);
  return file;
}

/** The spool's complete requests, oldest first (the file names start with the time of the call). */
export async function readSpool(dir: string): Promise<Array<{ file: string; entry: FallbackCallback | null }>> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: Array<{ file: string; entry: FallbackCallback | null }> = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let entry: FallbackCallback | null = null;
    try {
      const parsed = FallbackCallbackSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
      entry = parsed.success ? parsed.data : null;
    } catch {
      entry = null;
    }
    out.push({ file, entry });
  }
  return out;
}
