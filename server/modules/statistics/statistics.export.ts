import ExcelJS from 'exceljs';
import { z } from 'zod';
import type {
  ByAgentReport,
  ByDepartmentReport,
  ByPeriodReport,
  ByTaskReport,
  HeadlineReport,
  ServiceReport,
  StatsPeriod,
  StatsTotals,
} from '../../../core/contracts/statistics';
import { neutraliseFormula } from '../privacy/case-export';

/**
 * Export of the statistics (issue #12 §2): every report as CSV (UTF-8 with a BOM, so Excel opens Korean) or XLSX
 * (exceljs), Korean headers. A report becomes one or more tables; CSV writes them one after another under their
 * title, XLSX one sheet each. Rates are fractions in XLSX (shown as 0.0 %) and percentages in CSV (headers say "(%)").
 */
export const StatsExportFormatSchema = z.enum(['csv', 'xlsx']);
export type StatsExportFormat = z.infer<typeof StatsExportFormatSchema>;

/** How a column's values are written. */
type Kind = 'text' | 'int' | 'rate' | 'seconds' | 'hours';
type Column = { header: string; kind: Kind; width?: number };
type Cell = string | number | null;
/** One table of an export: a sheet in XLSX, a titled block in CSV. */
export type StatsTable = { title: string; columns: Column[]; rows: Cell[][] };
/** A report ready to be written: its name (업무별 …), its period line and its tables. */
export type StatsExport = { report: string; name: string; period: string; days: string; tables: StatsTable[] };

const LEVEL = ['', '분야', '업무', '세부'];
const WEEKDAYS = ['월', '화', '수', '목', '금', '토', '일'];
/** 이석 사유 (core/contracts/acd.ts NotReadyReasonSchema) in the centre's words. */
const NOT_READY: Record<string, string> = {
  login: '로그인 직후',
  break: '휴식',
  meal: '식사',
  training: '교육',
  meeting: '회의',
  admin: '기타',
  end_of_shift: '근무 종료',
  missed: '미응답 자동 이석',
  device: '전화기 연결 끊김',
  after_recovery: '회복 휴식 후',
};

const col = (header: string, kind: Kind, width?: number): Column => (width ? { header, kind, width } : { header, kind });
const periodText = (p: StatsPeriod) => (p.fromDay === p.toDay ? p.fromDay : `${p.fromDay} ~ ${p.toDay}`);
/** The period in a file name. */
const daysOf = (p: StatsPeriod) => (p.fromDay === p.toDay ? p.fromDay : `${p.fromDay}_${p.toDay}`);

const TOTALS_COLUMNS: Column[] = [
  col('인입', 'int'),
  col('응답', 'int'),
  col('처리', 'int'),
  col('서비스레벨(%)', 'rate'),
  col('포기율(%)', 'rate'),
  col('평균 응답 대기(초)', 'seconds'),
  col('평균 처리 시간(초)', 'seconds'),
  col('직접처리율(%)', 'rate'),
];
const totalsCells = (t: StatsTotals): Cell[] => [t.offered, t.answered, t.handled, t.serviceLevel, t.abandonmentRate, t.asaSeconds, t.ahtSeconds, t.directResolutionRate];

/** 업무별: the rows of the level asked for (and 미분류 at the top level), then the top-N topics. */
export function byTaskExport(r: ByTaskReport): StatsExport {
  const rows: Cell[][] = r.rows.map((x) => [x.code, x.name, LEVEL[x.level] ?? String(x.level), x.contacts, x.resolvedRate, x.handedOnRate, x.ahtSeconds, x.previousContacts, x.change]);
  if (!r.parent && r.unclassified > 0) rows.push(['', '미분류(상담 결과 미기록)', '', r.unclassified, null, null, null, null, null]);
  return {
    report: 'by-task',
    days: daysOf(r.period),
    name: r.parent ? `업무별 통계 - ${r.parent.name}` : '업무별 통계',
    period: `${periodText(r.period)} (이전 기간 ${periodText(r.previous)})`,
    tables: [
      {
        title: r.parent ? `업무별 - ${r.parent.name}` : '업무별',
        columns: [
          col('분류코드', 'text', 12),
          col('분류', 'text', 24),
          col('단계', 'text', 6),
          col('상담 건수', 'int'),
          col('직접처리율(%)', 'rate'),
          col('이관율(%)', 'rate'),
          col('평균 처리 시간(초)', 'seconds'),
          col('이전 기간 건수', 'int'),
          col('증감률(%)', 'rate'),
        ],
        rows,
      },
      {
        title: '상위 업무',
        columns: [col('순위', 'int', 6), col('분류 경로', 'text', 40), col('상담 건수', 'int')],
        rows: r.top.map((t, i) => [i + 1, t.path, t.contacts]),
      },
    ],
  };
}

/** 기간별: the period against the previous one and last year, the series, the weekday × hour heat map. */
export function byPeriodExport(r: ByPeriodReport): StatsExport {
  return {
    report: 'by-period',
    days: daysOf(r.period),
    name: '기간별 통계',
    period: periodText(r.period),
    tables: [
      {
        title: '기간 비교',
        columns: [col('구분', 'text', 12), col('기간', 'text', 24), ...TOTALS_COLUMNS],
        rows: [
          ['이번 기간', periodText(r.period), ...totalsCells(r.totals.current)],
          ['이전 기간', periodText(r.previous), ...totalsCells(r.totals.previous)],
          ['전년 동기', periodText(r.lastYear), ...totalsCells(r.totals.lastYear)],
        ],
      },
      {
        title: '추이',
        columns: [col('구간', 'text', 16), ...TOTALS_COLUMNS],
        rows: r.series.map((s) => [s.key, ...totalsCells(s.totals)]),
      },
      {
        title: '요일×시간 인입',
        columns: [col('요일', 'text', 6), ...Array.from({ length: 24 }, (_, h) => col(`${h}시`, 'int', 6))],
        rows: r.heatMap.map((row, d) => [WEEKDAYS[d] ?? String(d), ...row]),
      },
    ],
  };
}

/** 부서별: hand-offs on time, time to answer, returned, overdue now, warm transfers. */
export function byDepartmentExport(r: ByDepartmentReport): StatsExport {
  return {
    report: 'by-department',
    days: daysOf(r.period),
    name: '부서별 통계',
    period: `${periodText(r.period)} (기한 초과 기준 ${r.asOf})`,
    tables: [
      {
        title: '부서별',
        columns: [
          col('부서', 'text', 18),
          col('이관 접수', 'int'),
          col('접수 확인', 'int'),
          col('회신', 'int'),
          col('기한 도래', 'int'),
          col('기한 내 회신', 'int'),
          col('처리기한 준수율(%)', 'rate'),
          col('회신 소요 중앙값(시간)', 'hours'),
          col('회신 소요 90%(시간)', 'hours'),
          col('반송', 'int'),
          col('반송률(%)', 'rate'),
          col('현재 기한 초과', 'int'),
          col('3자통화 시도', 'int'),
          col('3자통화 연결', 'int'),
          col('이관 전환', 'int'),
          col('연결률(%)', 'rate'),
        ],
        rows: r.departments.map((d) => [
          d.name,
          d.received,
          d.acknowledged,
          d.answered,
          d.dueInPeriod,
          d.answeredOnTime,
          d.onTimeRate,
          d.medianHoursToAnswer,
          d.p90HoursToAnswer,
          d.returned,
          d.returnedRate,
          d.overdueNow,
          d.transfers.attempted,
          d.transfers.connected,
          d.transfers.fellBack,
          d.transfers.acceptedRate,
        ]),
      },
    ],
  };
}

/** 상담사별: contacts, AHT, ACW, 직접처리율, occupancy, not-ready time by reason (one column per reason seen). */
export function byAgentExport(r: ByAgentReport): StatsExport {
  const reasons = [...new Set(r.agents.flatMap((a) => Object.keys(a.notReadySeconds)))].sort();
  return {
    report: 'by-agent',
    days: daysOf(r.period),
    name: '상담사별 통계',
    period: periodText(r.period),
    tables: [
      {
        title: '상담사별',
        columns: [
          col('상담사', 'text', 14),
          col('상담 건수', 'int'),
          col('평균 처리 시간(초)', 'seconds'),
          col('평균 후처리(초)', 'seconds'),
          col('직접처리율(%)', 'rate'),
          col('점유율(%)', 'rate'),
          ...reasons.map((k) => col(`이석: ${NOT_READY[k] ?? k}(초)`, 'seconds')),
        ],
        rows: r.agents.map((a) => [a.name, a.contacts, a.ahtSeconds, a.averageAfterCallWorkSeconds, a.resolvedRate, a.occupancy, ...reasons.map((k) => a.notReadySeconds[k] ?? 0)]),
      },
    ],
  };
}

const ITEM_COLUMNS = [col('항목', 'text', 36), col('값', 'text', 16)];
const num = (v: number | null, digits = 0) => (v === null ? '' : v.toFixed(digits));
const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`);

/** 서비스 수준: one line per figure (standard, then every call counted), values as shown on the screen. */
export function serviceExport(r: ServiceReport): StatsExport {
  const t = r.serviceLevelSeconds;
  return {
    report: 'service',
    days: daysOf(r.period),
    name: '서비스 수준',
    period: periodText(r.period),
    tables: [
      {
        title: '서비스 수준',
        columns: ITEM_COLUMNS,
        rows: [
          ['인입', num(r.offered)],
          ['응답', num(r.answered)],
          [`${t}초 이내 응답`, num(r.answeredWithinTarget)],
          [`포기(${r.shortAbandonSeconds}초 이상 대기)`, num(r.abandoned)],
          [`짧은 포기(${r.shortAbandonSeconds}초 미만)`, num(r.shortAbandoned)],
          [`서비스레벨(${t}초)`, pct(r.serviceLevel)],
          ['응대율', pct(r.answerRate)],
          ['포기율', pct(r.abandonmentRate)],
          ['평균 응답 대기(초)', num(r.asaSeconds, 1)],
          ['콜백 요청', num(r.callbacks.requested)],
          ['콜백 완료', num(r.callbacks.answered)],
          ['콜백 미완료', num(r.callbacks.unanswered)],
          ['콜백 지연 중앙값(초)', num(r.callbacks.medianDelaySeconds, 0)],
          [`서비스레벨(${t}초, 콜백 포함)`, pct(r.allCalls.serviceLevel)],
          ['응대율(콜백 포함)', pct(r.allCalls.answerRate)],
          ['포기율(콜백 포함)', pct(r.allCalls.abandonmentRate)],
          ['평균 응답 대기(초, 콜백 포함)', num(r.allCalls.asaSeconds, 1)],
          ['업무시간 외 인입', num(r.afterHours)],
        ],
      },
    ],
  };
}

/** 핵심 지표: 직접처리율 against the target and first-contact resolution. */
export function headlineExport(r: HeadlineReport): StatsExport {
  return {
    report: 'headline',
    days: daysOf(r.period),
    name: '핵심 지표',
    period: periodText(r.period),
    tables: [
      {
        title: '핵심 지표',
        columns: ITEM_COLUMNS,
        rows: [
          ['처리 건수', num(r.handled)],
          ['직접처리 건수', num(r.resolved)],
          ['직접처리율', pct(r.directResolutionRate)],
          ['직접처리율 목표', pct(r.directResolutionTarget)],
          ['목표 달성', r.meetsTarget === null ? '' : r.meetsTarget ? '달성' : '미달'],
          [`1차 해결률(FCR, ${r.fcr.windowDays}일)`, pct(r.fcr.rate)],
          ['FCR 대상 건수', num(r.fcr.contacts)],
          ['재문의 없이 해결', num(r.fcr.resolvedWithoutRepeat)],
          ['민원인 미확인', num(r.fcr.unidentified)],
          ['FCR 확정 여부', r.fcr.isFinal ? '확정' : `잠정(기간 종료 후 ${r.fcr.windowDays}일 경과 전)`],
        ],
      },
    ],
  };
}

/** A value as CSV text: rates as percentages with one decimal, times with one decimal, integers as they are. */
function csvValue(v: Cell, kind: Kind): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (kind === 'rate') return (v * 100).toFixed(1);
  if (kind === 'seconds' || kind === 'hours') return (Math.round(v * 10) / 10).toString();
  return String(v);
}

const csvCell = (value: string) => {
  const v = neutraliseFormula(value);
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
};

/** RFC 4180 CSV with a UTF-8 BOM: the report's name and period, then each table under its title, a blank line between. */
export function statsToCsv(e: StatsExport): Buffer {
  const out = [csvCell(e.name), csvCell(`기간: ${e.period}`)];
  for (const t of e.tables) {
    out.push('', csvCell(t.title), t.columns.map((c) => csvCell(c.header)).join(','));
    for (const row of t.rows) out.push(row.map((v, i) => csvCell(csvValue(v, t.columns[i]?.kind ?? 'text'))).join(','));
  }
  return Buffer.from(`\uFEFF${out.join('\r\n')}\r\n`, 'utf8');
}

const NUM_FMT: Record<Kind, string | undefined> = { text: '@', int: '#,##0', rate: '0.0%', seconds: '#,##0.0', hours: '#,##0.0' };

/** An XLSX workbook: one sheet per table, a title row (report, period), the header (bold, frozen), the rows. */
export async function statsToXlsx(e: StatsExport, createdAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OneCall';
  wb.created = createdAt;
  for (const t of e.tables) {
    // Sheet names: at most 31 characters, none of : \ / ? * [ ].
    const ws = wb.addWorksheet(t.title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.columns = t.columns.map((c) => ({ width: c.width ?? Math.max(10, c.header.length * 2 + 2), style: { numFmt: NUM_FMT[c.kind] } }));
    const title = ws.addRow([`${e.name} · ${t.title} · ${e.period}`]);
    title.font = { bold: true, size: 12 };
    const header = ws.addRow(t.columns.map((c) => c.header));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: 'middle' };
    for (const row of t.rows) ws.addRow(row.map((v) => (typeof v === 'string' ? neutraliseFormula(v) : v)));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The file to send: its bytes, content type and names (ASCII fallback and the Korean one, RFC 6266 / 5987). */
export async function statsFile(e: StatsExport, format: StatsExportFormat, createdAt: Date): Promise<{ body: Buffer; contentType: string; disposition: string }> {
  const ascii = `onecall-stats-${e.report}-${e.days}.${format}`;
  const korean = `${e.name.replace(/[\\/:*?"<>|]/g, ' ')}_${e.days}.${format}`;
  const disposition = `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(korean)}`;
  if (format === 'csv') return { body: statsToCsv(e), contentType: 'text/csv; charset=utf-8', disposition };
  return { body: await statsToXlsx(e, createdAt), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', disposition };
}
