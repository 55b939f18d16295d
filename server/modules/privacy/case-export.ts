import ExcelJS from 'exceljs';

/** One exported case, already masked (the export presenter masks before anything is written). */
export type ExportLine = {
  number: string;
  createdAt: string;
  categoryPath: string;
  summary: string;
  outcome: string;
  status: string;
  agentName: string;
  citizenName: string;
  callerNumber: string;
  departmentName: string;
  handOffStatus: string;
  dueAt: string;
};

export const EXPORT_COLUMNS: ReadonlyArray<{ key: keyof ExportLine; header: string; width: number }> = [
  { key: 'number', header: '접수번호', width: 17 },
  { key: 'createdAt', header: '접수일시', width: 18 },
  { key: 'categoryPath', header: '상담분류', width: 32 },
  { key: 'summary', header: '상담요지', width: 48 },
  { key: 'outcome', header: '처리결과', width: 10 },
  { key: 'status', header: '상태', width: 8 },
  { key: 'agentName', header: '상담사', width: 12 },
  { key: 'citizenName', header: '민원인', width: 10 },
  { key: 'callerNumber', header: '전화번호', width: 16 },
  { key: 'departmentName', header: '이관부서', width: 14 },
  { key: 'handOffStatus', header: '이관상태', width: 10 },
  { key: 'dueAt', header: '처리기한', width: 18 },
];

/** The line that marks every export with who made it, when and why (PI-OUT-3 watermark). */
export type ExportStamp = { userLogin: string; at: string; reason: string; createdAt: Date };
export const stampText = (s: ExportStamp) => `OneCall 개인정보 반출 · ${s.userLogin} · ${s.at} · 사유: ${s.reason}`;

/**
 * A spreadsheet cell that starts with = + - @ (or a tab/CR) is a formula to Excel (CSV injection, OWASP): such
 * text is prefixed with an apostrophe so it stays text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const csvCell = (value: string) => {
  const v = neutraliseFormula(value);
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
};

/** RFC 4180 CSV with a UTF-8 BOM (Excel opens Korean text correctly), header row first. */
export function casesToCsv(lines: readonly ExportLine[]): Buffer {
  const out = [EXPORT_COLUMNS.map((c) => csvCell(c.header)).join(',')];
  for (const line of lines) out.push(EXPORT_COLUMNS.map((c) => csvCell(line[c.key])).join(','));
  return Buffer.from(`\uFEFF${out.join('\r\n')}\r\n`, 'utf8');
}

/** An XLSX workbook: a stamp row (who, when, why), the header, the cases; the stamp also in every page's header. */
export async function casesToXlsx(lines: readonly ExportLine[], stamp: ExportStamp): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = `OneCall (${stamp.userLogin})`;
  wb.created = stamp.createdAt;
  const ws = wb.addWorksheet('상담이력', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = EXPORT_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  const text = stampText(stamp);
  ws.headerFooter.oddHeader = `&L&8${text.replaceAll('&', '&&')}`;
  ws.headerFooter.oddFooter = '&R&8&P / &N';
  const stampRow = ws.addRow([text]);
  ws.mergeCells(1, 1, 1, EXPORT_COLUMNS.length);
  stampRow.font = { italic: true, size: 9, color: { argb: 'FF777777' } };
  const header = ws.addRow(EXPORT_COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  for (const line of lines) ws.addRow(EXPORT_COLUMNS.map((c) => neutraliseFormula(line[c.key])));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
