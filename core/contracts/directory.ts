import { z } from 'zod';
import { PRESENCE_STATES } from '../domain/duty-directory';
import { DaySchema, IdSchema, requiredText } from './common';

/**
 * 업무분장 and officials' presence (issue #11 §1) and the proposal of "담당자 연결" (§2): the HTTP bodies and answers of
 * /api/directory/*. The file format of import/export is documented in docs/DIRECTORY.md.
 */

/** 근무 중 / 통화 중 / 회의 중 / 자리 비움 / 퇴근 / 휴가. */
export const PresenceStateSchema = z.enum(PRESENCE_STATES);
export type { PresenceState } from '../domain/duty-directory';

/** An office extension (내선): 2–10 digits. */
export const ExtensionSchema = z.string().trim().regex(/^\d{2,10}$/, '내선번호는 숫자 2~10자리입니다.');

/** The code of a duty (업무코드), e.g. W-01-01: letters, digits, "-", "_" and ".". */
export const DutyCodeSchema = z
  .string()
  .trim()
  .min(1, '업무코드가 비어 있습니다.')
  .max(32, '업무코드는 32자까지입니다.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, '업무코드는 영문·숫자·-·_·. 만 쓸 수 있습니다.');

/** One official of a duty as an admin sets it: in the list's order (first = 주 담당자); the extension is the official's. */
export const DutyOfficialInputSchema = z.strictObject({ userId: IdSchema, extension: ExtensionSchema.nullish() });

/** POST /api/directory/duties and PUT /api/directory/duties/:id. */
export const DutyBodySchema = z.strictObject({
  code: DutyCodeSchema,
  name: requiredText(100),
  departmentId: IdSchema,
  categoryIds: z.array(IdSchema).min(1, '분류를 하나 이상 고르세요.').max(50),
  officials: z.array(DutyOfficialInputSchema).min(1, '담당자를 한 명 이상 정하세요.').max(20),
});
export type DutyBody = z.infer<typeof DutyBodySchema>;

export const DutyOfficialSchema = z.object({
  userId: IdSchema,
  login: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  extension: z.string().nullable(),
  /** 1 = 주 담당자, 2… = 부 담당자 in order. */
  rank: z.number().int(),
  isActive: z.boolean(),
});

/** A duty as the directory shows it. */
export const DutySchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: z.string(),
  departmentId: IdSchema,
  departmentName: z.string(),
  categories: z.array(z.object({ id: IdSchema, code: z.string(), path: z.string() })),
  officials: z.array(DutyOfficialSchema),
  updatedAt: z.string(),
});
export type Duty = z.infer<typeof DutySchema>;

export const DirectorySchema = z.object({ duties: z.array(DutySchema) });
export type Directory = z.infer<typeof DirectorySchema>;

export const DIRECTORY_FILE_FORMATS = ['csv', 'xlsx'] as const;
export const DirectoryFileFormatSchema = z.enum(DIRECTORY_FILE_FORMATS);

/**
 * POST /api/directory/import: the whole directory as one file, which replaces the directory or is refused whole.
 * `content` is the CSV text, or the XLSX file in base64.
 */
export const DirectoryImportBodySchema = z.strictObject({
  format: DirectoryFileFormatSchema,
  content: z.string().min(1, '파일이 비어 있습니다.').max(4_000_000, '파일이 너무 큽니다 (3MB까지).'),
  fileName: z.string().max(200).optional(),
  /** Check only: report problems or what would change, but keep the directory as it is. */
  dryRun: z.boolean().default(false),
});
export type DirectoryImportBody = z.input<typeof DirectoryImportBodySchema>;

/** One problem of an import file: its line (the header is line 1; 0 = the file as a whole) and what is wrong. */
export const ImportProblemSchema = z.object({ line: z.number().int(), column: z.string().optional(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

/** What an accepted import did (or would do, on a dry run). */
export const DirectoryImportResultSchema = z.object({ dryRun: z.boolean(), duties: z.number().int(), rows: z.number().int() });
export type DirectoryImportResult = z.infer<typeof DirectoryImportResultSchema>;

/** GET /api/directory/export?format=csv|xlsx. */
export const DirectoryExportQuerySchema = z.strictObject({ format: DirectoryFileFormatSchema.default('xlsx') });

/** PUT /api/directory/presence/me: the official's own state; 휴가 needs its last day (KST, inclusive). */
export const SetPresenceBodySchema = z
  .strictObject({ state: PresenceStateSchema, leaveUntil: DaySchema.nullish() })
  .superRefine((body, ctx) => {
    if (body.state === 'on_leave' && !body.leaveUntil) ctx.addIssue({ code: 'custom', path: ['leaveUntil'], message: '휴가는 마지막 날을 정하세요.' });
    if (body.state !== 'on_leave' && body.leaveUntil) ctx.addIssue({ code: 'custom', path: ['leaveUntil'], message: '휴가가 아니면 날짜를 두지 않습니다.' });
  });
export type SetPresenceBody = z.infer<typeof SetPresenceBodySchema>;

export const EffectivePresenceSchema = z.object({
  state: PresenceStateSchema,
  /** declared | leave | telephony | hours (outside the department's hours) | default (nothing declared today). */
  source: z.enum(['declared', 'leave', 'telephony', 'hours', 'default']),
  reachable: z.boolean(),
  leaveUntil: z.string().nullable(),
});
export type EffectivePresenceAnswer = z.infer<typeof EffectivePresenceSchema>;

/** Who an official is, as presence lists and proposals show them. */
const officialFields = {
  officialId: IdSchema,
  name: z.string(),
  title: z.string().nullable(),
  departmentId: IdSchema.nullable(),
  departmentName: z.string().nullable(),
  extension: z.string().nullable(),
};

/** One official's presence as the desk and the official see it. */
export const OfficialPresenceSchema = z.object({
  ...officialFields,
  presence: EffectivePresenceSchema,
  /** What the official declared last (any day) and when; null when never. */
  declared: z.object({ state: PresenceStateSchema, at: z.string(), leaveUntil: z.string().nullable() }).nullable(),
});
export type OfficialPresence = z.infer<typeof OfficialPresenceSchema>;

export const PresenceListQuerySchema = z.strictObject({ departmentId: IdSchema.optional() });
export const PresenceListSchema = z.object({ items: z.array(OfficialPresenceSchema) });

/** GET /api/directory/proposal?categoryId=. */
export const ProposalQuerySchema = z.strictObject({ categoryId: IdSchema });

export const TransferCandidateSchema = z.object({
  ...officialFields,
  rank: z.number().int().nullable(),
  presence: EffectivePresenceSchema,
  /** Calling this official needs a reason: not on the duty list. */
  needsReason: z.boolean(),
});
export type TransferCandidateAnswer = z.infer<typeof TransferCandidateSchema>;

/** Whom "담당자 연결" proposes: the duty's reachable official first, the duty list, the department's reachable others. */
export const TransferProposalSchema = z.object({
  duty: z.object({ id: IdSchema, code: z.string(), name: z.string() }).nullable(),
  departmentId: IdSchema.nullable(),
  proposed: TransferCandidateSchema.nullable(),
  backups: z.array(TransferCandidateSchema),
  othersInDepartment: z.array(TransferCandidateSchema),
});
export type TransferProposalAnswer = z.infer<typeof TransferProposalSchema>;

/**
 * Where a blind transfer (호 전환) may go, from the directory (issue #11 §3): an active official's extension (내선) or a
 * department's number. `target` is what the phone system dials; anything else is refused (422 TRANSFER_TARGET_UNKNOWN).
 */
export const TransferTargetSchema = z.object({
  kind: z.enum(['official', 'department']),
  target: z.string(),
  /** The official's name (with title) or the department's name. */
  name: z.string(),
  title: z.string().nullable(),
  departmentId: IdSchema.nullable(),
  departmentName: z.string().nullable(),
  /** Officials only: presence now (a department number is always reachable as far as OneCall knows). */
  presence: EffectivePresenceSchema.nullable(),
});
export type TransferTarget = z.infer<typeof TransferTargetSchema>;
export const TransferTargetListSchema = z.object({ items: z.array(TransferTargetSchema) });
