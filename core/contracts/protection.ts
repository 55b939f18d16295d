import { z } from 'zod';
import { ABUSE_TYPES, PROTECTION_REQUEST_KINDS, PROTECTION_REQUEST_STATUSES } from '../domain/protection';
import { AgentDeskStateSchema } from './acd';
import { DaySchema, IdSchema, IsoTimeSchema, MonthSchema, PhoneNumberSchema, requiredText, text } from './common';

/** HTTP shapes of 감정노동 보호 (issue #14): warnings, the protocol's end, incidents, 회복, requests, caller flags. */

export const AbuseTypeSchema = z.enum(ABUSE_TYPES);
export const AbusiveEndKindSchema = z.enum(['after_warnings', 'emergency']);
/** How an incident came about: ended by the protocol (after warnings or 긴급종료), or reported after the call. */
export const IncidentEndKindSchema = z.enum(['after_warnings', 'emergency', 'reported']);
export const ProtectionRequestKindSchema = z.enum(PROTECTION_REQUEST_KINDS);
export const ProtectionRequestStatusSchema = z.enum(PROTECTION_REQUEST_STATUSES);

const reason = requiredText(500).pipe(z.string().min(2, '사유를 2자 이상 적어 주세요.'));

/** POST /api/protection/calls/:id/warnings: play the next warning of this type to the caller. */
export const WarnBodySchema = z.object({ type: AbuseTypeSchema });

export const WarningSchema = z.object({ type: AbuseTypeSchema, step: z.number().int(), text: z.string(), at: IsoTimeSchema });

/** The protection state of one call for the desk: warnings so far and what the agent may do now, per type. */
export const CallProtectionSchema = z.object({
  interactionId: IdSchema,
  warnings: z.array(WarningSchema),
  types: z.array(
    z.object({
      type: AbuseTypeSchema,
      given: z.number().int(),
      warningsBeforeEnd: z.number().int(),
      canEnd: z.boolean(),
      canEmergencyEnd: z.boolean(),
    }),
  ),
});
export type CallProtection = z.infer<typeof CallProtectionSchema>;

/** POST /api/protection/calls/:id/end: the termination notice, hang-up, incident and 회복. */
export const EndAbusiveCallBodySchema = z.object({ type: AbuseTypeSchema, kind: AbusiveEndKindSchema, notes: text(2000).optional() });

export const IncidentSchema = z.object({
  id: IdSchema,
  version: z.number().int(),
  interactionId: IdSchema.nullable(),
  agentId: IdSchema,
  agentName: z.string(),
  type: AbuseTypeSchema,
  endKind: IncidentEndKindSchema,
  warningsGiven: z.number().int(),
  callAnsweredAt: IsoTimeSchema.nullable(),
  firstWarningAt: IsoTimeSchema.nullable(),
  endedAt: IsoTimeSchema.nullable(),
  recordingRef: z.string().nullable(),
  notes: z.string().nullable(),
  /** True when the caller is known by blind index (a flag can be set); the index itself never leaves the server. */
  hasCaller: z.boolean(),
  callerFlagged: z.boolean(),
  correctionReason: z.string().nullable(),
  recordedByName: z.string(),
  recordedAt: IsoTimeSchema,
});
export type Incident = z.infer<typeof IncidentSchema>;

export const IncidentDetailSchema = z.object({
  incident: IncidentSchema,
  /** Every version, oldest first (append-only: corrections are new versions). */
  versions: z.array(IncidentSchema),
  warnings: z.array(WarningSchema),
});
export type IncidentDetail = z.infer<typeof IncidentDetailSchema>;

export const EndAbusiveCallResultSchema = z.object({ incident: IncidentSchema, desk: AgentDeskStateSchema });

/** POST /api/protection/incidents: an incident reported after the call (the caller hung up first). */
export const ReportIncidentBodySchema = z.object({ interactionId: IdSchema, type: AbuseTypeSchema, notes: text(2000).optional() });

/** POST /api/protection/incidents/:id/corrections: a new version, with the reason. */
export const CorrectIncidentBodySchema = z.object({ type: AbuseTypeSchema.optional(), notes: text(2000).optional(), reason });

/** POST /api/protection/agents/:id/recovery/extend (supervisor). */
export const ExtendRecoveryBodySchema = z.object({ minutes: z.number().int().min(1).max(240), reason });

export const ProtectionRequestSchema = z.object({
  id: IdSchema,
  agentId: IdSchema,
  agentName: z.string(),
  incidentId: IdSchema.nullable(),
  kind: ProtectionRequestKindSchema,
  status: ProtectionRequestStatusSchema,
  note: z.string().nullable(),
  outcome: z.string().nullable(),
  createdAt: IsoTimeSchema,
  updatedAt: IsoTimeSchema,
});
export type ProtectionRequest = z.infer<typeof ProtectionRequestSchema>;

export const FileRequestBodySchema = z.object({ kind: ProtectionRequestKindSchema, incidentId: IdSchema.nullable().optional(), note: text(1000).optional() });
export const UpdateRequestBodySchema = z.object({ status: ProtectionRequestStatusSchema, outcome: text(1000).optional() });

/** POST /api/protection/flags: flag the caller of an incident, or a number the centre has seen (never stored). */
export const FlagCallerBodySchema = z
  .object({ incidentId: IdSchema.optional(), phoneNumber: PhoneNumberSchema.optional(), reason })
  .refine((b) => (b.incidentId === undefined) !== (b.phoneNumber === undefined), { message: '사건 또는 전화번호 중 하나를 주세요.', path: ['incidentId'] });

export const CallerFlagSchema = z.object({
  id: IdSchema,
  incidentId: IdSchema.nullable(),
  reason: z.string(),
  mode: z.enum(['senior_queue', 'notice_first']),
  flaggedByName: z.string(),
  flaggedAt: IsoTimeSchema,
  expiresAt: IsoTimeSchema,
  clearedAt: IsoTimeSchema.nullable(),
  clearReason: z.string().nullable(),
  isActive: z.boolean(),
});
export type CallerFlag = z.infer<typeof CallerFlagSchema>;

export const ClearFlagBodySchema = z.object({ reason });

export const QueueNoticeSchema = z.object({
  queueId: IdSchema,
  queueName: z.string(),
  text: z.string(),
  audioId: z.string().nullable(),
  isEnabled: z.boolean(),
  /** True while the queue plays the Korean default (no notice of its own). */
  isDefault: z.boolean(),
});
export type QueueNotice = z.infer<typeof QueueNoticeSchema>;

export const PutQueueNoticeBodySchema = z.object({
  text: requiredText(1000),
  audioId: text(128)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional(),
  isEnabled: z.boolean(),
});

const perType = <T extends z.ZodType>(schema: T) => z.object(Object.fromEntries(ABUSE_TYPES.map((t) => [t, schema])) as Record<(typeof ABUSE_TYPES)[number], T>);

const settingsSchema = (str: () => z.ZodType<string>) =>
  z.object({
    warningTexts: perType(z.array(str()).min(1).max(10)),
    warningsBeforeEnd: perType(z.number().int().min(1).max(10)),
    terminationText: str(),
    recoveryMinutes: z.number().int().min(1).max(120),
    flagDays: z.number().int().min(1).max(730),
    flagMode: z.enum(['senior_queue', 'notice_first']),
    seniorQueueId: IdSchema.nullable(),
    flaggedCallerText: str(),
    continuousTalkAlertMinutes: z.number().int().min(5).max(480),
    occupancyWarnAbove: z.number().min(0.5).max(1),
  });

/** The protocol's settings as an admin sends them (PUT; texts trimmed and checked). */
export const ProtectionSettingsSchema = settingsSchema(() => requiredText(500));
/** The settings as answered (GET for every desk role). */
export const ProtectionSettingsViewSchema = settingsSchema(() => z.string());
export type ProtectionSettingsBody = z.infer<typeof ProtectionSettingsSchema>;

/** GET /api/protection/incidents query. */
export const IncidentListQuerySchema = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  agentId: IdSchema.optional(),
  type: AbuseTypeSchema.optional(),
});

/** POST /api/protection/incidents/:id/evidence: the evidence package (ZIP), only with a reason (recorded). */
export const EvidenceExportBodySchema = z.object({
  reasonCode: z.enum(['legal_request', 'citizen_request', 'other']),
  reasonText: requiredText(200).pipe(z.string().min(2, '사유를 2자 이상 적어 주세요.')),
});

/** GET /api/protection/wellbeing: one KST day (default today) or one month. */
export const WellbeingQuerySchema = z.object({ day: DaySchema.optional(), month: MonthSchema.optional() }).refine((q) => !(q.day && q.month), { message: 'day 또는 month 중 하나만 주세요.', path: ['month'] });

/** The supervisors' wellbeing page (agents: their own row): per agent, and incidents by type and hour (KST). */
export const WellbeingSchema = z.object({
  period: z.object({ kind: z.enum(['day', 'month']), label: z.string(), from: IsoTimeSchema, to: IsoTimeSchema }),
  occupancyWarnAbove: z.number(),
  continuousTalkAlertMinutes: z.number(),
  agents: z.array(
    z.object({
      agentId: IdSchema,
      agentName: z.string(),
      incidents: z.number().int(),
      recoveryMinutes: z.number(),
      counsellingRequests: z.number().int(),
      /** Scheduled breaks taken (or under way), minutes rested on them, and breaks missed (issue #14 §4). */
      breaksTaken: z.number().int(),
      breakMinutes: z.number(),
      breaksMissed: z.number().int(),
      talkMinutes: z.number(),
      occupancy: z.number().nullable(),
      isOccupancyHigh: z.boolean(),
    }),
  ),
  incidentsByType: z.array(z.object({ type: AbuseTypeSchema, count: z.number().int() })),
  incidentsByHour: z.array(z.object({ hour: z.number().int(), count: z.number().int() })),
});
export type Wellbeing = z.infer<typeof WellbeingSchema>;

/**
 * 통계 › 상담사 보호 (issue #14 §5): incidents by type, agent, hour (KST) and caller flag; 회복, 심리상담 and scheduled
 * breaks taken. The query is the statistics' period query with an optional agent (agents: themselves only).
 */
export const ProtectionReportSchema = z.object({
  period: z.object({ fromDay: z.string(), toDay: z.string(), from: z.string(), to: z.string() }),
  asOf: IsoTimeSchema,
  totals: z.object({
    incidents: z.number().int(),
    emergencyEnds: z.number().int(),
    recoveryMinutes: z.number(),
    counsellingRequests: z.number().int(),
    counsellingDone: z.number().int(),
    breaksTaken: z.number().int(),
    breaksMissed: z.number().int(),
  }),
  byType: z.array(z.object({ type: AbuseTypeSchema, count: z.number().int() })),
  /** 24 rows, hour 0–23 KST. */
  byHour: z.array(z.object({ hour: z.number().int(), count: z.number().int() })),
  byAgent: z.array(
    z.object({
      agentId: IdSchema,
      agentName: z.string(),
      incidents: z.number().int(),
      recoveryMinutes: z.number(),
      counsellingRequests: z.number().int(),
      breaksTaken: z.number().int(),
      breaksMissed: z.number().int(),
    }),
  ),
  /**
   * By the caller's repeat-caller flag when the incident happened: flagged (a flag in force), not flagged (known
   * caller), unknown (no number); repeat callers: callers with 2+ incidents in the period; of them flagged at the time.
   */
  byCallerFlag: z.object({
    flagged: z.number().int(),
    notFlagged: z.number().int(),
    unknownCaller: z.number().int(),
    repeatCallers: z.number().int(),
    repeatFlaggedCallers: z.number().int(),
  }),
});
export type ProtectionReport = z.infer<typeof ProtectionReportSchema>;
