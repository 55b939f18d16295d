import { parse as parseCsv } from 'csv-parse/sync';
import { ArticleImportRowSchema, type ArticleImportRow } from '../../../core/contracts/kb';
import { AppError } from '../../../core/errors';

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

/**
 * Parses a knowledge-base file (a JSON array, or CSV with the header category,title,body[,keywords]) into article
 * rows. Every bad row is reported with its line; if there is any, the file is refused whole.
 */
export type ParsedArticle = { line: number; row: ArticleImportRow };

export function parseArticleFile(fileName: string, text: string): ParsedArticle[] {
  const content = text.replace(/^\uFEFF/, '').normalize('NFC');
  let records: Array<{ line: number; value: unknown }>;
  if (/\.json$/i.test(fileName) || /^\s*\[/.test(content)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (e) {
      throw new AppError('IMPORT_INVALID', `JSON 형식 오류: ${(e as Error).message}`, { problems: [{ line: 0, message: (e as Error).message }] });
    }
    if (!Array.isArray(parsed)) throw new AppError('IMPORT_INVALID', 'JSON 파일은 상담 자료의 배열이어야 합니다.', { problems: [{ line: 1, message: 'not an array' }] });
    const lines = jsonArrayElementLines(content);
    records = parsed.map((value, i) => ({ line: lines[i] ?? 0, value }));
  } else {
    let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
    try {
      rows = parseCsv(content, { columns: true, skip_empty_lines: true, trim: true, info: true, bom: true });
    } catch (e) {
      throw new AppError('IMPORT_INVALID', `CSV 형식 오류: ${(e as Error).message}`, { problems: [{ line: 0, message: (e as Error).message }] });
    }
    records = rows.map((r) => ({ line: r.info.lines, value: r.record }));
  }
  if (records.length === 0) throw new AppError('IMPORT_INVALID', '가져올 상담 자료가 없습니다.', { problems: [] });

  const problems: ImportProblem[] = [];
  const out: ParsedArticle[] = [];
  for (const { line, value } of records) {
    const result = ArticleImportRowSchema.safeParse(value);
    if (result.success) out.push({ line, row: result.data });
    else problems.push(...result.error.issues.map((i) => ({ line, message: `${i.path.join('.') || 'row'}: ${i.message}` })));
  }
  if (problems.length > 0) throw new AppError('IMPORT_INVALID', `${problems.length}개 오류가 있어 아무것도 가져오지 않았습니다.`, { problems });
  return out;
}
