import { z } from 'zod';
import { BREAK_KINDS, validateBreakPlan } from '../domain/breaks';
import { DaySchema, IdSchema, IsoTimeSchema } from './common';

/** HTTP shapes of the scheduled breaks (issue #14 §4): plans, the day's breaks, the agent's next break. */

export const BreakKindSchema = z.enum(BREAK_KINDS);

/** A plan a supervisor sets (core/domain/breaks.ts checks it: HH:MM, 5–90 minutes, 30–480 minutes of work). */
export const BreakPlanSchema = z
  .object({
    slots: z.array(z.object({ at: z.string().max(5), minutes: z.number().int(), kind: BreakKindSchema })).max(12),
    everyMinutes: z.number().int().nullable(),
    intervalMinutes: z.number().int(),
  })
  .superRefine((plan, ctx) => {
    for (const problem of validateBreakPlan(plan)) {
      const [path, message] = problem.split(': ');
      ctx.addIssue({ code: 'custom', message: message ?? problem, path: (path ?? '').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) });
    }
  });

/** The centre's default plan and the agents' own (an agent without one follows the default). */
export const BreakPlansSchema = z.object({
  defaultPlan: BreakPlanSchema,
  agents: z.array(z.object({ agentId: IdSchema, agentName: z.string(), plan: BreakPlanSchema })),
});
export type BreakPlans = z.infer<typeof BreakPlansSchema>;

export const BreakStatusSchema = z.enum(['due', 'pending', 'on_break', 'taken', 'missed']);

/** One scheduled break of a day: due → (pending: after the call) → on_break → taken, or missed. */
export const AgentBreakSchema = z.object({
  id: IdSchema,
  agentId: IdSchema,
  agentName: z.string(),
  day: z.string(),
  slot: z.string(),
  kind: BreakKindSchema,
  minutes: z.number().int(),
  dueAt: IsoTimeSchema,
  status: BreakStatusSchema,
  startedAt: IsoTimeSchema.nullable(),
  endedAt: IsoTimeSchema.nullable(),
  /** Minutes the break started late (a call, wrap-up), 0 when on time. */
  postponedMinutes: z.number().int(),
  /** Minutes actually rested (taken, or so far on a break). */
  restedMinutes: z.number(),
});
export type AgentBreak = z.infer<typeof AgentBreakSchema>;

export const BreakDayQuerySchema = z.object({ day: DaySchema.optional() });

/** The desk's view: the break now (with when it ends), the next one (for the countdown), today's breaks. */
export const MyBreaksSchema = z.object({
  current: z.object({ kind: BreakKindSchema, startedAt: IsoTimeSchema, endsAt: IsoTimeSchema }).nullable(),
  next: z.object({ kind: BreakKindSchema, minutes: z.number().int(), dueAt: IsoTimeSchema, afterCall: z.boolean() }).nullable(),
  today: z.array(AgentBreakSchema),
});
export type MyBreaks = z.infer<typeof MyBreaksSchema>;
