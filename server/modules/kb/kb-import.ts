import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { ComplaintTypeSchema } from '../../../core/contracts/enums';
import { ArticleImportRowSchema, type ArticleImportRow } from '../../../core/contracts/kb';
import { CategoryFileSchema, DepartmentFileSchema } from '../../db/seed/seed-data';
import { flattenCategoryTree, type CategoryInput, type DepartmentInput } from '../org/taxonomy';
import { AppError } from '../../../core/errors';
import { SynonymInputSchema, type SynonymInput } from './search/synonyms';

export type ImportProblem = { line: number; message: string };

/** Start line (1-based) of each top-level element of a JSON array, found by a small scanner of the text. */
function jsonArrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let escaped = false;
  let expectElement = false;
  for (const ch of text) {
    if (ch === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectElement && !/\s/.test(ch) && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

export type ParsedArticle = { line: number; row: ArticleImportRow };

/** What one import file holds; `problems` are the rows that failed validation, each with its line. */
export type ImportBundle = {
  departments: DepartmentInput[];
  categories: CategoryInput[];
  articles: ParsedArticle[];
  /** The search dictionary (issue #13), in the shape the 검색 사전 screen exports: added or replaced by term. */
  synonyms: SynonymInput[];
  problems: ImportProblem[];
};

function issues(line: number, error: z.ZodError): ImportProblem[] {
  return error.issues.map((i) => ({ line, message: `${i.path.join('.') || 'row'}: ${i.message}` }));
}

/** The first line of the text matching a pattern (for rows nested in JSON), or 0. */
function lineOfMatch(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : 0;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const CategoryCsvRowSchema = z.object({
  code: z.string().trim().min(1),
  name: z.string().trim().min(1).max(100),
  parent: z.string().trim().optional(),
  department: z.string().trim().optional().transform((v) => v || undefined),
  complaint_type: z.union([ComplaintTypeSchema, z.literal('')]).optional().transform((v) => v || undefined),
  deadline_days: z.string().trim().optional().transform((v, ctx) => {
    if (!v) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) ctx.addIssue({ code: 'custom', message: '처리기간(일)은 양의 정수여야 합니다' });
    return n;
  }),
});

function parseArticles(records: Array<{ line: number; value: unknown }>, bundle: ImportBundle): void {
  for (const { line, value } of records) {
    const result = ArticleImportRowSchema.safeParse(value);
    if (result.success) bundle.articles.push({ line, row: result.data });
    else bundle.problems.push(...issues(line, result.error));
  }
}

/**
 * Parses an import file: a knowledge base (JSON array or CSV with category,title,body[,keywords]), a taxonomy
 * (the category tree as JSON, or CSV with code,name[,parent,department,complaint_type,deadline_days] where a missing
 * parent is the code less its last "-" part), or a JSON object with `departments`, `categories`, `articles` and
 * `synonyms` (the search dictionary).
 * Structural errors throw IMPORT_INVALID; row errors are collected with their lines.
 */
export function parseImportFile(fileName: string, text: string): ImportBundle {
  const content = text.replace(/^\uFEFF/, '').normalize('NFC');
  const bundle: ImportBundle = { departments: [], categories: [], articles: [], synonyms: [], problems: [] };
  const fail = (message: string): never => {
    throw new AppError('IMPORT_INVALID', message, { problems: [{ line: 0, message }] });
  };
  const isJson = /\.json$/i.test(fileName) || /^\s*[[{]/.test(content);

  if (isJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (e) {
      return fail(`JSON 형식 오류: ${(e as Error).message}`);
    }
    const codeLine = (code: string) => lineOfMatch(content, new RegExp(`"code"\\s*:\\s*"${escapeRe(code)}"`));
    const takeCategories = (value: unknown) => {
      const tree = CategoryFileSchema.safeParse(value);
      if (tree.success) bundle.categories.push(...flattenCategoryTree(tree.data, codeLine));
      else bundle.problems.push(...issues(1, tree.error));
    };
    if (Array.isArray(parsed)) {
      if (parsed.length === 0) fail('가져올 항목이 없습니다.');
      const first = parsed[0] as Record<string, unknown> | null;
      if (first && typeof first === 'object' && 'title' in first) {
        const lines = jsonArrayElementLines(content);
        parseArticles(parsed.map((value, i) => ({ line: lines[i] ?? 0, value })), bundle);
      } else takeCategories(parsed);
    } else if (parsed && typeof parsed === 'object') {
      const obj = parsed as Record<string, unknown>;
      if (obj.departments !== undefined) {
        const d = DepartmentFileSchema.safeParse(obj.departments);
        if (d.success) bundle.departments.push(...d.data);
        else bundle.problems.push(...issues(lineOfMatch(content, /"departments"/), d.error));
      }
      if (obj.categories !== undefined) takeCategories(obj.categories);
      if (obj.articles !== undefined) {
        if (!Array.isArray(obj.articles)) fail('articles는 배열이어야 합니다.');
        parseArticles(
          (obj.articles as unknown[]).map((value) => {
            const title = (value as { title?: unknown } | null)?.title;
            return { line: typeof title === 'string' ? lineOfMatch(content, new RegExp(`"title"\\s*:\\s*${escapeRe(JSON.stringify(title))}`)) : 0, value };
          }),
          bundle,
        );
      }
      if (obj.synonyms !== undefined) {
        const d = SynonymInputSchema.array().safeParse(obj.synonyms);
        if (d.success) bundle.synonyms.push(...d.data);
        else bundle.problems.push(...issues(lineOfMatch(content, /"synonyms"/), d.error));
      }
      if (obj.departments === undefined && obj.categories === undefined && obj.articles === undefined && obj.synonyms === undefined) {
        fail('departments, categories, articles, synonyms 중 하나가 있어야 합니다.');
      }
    } else fail('JSON 파일은 배열이나 객체여야 합니다.');
    return bundle;
  }

  let rows: Array<{ record: Record<string, string>; info: { lines: number } }> = [];
  try {
    rows = parseCsv(content, { columns: true, skip_empty_lines: true, trim: true, info: true, bom: true });
  } catch (e) {
    fail(`CSV 형식 오류: ${(e as Error).message}`);
  }
  if (rows.length === 0) fail('가져올 항목이 없습니다.');
  const header = Object.keys(rows[0]?.record ?? {});
  if (header.includes('title')) {
    parseArticles(rows.map((r) => ({ line: r.info.lines, value: r.record })), bundle);
  } else if (header.includes('code') && header.includes('name')) {
    for (const r of rows) {
      const result = CategoryCsvRowSchema.safeParse(r.record);
      if (!result.success) {
        bundle.problems.push(...issues(r.info.lines, result.error));
        continue;
      }
      const c = result.data;
      const parentCode = c.parent !== undefined && c.parent !== '' ? c.parent : c.code.includes('-') ? c.code.slice(0, c.code.lastIndexOf('-')) : null;
      bundle.categories.push({ line: r.info.lines, code: c.code, name: c.name, parentCode, department: c.department, complaintType: c.complaint_type, deadlineDays: c.deadline_days });
    }
    // Parents before children, whatever the file's order.
    bundle.categories.sort((a, b) => a.code.split('-').length - b.code.split('-').length);
  } else {
    fail('CSV 머리글은 category,title,body[,keywords] (상담 자료) 또는 code,name[,parent,department,complaint_type,deadline_days] (분류)여야 합니다.');
  }
  return bundle;
}
