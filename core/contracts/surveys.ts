import { z } from 'zod';
import { isCallerNumber } from '../domain/phone';
import { IdSchema, IsoTimeSchema, requiredText, text } from './common';

/**
 * Satisfaction surveys and policy polls (issue #15): the question kinds of a template, the template (versioned: a
 * published version never changes; editing publishes the next version), the citizen's consent, the public page and
 * its answers, and the supervisor's results.
 */

/** CSAT 1–5, 해결 여부 (yes/no), NPS 0–10, single and multiple choice, free text. */
export const QuestionTypeSchema = z.enum(['csat', 'resolved', 'nps', 'single', 'multiple', 'text']);
export type QuestionType = z.infer<typeof QuestionTypeSchema>;

export const QuestionOptionSchema = z.object({ id: z.string().regex(/^[a-z0-9_-]{1,20}$/), label: z.string().min(1).max(100) });

export const QuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,20}$/, '문항 id는 영문 소문자·숫자 20자 이내입니다.'),
    type: QuestionTypeSchema,
    text: z.string().min(1).max(300),
    required: z.boolean(),
    options: z.array(QuestionOptionSchema).max(12).optional(),
  })
  .superRefine((q, ctx) => {
    const choice = q.type === 'single' || q.type === 'multiple';
    if (choice && (!q.options || q.options.length < 2)) ctx.addIssue({ code: 'custom', path: ['options'], message: '선택형 문항은 보기가 2개 이상 필요합니다.' });
    if (!choice && q.options) ctx.addIssue({ code: 'custom', path: ['options'], message: '선택형이 아닌 문항에는 보기가 없습니다.' });
  });
export type Question = z.infer<typeof QuestionSchema>;

/** 'survey': after a contact; 'poll': a policy poll (정책 여론조사) sent to a target group. */
export const SurveyAudienceSchema = z.enum(['survey', 'poll']);
export type SurveyAudience = z.infer<typeof SurveyAudienceSchema>;

export const TemplateBodySchema = z
  .object({
    key: z.string().regex(/^[a-z0-9_-]{2,40}$/, '양식 키는 영문 소문자·숫자 40자 이내입니다.'),
    title: requiredText(100),
    intro: text(500),
    audience: SurveyAudienceSchema,
    questions: z.array(QuestionSchema).min(1).max(20),
    /**
     * The id of the 1–5 question that is the survey's 전반적 만족도: it alone is the overall score (mean CSAT, 만족
     * share, low-score follow-ups). Named by the supervisor, never guessed from the order of the questions. Required
     * for a survey (SURVEY_OVERALL_QUESTION_MISSING when publishing without one); a poll has none.
     */
    overallQuestionId: z.string().max(20).nullable().default(null),
  })
  .superRefine((t, ctx) => {
    const ids = new Set<string>();
    t.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: '문항 id가 겹칩니다.' });
      ids.add(q.id);
    });
    if (t.overallQuestionId === null) return;
    if (t.audience === 'poll') ctx.addIssue({ code: 'custom', path: ['overallQuestionId'], message: '여론조사에는 전반적 만족도 문항이 없습니다.' });
    else if (!t.questions.some((q) => q.id === t.overallQuestionId && q.type === 'csat')) {
      ctx.addIssue({ code: 'custom', path: ['overallQuestionId'], message: '전반적 만족도는 이 양식의 만족도 1–5점 문항 가운데 하나여야 합니다.' });
    }
  });
export type TemplateBody = z.infer<typeof TemplateBodySchema>;
/** What a client sends: `overallQuestionId` may be left out (then none is named, and a survey is refused). */
export type TemplateBodyInput = z.input<typeof TemplateBodySchema>;

export const TemplateSchema = z.object({
  id: IdSchema,
  key: z.string(),
  version: z.number().int(),
  title: z.string(),
  intro: z.string(),
  audience: SurveyAudienceSchema,
  questions: z.array(QuestionSchema),
  /** The question that is this version's 전반적 만족도 (null for polls). */
  overallQuestionId: z.string().nullable(),
  publishedAt: IsoTimeSchema,
  isCurrent: z.boolean(),
});
export type Template = z.infer<typeof TemplateSchema>;

/** An answer: a number (CSAT, NPS), true/false (해결 여부), an option id, option ids, or text. */
export const AnswerValueSchema = z.union([z.number(), z.boolean(), z.string().max(1000), z.array(z.string().max(20)).max(12)]);
export type AnswerValue = z.infer<typeof AnswerValueSchema>;
export const AnswersBodySchema = z.object({ answers: z.record(z.string().max(20), AnswerValueSchema) });
export type AnswersBody = z.infer<typeof AnswersBodySchema>;

/** The public page (/s/:token): what is asked, never who is asked. */
export const PublicSurveySchema = z.object({
  title: z.string(),
  intro: z.string(),
  questions: z.array(QuestionSchema),
  expiresAt: IsoTimeSchema,
});
export type PublicSurvey = z.infer<typeof PublicSurveySchema>;

/**
 * How the citizen agreed to be asked: a link by SMS (to the number called from) or e-mail, a happy call by an agent
 * (`call`), or the automated keypad survey (`keypad`, ARS: the phone system calls, reads the questions, the citizen
 * presses the digits).
 */
export const SurveyChannelSchema = z.enum(['sms', 'email', 'call', 'keypad']);
export type SurveyChannel = z.infer<typeof SurveyChannelSchema>;

/**
 * The citizen's consent to surveys and polls, recorded by an agent for the caller of a case or of the call under way
 * (by blind index): one of caseId or interactionId.
 */
export const ConsentBodySchema = z
  .object({
    caseId: IdSchema.optional(),
    interactionId: IdSchema.optional(),
    surveys: z.boolean(),
    polls: z.boolean(),
    channel: SurveyChannelSchema,
    email: text(254).optional(),
    district: text(40).optional(),
    ageBand: z.enum(['10s', '20s', '30s', '40s', '50s', '60s', '70+']).optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.caseId === !b.interactionId) ctx.addIssue({ code: 'custom', path: ['caseId'], message: '상담 건 또는 통화 가운데 하나를 지정해 주십시오.' });
    if (b.channel === 'email' && !/^[^\s@<>()",;]{1,64}@[^\s@<>()",;]{1,190}\.[^\s@<>()",;.]{2,63}$/.test(b.email ?? '')) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: '이메일 주소 형식이 올바르지 않습니다.' });
    }
  });
export type ConsentBody = z.infer<typeof ConsentBodySchema>;

/** An opt-out by number (the citizen asked by phone): honoured for ever. */
export const OptOutBodySchema = z.object({ phone: z.string().refine(isCallerNumber, '전화번호 형식이 올바르지 않습니다.') });

/** 수신 거부 from the desk, for the caller of a case or of the call under way (the agent never types the number). */
export const CallerOptOutBodySchema = z
  .object({ caseId: IdSchema.optional(), interactionId: IdSchema.optional() })
  .refine((b) => !b.caseId !== !b.interactionId, { message: '상담 건 또는 통화 가운데 하나를 지정해 주십시오.', path: ['caseId'] });
export type CallerOptOutBody = z.infer<typeof CallerOptOutBodySchema>;

/** What the desk knows of the caller's consent (by blind index), so the form opens with what was said before. */
export const CallerConsentSchema = z.object({
  recorded: z.boolean(),
  surveys: z.boolean(),
  polls: z.boolean(),
  channel: SurveyChannelSchema.nullable(),
  district: z.string().nullable(),
  ageBand: z.string().nullable(),
  optedOut: z.boolean(),
  recordedAt: IsoTimeSchema.nullable(),
});
export type CallerConsent = z.infer<typeof CallerConsentSchema>;

/**
 * 만족도 조사 전화 (happy call): a survey owed by phone, a task for the agents. The number is masked for the role;
 * `takenByMe` when this agent has it open, `takenBy` the name of another agent who has; `queued` while the ACD has it
 * in line on the 만족도 조사 전화 queue or offered to an agent (it is not taken from the list then).
 */
export const HappyCallSchema = z.object({
  id: IdSchema,
  trigger: z.enum(['call', 'handoff']),
  caseId: IdSchema.nullable(),
  caseNumber: z.string().nullable(),
  citizenId: IdSchema.nullable(),
  phone: z.string().nullable(),
  templateTitle: z.string(),
  contactAt: IsoTimeSchema,
  dueAt: IsoTimeSchema,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  takenByMe: z.boolean(),
  takenBy: z.string().nullable(),
  queued: z.boolean(),
});
export type HappyCall = z.infer<typeof HappyCallSchema>;

export const HappyCallListSchema = z.object({ count: z.number().int(), items: z.array(HappyCallSchema) });
export type HappyCallList = z.infer<typeof HappyCallListSchema>;

/** A happy call taken by an agent: the questionnaire to read out, with its scales. */
export const HappyCallSheetSchema = HappyCallSchema.extend({ intro: z.string(), questions: z.array(QuestionSchema) });
export type HappyCallSheet = z.infer<typeof HappyCallSheetSchema>;

/**
 * GET /api/surveys/calls/current: the questionnaire of the happy call the ACD gave this agent, once the agent has
 * answered its offer (null while it only rings, or when the agent's contact is not a happy call).
 */
export const CurrentHappyCallSchema = z.object({ sheet: HappyCallSheetSchema.nullable() });
export type CurrentHappyCall = z.infer<typeof CurrentHappyCallSchema>;

/** 부재 (no answer: tried again later, closed after the last try) or 거절 (the citizen declined: closed). */
export const HappyCallOutcomeBodySchema = z.object({ outcome: z.enum(['no_answer', 'refused']) });
export type HappyCallOutcomeBody = z.infer<typeof HappyCallOutcomeBodySchema>;
export const HappyCallOutcomeSchema = z.object({ status: z.enum(['retry', 'closed']), attempts: z.number().int(), nextAttemptAt: IsoTimeSchema.nullable() });
export type HappyCallOutcome = z.infer<typeof HappyCallOutcomeSchema>;

/** 조사 설정: sampling, quiet period, timing, templates per trigger. */
export const SurveySettingsSchema = z.object({
  callSampleRate: z.number().min(0).max(1),
  handoffSampleRate: z.number().min(0).max(1),
  quietDays: z.number().int().min(0).max(365),
  delayMinutes: z.number().int().min(0).max(600),
  expiryHours: z.number().int().min(1).max(24 * 30),
  lowScore: z.number().int().min(1).max(5),
  callTemplateKey: z.string(),
  handoffTemplateKey: z.string(),
  /** Happy calls: how many tries before one closes as 부재, and the minutes between two tries. */
  happyCallMaxAttempts: z.number().int().min(1).max(10).default(3),
  happyCallRetryMinutes: z.number().int().min(5).max(24 * 60).default(60),
});
export type SurveySettings = z.infer<typeof SurveySettingsSchema>;

export const PollBodySchema = z.object({
  templateKey: z.string(),
  title: requiredText(100),
  closesAt: IsoTimeSchema,
  districts: z.array(requiredText(40)).max(50).default([]),
  ageBands: z.array(z.enum(['10s', '20s', '30s', '40s', '50s', '60s', '70+'])).max(7).default([]),
  channel: z.enum(['sms', 'email']),
  publicResults: z.boolean().default(false),
});
export type PollBody = z.input<typeof PollBodySchema>;

/** A proportion with its 95% Wilson interval. */
export const ShareSchema = z.object({ share: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable(), n: z.number().int() });
export type Share = z.infer<typeof ShareSchema>;

export const ResultRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  invited: z.number().int(),
  answered: z.number().int(),
  responseRate: z.number().nullable(),
  csatMean: z.number().nullable(),
  /** 만족 (4–5 of the overall CSAT) with its 95% interval. */
  satisfied: ShareSchema,
  resolved: ShareSchema,
  nps: z.number().nullable(),
});
export type ResultRow = z.infer<typeof ResultRowSchema>;

export const ResultsGroupSchema = z.enum(['department', 'category', 'agent', 'day', 'month', 'trigger']);
export type ResultsGroup = z.infer<typeof ResultsGroupSchema>;

export const ResultsQuerySchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  groupBy: ResultsGroupSchema.default('department'),
  /** Only the surveys of this department's hand-offs (the 부서 filter of 통계). */
  departmentId: IdSchema.optional(),
});

export const FollowUpSchema = z.object({
  id: IdSchema,
  caseId: IdSchema.nullable(),
  caseNumber: z.string().nullable(),
  reason: z.string(),
  score: z.number().nullable(),
  comment: z.string().nullable(),
  status: z.enum(['open', 'done']),
  createdAt: IsoTimeSchema,
});
export type FollowUp = z.infer<typeof FollowUpSchema>;

export const ResultsSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: ResultsGroupSchema,
  total: ResultRowSchema,
  rows: z.array(ResultRowSchema),
  comments: z.array(z.object({ at: IsoTimeSchema, caseNumber: z.string().nullable(), text: z.string() })),
  followUps: z.array(FollowUpSchema),
});
export type Results = z.infer<typeof ResultsSchema>;

export const QuestionResultSchema = z.object({
  questionId: z.string(),
  text: z.string(),
  type: QuestionTypeSchema,
  answered: z.number().int(),
  /** Per option (or scale point): count and share with its 95% Wilson interval. */
  options: z.array(z.object({ id: z.string(), label: z.string(), count: z.number().int(), share: ShareSchema })),
  mean: z.number().nullable(),
});

export const PollSchema = z.object({
  id: IdSchema,
  title: z.string(),
  templateKey: z.string(),
  closesAt: IsoTimeSchema,
  channel: z.enum(['sms', 'email']),
  publicResults: z.boolean(),
  invited: z.number().int(),
  answered: z.number().int(),
  responseRate: z.number().nullable(),
  questions: z.array(QuestionResultSchema),
});
export type Poll = z.infer<typeof PollSchema>;
