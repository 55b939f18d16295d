import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CallbackTask,
  DeliveryStatus,
  NotificationTemplate,
  OutboxListQuery,
  OutboxMessage,
  ReplyPreference,
  ReplyPreferenceBody,
  UpdateTemplateBody,
} from '../../../../core/contracts/notifications';
import { api } from '../../api/client';

/** Queries and mutations of the citizen's reply (issue #11 §4). */
export const notifyKeys = {
  delivery: (caseId: string) => ['notify', 'delivery', caseId] as const,
  callbackTasks: ['notify', 'callback-tasks'] as const,
  currentCallback: ['notify', 'current-callback'] as const,
  templates: ['notify', 'templates'] as const,
  outbox: (status: OutboxListQuery['status']) => ['notify', 'outbox', status] as const,
};

export function useDelivery(caseId: string) {
  return useQuery({ queryKey: notifyKeys.delivery(caseId), queryFn: () => api<DeliveryStatus>(`/api/cases/${caseId}/delivery`) });
}

export function useSetReplyPreference(caseId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ReplyPreferenceBody) => api<ReplyPreference>(`/api/cases/${caseId}/reply-preference`, { method: 'PUT', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: notifyKeys.delivery(caseId) }),
  });
}

export function useCallbackTasks() {
  return useQuery({ queryKey: notifyKeys.callbackTasks, queryFn: () => api<{ items: CallbackTask[] }>('/api/callback-tasks'), refetchInterval: 30_000 });
}

export function useCompleteCallback() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<CallbackTask>(`/api/callback-tasks/${id}/done`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: ['notify'] }),
  });
}

/** The callback task of the call the agent holds now (only asked while that call is an outbound callback). */
export function useCurrentCallback(contactId: string | null) {
  return useQuery({
    queryKey: [...notifyKeys.currentCallback, contactId] as const,
    queryFn: () => api<{ task: CallbackTask | null }>('/api/callback-tasks/current'),
    enabled: contactId !== null,
  });
}

export function useReportCallback() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, outcome }: { id: string; outcome: 'told' | 'not_reached' }) =>
      api<CallbackTask>(`/api/callback-tasks/${id}/${outcome === 'told' ? 'done' : 'not-reached'}`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: notifyKeys.callbackTasks }),
  });
}

export function useTemplates() {
  return useQuery({ queryKey: notifyKeys.templates, queryFn: () => api<{ items: NotificationTemplate[] }>('/api/admin/notification-templates') });
}

export function useSaveTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ key, body }: { key: NotificationTemplate['key']; body: UpdateTemplateBody }) =>
      api<NotificationTemplate>(`/api/admin/notification-templates/${key}`, { method: 'PUT', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: notifyKeys.templates }),
  });
}

export function useOutbox(status: OutboxListQuery['status']) {
  return useQuery({ queryKey: notifyKeys.outbox(status), queryFn: () => api<{ items: OutboxMessage[] }>(`/api/admin/outbox?status=${status}`), refetchInterval: 30_000 });
}

export function useRetryMessage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<OutboxMessage>(`/api/admin/outbox/${id}/retry`, { method: 'POST' }),
    onSettled: () => client.invalidateQueries({ queryKey: ['notify', 'outbox'] }),
  });
}
