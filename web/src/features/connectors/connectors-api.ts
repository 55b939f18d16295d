import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LookupAdmin, LookupOption, LookupResult, LookupRunBody, LookupSaveBody } from '../../../../core/contracts/connectors';
import type { CasePreview, CaseSettings, CaseSettingsBody, CaseStatus } from '../../../../core/contracts/case-system';
import { api } from '../../api/client';

export const connectorKeys = {
  desk: ['connectors', 'desk'] as const,
  admin: ['connectors', 'admin'] as const,
};

/** The look-ups this user may run, with their health (refreshed so a system that came back shows so). */
export function useDeskLookups(enabled: boolean) {
  return useQuery({
    queryKey: connectorKeys.desk,
    queryFn: () => api<LookupOption[]>('/api/connectors/lookups'),
    enabled,
    refetchInterval: enabled ? 15_000 : false,
  });
}

/** Runs one look-up; the result lives only in this mutation's state (nothing is stored). */
export function useRunLookup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: LookupRunBody }) =>
      api<LookupResult>(`/api/connectors/lookups/${encodeURIComponent(id)}/run`, { method: 'POST', body }),
    // A failure may have marked the system down: show it on the list at once.
    onSettled: () => void client.invalidateQueries({ queryKey: connectorKeys.desk }),
  });
}

export function useAdminLookups() {
  return useQuery({
    queryKey: connectorKeys.admin,
    queryFn: () => api<LookupAdmin[]>('/api/admin/connectors/lookups'),
  });
}

export function useSaveLookup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: LookupSaveBody }) =>
      api<LookupAdmin>(id ? `/api/admin/connectors/lookups/${encodeURIComponent(id)}` : '/api/admin/connectors/lookups', { method: id ? 'PUT' : 'POST', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['connectors'] }),
  });
}

export function useDeleteLookup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<null>(`/api/admin/connectors/lookups/${encodeURIComponent(id)}`, {
        method: 'DELETE',
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['connectors'] }),
  });
}

// ---- 민원처리시스템 연계 (issue #16 §1) ----

const caseKeys = { settings: ['connectors', 'case-system', 'settings'] as const, status: ['connectors', 'case-system', 'status'] as const };

export function useCaseSettings() {
  return useQuery({ queryKey: caseKeys.settings, queryFn: () => api<CaseSettings>('/api/admin/connectors/case-system') });
}

/** Health, queue and messages, refreshed while the screen is open. */
export function useCaseStatus() {
  return useQuery({ queryKey: caseKeys.status, queryFn: () => api<CaseStatus>('/api/admin/connectors/case-system/status'), refetchInterval: 5_000 });
}

export function useSaveCaseSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CaseSettingsBody) => api<CaseSettings>('/api/admin/connectors/case-system', { method: 'PUT', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['connectors', 'case-system'] }),
  });
}

export function usePreviewCaseMapping() {
  return useMutation({ mutationFn: (mapping: unknown) => api<CasePreview>('/api/admin/connectors/case-system/preview', { method: 'POST', body: { mapping } }) });
}

/** 다시 보내기 / 건너뛰기 of one message. */
export function useCaseMessageAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'retry' | 'skip' }) =>
      api<null>(`/api/admin/connectors/case-system/messages/${encodeURIComponent(id)}/${action}`, { method: 'POST' }),
    onSettled: () => void client.invalidateQueries({ queryKey: caseKeys.status }),
  });
}
