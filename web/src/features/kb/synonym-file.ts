/*
 * The search dictionary as a file (issue #13: import/export with the KB). JSON like the KB import
 * ({ "synonyms": [{ "term", "expansions": [..], "note" }] } or a bare array), or CSV with the columns
 * term,expansions,note where expansions are separated by "|" (쓰레기봉투,종량제봉투|종량제 봉투,). Pure: the page reads
 * and writes the files; the server validates every entry again.
 */

export type SynonymRow = { term: string; expansions: string[]; note?: string | null };

/** A file that could not be read, with the line (CSV) or entry (JSON, 1-based) at fault. */
export class SynonymFileError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const HEADER = ['term', 'expansions', 'note'];

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV with a header line, one entry per line. */
export function synonymsToCsv(rows: readonly SynonymRow[]): string {
  const lines = [HEADER.join(','), ...rows.map((r) => [r.term, r.expansions.join('|'), r.note ?? ''].map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** JSON in the import's shape. */
export function synonymsToJson(rows: readonly SynonymRow[]): string {
  return `${JSON.stringify({ synonyms: rows.map((r) => ({ term: r.term, expansions: r.expansions, note: r.note ?? null })) }, null, 2)}\n`;
}

/** Splits CSV text into records of cells (RFC 4180 quotes; CRLF or LF), with the line each record starts on. */
function parseCsv(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let isQuoted = false;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (isQuoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') isQuoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"') isQuoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((c) => c.trim() !== '')) out.push({ line: startLine, cells });
      cells = [];
      cell = '';
      line++;
      startLine = line;
    } else cell += ch;
  }
  cells.push(cell);
  if (cells.some((c) => c.trim() !== '')) out.push({ line: startLine, cells });
  return out;
}

/** Reads a dictionary file (JSON or CSV, told apart by its first character). Throws SynonymFileError. */
export function parseSynonymFile(text: string): SynonymRow[] {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('{') || body.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw new SynonymFileError('JSON 형식이 올바르지 않습니다.', 0);
    }
    const list = Array.isArray(value) ? value : (value as { synonyms?: unknown }).synonyms;
    if (!Array.isArray(list)) throw new SynonymFileError('"synonyms" 목록이 없습니다.', 0);
    return list.map((item: unknown, i) => {
      const e = item as { term?: unknown; expansions?: unknown; note?: unknown };
      const expansions = Array.isArray(e.expansions) ? e.expansions.filter((x): x is string => typeof x === 'string') : [];
      if (typeof e.term !== 'string' || expansions.length === 0) throw new SynonymFileError('term과 expansions가 필요합니다.', i + 1);
      return { term: e.term.trim(), expansions: expansions.map((x) => x.trim()).filter(Boolean), note: typeof e.note === 'string' ? e.note : null };
    });
  }
  const records = parseCsv(body);
  const header = records[0]?.cells.map((c) => c.trim().toLowerCase());
  if (!header || header[0] !== 'term' || header[1] !== 'expansions') throw new SynonymFileError('첫 줄은 term,expansions,note 이어야 합니다.', 1);
  return records.slice(1).map(({ line, cells }) => {
    const term = (cells[0] ?? '').trim();
    const expansions = (cells[1] ?? '').split('|').map((x) => x.trim()).filter(Boolean);
    if (term === '' || expansions.length === 0) throw new SynonymFileError('term과 expansions가 필요합니다.', line);
    const note = (cells[2] ?? '').trim();
    return { term, expansions, note: note === '' ? null : note };
  });
}
