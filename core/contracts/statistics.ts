import { z } from 'zod';
import { DaySchema, IdSchema } from './common';

/**
 * The statistics API (issue #12 §1): one query shape for every report under /api/stats/*, and each report's answer.
 * Days are KST calendar days; a period is [from 00:00 KST, day after `to` 00:00 KST). Definitions: docs/METRICS.md.
 */

/** A day, a week (Monday–Sunday), a calendar month or year around `date`, or a custom range `from`–`to`. */
export const StatsPeriodKindSchema = z.enum(['day', 'week', 'month', 'year', 'custom']);
export type StatsPeriodKind = z.infer<typeof StatsPeriodKindSchema>;

/** Buckets of the by-period series. */
export const StatsBucketSchema = z.enum(['hour', 'day', 'week', 'month', 'year']);
export type StatsBucket = z.infer<typeof StatsBucketSchema>;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const periodShape = {
  period: StatsPeriodKindSchema.default('day'),
  date: DaySchema.optional(),
  from: DaySchema.optional(),
  to: DaySchema.optional(),
};
const thresholdShape = {
  /** T of the service level SL(T), seconds (default 20: 80/20). */
  slSeconds: int(1, 600).default(20),
  /** Abandons shorter than this are short abandons, out of the rates (default 5 s). */
  shortAbandonSeconds: int(0, 60).default(5),
};

/**
 * A report's query: the period fields and the report's own filters, nothing else (an unknown parameter is refused).
 * `from`/`to` only with period=custom (both then); `date` (default today, KST) anchors the other kinds. Range rules
 * that need today (reversed, future, over 3 years) are checked by the server with the same stable answer: 400
 * VALIDATION_FAILED with details.reason.
 */
function periodQuery<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...periodShape, ...shape })
    .strict()
    .superRefine((raw, ctx) => {
      const q = raw as StatsPeriodQuery;
      if (q.period === 'custom') {
        if (!q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: '기간 직접 지정에는 시작일(from)이 필요합니다.' });
        if (!q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '기간 직접 지정에는 종료일(to)이 필요합니다.' });
        if (q.date) ctx.addIssue({ code: 'custom', path: ['date'], message: '기간 직접 지정에는 date를 쓰지 않습니다.' });
      } else {
        if (q.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from/to는 period=custom에서만 씁니다.' });
        if (q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'from/to는 period=custom에서만 씁니다.' });
      }
    });
}

/** The period part every report query has. */
export type StatsPeriodQuery = { period: StatsPeriodKind; date?: string | undefined; from?: string | undefined; to?: string | undefined };

/** by-task: the drill-down (`category`: its children are the rows), a department's tasks only, top-N topics. */
export const ByTaskQuerySchema = periodQuery({ department: IdSchema.optional(), category: IdSchema.optional(), top: int(1, 50).default(10) });
export type ByTaskQuery = z.infer<typeof ByTaskQuerySchema>;

/** by-period: the series bucket (default: hour for a day, day up to 92 days, month beyond) and the queue thresholds. */
export const ByPeriodQuerySchema = periodQuery({ granularity: StatsBucketSchema.optional(), ...thresholdShape });
export type ByPeriodQuery = z.infer<typeof ByPeriodQuerySchema>;

/** by-department: one department (officials: their own, the default for them). */
export const ByDepartmentQuerySchema = periodQuery({ department: IdSchema.optional() });
export type ByDepartmentQuery = z.infer<typeof ByDepartmentQuerySchema>;

/** by-agent: one agent (agents: themselves, the default for them). */
export const ByAgentQuerySchema = periodQuery({ agent: IdSchema.optional() });
export type ByAgentQuery = z.infer<typeof ByAgentQuerySchema>;

/** service: the queue thresholds. */
export const ServiceQuerySchema = periodQuery(thresholdShape);
export type ServiceQuery = z.infer<typeof ServiceQuerySchema>;

/** headline: the FCR window in days (default 7). */
export const HeadlineQuerySchema = periodQuery({ fcrDays: int(1, 30).default(7) });
export type HeadlineQuery = z.infer<typeof HeadlineQuerySchema>;

/** The rising report's query: the last hour or today so far, against the same window of the last N weeks. */
export const RisingQuerySchema = z
  .object({
    window: z.enum(['hour', 'day']).default('hour'),
    weeks: int(2, 26).default(8),
    minCount: int(1, 1000).default(5),
  })
  .strict();
export type RisingQuery = z.infer<typeof RisingQuerySchema>;

const rate = z.number().nullable();
const seconds = z.number().nullable();

/** A period as the answer states it: its days and its UTC instants. */
export const StatsPeriodSchema = z.object({ fromDay: z.string(), toDay: z.string(), from: z.string(), to: z.string() });
export type StatsPeriod = z.infer<typeof StatsPeriodSchema>;

const periods = {
  period: StatsPeriodSchema,
  previous: StatsPeriodSchema,
  lastYear: StatsPeriodSchema,
};

/** The headline figures of a window, for comparisons. */
export const StatsTotalsSchema = z.object({
  offered: z.number().int(),
  answered: z.number().int(),
  handled: z.number().int(),
  serviceLevel: rate,
  abandonmentRate: rate,
  asaSeconds: seconds,
  ahtSeconds: seconds,
  directResolutionRate: rate,
});
export type StatsTotals = z.infer<typeof StatsTotalsSchema>;

export const TaskRowSchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  level: z.number().int(),
  code: z.string(),
  name: z.string(),
  departmentId: IdSchema.nullable(),
  hasChildren: z.boolean(),
  contacts: z.number().int(),
  resolvedRate: rate,
  handedOnRate: rate,
  ahtSeconds: seconds,
  previousContacts: z.number().int(),
  change: rate,
});
export const ByTaskReportSchema = z.object({
  period: StatsPeriodSchema,
  previous: StatsPeriodSchema,
  /** The category drilled into, or null for the 분야 level. */
  parent: z.object({ id: IdSchema, name: z.string(), level: z.number().int() }).nullable(),
  rows: z.array(TaskRowSchema),
  /** Handled contacts without a recorded category (top level only). */
  unclassified: z.number().int(),
  top: z.array(z.object({ categoryId: IdSchema, path: z.string(), contacts: z.number().int() })),
});
export type ByTaskReport = z.infer<typeof ByTaskReportSchema>;

export const ByPeriodReportSchema = z.object({
  ...periods,
  granularity: StatsBucketSchema,
  totals: z.object({ current: StatsTotalsSchema, previous: StatsTotalsSchema, lastYear: StatsTotalsSchema }),
  series: z.array(z.object({ key: z.string(), from: z.string(), to: z.string(), totals: StatsTotalsSchema })),
  /** Offered contacts, rows Monday…Sunday, columns 0–23 h KST. */
  heatMap: z.array(z.array(z.number().int())),
});
export type ByPeriodReport = z.infer<typeof ByPeriodReportSchema>;

export const DepartmentFiguresSchema = z.object({
  departmentId: IdSchema,
  name: z.string(),
  received: z.number().int(),
  acknowledged: z.number().int(),
  answered: z.number().int(),
  dueInPeriod: z.number().int(),
  answeredOnTime: z.number().int(),
  onTimeRate: rate,
  medianHoursToAnswer: z.number().nullable(),
  p90HoursToAnswer: z.number().nullable(),
  returned: z.number().int(),
  returnedRate: rate,
  overdueNow: z.number().int(),
  transfers: z.object({ attempted: z.number().int(), connected: z.number().int(), fellBack: z.number().int(), acceptedRate: rate }),
});
export const ByDepartmentReportSchema = z.object({ period: StatsPeriodSchema, asOf: z.string(), departments: z.array(DepartmentFiguresSchema) });
export type ByDepartmentReport = z.infer<typeof ByDepartmentReportSchema>;

export const AgentFiguresSchema = z.object({
  agentId: IdSchema,
  name: z.string(),
  contacts: z.number().int(),
  ahtSeconds: seconds,
  averageAfterCallWorkSeconds: seconds,
  resolvedRate: rate,
  occupancy: rate,
  notReadySeconds: z.record(z.string(), z.number()),
});
export const ByAgentReportSchema = z.object({ period: StatsPeriodSchema, agents: z.array(AgentFiguresSchema) });
export type ByAgentReport = z.infer<typeof ByAgentReportSchema>;

export const ServiceReportSchema = z.object({
  period: StatsPeriodSchema,
  serviceLevelSeconds: z.number().int(),
  shortAbandonSeconds: z.number().int(),
  offered: z.number().int(),
  answered: z.number().int(),
  answeredWithinTarget: z.number().int(),
  abandoned: z.number().int(),
  shortAbandoned: z.number().int(),
  serviceLevel: rate,
  answerRate: rate,
  abandonmentRate: rate,
  asaSeconds: seconds,
  callbacks: z.object({ requested: z.number().int(), answered: z.number().int(), unanswered: z.number().int(), medianDelaySeconds: seconds }),
  allCalls: z.object({ serviceLevel: rate, answerRate: rate, abandonmentRate: rate, asaSeconds: seconds }),
  afterHours: z.number().int(),
});
export type ServiceReport = z.infer<typeof ServiceReportSchema>;

export const HeadlineReportSchema = z.object({
  period: StatsPeriodSchema,
  handled: z.number().int(),
  resolved: z.number().int(),
  directResolutionRate: rate,
  directResolutionTarget: z.number(),
  /** Whether the rate meets the target (null without contacts). */
  meetsTarget: z.boolean().nullable(),
  fcr: z.object({
    windowDays: z.number().int(),
    contacts: z.number().int(),
    resolvedWithoutRepeat: z.number().int(),
    unidentified: z.number().int(),
    rate,
    /** False while the window after the period's last day has not fully passed: the rate may still fall. */
    isFinal: z.boolean(),
  }),
});
export type HeadlineReport = z.infer<typeof HeadlineReportSchema>;

export const RisingReportSchema = z.object({
  window: z.object({ from: z.string(), to: z.string() }),
  weeks: z.number().int(),
  rising: z.array(z.object({ categoryId: IdSchema, path: z.string(), count: z.number().int(), baselineMean: z.number(), z: z.number() })),
});
export type RisingReport = z.infer<typeof RisingReportSchema>;
