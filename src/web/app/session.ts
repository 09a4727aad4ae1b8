/** The signed-in session: loaded from GET /session, kept in the query cache, shared through context. */
import { createContext, useContext } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { roleAllows, type Permission } from '../../shared/permissions.js';
import { api, ApiError, setCsrfToken } from './api.js';
import { qk } from './query-keys.js';
import type { SessionInfo } from './types.js';

async function fetchSession(): Promise<SessionInfo | null> {
  try {
    const info = await api<SessionInfo>('/session', { authAttempt: true });
    setCsrfToken(info.csrfToken);
    return info;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

/** The session as the server knows it: null when signed out. */
export function useSessionQuery() {
  return useQuery({ queryKey: qk.session, queryFn: fetchSession, staleTime: Infinity, retry: 1 });
}

/** Put a new session (or none) into the cache; signing out drops every cached record of the old one. */
export function applySession(qc: QueryClient, info: SessionInfo | null): void {
  setCsrfToken(info?.csrfToken ?? null);
  if (!info) qc.removeQueries({ predicate: (q) => q.queryKey[0] !== qk.session[0] });
  qc.setQueryData(qk.session, info);
}

export const SessionContext = createContext<SessionInfo | null>(null);

/** The fully signed-in session (only inside the authenticated app). */
export function useSession(): SessionInfo {
  const info = useContext(SessionContext);
  if (!info) throw new Error('useSession outside the signed-in app');
  return info;
}

/** Whether the signed-in user's role allows `permission` (the server still checks need-to-know). */
export function useCan(permission: Permission): boolean {
  return roleAllows(useSession().user.role, permission);
}

/** Sign out: DELETE /session, then forget everything cached. */
export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/session', { method: 'DELETE', authAttempt: true }),
    onSettled: () => applySession(qc, null),
  });
}
