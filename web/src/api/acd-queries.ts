import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AcdAnsweredSchema,
  AgentDeskState,
  AgentSkills,
  AgentStateChangeBody,
  BusinessHours,
  ClosedDay,
  Queue,
  QueueInput,
  SimulateIncomingCallBody,
  SimulatedCallResult,
  TransferBody,
  WallboardSnapshot,
} from '../../../core/contracts/acd';
import type { z } from 'zod';
import { api } from './client';

export type AcdAnswered = z.infer<typeof AcdAnsweredSchema>;

/** Query keys of the ACD; the realtime socket writes into the same keys. */
export const acdKeys = {
  me: ['acd', 'me'] as const,
  wallboard: ['acd', 'wallboard'] as const,
  queues: ['acd', 'queues'] as const,
  skills: (agentId: string) => ['acd', 'skills', agentId] as const,
  hours: ['acd', 'business-hours'] as const,
  closedDays: ['acd', 'closed-days'] as const,
};

const enc = encodeURIComponent;

/** The agent's own ACD state (GET /api/acd/me), kept current by `agent.state` messages of the socket. */
export function useDeskState(enabled = true) {
  return useQuery({ queryKey: acdKeys.me, queryFn: () => api<AgentDeskState>('/api/acd/me'), enabled, staleTime: Infinity });
}

/** A desk action that answers with the new desk state: written to the cache at once (the socket confirms it). */
function useDeskAction<TVars>(fn: (vars: TVars) => Promise<AgentDeskState>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: (state) => client.setQueryData(acdKeys.me, state) });
}

export function useSetAgentState() {
  return useDeskAction((body: AgentStateChangeBody) => api<AgentDeskState>('/api/acd/agent/state', { body }));
}

export function useWrapUp() {
  return useDeskAction((action: 'end' | 'extend') => api<AgentDeskState>(`/api/acd/agent/wrap-up/${action}`, { method: 'POST' }));
}

export type ContactAction = 'reject' | 'hold' | 'resume' | 'end' | 'transfer/complete' | 'transfer/cancel';

export function useContactAction() {
  return useDeskAction(({ contactId, action }: { contactId: string; action: ContactAction }) =>
    api<AgentDeskState>(`/api/acd/contacts/${enc(contactId)}/${action}`, { method: 'POST' }),
  );
}

export function useTransfer() {
  return useDeskAction(({ contactId, body }: { contactId: string; body: TransferBody }) =>
    api<AgentDeskState>(`/api/acd/contacts/${enc(contactId)}/transfer`, { body }),
  );
}

export function useAnswerOffer() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (contactId: string) => api<AcdAnswered>(`/api/acd/contacts/${enc(contactId)}/answer`, { method: 'POST' }),
    // The answer carries no desk state: ask for it (the socket's agent.state usually arrives first anyway).
    onSuccess: () => void client.invalidateQueries({ queryKey: acdKeys.me }),
  });
}

export function useSimulateAcdCall() {
  return useMutation({
    mutationFn: (body: Partial<SimulateIncomingCallBody> & { callerNumber: string }) => api<SimulatedCallResult>('/api/acd/simulate-call', { body }),
  });
}

/** The wallboard: fetched once, then kept current by the socket's `wallboard` snapshots. */
export function useWallboard() {
  return useQuery({ queryKey: acdKeys.wallboard, queryFn: () => api<WallboardSnapshot>('/api/acd/wallboard'), staleTime: Infinity });
}

// Admin

export function useQueues() {
  return useQuery({ queryKey: acdKeys.queues, queryFn: () => api<Queue[]>('/api/acd/queues') });
}

export function useSaveQueue() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: QueueInput }) =>
      id ? api<Queue>(`/api/acd/queues/${enc(id)}`, { method: 'PUT', body }) : api<Queue>('/api/acd/queues', { body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: acdKeys.queues }),
  });
}

export function useAgentSkills(agentId: string | null) {
  return useQuery({
    queryKey: acdKeys.skills(agentId ?? ''),
    queryFn: () => api<AgentSkills>(`/api/acd/agents/${enc(agentId ?? '')}/skills`),
    enabled: agentId !== null,
  });
}

export function useSaveAgentSkills() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ agentId, skills }: AgentSkills) => api<AgentSkills>(`/api/acd/agents/${enc(agentId)}/skills`, { method: 'PUT', body: { skills } }),
    onSuccess: (saved) => client.setQueryData(acdKeys.skills(saved.agentId), saved),
  });
}

export function useBusinessHours() {
  return useQuery({ queryKey: acdKeys.hours, queryFn: () => api<BusinessHours>('/api/acd/business-hours') });
}

export function useSaveBusinessHours() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: BusinessHours) => api<BusinessHours>('/api/acd/business-hours', { method: 'PUT', body }),
    onSuccess: (saved) => client.setQueryData(acdKeys.hours, saved),
  });
}

export function useClosedDays() {
  return useQuery({ queryKey: acdKeys.closedDays, queryFn: () => api<ClosedDay[]>('/api/acd/closed-days') });
}

export function useAddClosedDay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ClosedDay) => api<ClosedDay>('/api/acd/closed-days', { body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: acdKeys.closedDays }),
  });
}

export function useRemoveClosedDay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (day: string) => api<void>(`/api/acd/closed-days/${enc(day)}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: acdKeys.closedDays }),
  });
}
