import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChangePasswordBody, LoginAnswer, Me, MySecurity, NewPasswordBody, SessionInfo, TotpCodeBody, TotpEnrolment, UserSecurity } from '../../../core/contracts/auth';
import { isSignInStep } from '../../../core/contracts/auth';
import { api } from './client';
import { keys } from './queries';

/** Queries and mutations of account security: the sign-in second step, 내 보안 설정, the admin's panel. */
export const securityKeys = {
  mine: ['security', 'mine'] as const,
  users: ['security', 'users'] as const,
  sessionsOf: (userId: string) => ['security', 'users', userId, 'sessions'] as const,
};

/** Step two of signing in: the pending step's token and a code → the signed-in user. */
export function useCompleteSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TotpCodeBody) => api<Me>('/api/auth/login/totp', { body }),
    onSuccess: (me) => {
      client.clear();
      client.setQueryData(keys.me, me);
    },
  });
}

/** Sign-in with a temporary password: the new password → the user, or the 2FA step that follows. */
export function useSetNewPassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewPasswordBody) => api<LoginAnswer>('/api/auth/login/password', { body }),
    onSuccess: (answer) => {
      if (isSignInStep(answer)) return;
      client.clear();
      client.setQueryData(keys.me, answer);
    },
  });
}

/**
 * 상황판 표시 모드: this browser becomes a view-only wall-TV display of the wallboard. The session is replaced, so
 * the app starts again from the wallboard (a fresh cache and a socket on the new session).
 */
export function useStartDisplay() {
  return useMutation({
    mutationFn: () => api<Me>('/api/auth/display-session', { method: 'POST' }),
    onSuccess: () => window.location.assign('/supervisor/wallboard'),
  });
}

export function useKeepAlive() {
  return useMutation({ mutationFn: () => api<{ idleExpiresAt: string; idleTimeoutSeconds: number }>('/api/auth/session/keep-alive', { method: 'POST' }) });
}

export function useMySecurity() {
  return useQuery({ queryKey: securityKeys.mine, queryFn: () => api<MySecurity>('/api/auth/security') });
}

export function useRevokeMySession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/auth/sessions/${id}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: securityKeys.mine }),
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePasswordBody) => api<void>('/api/auth/password', { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: securityKeys.mine }),
  });
}

export function useStartTotpEnrolment() {
  return useMutation({ mutationFn: () => api<TotpEnrolment>('/api/auth/totp/enrolment', { method: 'POST' }) });
}

export function useConfirmTotpEnrolment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api<void>('/api/auth/totp/enrolment/confirm', { body: { code } }),
    onSuccess: () => client.invalidateQueries({ queryKey: securityKeys.mine }),
  });
}

export function useUserSecurity() {
  return useQuery({ queryKey: securityKeys.users, queryFn: () => api<{ items: UserSecurity[] }>('/api/admin/security/users') });
}

export function useSessionsOf(userId: string | null) {
  return useQuery({
    queryKey: securityKeys.sessionsOf(userId ?? ''),
    queryFn: () => api<{ items: SessionInfo[] }>(`/api/admin/security/users/${userId}/sessions`),
    enabled: userId !== null,
  });
}

/** The admin's actions on one account; each refreshes the list. */
export function useAdminAccountAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, action }: { userId: string; action: 'unlock' | 'reset2fa' | 'revokeAll' }) => {
      const base = `/api/admin/security/users/${userId}`;
      if (action === 'unlock') return api<void>(`${base}/unlock`, { method: 'POST' });
      if (action === 'reset2fa') return api<void>(`${base}/totp`, { method: 'DELETE' });
      return api<void>(`${base}/sessions`, { method: 'DELETE' });
    },
    onSettled: () => client.invalidateQueries({ queryKey: securityKeys.users }),
  });
}
