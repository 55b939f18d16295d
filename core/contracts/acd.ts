import { z } from 'zod';
import { DaySchema, IdSchema, IsoTimeSchema, PhoneNumberSchema } from './common';
import { CallerCardSchema, InteractionSchema } from './calls';
import { TransferAttemptSchema, TransferCardSchema } from './transfers';

/**
 * Contracts of the ACD (issue #4): agent states, offers, live calls, the wallboard, the admin's queues, skills and
 * business hours, and the WebSocket messages of /api/realtime. Shared by the server, the web app and the simulator.
 */

/** Where an agent is (core/domain/agent-state.ts AgentStatus). Only `available` is routable. */
export const AgentStatusSchema = z.enum([
  'logged_out',
  'not_ready',
  'available',
  'reserved',
  'on_call',
  'on_hold',
  'consulting',
  'after_call_work',
  'recovery',
]);
export type AgentStatusName = z.infer<typeof AgentStatusSchema>;

/** Why an agent is not ready (core/domain/agent-state.ts NotReadyReason). The agent may pick the first six. */
export const NotReadyReasonSchema = z.enum(['login', 'break', 'meal', 'training', 'meeting', 'admin', 'end_of_shift', 'missed', 'device', 'after_recovery']);
export const AgentNotReadyReasonSchema = z.enum(['break', 'meal', 'training', 'meeting', 'admin', 'end_of_shift']);

export const RoutingStrategySchema = z.enum(['longest_idle', 'round_robin', 'fewest_calls']);
export const EscalationStepSchema = z.object({
  afterSeconds: z.number().int().min(0).max(3600),
  maxLevel: z.union([z.number().int().min(1).max(9), z.literal('any')]),
});

/** The live state of one contact the ACD handles (a call, or a callback task offered as an outbound call). */
export const AcdContactStatusSchema = z.enum(['waiting', 'reserved', 'connected', 'held', 'consulting', 'ended', 'abandoned', 'callback_pending']);
export const AcdContactSchema = z.object({
  /** The contact id = the interaction id. */
  id: IdSchema,
  kind: z.enum(['call', 'callback']),
  queueId: IdSchema,
  queueName: z.string(),
  /** The queue's code: what the desk recognises a queue by (the name is the supervisor's to change). */
  queueCode: z.string(),
  status: AcdContactStatusSchema,
  /** Masked caller number for lists; the agent who holds the contact gets the full number in the caller card. */
  callerNumber: z.string(),
  dialledNumber: z.string(),
  ivrChoice: z.string().nullable(),
  priority: z.number().int(),
  enteredAt: IsoTimeSchema,
  agentId: IdSchema.nullable(),
});
export type AcdContact = z.infer<typeof AcdContactSchema>;

/** The most waiting calls one page of GET /api/acd/waiting carries (a busy day had 41,677 in line: 12 MB at once). */
export const WAITING_PAGE_MAX = 200;

/** GET /api/acd/waiting?limit=&offset=: a page of the line, in line order. */
export const WaitingQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(WAITING_PAGE_MAX).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type WaitingQuery = z.infer<typeof WaitingQuerySchema>;

/** One page of the line and how many are waiting in all (calls and callbacks). */
export const WaitingPageSchema = z.object({
  items: z.array(AcdContactSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type WaitingPage = z.infer<typeof WaitingPageSchema>;

/** An offer (reservation) made to an agent: accept with POST /api/acd/contacts/:id/answer before `expiresAt`. */
export const AcdOfferSchema = z.object({
  contact: AcdContactSchema,
  offeredAt: IsoTimeSchema,
  expiresAt: IsoTimeSchema,
  /** The caller's history at once (screen pop before answering). Null for an unknown number. */
  callerCard: CallerCardSchema.nullable(),
  /** For a callback task: the number to call back (only the offered agent sees it). */
  callbackNumber: z.string().nullable(),
});
export type AcdOffer = z.infer<typeof AcdOfferSchema>;

/** The agent's own desk state: GET /api/acd/me and every state change over the socket. */
export const AgentDeskStateSchema = z.object({
  agentId: IdSchema,
  status: AgentStatusSchema,
  since: IsoTimeSchema,
  reason: NotReadyReasonSchema.nullable(),
  pendingNotReady: NotReadyReasonSchema.nullable(),
  /** The agent asked to log out during the call: it happens when the after-call work ends (issue #19). */
  pendingLogout: z.boolean(),
  missedOffers: z.number().int(),
  /** When the state's timer ends (offer timeout, wrap-up, recovery). */
  timerEndsAt: IsoTimeSchema.nullable(),
  /** The contact offered to or handled by the agent. */
  contact: AcdContactSchema.nullable(),
  offer: AcdOfferSchema.nullable(),
  /** The state actions open now (the desk shows these buttons instead of repeating the rules). */
  allowedActions: z.array(z.string()),
  callsHandledToday: z.number().int(),
});
export type AgentDeskState = z.infer<typeof AgentDeskStateSchema>;

/** POST /api/acd/agent/state: the agent's state buttons. */
export const AgentStateChangeBodySchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('available') }),
  z.object({ status: z.literal('not_ready'), reason: AgentNotReadyReasonSchema }),
  z.object({ status: z.literal('logged_out') }),
]);
export type AgentStateChangeBody = z.infer<typeof AgentStateChangeBodySchema>;

/** POST /api/acd/contacts/:id/transfer. Blind hands the call on at once; consultative starts a consultation leg. */
export const TransferBodySchema = z.object({
  mode: z.enum(['blind', 'consultative']),
  /** An extension, a department code or a queue id, as the PBX knows it. */
  target: z.string().trim().min(1).max(64),
});
export type TransferBody = z.infer<typeof TransferBodySchema>;

/** Answer of POST /api/acd/contacts/:id/answer: the interaction and the caller card (same shape as a connected call). */
export const AcdAnsweredSchema = z.object({ interaction: InteractionSchema, callerCard: CallerCardSchema.nullable() });

/** POST /api/calls/simulate: an incoming call goes through the ACD (queued, then offered to an agent). */
export const SimulatedCallResultSchema = z.object({
  /** The telephony call id of the simulator. */
  callId: z.string(),
  contactId: IdSchema.nullable(),
  /** queued: waiting (or already offered); closed: outside business hours (callback offered); rejected: no queue. */
  outcome: z.enum(['queued', 'closed', 'rejected']),
  queueId: IdSchema.nullable(),
  position: z.number().int().nullable(),
  estimatedWaitSeconds: z.number().nullable(),
  /** The agent the call was offered to at once, if any. */
  offeredTo: IdSchema.nullable(),
});
export type SimulatedCallResult = z.infer<typeof SimulatedCallResultSchema>;

export const SimulateIncomingCallBodySchema = z.object({
  callerNumber: PhoneNumberSchema,
  dialledNumber: z.string().trim().max(32).default('120'),
  ivrChoice: z.string().trim().max(8).nullable().default(null),
  priority: z.number().int().min(0).max(9).default(0),
});
export type SimulateIncomingCallBody = z.infer<typeof SimulateIncomingCallBodySchema>;

/** One queue on the wallboard. Service level today: answered within 20 s ÷ (answered + abandoned after 20 s), short abandons (< 5 s) excluded. */
export const WallboardQueueSchema = z.object({
  queueId: IdSchema,
  name: z.string(),
  waiting: z.number().int(),
  callbacksWaiting: z.number().int(),
  longestWaitSeconds: z.number(),
  offeredToday: z.number().int(),
  answeredToday: z.number().int(),
  abandonedToday: z.number().int(),
  serviceLevelToday: z.number().nullable(),
  /** Average speed of answer today (seconds waited by the calls answered), null before the first answer. */
  asaSecondsToday: z.number().nullable(),
  agentsAvailable: z.number().int(),
  agentsStaffed: z.number().int(),
});

export const WallboardAgentSchema = z.object({
  agentId: IdSchema,
  name: z.string(),
  status: AgentStatusSchema,
  reason: NotReadyReasonSchema.nullable(),
  since: IsoTimeSchema,
  callsHandledToday: z.number().int(),
});

/** GET /api/acd/wallboard and the `wallboard` socket message (a full snapshot; sent at most every 100 ms). */
export const WallboardSnapshotSchema = z.object({
  at: IsoTimeSchema,
  /** KST day YYYY-MM-DD the "today" figures belong to. */
  day: z.string(),
  isOpen: z.boolean(),
  nextOpeningAt: IsoTimeSchema.nullable(),
  waiting: z.number().int(),
  callbacksWaiting: z.number().int(),
  longestWaitSeconds: z.number(),
  offeredToday: z.number().int(),
  answeredToday: z.number().int(),
  answeredWithinTargetToday: z.number().int(),
  abandonedToday: z.number().int(),
  shortAbandonedToday: z.number().int(),
  callbacksRequestedToday: z.number().int(),
  serviceLevelToday: z.number().nullable(),
  /** Average speed of answer today in seconds (core/domain/kpi.ts ASA), null before the first answer. */
  asaSecondsToday: z.number().nullable(),
  serviceLevelTargetSeconds: z.number().int(),
  agentsByStatus: z.record(AgentStatusSchema, z.number().int()),
  queues: z.array(WallboardQueueSchema),
  agents: z.array(WallboardAgentSchema),
});
export type WallboardSnapshot = z.infer<typeof WallboardSnapshotSchema>;

/** Admin: one queue, its routes (dialled number + IVR choice) and routing rules. */
export const QueueRouteSchema = z.object({
  dialledNumber: z.string().trim().min(2).max(32),
  ivrChoice: z.string().trim().min(1).max(8).nullable(),
});
export const QueueSchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: z.string(),
  /** The skill (category id) callers of this queue need; null when any agent may take them. */
  skill: IdSchema.nullable(),
  strategy: RoutingStrategySchema,
  escalation: z.array(EscalationStepSchema).nullable(),
  priority: z.number().int(),
  isActive: z.boolean(),
  routes: z.array(QueueRouteSchema),
});
export type Queue = z.infer<typeof QueueSchema>;
export const QueueInputSchema = z.object({
  code: z.string().trim().min(1).max(32),
  name: z.string().trim().min(1).max(100),
  skill: IdSchema.nullable().default(null),
  strategy: RoutingStrategySchema.default('longest_idle'),
  escalation: z.array(EscalationStepSchema).min(1).max(10).nullable().default(null),
  priority: z.number().int().min(0).max(9).default(0),
  isActive: z.boolean().default(true),
  routes: z.array(QueueRouteSchema).max(20).default([]),
});
export type QueueInput = z.infer<typeof QueueInputSchema>;

/** Admin: an agent's skills, category id → level (1 best). PUT replaces the whole set. */
export const AgentSkillsSchema = z.object({
  agentId: IdSchema,
  skills: z.array(z.object({ skill: IdSchema, level: z.number().int().min(1).max(9) })).max(100),
});
export type AgentSkills = z.infer<typeof AgentSkillsSchema>;
export const AgentSkillsBodySchema = AgentSkillsSchema.pick({ skills: true });

const HhMmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** A closing time may also be 24:00 (open until midnight: a centre open around the clock is 00:00–24:00). */
const ClosingSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM');
/** Admin: opening hours per ISO weekday (1 = Monday … 7 = Sunday), KST; a missing day is closed. */
export const BusinessHoursSchema = z.object({
  days: z
    .array(z.object({ weekday: z.number().int().min(1).max(7), opens: HhMmSchema, closes: ClosingSchema }))
    .max(7)
    .refine((d) => new Set(d.map((x) => x.weekday)).size === d.length, 'one entry per weekday')
    .refine((d) => d.every((x) => x.opens < x.closes), 'opens before closes'),
});
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** Admin: a day the centre is closed besides public holidays (YYYY-MM-DD, KST). */
export const ClosedDaySchema = z.object({
  day: DaySchema,
  reason: z.string().trim().min(1).max(100),
});
export type ClosedDay = z.infer<typeof ClosedDaySchema>;

/** Messages the server sends on /api/realtime (JSON, one per frame). */
export const RealtimeServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), userId: IdSchema, role: z.string(), at: IsoTimeSchema }),
  /** To the agent: their desk state after every change (an offer arrives inside it as `offer`). */
  z.object({ type: z.literal('agent.state'), state: AgentDeskStateSchema }),
  /** To the agent: a new offer (also inside agent.state), for the ring sound. */
  z.object({ type: z.literal('offer'), offer: AcdOfferSchema }),
  /** To the agent: something happened to their call (the caller hung up, was held, transferred …). */
  z.object({
    type: z.literal('call.event'),
    contactId: IdSchema,
    event: z.enum(['offered', 'offer_withdrawn', 'answered', 'held', 'resumed', 'transferred', 'ended', 'abandoned']),
    at: IsoTimeSchema,
  }),
  /** To an official: an agent asks them to take a call (warm transfer, issue #11): the card before the phone rings. */
  z.object({ type: z.literal('transfer.incoming'), card: TransferCardSchema }),
  /** To the agent and the official: a warm transfer moved (accepted, connected, declined, fell back …). */
  z.object({ type: z.literal('transfer.update'), attempt: TransferAttemptSchema }),
  /** To agents: how many calls wait in line now and the longest wait, with every wallboard change (issue #18 item 2). */
  z.object({ type: z.literal('line'), waiting: z.number().int().nonnegative(), longestWaitSeconds: z.number().nonnegative(), at: IsoTimeSchema }),
  /** To a department's officials: their inbox changed (a new hand-off); no content, the inbox reloads through the API. */
  z.object({ type: z.literal('handoffs.changed'), at: IsoTimeSchema }),
  /**
   * To supervisors and admins (감정노동 보호, issue #14): an agent needs attention now — an emergency end (협박), an
   * abusive call ended, a 회복 started or extended, a request filed, continuous talk time over the limit.
   */
  z.object({
    type: z.literal('protection.alert'),
    alert: z.object({
      kind: z.enum(['emergency_end', 'incident', 'recovery_extended', 'request', 'long_talk']),
      agentId: IdSchema,
      agentName: z.string(),
      abuseType: z.string().nullable(),
      incidentId: IdSchema.nullable(),
      at: IsoTimeSchema,
    }),
  }),
  /** To supervisors and admins: the wallboard (full snapshot). */
  z.object({ type: z.literal('wallboard'), snapshot: WallboardSnapshotSchema }),
  z.object({ type: z.literal('pong'), at: IsoTimeSchema }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type RealtimeServerMessage = z.infer<typeof RealtimeServerMessageSchema>;

/** Messages a client may send on /api/realtime. Anything else gets an `error` message, never a crash. */
export const RealtimeClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping') }),
  /** Supervisors: (re)send the wallboard snapshot now. */
  z.object({ type: z.literal('wallboard.subscribe') }),
]);
export type RealtimeClientMessage = z.infer<typeof RealtimeClientMessageSchema>;
