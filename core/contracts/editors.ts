import { z } from 'zod';
import { DaySchema, IdSchema, IsoTimeSchema, requiredText, text } from './common';
import { ArticleStatusSchema, ComplaintTypeSchema } from './enums';
import { CategorySchema } from './org';

/*
 * The admin's editors (issue #18 item 13): departments, the category tree with its 민원 유형 and 처리기한, and the
 * knowledge articles (상담 DB) with owner, review date, publish/archive and use counts.
 */

const nullableText = (max: number) =>
  text(max)
    .nullable()
    .optional()
    .transform((s) => (s ? s : null));

/** 부서 코드 / 분류 코드: letters, digits and hyphens (D01, 01-02-03). */
const CodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,19}$/, '코드는 영문·숫자·하이픈 20자까지입니다.');

/** A phone number of the city as written on its directory (031-5180-2101, 120). */
const CityPhoneSchema = z
  .string()
  .trim()
  .regex(/^[0-9][0-9-]{1,18}[0-9]$/, '전화번호는 숫자와 하이픈으로 적습니다(예: 031-5180-2101).')
  .nullable()
  .optional()
  .transform((s) => s ?? null);

export const DepartmentAdminSchema = z.object({
  id: IdSchema,
  code: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  location: z.string().nullable(),
  /** 민원 응대 시간 (평일 09:00–18:00). */
  hours: z.string().nullable(),
  active: z.boolean(),
  /** Active categories it owns, active officials in it, hand-offs it has not finished (미처리: not answered/closed). */
  counts: z.object({ categories: z.number().int(), officials: z.number().int(), openHandOffs: z.number().int() }),
});
export type DepartmentAdmin = z.infer<typeof DepartmentAdminSchema>;

export const DepartmentCreateSchema = z.object({
  code: CodeSchema,
  name: requiredText(50),
  phone: CityPhoneSchema,
  location: nullableText(100),
  hours: nullableText(100),
});
export type DepartmentCreate = z.infer<typeof DepartmentCreateSchema>;

/** Rename, phone, location, hours, (de)activate. The code never changes (imports and the directory key on it). */
export const DepartmentUpdateSchema = z.object({
  name: requiredText(50),
  phone: CityPhoneSchema,
  location: nullableText(100),
  hours: nullableText(100),
  active: z.boolean(),
});
export type DepartmentUpdate = z.infer<typeof DepartmentUpdateSchema>;

/** The one form of a department's name: trimmed, runs of spaces as one (two names equal in this form are the same). */
export function normalizeDepartmentName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

/** What the org and article editors record (issue #18 item 13, 변경 이력). */
export const EditorEntitySchema = z.enum(['department', 'category', 'article']);
export const EditorActionSchema = z.enum(['create', 'update', 'deactivate', 'activate', 'delete', 'publish', 'archive']);
export type EditorEntity = z.infer<typeof EditorEntitySchema>;
export type EditorAction = z.infer<typeof EditorActionSchema>;

/** One change in the 변경 이력: who, when, what (the changed fields as [before, after]). */
export const EditorChangeSchema = z.object({
  id: IdSchema,
  at: IsoTimeSchema,
  actorId: IdSchema.nullable(),
  actorName: z.string().nullable(),
  entity: EditorEntitySchema,
  entityId: IdSchema,
  action: EditorActionSchema,
  label: z.string(),
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
});
export type EditorChange = z.infer<typeof EditorChangeSchema>;

/** GET /api/admin/editor-changes: newest first, a page at a time (`before` = the last item's cursor). */
export const EditorChangeQuerySchema = z.object({
  entity: EditorEntitySchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.string().max(80).optional(),
});
export type EditorChangeQuery = z.infer<typeof EditorChangeQuerySchema>;
export const EditorChangePageSchema = z.object({ items: z.array(EditorChangeSchema), nextCursor: z.string().nullable() });
export type EditorChangePage = z.infer<typeof EditorChangePageSchema>;

/** A category as the editor sees it: the picker's fields, its own values, the active flag and a deadline example. */
export const CategoryAdminSchema = CategorySchema.extend({
  active: z.boolean(),
  /** For a task or detail: a complaint received now would be due then (working days, holidays skipped). */
  deadlineExample: z.object({ basis: z.string(), receivedAt: IsoTimeSchema, dueAt: IsoTimeSchema }).nullable(),
});
export type CategoryAdmin = z.infer<typeof CategoryAdminSchema>;

const CategoryFieldsSchema = z.object({
  name: requiredText(80),
  /**
   * Owner department, 민원 유형 and 처리기한: null inherits the parent's. Required (here or inherited) on 업무 and 세부.
   * A change passes down to the sub-categories that inherited the old value; existing hand-offs keep their due time.
   */
  departmentId: IdSchema.nullable(),
  complaintType: ComplaintTypeSchema.nullable(),
  /** 처리기한 in days when the task's law sets its own (법정민원); null: the complaint type's rule. */
  deadlineDays: z.number().int().min(1).max(365).nullable(),
  active: z.boolean(),
});

export const CategoryCreateSchema = CategoryFieldsSchema.extend({ code: CodeSchema, parentId: IdSchema.nullable() });
export type CategoryCreate = z.infer<typeof CategoryCreateSchema>;
export const CategoryUpdateSchema = CategoryFieldsSchema;
export type CategoryUpdate = z.infer<typeof CategoryUpdateSchema>;

/** One article in the editor's list (every status), with its owner, review date and use counts. */
export const ArticleAdminSchema = z.object({
  id: IdSchema,
  title: z.string(),
  body: z.string(),
  keywords: z.array(z.string()),
  categoryId: IdSchema.nullable(),
  categoryPath: z.string().nullable(),
  departmentId: IdSchema.nullable(),
  departmentName: z.string().nullable(),
  ownerId: IdSchema.nullable(),
  ownerName: z.string().nullable(),
  status: ArticleStatusSchema,
  version: z.number().int(),
  /** 검토 예정일 (KST day) and whether it has passed (today KST is later). */
  reviewBy: z.string().nullable(),
  reviewOverdue: z.boolean(),
  /** Cases that used it (상담에 활용), and agents' opens from the search (열람, 90 days). */
  useCount: z.number().int(),
  openCount: z.number().int(),
  updatedAt: IsoTimeSchema,
  /** Whether the signed-in user may edit it (admin, supervisor, or an official of its 담당 부서). */
  editable: z.boolean(),
});
export type ArticleAdmin = z.infer<typeof ArticleAdminSchema>;

export const ArticleListQuerySchema = z.object({
  status: ArticleStatusSchema.optional(),
  q: text(100).optional(),
  reviewOverdue: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  /** One page (이전/다음): `limit` articles from `offset`, in the list's order. */
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ArticleListQuery = z.infer<typeof ArticleListQuerySchema>;

/** One page of the article editor's list, and where the next page starts (null: this is the last). */
export const ArticleListPageSchema = z.object({ items: z.array(ArticleAdminSchema), offset: z.number().int(), nextOffset: z.number().int().nullable() });
export type ArticleListPage = z.infer<typeof ArticleListPageSchema>;

/** Save an article (new: a draft unless `status` says otherwise). Body: the KB's plain text with blank-line paragraphs. */
export const ArticleSaveSchema = z.object({
  title: requiredText(200).pipe(z.string().min(2, '제목은 2자 이상입니다.')),
  body: requiredText(20000).pipe(z.string().min(10, '본문은 10자 이상입니다.')),
  keywords: z.array(requiredText(40)).max(30).default([]),
  categoryId: IdSchema,
  ownerId: IdSchema.nullable().default(null),
  reviewBy: DaySchema.nullable().default(null),
});
export type ArticleSave = z.infer<typeof ArticleSaveSchema>;

/** 게시 / 보관: draft → published → archived (an archived article may be published again). */
export const ArticleStatusChangeSchema = z.object({ action: z.enum(['publish', 'archive']) });
export type ArticleStatusChange = z.infer<typeof ArticleStatusChangeSchema>;

/** Who may be named 담당자 of an article: officials (and supervisors/admins) with their department. */
export const ArticleOwnerOptionSchema = z.object({ id: IdSchema, name: z.string(), departmentId: IdSchema.nullable() });
export type ArticleOwnerOption = z.infer<typeof ArticleOwnerOptionSchema>;
