import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnswerValue, CallerConsent, ConsentBody, CurrentHappyCall, HappyCallList, HappyCallOutcome, HappyCallSheet } from '../../../../core/contracts/surveys';
import { api } from '../../api/client';

/** The desk's side of surveys (issue #15): happy calls owed now, and the caller's consent. */
const keys = {
  calls: ['surveys', 'happy-calls'] as const,
  current: (contactId: string | null) => ['surveys', 'happy-call-current', contactId ?? ''] as const,
  consent: (ref: CallerRef) => ['surveys', 'consent', ref.caseId ?? '', ref.interactionId ?? ''] as const,
};

/** The caller of a saved case or of the call under way. */
export type CallerRef = { caseId?: string; interactionId?: string };

const refQuery = (ref: CallerRef) => new URLSearchParams(ref.caseId ? { caseId: ref.caseId } : { interactionId: ref.interactionId ?? '' }).toString();

/** 만족도 조사 전화 owed now (count + the first 50); refreshed every 30 s while the desk is open. */
export function useHappyCalls() {
  return useQuery({ queryKey: keys.calls, queryFn: () => api<HappyCallList>('/api/surveys/calls'), refetchInterval: 30_000 });
}

/**
 * The questionnaire of the happy call the ACD gave this agent (`contactId`: the answered contact, null otherwise):
 * asked once per contact; 410 when the citizen withdrew consent meanwhile.
 */
export function useCurrentHappyCall(contactId: string | null) {
  return useQuery({
    queryKey: keys.current(contactId),
    queryFn: () => api<CurrentHappyCall>('/api/surveys/calls/current'),
    enabled: contactId !== null,
    staleTime: Infinity,
    retry: false,
  });
}

export function useTakeHappyCall() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<HappyCallSheet>(`/api/surveys/calls/${id}/take`, { method: 'POST', body: {} }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.calls }),
  });
}

export function useAnswerHappyCall() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; answers: Record<string, AnswerValue> }) => api<void>(`/api/surveys/calls/${v.id}/answers`, { body: { answers: v.answers } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.calls }),
  });
}

export function useHappyCallOutcome() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; outcome: 'no_answer' | 'refused' }) => api<HappyCallOutcome>(`/api/surveys/calls/${v.id}/outcome`, { body: { outcome: v.outcome } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.calls }),
  });
}

export function useCallerConsent(ref: CallerRef | null) {
  return useQuery({
    queryKey: keys.consent(ref ?? {}),
    queryFn: () => api<CallerConsent>(`/api/surveys/consents?${refQuery(ref!)}`),
    enabled: ref !== null,
    retry: false,
  });
}

export function useRecordConsent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ConsentBody) => api<{ optedOut: boolean }>('/api/surveys/consents', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['surveys', 'consent'] }),
  });
}

export function useCallerOptOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ref: CallerRef) => api<void>('/api/surveys/caller-opt-outs', { body: ref }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['surveys', 'consent'] }),
  });
}
