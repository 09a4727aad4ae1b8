/** Queries and mutations of staff accounts: the directory everyone picks from, and its management (administrators only). */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SignInState } from '../../../shared/auth-schemas.js';
import type { Locale, UserRole } from '../../../shared/enums.js';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { Page, User } from '../../app/types.js';

/** Staff accounts (for owner, participant and actor pickers, and names in the timeline). */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: qk.users,
    queryFn: ({ signal }) => api<Page<User>>('/users?limit=200', { signal }),
    staleTime: 60_000,
    enabled,
    select: (page) => page.items,
  });
}

export function useUserPages(enabled: boolean) {
  return useInfiniteQuery({
    enabled,
    queryKey: qk.userPages,
    queryFn: ({ pageParam, signal }) => api<Page<User>>(`/users${qs({ limit: 200, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export interface UserCreateInput {
  email: string;
  name: string;
  role: UserRole;
  password: string;
  locale: Locale;
  mustChangePassword: boolean;
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreateInput) => api<User>('/users', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.users }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: UserRole; disabled?: boolean; resetMfa?: true }) =>
      api<User>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.users }),
  });
}

/** An administrator's password reset: generated (password omitted) or given. */
export function useResetPassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password?: string }) =>
      api<{ user: User; password: string | null }>(`/users/${encodeURIComponent(id)}/password`, {
        method: 'POST',
        body: password ? { password } : {},
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.users }),
  });
}

export function useSignInState(id: string, enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: qk.userSignIn(id),
    queryFn: ({ signal }) => api<SignInState>(`/users/${encodeURIComponent(id)}/sign-in`, { signal }),
  });
}

export function useUnlock() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<SignInState>(`/users/${encodeURIComponent(id)}/unlock`, { method: 'POST' }),
    onSuccess: (state, id) => qc.setQueryData(qk.userSignIn(id), state),
  });
}
