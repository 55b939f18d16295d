import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DelegateHandOffBody,
  ExtendHandOffBody,
  HandOffItem,
  HandOffNoticeList,
  HandOffOfficial,
  OverdueByDepartment,
  RerouteHandOffBody,
  ReturnHandOffBody,
} from '../../../../core/contracts/handoffs';
import { api } from '../../api/client';
import { keys } from '../../api/queries';

/** The lifecycle's own query keys (under 'handoffs', so an inbox reload refreshes them too). */
export const lifeKeys = {
  officials: (departmentId: string | null) => ['handoffs', 'officials', departmentId] as const,
  overdue: ['handoffs', 'overdue'] as const,
  notices: ['handoffs', 'notices'] as const,
};

function useLifecycleAction<TVars>(fn: (vars: TVars) => Promise<HandOffItem>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (item) => {
      client.setQueryData(keys.handOff(item.id), item);
      void client.invalidateQueries({ queryKey: ['handoffs'] });
      void client.invalidateQueries({ queryKey: keys.caseDetail(item.caseId) });
    },
  });
}

const path = (id: string, action: string) => `/api/handoffs/${encodeURIComponent(id)}/${action}`;

export const useReturnHandOff = () => useLifecycleAction(({ id, ...body }: ReturnHandOffBody & { id: string }) => api<HandOffItem>(path(id, 'return'), { body }));
export const useRerouteHandOff = () => useLifecycleAction(({ id, ...body }: RerouteHandOffBody & { id: string }) => api<HandOffItem>(path(id, 'reroute'), { body }));
export const useExtendHandOff = () => useLifecycleAction(({ id, ...body }: ExtendHandOffBody & { id: string }) => api<HandOffItem>(path(id, 'extend'), { body }));
export const useDelegateHandOff = () => useLifecycleAction(({ id, ...body }: DelegateHandOffBody & { id: string }) => api<HandOffItem>(path(id, 'delegate'), { body }));

/** Officials of a department (an official's own when departmentId is null). */
export function useHandOffOfficials(departmentId: string | null, enabled = true) {
  return useQuery({
    queryKey: lifeKeys.officials(departmentId),
    queryFn: async () => (await api<{ items: HandOffOfficial[] }>(`/api/handoffs/officials${departmentId ? `?departmentId=${encodeURIComponent(departmentId)}` : ''}`)).items,
    enabled,
  });
}

export function useOverdueByDepartment() {
  return useQuery({ queryKey: lifeKeys.overdue, queryFn: () => api<OverdueByDepartment>('/api/handoffs/overdue'), refetchInterval: 60_000 });
}

/** The official's notices; reloaded with the inbox when the socket says 'handoffs.changed', and every minute. */
export function useHandOffNotices(enabled: boolean) {
  return useQuery({ queryKey: lifeKeys.notices, queryFn: () => api<HandOffNoticeList>('/api/handoffs/notices'), enabled, refetchInterval: 60_000 });
}

export function useReadNotices() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => api<HandOffNoticeList>('/api/handoffs/notices/read', { body: { ids } }),
    onSuccess: (list) => client.setQueryData(lifeKeys.notices, list),
  });
}
