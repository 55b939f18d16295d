import { z } from 'zod';
import { PiiKindSchema } from '../domain/pii';
import { IdSchema, IsoTimeSchema, requiredText } from './common';
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
