import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DutyCodeSchema, ExtensionSchema, type ImportProblem } from '../../../core/contracts/directory';
import { neutraliseFormula } from '../privacy/case-export';
import { particleOf, withParticle } from '../../../core/domain/josa';

/**
 * The 업무분장 spreadsheet (docs/DIRECTORY.md): one row per official of a duty, a header row first.
 *
 * 업무코드 | 업무명 | 분류코드 | 부서 | 순위 | 담당자 | 아이디 | 내선
 *
 * 분류코드 lists the duty's category codes (separated by "," ";" or spaces), 부서 is the department's name or code,
 * 순위 1 is the 주 담당자 and 2… the 부 담당자 in order, 아이디 is the official's login (담당자 is checked against it),
 * 내선 the official's extension (blank = keep the one on record). The rows of one 업무코드 repeat its 업무명, 분류코드
 * and 부서. Other columns (비고 …) are ignored. A file with any problem is refused whole, every problem with its line.
 */
export const DIRECTORY_COLUMNS = [
  { key: 'code', header: '업무코드', aliases: ['duty_code', 'code'], width: 12 },
  { key: 'name', header: '업무명', aliases: ['업무', 'duty', 'duty_name'], width: 24 },
  { key: 'categories', header: '분류코드', aliases: ['category_codes', 'categories'], width: 22 },
  { key: 'department', header: '부서', aliases: ['department'], width: 16 },
  { key: 'rank', header: '순위', aliases: ['rank'], width: 6 },
  { key: 'official', header: '담당자', aliases: ['official', 'name'], width: 10 },
  { key: 'login', header: '아이디', aliases: ['login'], width: 16 },
  { key: 'extension', header: '내선', aliases: ['내선번호', 'extension'], width: 8 },
] as const;

type ColumnKey = (typeof DIRECTORY_COLUMNS)[number]['key'];
const REQUIRED: readonly ColumnKey[] = ['code', 'name', 'categories', 'department', 'rank', 'login'];
const MAX_ROWS = 20_000;

/** One data row of the file as text, with its line (the header is line 1). */
export type DirectoryFileRow = { line: number } & Record<ColumnKey, string>;

/** What the directory knows to check a file against. */
export type DirectoryLookups = {
  categoryByCode: ReadonlyMap<string, { id: string; isActive: boolean }>;
  /** Departments by name and by code. */
  department: (nameOrCode: string) => { id: string; name: string } | undefined;
  userByLogin: ReadonlyMap<string, { id: string; name: string; role: string; departmentId: string | null; isActive: boolean; extension: string | null }>;
  /** Who holds each extension now. */
  extensionHolder: ReadonlyMap<string, string>;
};

/** A duty the file describes, checked. */
export type PlannedDuty = { line: number; code: string; name: string; departmentId: string; categoryIds: string[]; officialIds: string[] };

/** The checked file: the duties and the extensions to set, or problems. */
export type DirectoryPlan = { duties: PlannedDuty[]; extensions: Map<string, string>; rows: number; problems: ImportProblem[] };

class FileRefused extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.message);
  }
}

/** Matches the header row to the columns; problems for missing required columns (line 1). */
function columnsOf(header: readonly string[]): Map<ColumnKey, number> {
  const found = new Map<ColumnKey, number>();
  header.forEach((raw, i) => {
    const h = raw.normalize('NFC').replace(/^\uFEFF/, '').trim().toLowerCase();
    const col = DIRECTORY_COLUMNS.find((c) => c.header === h || (c.aliases as readonly string[]).includes(h));
    if (col && !found.has(col.key)) found.set(col.key, i);
  });
  const missing = REQUIRED.filter((k) => !found.has(k)).map((k) => DIRECTORY_COLUMNS.find((c) => c.key === k)?.header);
  if (missing.length > 0) throw new FileRefused({ line: 1, message: `필수 열이 없습니다: ${missing.join(', ')} (첫 행은 제목 행입니다)` });
  return found;
}

function rowsOf(table: Array<{ line: number; cells: string[] }>): DirectoryFileRow[] {
  const [header, ...data] = table;
  if (!header) throw new FileRefused({ line: 0, message: '파일에 내용이 없습니다.' });
  const cols = columnsOf(header.cells);
  const rows: DirectoryFileRow[] = [];
  for (const { line, cells } of data) {
    if (cells.every((c) => c.trim() === '')) continue;
    const row = { line } as DirectoryFileRow;
    for (const c of DIRECTORY_COLUMNS) {
      const i = cols.get(c.key);
      // A leading apostrophe is how an export keeps =, +, - or @ as text (neutraliseFormula): read it back without.
      row[c.key] = i === undefined ? '' : (cells[i] ?? '').normalize('NFC').trim().replace(/^'(?=[=+\-@])/, '');
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new FileRefused({ line: 0, message: '제목 행 아래에 업무가 없습니다.' });
  if (rows.length > MAX_ROWS) throw new FileRefused({ line: 0, message: `행이 너무 많습니다 (${MAX_ROWS}행까지).` });
  return rows;
}

/** The rows of a CSV file (UTF-8, BOM allowed). */
export function readDirectoryCsv(text: string): DirectoryFileRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new FileRefused({ line: (e as { lines?: number }).lines ?? 0, message: `CSV 형식 오류: ${(e as Error).message}` });
  }
  return rowsOf(records.map((r) => ({ line: r.info.lines, cells: r.record })));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
  }
  return '';
}

/** The rows of the first worksheet of an XLSX file (line = the sheet's row number). */
export async function readDirectoryXlsx(file: Buffer): Promise<DirectoryFileRow[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new FileRefused({ line: 0, message: 'XLSX 파일을 읽을 수 없습니다 (엑셀 통합 문서 .xlsx인지 확인하세요).' });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new FileRefused({ line: 0, message: 'XLSX 파일에 시트가 없습니다.' });
  const table: Array<{ line: number; cells: string[] }> = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    table.push({ line: row.number, cells: Array.from(cells, (c) => c ?? '') });
  });
  return rowsOf(table);
}

/** Reads a file of either format; a file that cannot be read at all answers a single problem. */
export async function readDirectoryFile(format: 'csv' | 'xlsx', content: string): Promise<{ rows: DirectoryFileRow[]; problems: ImportProblem[] }> {
  try {
    const rows = format === 'csv' ? readDirectoryCsv(content) : await readDirectoryXlsx(Buffer.from(content, 'base64'));
    return { rows, problems: [] };
  } catch (e) {
    if (e instanceof FileRefused) return { rows: [], problems: [e.problem] };
    throw e;
  }
}

const splitCodes = (s: string) => s.split(/[\s,;]+/).filter(Boolean);

/**
 * Checks every row against the directory's accounts, departments and categories and against the other rows; answers
 * the duties (officials in 순위 order) or every problem by line.
 */
export function planDirectory(rows: readonly DirectoryFileRow[], lookups: DirectoryLookups): DirectoryPlan {
  const problems: ImportProblem[] = [];
  const problem = (line: number, column: ColumnKey, message: string) =>
    problems.push({ line, column: DIRECTORY_COLUMNS.find((c) => c.key === column)?.header, message });
  type Draft = PlannedDuty & { categoryKey: string; ranks: Map<number, number>; logins: Map<string, number>; members: Array<{ rank: number; userId: string }> };
  const duties = new Map<string, Draft>();
  const categoryOwner = new Map<string, { code: string; line: number }>();
  const extensions = new Map<string, string>();
  const extensionLine = new Map<string, { userId: string; line: number }>();

  for (const row of rows) {
    const { line } = row;
    const code = DutyCodeSchema.safeParse(row.code);
    if (!code.success) problem(line, 'code', code.error.issues[0]?.message ?? '업무코드가 올바르지 않습니다.');
    if (!row.name) problem(line, 'name', '업무명이 비어 있습니다.');
    else if (row.name.length > 100) problem(line, 'name', '업무명은 100자까지입니다.');

    const categoryIds: string[] = [];
    const codes = splitCodes(row.categories);
    if (codes.length === 0) problem(line, 'categories', '분류코드가 비어 있습니다.');
    for (const c of codes) {
      const category = lookups.categoryByCode.get(c);
      if (!category) problem(line, 'categories', `분류체계에 없는 분류코드입니다: ${c}`);
      else if (!category.isActive) problem(line, 'categories', `사용하지 않는 분류입니다: ${c}`);
      else if (!categoryIds.includes(category.id)) categoryIds.push(category.id);
    }

    const department = row.department ? lookups.department(row.department) : undefined;
    if (!row.department) problem(line, 'department', '부서가 비어 있습니다.');
    else if (!department) problem(line, 'department', `찾을 수 없는 부서입니다: ${row.department}`);

    const rank = Number(row.rank);
    const rankOk = /^\d+$/.test(row.rank) && rank >= 1 && rank <= 20;
    if (!rankOk) problem(line, 'rank', '순위는 1~20의 정수입니다 (1 = 주 담당자).');

    const user = row.login ? lookups.userByLogin.get(row.login) : undefined;
    if (!row.login) problem(line, 'login', '아이디가 비어 있습니다.');
    else if (!user) problem(line, 'login', `없는 아이디입니다: ${row.login}`);
    else if (user.role !== 'official') problem(line, 'login', `${withParticle(row.login, '은/는')} 부서 담당자(공무원) 계정이 아닙니다.`);
    else if (!user.isActive) problem(line, 'login', `${withParticle(row.login, '은/는')} 사용 중지된 계정입니다.`);
    else {
      if (row.official && row.official !== user.name) problem(line, 'official', `담당자 ${withParticle(row.official, '이/가')} 아이디 ${row.login}의 이름(${user.name})과 다릅니다.`);
      if (department && user.departmentId !== department.id) problem(line, 'login', `${user.name}(${row.login})${particleOf(user.name, '은/는')} ${department.name} 소속이 아닙니다.`);
    }

    if (row.extension) {
      const ext = ExtensionSchema.safeParse(row.extension);
      if (!ext.success) problem(line, 'extension', ext.error.issues[0]?.message ?? '내선번호가 올바르지 않습니다.');
      else if (user) {
        const earlier = extensions.get(user.id);
        const holder = extensionLine.get(ext.data);
        const current = lookups.extensionHolder.get(ext.data);
        if (earlier !== undefined && earlier !== ext.data) problem(line, 'extension', `${row.login}의 내선이 앞 행과 다릅니다 (${earlier}).`);
        else if (holder && holder.userId !== user.id) problem(line, 'extension', `내선 ${withParticle(ext.data, '이/가')} ${holder.line}행의 다른 담당자와 겹칩니다.`);
        else if (current && current !== user.id && !isReassigned(current, rows, lookups)) problem(line, 'extension', `내선 ${withParticle(ext.data, '은/는')} 다른 직원이 쓰고 있습니다.`);
        else {
          extensions.set(user.id, ext.data);
          extensionLine.set(ext.data, { userId: user.id, line });
        }
      }
    }

    if (!code.success) continue;
    const categoryKey = [...codes].sort().join(',');
    let duty = duties.get(code.data);
    if (!duty) {
      duty = { line, code: code.data, name: row.name, departmentId: department?.id ?? '', categoryIds, officialIds: [], categoryKey, ranks: new Map(), logins: new Map(), members: [] };
      duties.set(code.data, duty);
      for (const id of categoryIds) {
        const owner = categoryOwner.get(id);
        const c = codes.find((x) => lookups.categoryByCode.get(x)?.id === id);
        if (owner) problem(line, 'categories', `분류코드 ${withParticle(c ?? '', '은/는')} 이미 ${owner.line}행의 업무 ${owner.code}에 있습니다 (한 분류는 한 업무에만).`);
        else categoryOwner.set(id, { code: code.data, line });
      }
    } else {
      const first = `업무코드 ${code.data}의 첫 행(${duty.line}행)과`;
      if (row.name && row.name !== duty.name) problem(line, 'name', `${first} 업무명이 다릅니다.`);
      if (codes.length > 0 && categoryKey !== duty.categoryKey) problem(line, 'categories', `${first} 분류코드가 다릅니다.`);
      if (department && department.id !== duty.departmentId) problem(line, 'department', `${first} 부서가 다릅니다.`);
    }
    if (rankOk) {
      const sameRank = duty.ranks.get(rank);
      if (sameRank !== undefined) problem(line, 'rank', `업무 ${code.data}의 순위 ${withParticle(String(rank), '은/는')} 이미 ${sameRank}행에 있습니다.`);
      else duty.ranks.set(rank, line);
    }
    if (row.login) {
      const sameLogin = duty.logins.get(row.login);
      if (sameLogin !== undefined) problem(line, 'login', `업무 ${code.data}에 ${withParticle(row.login, '은/는')} 이미 ${sameLogin}행에 있습니다.`);
      else duty.logins.set(row.login, line);
    }
    if (user && rankOk) duty.members.push({ rank, userId: user.id });
  }
  for (const duty of duties.values()) {
    if (!duty.ranks.has(1)) problem(duty.line, 'rank', `업무 ${duty.code}에 순위 1(주 담당자)이 없습니다.`);
  }
  problems.sort((a, b) => a.line - b.line);
  const planned = [...duties.values()].map(({ line, code, name, departmentId, categoryIds, members }) => ({
    line,
    code,
    name,
    departmentId,
    categoryIds,
    officialIds: [...members].sort((a, b) => a.rank - b.rank).map((m) => m.userId),
  }));
  return { duties: planned, extensions, rows: rows.length, problems };
}

/** An extension held by someone else counts as free when the file gives that person another extension. */
function isReassigned(holderId: string, rows: readonly DirectoryFileRow[], lookups: DirectoryLookups): boolean {
  const holderLogin = [...lookups.userByLogin.entries()].find(([, u]) => u.id === holderId)?.[0];
  return holderLogin !== undefined && rows.some((r) => r.login === holderLogin && r.extension !== '' && lookups.extensionHolder.get(r.extension) !== holderId);
}

/** A duty row as exported. */
export type DirectoryExportRow = Record<ColumnKey, string>;

const csvCell = (value: string) => {
  const v = neutraliseFormula(value);
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
};

/** RFC 4180 CSV with a UTF-8 BOM (Excel opens Korean text correctly), the header row first. */
export function directoryToCsv(rows: readonly DirectoryExportRow[]): Buffer {
  const out = [DIRECTORY_COLUMNS.map((c) => c.header).join(',')];
  for (const row of rows) out.push(DIRECTORY_COLUMNS.map((c) => csvCell(row[c.key])).join(','));
  return Buffer.from(`\uFEFF${out.join('\r\n')}\r\n`, 'utf8');
}

/** An XLSX workbook with one sheet 업무분장: the header row (frozen), then one row per official of a duty; all text. */
export async function directoryToXlsx(rows: readonly DirectoryExportRow[], createdAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OneCall';
  wb.created = createdAt;
  const ws = wb.addWorksheet('업무분장', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = DIRECTORY_COLUMNS.map((c) => ({ key: c.key, width: c.width, style: { numFmt: '@' } }));
  const header = ws.addRow(DIRECTORY_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  for (const row of rows) ws.addRow(DIRECTORY_COLUMNS.map((c) => neutraliseFormula(row[c.key])));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
