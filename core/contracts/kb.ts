import { z } from 'zod';
import { IdSchema, IsoTimeSchema } from './common';
import { ArticleStatusSchema } from './enums';

/** A run of text that is or is not a search hit; the web app renders hits as <mark>. */
export const HighlightSchema = z.array(z.object({ text: z.string(), hit: z.boolean() }));
export type Highlight = z.infer<typeof HighlightSchema>;

export const KbSearchQuerySchema = z.object({
  q: z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(100)),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  /** Search the words as typed, without typo correction ("'과태로'로 찾기"). */
  exact: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});
export type KbSearchQuery = z.infer<typeof KbSearchQuerySchema>;

export const KbSearchHitSchema = z.object({
  id: IdSchema,
  title: z.string(),
  categoryPath: z.string().nullable(),
  departmentName: z.string().nullable(),
  titleHighlight: HighlightSchema,
  snippet: HighlightSchema,
});
export type KbSearchHit = z.infer<typeof KbSearchHitSchema>;

/** A category near a question that found nothing (issue #13: show the nearest topics instead of an empty list). */
export const KbNearestTopicSchema = z.object({ categoryId: IdSchema, categoryPath: z.string() });
export type KbNearestTopic = z.infer<typeof KbNearestTopicSchema>;

export const KbSearchResultSchema = z.object({
  query: z.string(),
  /** The query actually run when a typo was forgiven ("여권 발금" → "여권 발급"). */
  correctedQuery: z.string().nullable(),
  total: z.number().int(),
  hits: z.array(KbSearchHitSchema),
  /** No answer (issue #13): nothing found, or only the guess from a word found nowhere (most of its syllable pairs). */
  isWeak: z.boolean(),
  /** When nothing fits: the nearest categories (empty otherwise). */
  nearest: z.array(KbNearestTopicSchema),
  tookMs: z.number(),
});
export type KbSearchResult = z.infer<typeof KbSearchResultSchema>;

/**
 * What an agent did after a search (issue #13, learning from agents): opened an article, used it in the answer, was
 * shown results (the query settled on screen) or recorded the question as a missing article. The query is masked
 * by the PII detector on the server before it is stored.
 */
export const KbFeedbackKindSchema = z.enum(['open', 'use', 'shown', 'missing']);
export type KbFeedbackKind = z.infer<typeof KbFeedbackKindSchema>;

export const KbFeedbackInputSchema = z
  .object({
    kind: KbFeedbackKindSchema,
    query: z
      .string()
      .transform((s) => s.normalize('NFC').trim())
      .pipe(z.string().min(1).max(100)),
    articleId: IdSchema.optional(),
  })
  .refine((f) => (f.kind === 'open' || f.kind === 'use') === (f.articleId !== undefined), {
    message: '열람·활용에는 자료 ID가, 그 밖에는 자료 ID가 없어야 합니다.',
    path: ['articleId'],
  });
export type KbFeedbackInput = z.infer<typeof KbFeedbackInputSchema>;

/** A question agents asked that found nothing, was recorded as missing, or whose results nobody opened. */
export const KbSearchGapSchema = z.object({
  /** The latest wording (masked). */
  query: z.string(),
  queryKey: z.string(),
  nothingFound: z.number().int(),
  recordedMissing: z.number().int(),
  shownNotOpened: z.number().int(),
  lastAt: IsoTimeSchema,
});
export type KbSearchGap = z.infer<typeof KbSearchGapSchema>;

export const ArticleSchema = z.object({
  id: IdSchema,
  title: z.string(),
  body: z.string(),
  keywords: z.array(z.string()),
  categoryId: IdSchema.nullable(),
  categoryPath: z.string().nullable(),
  departmentId: IdSchema.nullable(),
  departmentName: z.string().nullable(),
  status: ArticleStatusSchema,
  version: z.number().int(),
  useCount: z.number().int(),
  reviewBy: z.string().nullable(),
  updatedAt: IsoTimeSchema,
});
export type Article = z.infer<typeof ArticleSchema>;

/** One row of a knowledge-base import file (JSON array or CSV with these column names). */
export const ArticleImportRowSchema = z.object({
  category: z.string().trim().min(1, '분류 코드가 비어 있습니다'),
  title: z.string().trim().min(2).max(200),
  body: z.string().trim().min(10).max(20000),
  keywords: z
    .union([z.array(z.string()), z.string()])
    .optional()
    .transform((k) =>
      (typeof k === 'string' ? k.split(/[,;|]/) : (k ?? [])).map((s) => s.normalize('NFC').trim()).filter(Boolean),
    ),
});
export type ArticleImportRow = z.infer<typeof ArticleImportRowSchema>;
