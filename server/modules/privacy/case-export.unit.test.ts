import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { casesToCsv, casesToXlsx, neutraliseFormula, type ExportLine } from './case-export';

const line = (over: Partial<ExportLine> = {}): ExportLine => ({
  number: '20261127-00001',
  createdAt: '2026-11-27 10:00',
  categoryPath: '세무 > 자동차세',
  summary: '연납 문의',
  outcome: '상담 완료',
  status: '종결',
  agentName: '이하은',
  citizenName: '홍*동',
  callerNumber: '010-****-5432',
  departmentName: '',
  handOffStatus: '',
  dueAt: '',
  ...over,
});

describe('case exports', () => {
  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+82 10', `'+82 10`],
    ['-1', `'-1`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['정상 요약', '정상 요약'],
  ])('a cell that Excel would run as a formula stays text: %s', (input, out) => expect(neutraliseFormula(input)).toBe(out));

  it('writes RFC 4180 CSV with a BOM, quoting commas, quotes and line breaks', () => {
    const csv = casesToCsv([line({ summary: '누수, "급함"\n재신고' })]).toString('utf8');
    expect(csv.startsWith('\uFEFF접수번호,접수일시,')).toBe(true);
    expect(csv).toContain('"누수, ""급함""\n재신고"');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(3);
  });

  it('writes an XLSX with the stamp (who, when, why) above the header and in the page header', async () => {
    const buf = await casesToXlsx([line({ summary: '=1+1' })], { userLogin: 'super01', at: '2026-11-27 10:00 KST', reason: '통계·보고: 월간', createdAt: new Date('2026-11-27T01:00:00Z') });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toBe('OneCall 개인정보 반출 · super01 · 2026-11-27 10:00 KST · 사유: 통계·보고: 월간');
    expect(ws.headerFooter.oddHeader).toContain('super01');
    expect(ws.getCell('A2').value).toBe('접수번호');
    expect(ws.getCell('D3').value).toBe("'=1+1");
    expect(ws.getCell('I3').value).toBe('010-****-5432');
  });
});
