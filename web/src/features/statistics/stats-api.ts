import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { REQUEST_HEADER } from '../../../../core/contracts/common';
import type {
  ByAgentReport,
  ByDepartmentReport,
  ByPeriodReport,
  ByTaskReport,
  HeadlineReport,
  RisingReport,
  ServiceReport,
} from '../../../../core/contracts/statistics';
import type { ProtectionReport } from '../../../../core/contracts/protection';
import { api, ApiError } from '../../api/client';
import { reportQuery, type StatsFilters, type StatsReportName } from './stats-query';

type Reports = {
  'by-task': ByTaskReport;
  'by-period': ByPeriodReport;
  'by-department': ByDepartmentReport;
  'by-agent': ByAgentReport;
  service: ServiceReport;
  protection: ProtectionReport;
  headline: HeadlineReport;
};

/**
 * One report of /api/stats for the filters. The previous answer stays on screen while the next loads (no flashing
 * when the period changes); `enabled` is false while the filters have a problem the screen already shows.
 */
export function useStatsReport<R extends StatsReportName>(report: R, filters: StatsFilters, enabled = true) {
  const query = reportQuery(report, filters);
  return useQuery({
    queryKey: ['stats', report, query],
    queryFn: ({ signal }) => api<Reports[R]>(`/api/stats/${report}?${query}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** 급증 업무 (last hour against the same hour of the last 8 weeks), polled every 5 minutes for the supervisor. */
export function useRising(enabled: boolean) {
  return useQuery({
    queryKey: ['stats', 'rising'],
    queryFn: () => api<RisingReport>('/api/stats/rising'),
    enabled,
    refetchInterval: 5 * 60_000,
    staleTime: 60_000,
  });
}

/** Downloads a report as CSV or XLSX (a file: the body as a blob), named as the server says (Korean name first). */
export async function downloadStats(report: StatsReportName, filters: StatsFilters, format: 'csv' | 'xlsx'): Promise<void> {
  const res = await fetch(`/api/stats/${report}/export?${reportQuery(report, filters)}&format=${format}`, {
    credentials: 'same-origin',
    headers: { [REQUEST_HEADER]: '1' },
  });
  if (!res.ok) {
    const payload = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, payload?.error?.code ?? `HTTP_${res.status}`, payload?.error?.message ?? res.statusText);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const utf8 = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  const name = utf8 ? decodeURIComponent(utf8) : (/filename="([^"]+)"/.exec(disposition)?.[1] ?? `onecall-stats-${report}.${format}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
