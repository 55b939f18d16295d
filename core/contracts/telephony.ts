import { z } from 'zod';
import { PhoneNumberSchema, ReportedCallerNumberSchema } from './common';

/**
 * The telephony port's vocabulary (issue #4): events a phone system reports to OneCall and commands OneCall sends
 * back. The same shapes travel in-process (simulator adapter) and as signed JSON over HTTP (CTI webhook adapter,
 * docs/TELEPHONY-WEBHOOK.md); a Kamailio/SIP adapter maps SIP dialogs onto them (../reference/telephony-sip.md).
 *
 * `callId` is the phone system's id of the call (a SIP Call-ID, a PBX uniqueid); OneCall keeps its own contact id.
 * `eventId` is unique per event and makes delivery idempotent. Times are ISO-8601 UTC.
 */
const base = {
  eventId: z.string().trim().min(1).max(128),
  callId: z.string().trim().min(1).max(128),
  at: z.iso.datetime({ offset: true }),
};

/** What a phone system tells OneCall. */
export const TelephonyEventSchema = z.discriminatedUnion('type', [
  /** A call reached the centre (after the IVR): OneCall answers with a route decision. */
  z.object({
    ...base,
    type: z.literal('offered'),
    /** A valid phone number, or "anonymous" when the caller withheld it (core/domain/phone.ts). */
    callerNumber: ReportedCallerNumberSchema,
    dialledNumber: z.string().trim().min(1).max(32),
    ivrChoice: z.string().trim().min(1).max(8).nullable().default(null),
    /** Caller priority set by the IVR or the PBX (0 normal, higher first). */
    priority: z.number().int().min(0).max(9).default(0),
  }),
  /** The agent's phone answered (the agent id is OneCall's user id, as given in the offer command). */
  z.object({ ...base, type: z.literal('answered'), agentId: z.string().uuid().nullable().default(null) }),
  z.object({ ...base, type: z.literal('held') }),
  z.object({ ...base, type: z.literal('resumed') }),
  z.object({
    ...base,
    type: z.literal('transferred'),
    mode: z.enum(['blind', 'consultative']),
    target: z.string().trim().min(1).max(64),
  }),
  /** The call ended after it was answered (either side hung up). */
  z.object({ ...base, type: z.literal('ended'), by: z.enum(['caller', 'agent', 'system']).default('caller') }),
  /** The caller hung up before any agent answered. */
  z.object({ ...base, type: z.literal('abandoned') }),
  /** The waiting caller pressed the callback key and left a number: the callback keeps the caller's place. */
  z.object({ ...base, type: z.literal('callback_requested'), callbackNumber: PhoneNumberSchema }),
  /**
   * An office extension of the city (an official's desk phone, 내선) started (onCall true) or ended a call of its own,
   * any call: the official shows "통화 중" to the desk while it lasts (issue #11 §1). callId is that call's id.
   */
  z.object({ ...base, type: z.literal('extension_state'), extension: z.string().trim().regex(/^\d{2,10}$/), onCall: z.boolean() }),
  /**
   * 만족도 조사 by keypad (issue #15): what the citizen pressed after a `collect_digits` prompt of a survey call; null
   * when nothing was pressed in time. A survey call that ends (the citizen hung up, or never picked up) is reported
   * with `ended` / `abandoned` like any call, under the survey call's id.
   */
  z.object({ ...base, type: z.literal('digits_collected'), digits: z.string().regex(/^[0-9*#]{1,8}$/).nullable() }),
]);
export type TelephonyEvent = z.infer<typeof TelephonyEventSchema>;
export type TelephonyEventInput = z.input<typeof TelephonyEventSchema>;

/** The announcement a waiting (or closed-hours) caller hears. */
export const AnnouncementSchema = z.discriminatedUnion('kind', [
  /** Position in the caller's queue (1 = next) and estimated wait EWT(k) = k·AHT/N (null: no honest estimate). */
  z.object({ kind: z.literal('position'), position: z.number().int().min(1), estimatedWaitSeconds: z.number().nullable() }),
  /** Outside business hours: the hours, the next opening, and the callback offer. */
  z.object({ kind: z.literal('closed'), hours: z.string(), nextOpeningAt: z.string().nullable(), callbackOffered: z.boolean() }),
  z.object({ kind: z.literal('callback_confirmed'), position: z.number().int().min(1) }),
  z.object({ kind: z.literal('no_service'), reason: z.string() }),
  /** 담당자 연결 (warm transfer, issue #11 §2): the caller hears this on hold while agent and official talk first. */
  z.object({ kind: z.literal('transfer_hold'), text: z.string() }),
  /**
   * A recorded message (감정노동 보호, issue #14): the notice on entering a queue (recording + no-abuse), a flagged
   * caller's notice, a protection warning (`step` 1, 2, 3 …) or the termination notice before the protocol hangs up.
   * The phone system plays `audioId` when it has that recording, else reads `text` (TTS).
   */
  z.object({
    kind: z.literal('message'),
    purpose: z.enum(['queue_notice', 'flagged_caller', 'warning', 'termination']),
    text: z.string(),
    audioId: z.string().nullable(),
    step: z.number().int().min(1).nullable(),
  }),
]);
export type Announcement = z.infer<typeof AnnouncementSchema>;

/** The call ids OneCall gives the keypad survey calls it places (`survey-<invitation id>`): their events go to the surveys. */
export const KEYPAD_CALL_PREFIX = 'survey-';

/** What OneCall tells a phone system to do. `commandId` is unique: a PBX can drop duplicates. */
export const TelephonyCommandSchema = z.discriminatedUnion('type', [
  /** Ring the agent's phone with this call (a reservation that times out after `timeoutSeconds`). */
  z.object({ commandId: z.string(), type: z.literal('offer'), callId: z.string(), agentId: z.string(), extension: z.string().nullable(), timeoutSeconds: z.number() }),
  /** Stop ringing the agent (offer timed out, was rejected, or the caller left). */
  z.object({ commandId: z.string(), type: z.literal('withdraw_offer'), callId: z.string(), agentId: z.string() }),
  /** Bridge the call to the agent (the agent answered on the desk). */
  z.object({ commandId: z.string(), type: z.literal('answer'), callId: z.string(), agentId: z.string() }),
  z.object({ commandId: z.string(), type: z.literal('hold'), callId: z.string() }),
  z.object({ commandId: z.string(), type: z.literal('resume'), callId: z.string() }),
  z.object({ commandId: z.string(), type: z.literal('transfer'), callId: z.string(), mode: z.enum(['blind', 'consultative']), target: z.string() }),
  /** Consultative transfer: join the caller to the consulted party and drop the agent, or go back to the caller. */
  z.object({ commandId: z.string(), type: z.literal('complete_transfer'), callId: z.string() }),
  z.object({ commandId: z.string(), type: z.literal('cancel_transfer'), callId: z.string() }),
  z.object({ commandId: z.string(), type: z.literal('conference'), callId: z.string(), target: z.string() }),
  z.object({ commandId: z.string(), type: z.literal('hang_up'), callId: z.string() }),
  z.object({ commandId: z.string(), type: z.literal('announce'), callId: z.string(), announcement: AnnouncementSchema }),
  /** A callback reached the front: ring the agent first, then dial the citizen (agent-first, Amazon Connect style). */
  z.object({ commandId: z.string(), type: z.literal('dial_callback'), callId: z.string(), agentId: z.string(), extension: z.string().nullable(), number: z.string() }),
  /**
   * 만족도 조사 by keypad (issue #15): on a survey call (`callId` chosen by OneCall, `survey-…`; dialled to `number`
   * when it is not connected yet, the `intro` read first), read `prompt` and collect up to `maxDigits` digits (the
   * scale `min`–`max`; `again` after a key off the scale); answer with `digits_collected`. OneCall checks the digits
   * itself and ends the call with `hang_up`.
   */
  z.object({
    commandId: z.string(),
    type: z.literal('collect_digits'),
    callId: z.string(),
    number: z.string(),
    intro: z.string().nullable(),
    prompt: z.string(),
    min: z.number().int(),
    max: z.number().int(),
    maxDigits: z.number().int().min(1).max(8),
    again: z.boolean(),
  }),
]);
export type TelephonyCommand = z.infer<typeof TelephonyCommandSchema>;
/** A command before the adapter stamps its id. */
export type TelephonyCommandDraft = TelephonyCommand extends infer C ? (C extends { commandId: string } ? Omit<C, 'commandId'> : never) : never;

/**
 * Where a call goes: OneCall's answer to an `offered` event (the question Kamailio asks for every call).
 * queue: hold the caller in `queueId` (with the announcement); agent: ring `agentId` now; closed: play the hours
 * (and offer a callback); reject: no queue serves that number.
 */
export const RouteDecisionSchema = z.object({
  action: z.enum(['queue', 'agent', 'closed', 'reject']),
  contactId: z.string().nullable(),
  queueId: z.string().nullable(),
  agentId: z.string().nullable(),
  extension: z.string().nullable(),
  announcement: AnnouncementSchema.nullable(),
});
export type RouteDecision = z.infer<typeof RouteDecisionSchema>;

/** What the webhook answers for an accepted event. */
export const TelephonyEventResultSchema = z.object({
  /** applied: changed the ACD; ignored: a duplicate, out-of-order or unknown-call event (logged, nothing changed). */
  outcome: z.enum(['applied', 'ignored']),
  reason: z.string().nullable(),
  decision: RouteDecisionSchema.nullable(),
});
export type TelephonyEventResult = z.infer<typeof TelephonyEventResultSchema>;

/**
 * What an agent's phone dials to call back the citizen of the callback it was offered (콜백, 회신 전화, 만족도 조사
 * 전화) under SIP: the phone never holds the number (the desk shows it masked); Kamailio asks OneCall, which answers
 * with the callback's number at the carrier's trunk (docs/TELEPHONY-SIP.md, "Callbacks"). Digits and a star, so a desk
 * phone's keypad can dial it too; deploy/telephony/kamailio.cfg matches the same code.
 */
export const CALLBACK_DIAL_CODE = '*77';
