import { z } from 'zod';
import { PiiKindSchema } from '../domain/pii';
import { IdSchema, IsoTimeSchema, requiredText, text } from './common';
import { ComplaintTypeSchema, HandOffStatusSchema } from './enums';

export const HandOffListQuerySchema = z.object({
  status: z.enum(['open', 'all', 'pending', 'acknowledged', 'in_progress', 'answered', 'closed', 'returned']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** 'me' (officials): only hand-offs of my duties (업무분장: primary or backup of their category) or assigned to me. */
  assigned: z.enum(['me']).optional(),
});
export type HandOffListQuery = z.infer<typeof HandOffListQuerySchema>;

/** 추가 민원 / 독촉: a repeat call's case added to the hand-off (its notes, masked like every note). */
export const HandOffAdditionSchema = z.object({
  caseId: IdSchema,
  caseNumber: z.string(),
  addedAt: IsoTimeSchema,
  summary: z.string(),
  notes: z.string(),
  agentName: z.string().nullable(),
});
export type HandOffAddition = z.infer<typeof HandOffAdditionSchema>;

/** One row of an official's inbox: everything needed to act without asking the citizen again. */
export const HandOffItemSchema = z.object({
  id: IdSchema,
  caseId: IdSchema,
  caseNumber: z.string(),
  status: HandOffStatusSchema,
  departmentId: IdSchema,
  departmentName: z.string(),
  assigneeName: z.string().nullable(),
  complaintType: ComplaintTypeSchema,
  categoryPath: z.string().nullable(),
  summary: z.string(),
  notes: z.string(),
  /** 위치 of a field problem, as the agent typed it (#18 item 6). */
  location: z.string().nullable().optional(),
  /** Whose case: the id to ask POST /api/privacy/unmask with (names and numbers are masked). */
  citizenId: IdSchema.nullable(),
  callerNumber: z.string().nullable(),
  citizenName: z.string().nullable(),
  agentName: z.string().nullable(),
  receivedAt: IsoTimeSchema,
  dueAt: IsoTimeSchema,
  isOverdue: z.boolean(),
  answer: z.string().nullable(),
  acknowledgedAt: IsoTimeSchema.nullable(),
  answeredAt: IsoTimeSchema.nullable(),
  /** 독촉: how many times the citizen called again about it (추가 민원), and the last time. */
  chaseCount: z.number().int().nonnegative().optional(),
  lastChasedAt: IsoTimeSchema.nullable().optional(),
  /** Only in GET /api/handoffs/:id: the repeat calls added to it, oldest first. */
  additions: z.array(HandOffAdditionSchema).optional(),
  assigneeId: IdSchema.nullable(),
  /** 반려: when, from which department and why (kept after a re-route, as the last return). */
  returnedAt: IsoTimeSchema.nullable(),
  returnReason: z.string().nullable(),
  returnedFromDepartmentName: z.string().nullable(),
  /** 연장: when and why; originalDueAt is the due time before it. Null until the one extension is used. */
  extendedAt: IsoTimeSchema.nullable(),
  extensionReason: z.string().nullable(),
  originalDueAt: IsoTimeSchema.nullable(),
  /** The latest due time an extension may set now (null when no extension is possible: used, past due or not open). */
  latestExtendedDueAt: IsoTimeSchema.nullable(),
  /** Only in the answer of POST /api/handoffs/:id/answer: what personal data was masked in the answer before it was stored. */
  maskedKinds: z.array(PiiKindSchema).optional(),
});
export type HandOffItem = z.infer<typeof HandOffItemSchema>;

export const HandOffListSchema = z.object({ items: z.array(HandOffItemSchema) });

/**
 * GET /api/handoffs/counts: the 운영 현황 tiles, counted by the database over every open hand-off in the viewer's scope
 * (a list is capped; a count is not). Overdue = past the due time; dueToday = not overdue, due before the end of the
 * Seoul day of `at`.
 */
export const HandOffCountsSchema = z.object({
  open: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  dueToday: z.number().int().nonnegative(),
  at: IsoTimeSchema,
});
export type HandOffCounts = z.infer<typeof HandOffCountsSchema>;

export const AnswerHandOffBodySchema = z.object({ answer: requiredText(4000) });
export type AnswerHandOffBody = z.infer<typeof AnswerHandOffBodySchema>;

/** 반려: the department's official returns a hand-off that is not his department's, with the reason (required). */
export const ReturnHandOffBodySchema = z.object({ reason: requiredText(500) });
export type ReturnHandOffBody = z.infer<typeof ReturnHandOffBodySchema>;

/** 재지정: a supervisor sends a returned hand-off to the right department (and optionally one of its officials). */
export const RerouteHandOffBodySchema = z.object({ departmentId: IdSchema, officialId: IdSchema.nullable().optional(), note: text(500).optional() });
export type RerouteHandOffBody = z.infer<typeof RerouteHandOffBodySchema>;

/** 연장: the new due time (ISO, on a working day, within what the law allows) and the reason told to the citizen. */
export const ExtendHandOffBodySchema = z.object({ newDueAt: z.iso.datetime({ offset: true }), reason: requiredText(200) });
export type ExtendHandOffBody = z.infer<typeof ExtendHandOffBodySchema>;

/** 위임: to another official of the same department. */
export const DelegateHandOffBodySchema = z.object({ officialId: IdSchema, note: text(500).optional() });
export type DelegateHandOffBody = z.infer<typeof DelegateHandOffBodySchema>;

/** Officials of a department a hand-off can go to (위임, 재지정). */
export const HandOffOfficialSchema = z.object({ id: IdSchema, name: z.string(), title: z.string().nullable(), isDepartmentHead: z.boolean() });
export const HandOffOfficialsQuerySchema = z.object({ departmentId: IdSchema.optional() });
export const HandOffOfficialsSchema = z.object({ items: z.array(HandOffOfficialSchema) });
export type HandOffOfficial = z.infer<typeof HandOffOfficialSchema>;

/** 기한 경과: overdue open hand-offs by department, most overdue departments first (supervisors). */
export const OverdueDepartmentSchema = z.object({
  departmentId: IdSchema,
  departmentName: z.string(),
  headName: z.string().nullable(),
  overdue: z.number().int().nonnegative(),
  oldestDueAt: IsoTimeSchema,
  items: z.array(HandOffItemSchema),
});
export const OverdueByDepartmentSchema = z.object({ at: IsoTimeSchema, total: z.number().int().nonnegative(), departments: z.array(OverdueDepartmentSchema) });
export type OverdueByDepartment = z.infer<typeof OverdueByDepartmentSchema>;

/** An in-app notice to an official: a reminder (half time, D-1), overdue, or escalation to the department head. */
export const HandOffNoticeKindSchema = z.enum(['half', 'd1', 'overdue', 'escalated']);
export type HandOffNoticeKind = z.infer<typeof HandOffNoticeKindSchema>;
export const HandOffNoticeSchema = z.object({
  id: IdSchema,
  handOffId: IdSchema,
  caseNumber: z.string(),
  kind: HandOffNoticeKindSchema,
  dueAt: IsoTimeSchema,
  at: IsoTimeSchema,
  readAt: IsoTimeSchema.nullable(),
});
export type HandOffNotice = z.infer<typeof HandOffNoticeSchema>;
export const HandOffNoticeListSchema = z.object({ unread: z.number().int().nonnegative(), items: z.array(HandOffNoticeSchema) });
export type HandOffNoticeList = z.infer<typeof HandOffNoticeListSchema>;
