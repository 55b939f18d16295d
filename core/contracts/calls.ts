import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PhoneNumberSchema, requiredText } from './common';
import { CaseSummarySchema } from './cases';

/** POST /api/calls/simulate: the desk's "incoming call" button and its HTTP twin. */
export const SimulateCallBodySchema = z.object({
  callerNumber: PhoneNumberSchema,
  dialledNumber: z.string().trim().max(32).default('120'),
});
export type SimulateCallBody = z.infer<typeof SimulateCallBodySchema>;

/** What the agent sees the moment a call connects: who is calling and what happened before. */
export const CallerCardSchema = z.object({
  citizenId: IdSchema,
  phone: z.string(),
  name: z.string().nullable(),
  isKnown: z.boolean(),
  totalCases: z.number().int(),
  lastContactAt: IsoTimeSchema.nullable(),
  openHandOffs: z.array(CaseSummarySchema),
  recentCases: z.array(CaseSummarySchema),
});
export type CallerCard = z.infer<typeof CallerCardSchema>;

export const InteractionSchema = z.object({
  id: IdSchema,
  callerNumber: z.string(),
  dialledNumber: z.string(),
  status: z.enum(['offered', 'connected', 'ended']),
  startedAt: IsoTimeSchema,
  answeredAt: IsoTimeSchema.nullable(),
  endedAt: IsoTimeSchema.nullable(),
});
export type Interaction = z.infer<typeof InteractionSchema>;

export const CallConnectedSchema = z.object({ interaction: InteractionSchema, callerCard: CallerCardSchema });
export type CallConnected = z.infer<typeof CallConnectedSchema>;

/**
 * PUT /api/citizens/:id/name: the agent writes down the name an unknown caller gives (issue #18 item 6), or corrects
 * it. Sealed at rest like every name; shown masked. No digits or @: a number typed here is a mistake.
 */
export const SetCitizenNameBodySchema = z.object({
  name: requiredText(30).pipe(z.string().min(2, '이름은 2자 이상입니다.').regex(/^[^\d@]+$/, '이름에는 숫자나 @를 쓸 수 없습니다.')),
});
export type SetCitizenNameBody = z.infer<typeof SetCitizenNameBodySchema>;
