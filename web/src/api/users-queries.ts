import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminUser, CreateUserBody, TemporaryPasswordAnswer, UpdateUserBody } from '../../../core/contracts/users';
import { api } from './client';

const usersKey = ['admin', 'users'] as const;

/** 사용자 관리 (admin): every account. */
export function useAdminUsers() {
  return useQuery({ queryKey: usersKey, queryFn: () => api<{ items: AdminUser[] }>('/api/admin/users') });
}

/** Every change refreshes the list and the account-security panel (which lists the same accounts). */
function useRefreshing<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: usersKey });
      void client.invalidateQueries({ queryKey: ['security'] });
    },
  });
}

export function useCreateUser() {
  return useRefreshing((body: CreateUserBody) => api<TemporaryPasswordAnswer>('/api/admin/users', { body }));
}

export function useUpdateUser() {
  return useRefreshing(({ id, body }: { id: string; body: UpdateUserBody }) => api<AdminUser>(`/api/admin/users/${id}`, { method: 'PATCH', body }));
}

export function useSetUserActive() {
  return useRefreshing(({ id, active }: { id: string; active: boolean }) => api<AdminUser>(`/api/admin/users/${id}/${active ? 'activate' : 'deactivate'}`, { method: 'POST' }));
}

export function useResetUserPassword() {
  return useRefreshing((id: string) => api<TemporaryPasswordAnswer>(`/api/admin/users/${id}/password-reset`, { method: 'POST' }));
}
