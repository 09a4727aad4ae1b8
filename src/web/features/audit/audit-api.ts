/** Audit log queries: one page of the newest-first list, chain verification and the export address. */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { API, api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { AuditEntry, AuditVerifyResult, Page } from '../../app/types.js';

/** What the audit page filters on (the API's query parameters; from/to are ISO instants, to exclusive). */
export interface AuditFilters {
  action?: string;
  targetType?: string;
  targetId?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

/** One page: `cursor` is the `next` of the page before (undefined for the newest). */
export function useAuditPage(filters: AuditFilters, limit: number, cursor: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: qk.audit({ ...filters, limit: String(limit), cursor }),
    queryFn: ({ signal }) => api<Page<AuditEntry>>(`/audit${qs({ ...filters, limit, cursor })}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useVerifyAudit() {
  return useMutation({ mutationFn: () => api<AuditVerifyResult>('/audit/verify') });
}

export const AUDIT_EXPORT_URL = `${API}/audit/export`;
