/** Queries and mutations of staff accounts (administrators only). */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Locale, UserRole } from '../../../shared/enums.js';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { Page, User } from '../../app/types.js';

export function useUserPages(enabled: boolean) {
  return useInfiniteQuery({
    enabled,
    queryKey: [...qk.users, 'pages'],
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
