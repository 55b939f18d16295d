import { z } from 'zod';
import { PiiKindSchema } from '../domain/pii';
import { DaySchema, IdSchema, IsoTimeSchema, PhoneNumberSchema, requiredText, text } from './common';
import { ReplyPreferenceBodySchema } from './notifications';
import { CaseOutcomeSchema, CaseStatusSchema, ComplaintTypeSchema, ContactEventTypeSchema, HandOffStatusSchema } from './enums';
import { NAME_SEARCH_MAX, NAME_SEARCH_MIN, normaliseFullName } from '../domain/person-name';

/**
 * How the agent finishes a consultation from the desk: 처리 완료 (직접처리), 3자통화 연결 (transferred: the official
 * took the call while the agent was on it) or 부서 이관 (handed off with the legal deadline).
 */
export const RecordOutcomeSchema = z.enum(['resolved', 'transferred', 'handed_off']);
export type RecordOutcome = z.infer<typeof RecordOutcomeSchema>;

/** POST /api/cases: record the consultation of one call and finish it. */
export const RecordCaseBodySchema = z
  .object({
    interactionId: IdSchema,
    categoryId: IdSchema,
    summary: requiredText(200),
    notes: text(4000).default(''),
    /** 위치: where a field problem is (누수, 가로등, 도로 파손 …), for the department (#18 item 6). */
    location: text(200).optional(),
    articleIds: z.array(IdSchema).max(20).default([]),
    outcome: RecordOutcomeSchema,
    /** Hand-off target; defaults to the category's owner department. */
    departmentId: IdSchema.optional(),
    /**
     * 추가 민원 / 독촉 (issue #11 §3): the caller's open hand-off this call adds to, instead of a new hand-off. The
     * notes go to that hand-off's department, the chase is counted, and this call's case closes at once.
     */
    appendToHandOffId: IdSchema.optional(),
    /**
     * 회신 방법 (#18 item 6): how the citizen wants the department's answer, recorded with a new hand-off in the same
     * transaction (the same rule as PUT /api/cases/:id/reply-preference).
     */
    replyPreference: ReplyPreferenceBodySchema.optional(),
  })
  .refine((b) => b.outcome === 'handed_off' || b.departmentId === undefined, {
    message: 'departmentId is only for hand-offs',
    path: ['departmentId'],
  })
  .refine((b) => b.appendToHandOffId === undefined || (b.outcome === 'handed_off' && b.departmentId === undefined), {
    message: '기존 이관에 추가할 때는 부서를 따로 정하지 않습니다.',
    path: ['appendToHandOffId'],
  })
  .refine((b) => b.replyPreference === undefined || (b.outcome === 'handed_off' && b.appendToHandOffId === undefined), {
    message: '회신 방법은 새로 이관할 때 정합니다.',
    path: ['replyPreference'],
  });
export type RecordCaseBody = z.infer<typeof RecordCaseBodySchema>;

export const HandOffSummarySchema = z.object({
  id: IdSchema,
  caseId: IdSchema,
  status: HandOffStatusSchema,
  departmentId: IdSchema,
  departmentName: z.string(),
  assigneeName: z.string().nullable(),
  complaintType: ComplaintTypeSchema,
  receivedAt: IsoTimeSchema,
  dueAt: IsoTimeSchema,
  answer: z.string().nullable(),
  answeredAt: IsoTimeSchema.nullable(),
  /** 독촉: repeat calls added to it (추가 민원). */
  chaseCount: z.number().int().nonnegative().optional(),
});
export type HandOffSummary = z.infer<typeof HandOffSummarySchema>;

export const CaseSummarySchema = z.object({
  id: IdSchema,
  number: z.string(),
  status: CaseStatusSchema,
  outcome: CaseOutcomeSchema.nullable(),
  categoryPath: z.string().nullable(),
  summary: z.string(),
  agentName: z.string().nullable(),
  createdAt: IsoTimeSchema,
  closedAt: IsoTimeSchema.nullable(),
  handOff: HandOffSummarySchema.nullable(),
});
export type CaseSummary = z.infer<typeof CaseSummarySchema>;

export const TimelineEntrySchema = z.object({
  id: IdSchema,
  type: ContactEventTypeSchema,
  at: IsoTimeSchema,
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  detail: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const CaseDetailSchema = CaseSummarySchema.extend({
  notes: z.string(),
  location: z.string().nullable().optional(),
  /** Whose case: the id to ask POST /api/privacy/unmask with (names and numbers are masked). */
  citizenId: IdSchema.nullable(),
  callerNumber: z.string().nullable(),
  citizenName: z.string().nullable(),
  articles: z.array(z.object({ id: IdSchema, title: z.string() })),
  timeline: z.array(TimelineEntrySchema),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

export const RecordCaseResultSchema = z.object({
  caseId: IdSchema,
  number: z.string(),
  status: CaseStatusSchema,
  outcome: RecordOutcomeSchema,
  handOff: z.object({ id: IdSchema, departmentId: IdSchema, departmentName: z.string(), dueAt: IsoTimeSchema }).nullable(),
  /** 추가 민원: the open hand-off this call was added to (handOff is that one), its case number and chases so far. */
  addedTo: z.object({ caseNumber: z.string(), chaseCount: z.number().int().positive() }).nullable().optional(),
  /** What personal data was masked in the summary and notes before they were stored (distinct kinds, in order). */
  maskedKinds: z.array(PiiKindSchema),
});
export type RecordCaseResult = z.infer<typeof RecordCaseResultSchema>;

/**
 * 상담 이력 검색 (issue #18 item 11): by the caller's number (found through its blind index, never stored plain), the
 * case number (a day 20261204 or a whole number 20261204-00001), the category (with its sub-categories), a KST date
 * range of at most 366 days and the outcome. At least one of number, case number, category or a start date.
 */
export const CaseSearchQuerySchema = z
  .object({
    phone: PhoneNumberSchema.optional(),
    /** The citizen's whole name, matched exactly through its blind index (a part of a name cannot be searched). */
    name: z
      .string()
      .transform((s) => normaliseFullName(s))
      .pipe(z.string().min(NAME_SEARCH_MIN, '이름은 성과 이름을 모두 적습니다(두 글자 이상).').max(NAME_SEARCH_MAX, `이름은 ${NAME_SEARCH_MAX}자까지 적습니다.`))
      .optional(),
    number: z
      .string()
      .trim()
      .regex(/^\d{8}(-\d{1,5})?$/, '상담번호는 20261204 또는 20261204-00001처럼 적습니다.')
      .optional(),
    categoryId: IdSchema.optional(),
    from: DaySchema.optional(),
    to: DaySchema.optional(),
    outcome: CaseOutcomeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
  })
  .refine((q) => q.phone || q.name || q.number || q.categoryId || q.from, { message: '전화번호, 이름, 상담번호, 분류 또는 시작일 중 하나를 정하세요.', path: ['phone'] })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '종료일이 시작일보다 앞섭니다.', path: ['to'] })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 366, { message: '기간은 366일까지 찾을 수 있습니다.', path: ['to'] });
export type CaseSearchQuery = z.infer<typeof CaseSearchQuerySchema>;

export const CaseSearchAnswerSchema = z.object({ items: z.array(CaseSummarySchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
export type CaseSearchAnswer = z.infer<typeof CaseSearchAnswerSchema>;
