import { z } from 'zod';
import { DaySchema } from './common';

/**
 * 인력 산정 (issue #12 §3): GET /api/staffing/plan and GET /api/staffing/what-if. Percentages are typed as people
 * say them (80 for 80%); the answers carry fractions like every other figure. Definitions: docs/METRICS.md "Staffing".
 */

/** The plan's inputs; an unknown parameter is refused (400 VALIDATION_FAILED naming it). */
const planShape = {
  /** Weeks of history before `date` (1–52, default 4). */
  weeks: z.coerce.number().int().min(1).max(52).default(4),
  /** The first day after the history (default today, KST); not after today. */
  date: DaySchema.optional(),
  /** The service-level target in percent, 1–99 (default 80: 80/20). */
  targetSl: z.coerce.number().min(1).max(99).default(80),
  /** T of SL(T) in seconds, 1–600 (default 20). */
  targetSeconds: z.coerce.number().int().min(1).max(600).default(20),
  /** Shrinkage in percent, 0–90 (default 30): breaks, training, absence, recovery time. */
  shrinkage: z.coerce.number().min(0).max(90).default(30),
};

export const StaffingPlanQuerySchema = z.object(planShape).strict();
export type StaffingPlanQuery = z.infer<typeof StaffingPlanQuerySchema>;

/** What-if: the plan's inputs and the agents scheduled in every half hour (0–5,000). */
export const StaffingWhatIfQuerySchema = z.object({ ...planShape, agents: z.coerce.number().int().min(0).max(5000) }).strict();
export type StaffingWhatIfQuery = z.infer<typeof StaffingWhatIfQuerySchema>;

/** The what-if as a file: CSV (UTF-8 with BOM) or XLSX, Korean headers. */
export const StaffingExportQuerySchema = z
  .object({ ...planShape, agents: z.coerce.number().int().min(0).max(5000), format: z.enum(['csv', 'xlsx']) })
  .strict();
export type StaffingExportQuery = z.infer<typeof StaffingExportQuerySchema>;

const IntervalOutlookSchema = z.object({
  scheduledAgents: z.number().int(),
  agentsOnPhones: z.number().int(),
  serviceLevel: z.number(),
  /** null when the queue is unstable (agents on the phones ≤ traffic): waits grow without bound. */
  asaSeconds: z.number().nullable(),
  occupancy: z.number(),
  meetsTarget: z.boolean(),
});
export type IntervalOutlookDto = z.infer<typeof IntervalOutlookSchema>;

export const PlanIntervalSchema = z.object({
  /** ISO weekday, 1 = Monday … 7 = Sunday (KST). */
  weekday: z.number().int(),
  /** Half hour of the day, 0 = 00:00–00:30 KST … 47. */
  slot: z.number().int(),
  start: z.string(),
  end: z.string(),
  days: z.number().int(),
  offered: z.number(),
  ahtSeconds: z.number().nullable(),
  ahtSource: z.enum(['interval', 'window']).nullable(),
  trafficErlangs: z.number(),
  required: IntervalOutlookSchema,
});
export type PlanIntervalDto = z.infer<typeof PlanIntervalSchema>;

const planAnswerShape = {
  /** The history: [fromDay, toDay] whole KST days, and the days left out (holidays, closed days). */
  window: z.object({ fromDay: z.string(), toDay: z.string(), weeks: z.number().int(), excludedDays: z.array(z.string()) }),
  /** As fractions: 0.8, 20, 0.3. */
  targets: z.object({ targetServiceLevel: z.number(), targetAnswerSeconds: z.number(), shrinkage: z.number() }),
  summary: z.object({
    intervalsWithTraffic: z.number().int(),
    weeklyOffered: z.number(),
    peakScheduled: z.number().int(),
    peakAt: z.object({ weekday: z.number().int(), slot: z.number().int() }).nullable(),
    scheduledAgentHours: z.number(),
  }),
};

/** The plan: 336 half hours, Monday 00:00 KST first. */
export const StaffingPlanSchema = z.object({ ...planAnswerShape, intervals: z.array(PlanIntervalSchema) });
export type StaffingPlan = z.infer<typeof StaffingPlanSchema>;

export const WhatIfIntervalSchema = PlanIntervalSchema.extend({ whatIf: IntervalOutlookSchema });
export type WhatIfIntervalDto = z.infer<typeof WhatIfIntervalSchema>;

/** The plan with what `agents` scheduled agents would achieve in each half hour and over the week. */
export const StaffingWhatIfSchema = z.object({
  ...planAnswerShape,
  agents: z.number().int(),
  intervals: z.array(WhatIfIntervalSchema),
  whatIf: z.object({
    serviceLevel: z.number().nullable(),
    asaSeconds: z.number().nullable(),
    intervalsMeetingTarget: z.number().int(),
    intervalsWithTraffic: z.number().int(),
    intervalsOverloaded: z.number().int(),
  }),
});
export type StaffingWhatIf = z.infer<typeof StaffingWhatIfSchema>;
