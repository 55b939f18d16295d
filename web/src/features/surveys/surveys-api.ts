import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AnswerValue, FollowUp, Poll, PollBody, PublicSurvey, Results, ResultsGroup, SurveySettings, Template, TemplateBody } from '../../../../core/contracts/surveys';
import { api } from '../../api/client';

const keys = {
  survey: (token: string) => ['surveys', 'public', token] as const,
  results: (from: string, to: string, groupBy: ResultsGroup, departmentId = '') => ['surveys', 'results', from, to, groupBy, departmentId] as const,
  polls: ['surveys', 'polls'] as const,
  templates: ['surveys', 'templates'] as const,
  settings: ['surveys', 'settings'] as const,
};

/** The public page's survey: the questions only. A used or expired link answers 410, an unknown one 404. */
export function usePublicSurvey(token: string) {
  return useQuery({ queryKey: keys.survey(token), queryFn: () => api<PublicSurvey>(`/api/public/surveys/${encodeURIComponent(token)}`), retry: false, staleTime: Infinity });
}

export function useAnswerSurvey(token: string) {
  return useMutation({ mutationFn: (answers: Record<string, AnswerValue>) => api<void>(`/api/public/surveys/${encodeURIComponent(token)}/answers`, { body: { answers } }) });
}

export function useOptOut(token: string) {
  return useMutation({ mutationFn: () => api<void>(`/api/public/surveys/${encodeURIComponent(token)}/opt-out`, { method: 'POST', body: {} }) });
}

/** 만족도 결과 for KST days [from, to]; with `departmentId`, only that department's surveys. */
export function useSurveyResults(from: string, to: string, groupBy: ResultsGroup, departmentId?: string) {
  return useQuery({
    queryKey: keys.results(from, to, groupBy, departmentId),
    queryFn: () => api<Results>(`/api/surveys/results?${new URLSearchParams({ from, to, groupBy, ...(departmentId ? { departmentId } : {}) }).toString()}`),
    placeholderData: keepPreviousData,
  });
}

/** A closed poll's published results (/p/:pollId, no sign-in); 404 while open or when not published. */
export function usePublicPoll(id: string) {
  return useQuery({ queryKey: ['surveys', 'public-poll', id] as const, queryFn: () => api<Poll>(`/api/public/polls/${encodeURIComponent(id)}`), retry: false, staleTime: 5 * 60_000 });
}

export function usePolls() {
  return useQuery({ queryKey: keys.polls, queryFn: () => api<Poll[]>('/api/surveys/polls') });
}

export function useTemplates() {
  return useQuery({ queryKey: keys.templates, queryFn: () => api<Template[]>('/api/surveys/templates') });
}

export function useSurveySettings() {
  return useQuery({ queryKey: keys.settings, queryFn: () => api<SurveySettings>('/api/surveys/settings') });
}

export function useSaveSurveySettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (s: SurveySettings) => api<SurveySettings>('/api/surveys/settings', { method: 'PUT', body: s }),
    onSuccess: (s) => client.setQueryData(keys.settings, s),
  });
}

export function useCloseFollowUp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (f: FollowUp) => api<void>(`/api/surveys/follow-ups/${f.id}/done`, { method: 'POST', body: {} }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['surveys', 'results'] }),
  });
}

/** Publishes the next version of a template (a published version never changes). */
export function usePublishTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TemplateBody) => api<Template>('/api/surveys/templates', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.templates }),
  });
}

/** Sends a policy poll to the consented target group. */
export function useCreatePoll() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PollBody) => api<Poll>('/api/surveys/polls', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.polls }),
  });
}
