import { z } from 'zod';
import { TRANSFER_STATUSES } from '../domain/transfer-attempt';
import { CallerCardSchema } from './calls';
import { IdSchema, IsoTimeSchema, requiredText, text } from './common';

/** Where a warm-transfer attempt stands (core/domain/transfer-attempt.ts). */
export const TransferStatusSchema = z.enum(TRANSFER_STATUSES);

/** POST /api/transfers: during a call, the agent asks the official to take it (담당자 연결). */
export const StartTransferBodySchema = z.object({
  /** The call the agent is handling (the ACD's contact id = the interaction id). */
  contactId: IdSchema,
  officialId: IdSchema,
  /** The task the citizen called about (업무 or 세부 level): its department owns the fall-back hand-off. */
  categoryId: IdSchema,
  /** The agent's notes for the official's screen and, if it falls back, for the hand-off. */
  summary: requiredText(200),
  notes: text(4000).default(''),
  /** Needed when the official is not on the task's duty list. */
  reason: text(300).optional(),
});
export type StartTransferBody = z.infer<typeof StartTransferBodySchema>;

/** POST /api/transfers/:id/decline: the official cannot take the call now. */
export const DeclineTransferBodySchema = z.object({ reason: requiredText(300) });
export type DeclineTransferBody = z.infer<typeof DeclineTransferBodySchema>;

/** POST /api/transfers/:id/connect: after talking, the agent hands the caller over, or makes it a conference and leaves. */
export const ConnectTransferBodySchema = z.object({ mode: z.enum(['transfer', 'conference']).default('transfer') });
export type ConnectTransferBody = z.infer<typeof ConnectTransferBodySchema>;

/** One attempt as the agent and the official see it. */
export const TransferAttemptSchema = z.object({
  id: IdSchema,
  contactId: IdSchema,
  status: TransferStatusSchema,
  agentId: IdSchema,
  agentName: z.string(),
  official: z.object({ id: IdSchema, name: z.string(), departmentId: IdSchema.nullable(), departmentName: z.string().nullable(), extension: z.string().nullable() }),
  categoryPath: z.string(),
  summary: z.string(),
  notes: z.string(),
  outsideDutyReason: z.string().nullable(),
  declineReason: z.string().nullable(),
  createdAt: IsoTimeSchema,
  ringDeadlineAt: IsoTimeSchema,
  acceptedAt: IsoTimeSchema.nullable(),
  endedAt: IsoTimeSchema.nullable(),
  /** The electronic hand-off it fell back to, with the sentence the agent tells the caller. */
  fallback: z.object({ caseId: IdSchema, caseNumber: z.string(), handOffId: IdSchema, dueAt: IsoTimeSchema, sentence: z.string() }).nullable(),
  /** What the viewer may do now (accept / decline for the official; connect / cancel for the agent). */
  allowedActions: z.array(z.string()),
});
export type TransferAttempt = z.infer<typeof TransferAttemptSchema>;

/** The official's incoming-transfer card: the attempt and the caller's history, masked for the official's role. */
export const TransferCardSchema = z.object({ attempt: TransferAttemptSchema, callerCard: CallerCardSchema.nullable() });
export type TransferCard = z.infer<typeof TransferCardSchema>;
