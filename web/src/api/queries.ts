import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isSignInStep, type LoginAnswer, type LoginBody, type Me } from '../../../core/contracts/auth';
import type { CallConnected, Interaction } from '../../../core/contracts/calls';
import type { CaseDetail, CaseSummary, RecordCaseBody, RecordCaseResult } from '../../../core/contracts/cases';
import type { HandOffCounts, HandOffItem, HandOffListQuery } from '../../../core/contracts/handoffs';
import type { Article, KbSearchResult } from '../../../core/contracts/kb';
import type { Category, Department } from '../../../core/contracts/org';
import { api, ApiError } from './client';

/** Query keys in one place so that mutations invalidate exactly what they change. */
export const keys = {
  me: ['me'] as const,
  departments: ['departments'] as const,
  categories: ['categories'] as const,
  kbSearch: (q: string) => ['kb', 'search', q] as const,
  article: (id: string) => ['kb', 'article', id] as const,
  caseDetail: (id: string) => ['cases', id] as const,
  cases: (limit: number) => ['cases', 'list', limit] as const,
  handOffs: (status: HandOffListQuery['status']) => ['handoffs', 'list', status] as const,
  handOff: (id: string) => ['handoffs', id] as const,
  handOffCounts: ['handoffs', 'counts'] as const,
};

/** The signed-in user, or null when signed out (401 is an answer here, not an error). */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api<Me>('/api/auth/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    // The answer is the user (signed in) or a second step (TOTP code or first enrolment): see features/auth.
    mutationFn: (body: LoginBody) => api<LoginAnswer>('/api/auth/login', { body }),
    onSuccess: (answer) => {
      if (isSignInStep(answer)) return;
      client.clear();
      client.setQueryData(keys.me, answer);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      client.clear();
      client.setQueryData(keys.me, null);
    },
  });
}

export function useDepartments() {
  return useQuery({ queryKey: keys.departments, queryFn: () => api<Department[]>('/api/departments'), staleTime: 10 * 60_000 });
}

export function useCategories() {
  return useQuery({ queryKey: keys.categories, queryFn: () => api<Category[]>('/api/categories'), staleTime: 10 * 60_000 });
}

/** Search-as-you-type: the previous hits stay on screen while the next query runs. */
export function useKbSearch(q: string) {
  return useQuery({
    queryKey: keys.kbSearch(q),
    queryFn: ({ signal }) => api<KbSearchResult>(`/api/kb/search?${new URLSearchParams({ q, limit: '20' })}`, { signal }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function useArticle(id: string | null) {
  return useQuery({
    queryKey: keys.article(id ?? ''),
    queryFn: () => api<Article>(`/api/kb/articles/${encodeURIComponent(id ?? '')}`),
    enabled: id !== null,
    staleTime: 5 * 60_000,
  });
}

/** A case with its timeline; `reason`: the need-to-know reason for a citizen the viewer never served (NEED_TO_KNOW). */
export function useCaseDetail(id: string | null, reason: string | null = null) {
  return useQuery({
    queryKey: [...keys.caseDetail(id ?? ''), reason ?? ''],
    queryFn: () => api<CaseDetail>(`/api/cases/${encodeURIComponent(id ?? '')}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`),
    enabled: id !== null,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function useRecentCases(limit: number) {
  return useQuery({
    queryKey: keys.cases(limit),
    queryFn: () => api<{ items: CaseSummary[] }>(`/api/cases?limit=${limit}`),
    refetchInterval: 30_000,
  });
}

/**
 * The hand-off list. `assigned: 'me'`: only the official's duties and his own (나에게 배정). `isLive`: the socket is
 * open and brings 'handoffs.changed' (the inbox reloads on it), so polling is only a slow fallback (issue #11 §3).
 */
export function useHandOffs(status: HandOffListQuery['status'], options: { assigned?: 'me'; isLive?: boolean } = {}, limit = 200) {
  const params = new URLSearchParams({ status, limit: String(limit), ...(options.assigned ? { assigned: options.assigned } : {}) });
  return useQuery({
    queryKey: [...keys.handOffs(status), options.assigned ?? 'department'],
    queryFn: () => api<{ items: HandOffItem[] }>(`/api/handoffs?${params}`),
    refetchInterval: options.isLive ? 300_000 : 30_000,
  });
}

/** Open, overdue and due-today hand-offs counted on the server (the 운영 현황 tiles; a list stops at its limit). */
export function useHandOffCounts() {
  return useQuery({
    queryKey: keys.handOffCounts,
    queryFn: () => api<HandOffCounts>('/api/handoffs/counts'),
    refetchInterval: 30_000,
  });
}

export function useHandOff(id: string | null) {
  return useQuery({
    queryKey: keys.handOff(id ?? ''),
    queryFn: () => api<HandOffItem>(`/api/handoffs/${encodeURIComponent(id ?? '')}`),
    enabled: id !== null,
  });
}

export function useSimulateCall() {
  return useMutation({
    mutationFn: (callerNumber: string) => api<CallConnected>('/api/calls/simulate', { body: { callerNumber } }),
  });
}

export function useEndCall() {
  return useMutation({
    mutationFn: (interactionId: string) => api<Interaction>(`/api/calls/${encodeURIComponent(interactionId)}/end`, { method: 'POST' }),
  });
}

export function useRecordCase() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RecordCaseBody) => api<RecordCaseResult>('/api/cases', { body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['cases'] });
      void client.invalidateQueries({ queryKey: ['handoffs'] });
    },
  });
}

function useHandOffAction<TVars>(fn: (vars: TVars) => Promise<HandOffItem>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (item) => {
      client.setQueryData(keys.handOff(item.id), item);
      void client.invalidateQueries({ queryKey: ['handoffs', 'list'] });
      void client.invalidateQueries({ queryKey: keys.caseDetail(item.caseId) });
    },
  });
}

export function useAcknowledgeHandOff() {
  return useHandOffAction((id: string) => api<HandOffItem>(`/api/handoffs/${encodeURIComponent(id)}/acknowledge`, { method: 'POST' }));
}

export function useAnswerHandOff() {
  return useHandOffAction(({ id, answer }: { id: string; answer: string }) =>
    api<HandOffItem>(`/api/handoffs/${encodeURIComponent(id)}/answer`, { body: { answer } }),
  );
}
