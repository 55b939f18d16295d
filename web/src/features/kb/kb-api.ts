import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { KbFeedbackInput, KbSearchGap, KbSearchResult } from '../../../../core/contracts/kb';
import { api } from '../../api/client';

/** The search dictionary and the learning of the KB search (issue #13). */
export type SynonymEntry = { id: string; term: string; expansions: string[]; note?: string | null; updatedAt: string };
export type SynonymBody = { term: string; expansions: string[]; note?: string | null };

export const kbAdminKeys = {
  synonyms: ['kb', 'synonyms'] as const,
  gaps: ['kb', 'search-gaps'] as const,
};

/** Records what the agent did after a search; failures are ignored (it must never disturb the call). */
export function sendSearchFeedback(input: KbFeedbackInput): void {
  api<null>('/api/kb/feedback', { method: 'POST', body: input }).catch(() => undefined);
}

export function useRecordMissing() {
  return useMutation({ mutationFn: (query: string) => api<null>('/api/kb/feedback', { method: 'POST', body: { kind: 'missing', query } }) });
}

export function useSynonyms() {
  return useQuery({ queryKey: kbAdminKeys.synonyms, queryFn: () => api<{ synonyms: SynonymEntry[] }>('/api/kb/synonyms') });
}

export function useSaveSynonym() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: SynonymBody }) =>
      api<{ synonyms: SynonymEntry[] }>(id ? `/api/kb/synonyms/${id}` : '/api/kb/synonyms', { method: id ? 'PUT' : 'POST', body }),
    onSuccess: (data) => {
      client.setQueryData(kbAdminKeys.synonyms, data);
      void client.invalidateQueries({ queryKey: ['kb', 'search'] });
    },
  });
}

export function useDeleteSynonym() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ synonyms: SynonymEntry[] }>(`/api/kb/synonyms/${id}`, { method: 'DELETE' }),
    onSuccess: (data) => {
      client.setQueryData(kbAdminKeys.synonyms, data);
      void client.invalidateQueries({ queryKey: ['kb', 'search'] });
    },
  });
}

export function useImportSynonyms() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (synonyms: SynonymBody[]) => api<{ imported: number }>('/api/kb/synonyms/import', { method: 'POST', body: { synonyms } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['kb'] }),
  });
}

export function useSearchGaps() {
  return useQuery({ queryKey: kbAdminKeys.gaps, queryFn: () => api<{ gaps: KbSearchGap[] }>('/api/kb/search-gaps') });
}

/** Search-as-you-type; `exact` searches the words as typed (no typo correction). Previous hits stay while typing. */
export function useDeskSearch(q: string, exact: boolean) {
  return useQuery({
    queryKey: ['kb', 'search', q, exact] as const,
    queryFn: ({ signal }) =>
      api<KbSearchResult>(`/api/kb/search?${new URLSearchParams({ q, limit: '20', ...(exact ? { exact: 'true' } : {}) })}`, { signal }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
