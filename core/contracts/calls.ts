import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PhoneNumberSchema } from './common';
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
