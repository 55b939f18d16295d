import { z } from 'zod';
import { DaySchema, IdSchema, IsoTimeSchema, MonthSchema, daysInRange, requiredText, text } from './common';
import { RoleSchema } from './enums';

/**
 * 수행업무 of one access record (안전성 확보조치 기준 제8조): 조회 view, 입력 create, 변경 update, 다운로드 export,
 * 마스킹 해제 unmask.
 */
export const AccessActionSchema = z.enum(['view', 'create', 'update', 'export', 'unmask']);
export type AccessAction = z.infer<typeof AccessActionSchema>;

/** The citizen fields a user may reveal one at a time. */
export const UnmaskFieldSchema = z.enum(['phone', 'name']);
export type UnmaskField = z.infer<typeof UnmaskFieldSchema>;

/** Why a value is revealed or data is downloaded: picked from a list, explained in free text. */
export const AccessReasonCodeSchema = z.enum(['identity_check', 'callback', 'handoff_work', 'citizen_request', 'legal_request', 'statistics', 'other']);
export type AccessReasonCode = z.infer<typeof AccessReasonCodeSchema>;

/** The reasons offered for unmasking and for exports. */
export const UNMASK_REASONS = ['identity_check', 'callback', 'handoff_work', 'citizen_request', 'legal_request', 'other'] as const satisfies readonly AccessReasonCode[];
export const EXPORT_REASONS = ['statistics', 'legal_request', 'citizen_request', 'other'] as const satisfies readonly AccessReasonCode[];

/** POST /api/privacy/unmask: reveal one field of one citizen, with a reason. */
export const UnmaskBodySchema = z.object({
  citizenId: IdSchema,
  field: UnmaskFieldSchema,
  reasonCode: AccessReasonCodeSchema,
  reasonText: requiredText(200).pipe(z.string().min(2)),
});
export type UnmaskBody = z.infer<typeof UnmaskBodySchema>;

export const UnmaskResultSchema = z.object({
  citizenId: IdSchema,
  field: UnmaskFieldSchema,
  /** The plain value, for this view only: the web keeps it in component state and never caches it. */
  value: z.string().nullable(),
  /** Unmasks left to this user today (KST). */
  remainingToday: z.number().int(),
});
export type UnmaskResult = z.infer<typeof UnmaskResultSchema>;

/** The longest period one export may cover (a year): a wider download is a bulk copy, not a task. */
export const MAX_EXPORT_DAYS = 366;

/** POST /api/cases/export: cases of a period as CSV or XLSX, masked, with a required reason (제8조② 다운로드 사유). */
export const CaseExportBodySchema = z
  .object({
    format: z.enum(['csv', 'xlsx']),
    /** KST days, inclusive (YYYY-MM-DD), at most {@link MAX_EXPORT_DAYS} days. */
    from: DaySchema,
    to: DaySchema,
    reasonCode: AccessReasonCodeSchema,
    reasonText: requiredText(200).pipe(z.string().min(2)),
  })
  .refine((b) => b.from <= b.to, { message: 'from must not be after to', path: ['to'] })
  .refine((b) => b.from > b.to || daysInRange(b.from, b.to) <= MAX_EXPORT_DAYS, {
    message: `내보내기 기간은 ${MAX_EXPORT_DAYS}일 이내여야 합니다.`,
    path: ['to'],
  });
export type CaseExportBody = z.infer<typeof CaseExportBodySchema>;

export const AccessRecordSchema = z.object({
  id: IdSchema,
  seq: z.number().int(),
  at: IsoTimeSchema,
  userId: IdSchema,
  userLogin: z.string(),
  role: RoleSchema,
  ip: z.string().nullable(),
  action: AccessActionSchema,
  subject: z.string().nullable(),
  target: z.string(),
  recordCount: z.number().int(),
  reason: z.string().nullable(),
  result: z.enum(['success', 'denied']),
});
export type AccessRecord = z.infer<typeof AccessRecordSchema>;

/** GET /api/privacy/access-records: search for the privacy officer. */
export const AccessRecordQuerySchema = z.object({
  /** KST days, inclusive (YYYY-MM-DD). */
  from: DaySchema.optional(),
  to: DaySchema.optional(),
  login: text(100).optional(),
  action: AccessActionSchema.optional(),
  /** A citizen id: records whose subject includes it. */
  subject: IdSchema.optional(),
  /** Records with seq below this (paging, newest first). */
  beforeSeq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AccessRecordQuery = z.infer<typeof AccessRecordQuerySchema>;

export const AccessRecordPageSchema = z.object({ items: z.array(AccessRecordSchema), nextBeforeSeq: z.number().int().nullable() });
export type AccessRecordPage = z.infer<typeof AccessRecordPageSchema>;

/**
 * What can break the access-record chain: hash_mismatch (a record's content or keyed hash), prev_hash_mismatch (a
 * link), seq_gap (a record removed), seq_out_of_order, unknown_key (a record under a key the ring lacks),
 * unkeyed_record (a plain SHA-256 record after keyed ones), anchor_forged (a prune anchor without a valid signature),
 * anchor_too_recent (an anchor covering records younger than the keeping period), head_mismatch (the database does
 * not hold the head kept outside it: records cut from the end or the chain rewritten).
 */
export const ChainProblemSchema = z.enum([
  'hash_mismatch',
  'prev_hash_mismatch',
  'seq_gap',
  'seq_out_of_order',
  'unknown_key',
  'unkeyed_record',
  'anchor_forged',
  'anchor_too_recent',
  'head_mismatch',
]);
export type ChainProblem = z.infer<typeof ChainProblemSchema>;

/** The answer of the hash-chain check: ok, or the first broken link. */
export const ChainVerificationSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The newest record's position and hash (or the last anchor's when every record was pruned). */
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  anchor: z.object({ lastSeq: z.number().int(), lastHash: z.string(), prunedBefore: IsoTimeSchema }).nullable(),
  /** The head kept outside the database as read before this check (null: none kept yet). */
  keptHead: z.object({ seq: z.number().int(), hash: z.string(), at: IsoTimeSchema }).nullable(),
  broken: z
    .object({
      seq: z.number().int(),
      id: z.string().nullable(),
      problem: ChainProblemSchema,
      message: z.string(),
    })
    .nullable(),
});
export type ChainVerification = z.infer<typeof ChainVerificationSchema>;

export const MonthQuerySchema = z.object({ month: MonthSchema });

const ReviewEventSchema = z.object({
  id: IdSchema,
  at: IsoTimeSchema,
  userLogin: z.string(),
  role: RoleSchema,
  action: AccessActionSchema,
  subject: z.string().nullable(),
  target: z.string(),
  recordCount: z.number().int(),
  reason: z.string().nullable(),
  result: z.enum(['success', 'denied']),
});

/** 월간 접속기록 점검 보고서 (제8조②): what the privacy officer reviews and signs off each month. */
export const MonthlyReviewSchema = z.object({
  month: z.string(),
  from: IsoTimeSchema,
  to: IsoTimeSchema,
  total: z.number().int(),
  rules: z.object({ volumeFactor: z.number(), nightStartHour: z.number().int(), nightEndHour: z.number().int() }),
  users: z.array(
    z.object({
      userId: IdSchema,
      userLogin: z.string(),
      role: RoleSchema,
      total: z.number().int(),
      recordsSeen: z.number().int(),
      byAction: z.record(z.string(), z.number().int()),
      night: z.number().int(),
      roleMedian: z.number(),
      isUnusualVolume: z.boolean(),
    }),
  ),
  nightAccess: z.array(ReviewEventSchema),
  exports: z.array(ReviewEventSchema),
  unmasks: z.array(ReviewEventSchema),
  chain: ChainVerificationSchema,
});
export type MonthlyReview = z.infer<typeof MonthlyReviewSchema>;
