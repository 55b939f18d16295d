import type { StaffingWhatIf } from '../../../core/contracts/staffing';
import type { StatsExport, StatsTable } from '../statistics/statistics.export';

type Column = StatsTable['columns'][number];
const col = (header: string, kind: Column['kind']): Column => ({ header, kind });
const WEEKDAYS = ['월', '화', '수', '목', '금', '토', '일'];
const percent = (v: number) => `${Math.round(v * 1000) / 10}%`;

/**
 * 인력 산정 as a file (the statistics' CSV/XLSX writer, Korean headers): the half hours with calls or agents needed,
 * Monday first, with the plan and the what-if; the conditions in the title line.
 */
export function staffingExport(r: StaffingWhatIf): StatsExport {
  const t = r.targets;
  const conditions = `목표 ${percent(t.targetServiceLevel)} / ${t.targetAnswerSeconds}초 · 비가동률 ${percent(t.shrinkage)} · 가정 배치 ${r.agents}명`;
  const rows = r.intervals
    .filter((i) => i.offered > 0 || i.required.scheduledAgents > 0)
    .map((i) => [
      WEEKDAYS[i.weekday - 1] ?? '',
      `${i.start}–${i.end}`,
      Math.round(i.offered * 10) / 10,
      i.ahtSeconds,
      Math.round(i.trafficErlangs * 100) / 100,
      i.required.agentsOnPhones,
      i.required.scheduledAgents,
      i.whatIf.scheduledAgents,
      i.whatIf.serviceLevel,
      i.whatIf.asaSeconds,
      i.whatIf.occupancy,
    ]);
  return {
    report: 'staffing',
    name: '인력 산정',
    period: `${r.window.fromDay} ~ ${r.window.toDay} (${r.window.weeks}주) · ${conditions}`,
    days: `${r.window.fromDay}_${r.window.toDay}`,
    tables: [
      {
        title: '시간대별 산정',
        columns: [
          col('요일', 'text'),
          col('시간대', 'text'),
          col('평균 인입', 'seconds'),
          col('평균 처리 시간(초)', 'seconds'),
          col('업무량(Erl)', 'seconds'),
          col('통화 인원', 'int'),
          col('배치 인원', 'int'),
          col('가정 배치 인원', 'int'),
          col('예상 서비스 수준(%)', 'rate'),
          col('예상 응답 대기(초)', 'seconds'),
          col('점유율(%)', 'rate'),
        ],
        rows,
      },
    ],
  };
}
