import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { StaffingWhatIf } from '../../../../core/contracts/staffing';
import { api, ApiError } from '../../api/client';

/** The screen's inputs as they stand in the URL (strings as typed, so a shared link shows exactly what was asked). */
export type StaffingParams = {
  date: string;
  weeks: string;
  targetSl: string;
  targetSeconds: string;
  shrinkage: string;
  agents: string;
};

/** The city's defaults (core/domain/staffing.ts) and the seed centre's 12 agents for the what-if. */
export const STAFFING_PARAM_DEFAULTS: StaffingParams = { date: '', weeks: '4', targetSl: '80', targetSeconds: '20', shrinkage: '30', agents: '12' };

const NAMES = Object.keys(STAFFING_PARAM_DEFAULTS) as (keyof StaffingParams)[];

/** The inputs from the URL's query, defaults for what it leaves out. */
export function paramsFromSearch(search: URLSearchParams): StaffingParams {
  const out = { ...STAFFING_PARAM_DEFAULTS };
  for (const name of NAMES) {
    const v = search.get(name);
    if (v !== null) out[name] = v.trim();
  }
  return out;
}

/** The query string of the API call: empty values are left to the server's defaults (date: today in KST). */
export function apiQuery(p: StaffingParams): string {
  const q = new URLSearchParams();
  for (const name of NAMES) if (p[name] !== '') q.set(name, p[name]);
  return q.toString();
}

/** GET /api/staffing/what-if: the plan and what the what-if agents would achieve, per half hour of the week. */
export function useStaffing(p: StaffingParams) {
  const query = apiQuery(p);
  return useQuery({
    queryKey: ['staffing', query],
    queryFn: ({ signal }) => api<StaffingWhatIf>(`/api/staffing/what-if?${query}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}

/** The inputs a 400 VALIDATION_FAILED names (zod's `fields`, or the service's `field`), to mark them on the form. */
export function invalidFields(err: unknown): Set<string> {
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') return new Set();
  const d = (err.details ?? {}) as { fields?: unknown; field?: unknown };
  const names = Array.isArray(d.fields) ? d.fields.filter((f): f is string => typeof f === 'string') : [];
  if (typeof d.field === 'string') names.push(d.field);
  return new Set(names);
}
