import { z } from 'zod';
import { ReportedCallerNumberSchema } from '../../../core/contracts/common';
import type { TelephonyEvent } from '../../../core/contracts/telephony';
import type { AppDeps } from '../../deps';
import { newId } from '../../lib/ids';
import type { SipDialAnswer, SipTelephony } from '../../ports/telephony/sip.adapter';
import type { AcdService } from '../acd/acd.service';

/** What Kamailio posts (deploy/telephony/kamailio.cfg, route[POST_EVENT]). */
export const SipEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('answered'), callId: z.string().min(1).max(128), fromTag: z.string().max(128).default(''), toTag: z.string().max(128).default('') }),
  z.object({ type: z.literal('ended'), callId: z.string().min(1).max(128), by: z.enum(['caller', 'agent']) }),
  z.object({ type: z.literal('abandoned'), callId: z.string().min(1).max(128) }),
  z.object({ type: z.literal('held'), callId: z.string().min(1).max(128) }),
  z.object({ type: z.literal('resumed'), callId: z.string().min(1).max(128) }),
  z.object({ type: z.literal('transferred'), callId: z.string().min(1).max(128), target: z.string().max(256) }),
  z.object({ type: z.literal('offer_failed'), callId: z.string().min(1).max(128), aor: z.string().max(256).default(''), status: z.number().int() }),
  z.object({ type: z.literal('registration'), aor: z.string().min(1).max(256), expires: z.number().int() }),
  /** An agent's call to a citizen (a callback) got a final failure: busy, no answer, unreachable, or cancelled. */
  z.object({ type: z.literal('dial_failed'), callId: z.string().min(1).max(128), status: z.number().int() }),
]);
export type SipEvent = z.infer<typeof SipEventSchema>;

/** A route request on the evapi connection: the HTTP route service's query plus the suspended transaction's id. */
const EvapiRouteSchema = z.object({
  type: z.literal('route'),
  callId: z.string().min(1).max(128),
  caller: z.string().max(64).default(''),
  callee: z.string().min(1).max(32),
  tindex: z.number().int().nonnegative(),
  tlabel: z.number().int().nonnegative(),
  /** When Kamailio sent it ("<unix seconds>.<µs>", Kamailio's $TV(Sn)). */
  sentAt: z.string().regex(/^\d{1,12}(\.\d{1,6})?$/).optional(),
  /** The caller's From tag and SDP offer (base64): early media while the caller waits in line (sip.adapter.ts). */
  fromTag: z.string().max(128).optional(),
  sdp: z.string().max(16_384).regex(/^[A-Za-z0-9+/=]*$/).optional(),
});

/** Kamailio waits 1 s for the route answer (kamailio.cfg, failure_route[ROUTE_TIMEOUT]), then gives the caller the fallback. */
const ROUTE_WAIT_MS = 1_000;
/** A route request this old when OneCall gets to it is answered `fail` at once (below). */
const ROUTE_STALE_MS = 750;

/** The route service's answer to Kamailio: wait ringing for the offer, or a final SIP reply. */
export type SipRouteAnswer = { action: 'queue' } | { action: 'reply'; code: number; reason: string };

/**
 * A new call: the ACD decides (the `offered` event); the caller then waits ringing in Kamailio while the ACD queues
 * the call, and each offer resumes it towards an agent. Closed hours and unknown numbers end with a SIP reply
 * (Kamailio cannot play the hours without a media server: docs/TELEPHONY-SIP.md).
 */
export async function routeSipCall(
  deps: AppDeps,
  acd: AcdService,
  sip: SipTelephony,
  q: { callid: string; caller: string; callee: string; media?: { fromTag: string; sdp: string } },
): Promise<SipRouteAnswer> {
  const caller = ReportedCallerNumberSchema.safeParse(q.caller).success ? q.caller : 'anonymous';
  sip.beginRouting(q.callid, q.media, caller);
  try {
    const result = await acd.handleTelephonyEvent('sip', {
      type: 'offered',
      eventId: `sip-offered-${q.callid}`,
      callId: q.callid,
      at: deps.clock.now().toISOString(),
      callerNumber: caller,
      dialledNumber: q.callee,
      ivrChoice: null,
      priority: 0,
      // The caller rings while Kamailio waits for this answer: the desks' offer (caller card) follows it.
    } as TelephonyEvent, undefined, { desksLater: true });
    const action = result.decision?.action;
    if (action === 'queue' || action === 'agent') return { action: 'queue' };
    // Closed: the caller hears the hours and may ask for a callback (early media) when the adapter can speak to them.
    if (action === 'closed' && result.decision?.announcement && sip.closedCall(q.callid, result.decision.announcement)) return { action: 'queue' };
    sip.forget(q.callid);
    if (action === 'closed') return { action: 'reply', code: 480, reason: 'Closed' };
    if (action === 'reject') return { action: 'reply', code: 404, reason: 'No Service' };
    return { action: 'reply', code: 486, reason: 'Busy Here' };
  } finally {
    // After the answer is on its way: Kamailio suspends the call, an offer made meanwhile goes out (retried on 409).
    setImmediate(() => sip.routed(q.callid));
  }
}

/**
 * An agent's phone dialled the callback code (kamailio.cfg route[CALLBACK]): the call goes to the number of the callback
 * the ACD offered this agent and still holds as the agent's (offered, or taken on the desk), through the trunk. Anything
 * else is refused (403): a phone cannot call out on its own.
 */
export async function dialSipCallback(acd: AcdService, sip: SipTelephony, q: { callid: string; agent: string }): Promise<SipDialAnswer> {
  const pending = await sip.callbackOf(q.agent);
  const contactId = pending ? acd.contactIdOf('sip', pending.callId) : null;
  if (!pending || !contactId || acd.agentActivity(pending.agentId).contactId !== contactId) return { action: 'reply', code: 403, reason: 'No Callback' };
  const answer = sip.dial(q.callid, pending.agentId);
  // Dialling is taking the callback (a desk phone's user need not press 전화 걸기 too): the offer's timer stops, so it
  // cannot go back in line — and to another agent — while the citizen's phone rings.
  if (answer.action === 'dial' && acd.agentActivity(pending.agentId).status === 'reserved') await acd.answer(pending.agentId, contactId, null);
  return answer;
}

type Outcome = { outcome: string; reason: string | null };

/**
 * Events of an agent's call to a citizen (a callback, by its own SIP Call-ID), told to the ACD as its callback's: the
 * citizen's answer (the callback was taken when the phone dialled: only the recording starts), the end (Kamailio's
 * "caller" is the From side: here the agent), a failed call (busy, no answer: the callback's call ends, the agent
 * notes the outcome in 후처리), hold and resume.
 */
async function receiveCallbackLegEvent(
  acd: AcdService,
  sip: SipTelephony,
  e: Exclude<SipEvent, { type: 'registration' }>,
  leg: { callId: string; agentId: string },
  base: { eventId: string; at: string },
): Promise<Outcome> {
  const contactId = acd.contactIdOf('sip', leg.callId);
  const agentNow = acd.agentActivity(leg.agentId);
  const isAgents = contactId !== undefined && agentNow.contactId === contactId;
  switch (e.type) {
    case 'answered': {
      // The ACD has the callback as the agent's since the phone dialled (dialSipCallback): nothing to tell it.
      sip.legAnswered(e.callId, e.fromTag || null, e.toTag || null);
      if (sip.recorder?.enabled && isAgents) await sip.recorder.start(e.callId, contactId);
      return { outcome: 'applied', reason: null };
    }
    case 'ended': {
      sip.legEnded(e.callId);
      if (sip.recorder?.enabled) void sip.recorder.finish(e.callId);
      const r = await acd.handleTelephonyEvent('sip', { ...base, type: 'ended', callId: leg.callId, by: e.by === 'caller' ? 'agent' : 'caller' });
      return { outcome: r.outcome, reason: r.reason };
    }
    case 'dial_failed': {
      sip.legEnded(e.callId);
      if (!isAgents) return { outcome: 'ignored', reason: 'callback_not_taken' };
      const r = await acd.handleTelephonyEvent('sip', { ...base, type: 'ended', callId: leg.callId, by: 'system' });
      return { outcome: r.outcome, reason: r.reason };
    }
    case 'held':
    case 'resumed': {
      const r = await acd.handleTelephonyEvent('sip', { ...base, type: e.type, callId: leg.callId });
      return { outcome: r.outcome, reason: r.reason };
    }
    default:
      return { outcome: 'ignored', reason: 'callback_leg' };
  }
}

/** Dialog and registration events from Kamailio, mapped onto the telephony port's events. */
export async function receiveSipEvent(deps: AppDeps, acd: AcdService, sip: SipTelephony, e: SipEvent): Promise<Outcome> {
  const base = { eventId: `sip-${newId()}`, at: deps.clock.now().toISOString() };
  const leg = e.type !== 'registration' ? sip.legOf(e.callId) : undefined;
  if (leg && e.type !== 'registration') return receiveCallbackLegEvent(acd, sip, e, leg, base);
  switch (e.type) {
    case 'dial_failed':
      return { outcome: 'ignored', reason: 'unknown_call' };
    case 'registration': {
      sip.registration(e.aor, e.expires);
      return { outcome: 'applied', reason: null };
    }
    case 'offer_failed': {
      // The agent's phone did not answer in time (408: the ring timer is the offer timeout less half a second, so the
      // ACD's own offer timer counts the missed offer and offers the next agent), or was busy / declined / unreachable
      // (486, 603, 480: a refusal, the next agent at once).
      const agentId = await sip.offerFailed(e.callId, e.aor);
      const contactId = acd.contactIdOf('sip', e.callId);
      if (!agentId || !contactId || e.status === 408) return { outcome: 'ignored', reason: e.status === 408 ? 'ring_timeout' : 'offer_not_current' };
      const now = acd.agentActivity(agentId);
      if (now.contactId !== contactId || now.status !== 'reserved') return { outcome: 'ignored', reason: 'offer_not_current' };
      await acd.reject(agentId, contactId);
      return { outcome: 'applied', reason: null };
    }
    case 'answered': {
      const agentId = sip.answered(e.callId, e.fromTag || null, e.toTag || null);
      const contactId = acd.contactIdOf('sip', e.callId) ?? null;
      // The desk's 응답 (the softphone answers, then tells the ACD) often reaches the ACD before Kamailio's report of the
      // same answer: then it is no news to the ACD (and no warning in its log).
      const agentNow = agentId ? acd.agentActivity(agentId) : null;
      const deskFirst = contactId !== null && agentNow?.contactId === contactId && (agentNow.status === 'on_call' || agentNow.status === 'on_hold');
      const r = deskFirst ? { outcome: 'ignored', reason: 'duplicate' } : await acd.handleTelephonyEvent('sip', { ...base, type: 'answered', callId: e.callId, agentId });
      // The agent's leg is answered: rtpengine records the call when the city records (SIP_RECORDING=on) — whichever
      // of the desk and Kamailio told the ACD first (before, a desk that won the race left the call unrecorded).
      if (sip.recorder?.enabled && contactId && (r.outcome === 'applied' || deskFirst)) {
        await sip.recorder.start(e.callId, contactId);
      }
      return { outcome: r.outcome, reason: r.reason };
    }
    case 'ended':
    case 'abandoned': {
      sip.forget(e.callId);
      // The recording (if any) is sealed once rtpengine has closed the file: not on Kamailio's time.
      if (e.type === 'ended' && sip.recorder?.enabled) void sip.recorder.finish(e.callId);
      const event: TelephonyEvent = e.type === 'ended' ? { ...base, type: 'ended', callId: e.callId, by: e.by } : { ...base, type: 'abandoned', callId: e.callId };
      const r = await acd.handleTelephonyEvent('sip', event);
      return { outcome: r.outcome, reason: r.reason };
    }
    case 'held':
    case 'resumed': {
      const r = await acd.handleTelephonyEvent('sip', { ...base, type: e.type, callId: e.callId });
      return { outcome: r.outcome, reason: r.reason };
    }
    case 'transferred': {
      const target = /sip:([^@>;]+)/.exec(e.target)?.[1] ?? e.target.slice(0, 64);
      // REFER with Replaces (Refer-To: <sip:b@…?Replaces=…>) completes a consultation: a warm transfer.
      const mode = /[?&;]Replaces=/i.test(e.target) ? 'consultative' : 'blind';
      const r = await acd.handleTelephonyEvent('sip', { ...base, type: 'transferred', callId: e.callId, mode, target: target.slice(0, 64) || 'unknown' });
      return { outcome: r.outcome, reason: r.reason };
    }
  }
}

type Log = { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

/**
 * A message from Kamailio on OneCall's proven evapi connection (kamailio-evapi.ts): a route request, answered on the
 * same connection with the transaction's index and label (`routed`; `fail` when OneCall cannot decide: Kamailio's
 * fallback, as when the HTTP route service fails), or a call event (the same bodies as POST /api/telephony/sip/events).
 */
export async function receiveEvapiMessage(
  deps: AppDeps,
  acd: AcdService,
  sip: SipTelephony,
  send: (message: Record<string, unknown>) => boolean,
  message: Record<string, unknown>,
  log: Log,
): Promise<void> {
  if (message['type'] === 'route') {
    const q = EvapiRouteSchema.safeParse(message);
    if (!q.success) {
      log.warn({ issues: q.error.issues.length }, 'sip: evapi route request refused (invalid)');
      return;
    }
    const { callId, caller, callee, tindex, tlabel, sentAt, fromTag, sdp } = q.data;
    // Overload: a request that waited in line (OneCall's event loop busy) would be answered after Kamailio gave up, and
    // deciding it would only delay the fresh ones behind it — every later answer late too. Old requests are shed
    // without asking the ACD: `fail` while Kamailio still waits (the caller gets the fallback at once), nothing after.
    // Wall time on purpose: Kamailio's clock, not the ACD's (which a test or a bench may move).
    const ageMs = sentAt ? Date.now() - Number(sentAt) * 1000 : 0;
    if (ageMs > ROUTE_STALE_MS && ageMs < 60_000) {
      log.warn({ callId, ageMs: Math.round(ageMs) }, 'sip: route request too old, shed');
      if (ageMs < ROUTE_WAIT_MS) send({ type: 'routed', callId, tindex, tlabel, action: 'fail' });
      return;
    }
    let answer: SipRouteAnswer | { action: 'fail' };
    const started = performance.now();
    try {
      const media = fromTag && sdp ? { fromTag, sdp: Buffer.from(sdp, 'base64').toString('utf8') } : undefined;
      answer = await routeSipCall(deps, acd, sip, { callid: callId, caller, callee, ...(media ? { media } : {}) });
    } catch (err) {
      log.error({ err, callId }, 'sip: route decision failed');
      answer = { action: 'fail' };
    }
    // Kamailio logs the answer with its round trip: the stages side by side (waited before OneCall took it, decided in).
    const timing = { waitedMs: Math.round(ageMs), decidedMs: Math.round((performance.now() - started) * 10) / 10 };
    send({ type: 'routed', callId, tindex, tlabel, ...answer, ...timing });
    return;
  }
  const e = SipEventSchema.safeParse(message);
  if (!e.success) {
    log.warn({ type: String(message['type']).slice(0, 32) }, 'sip: evapi message refused (invalid)');
    return;
  }
  await receiveSipEvent(deps, acd, sip, e.data);
}
