/** Audit log queries: the newest-first list, chain verification and the export address. */
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { API, api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { AuditEntry, AuditVerifyResult, Page } from '../../app/types.js';

export interface AuditFilters {
  action?: string;
  targetType?: string;
  targetId?: string;
}

export function useAuditLog(filters: AuditFilters, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: qk.audit({ ...filters }),
    queryFn: ({ pageParam, signal }) =>
      api<Page<AuditEntry>>(`/audit${qs({ ...filters, limit: 100, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled,
  });
}

export function useVerifyAudit() {
  return useMutation({ mutationFn: () => api<AuditVerifyResult>('/audit/verify') });
}

export const AUDIT_EXPORT_URL = `${API}/audit/export`;
