/** Queries and mutations of vulnerabilities (issue 16): findings with filters, one finding, status changes, imports. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  VulnFindingDetail,
  VulnFindingList,
  VulnImport,
  VulnStatus,
} from '../../../shared/vulnerability-schemas.js';
import { api, qs } from '../../app/api.js';

export type { VulnFinding, VulnFindingDetail, VulnImport } from '../../../shared/vulnerability-schemas.js';

const KEY = ['vulnerabilities'] as const;
const enc = encodeURIComponent;

export interface FindingFilters {
  severity: string;
  status: string;
  service: string;
  pastSla: boolean;
  kev: boolean;
  sort: string;
}

export function useFindings(f: FindingFilters) {
  return useQuery({
    queryKey: [...KEY, 'findings', f],
    queryFn: ({ signal }) =>
      api<VulnFindingList>(
        `/vulnerabilities/findings${qs({
          severity: f.severity || undefined,
          status: f.status || undefined,
          service: f.service.trim() || undefined,
          pastSla: f.pastSla ? 'true' : undefined,
          kev: f.kev ? 'true' : undefined,
          sort: f.sort,
          limit: 200,
        })}`,
        { signal },
      ),
  });
}

export function useFinding(id: string | null) {
  return useQuery({
    queryKey: [...KEY, 'finding', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api<VulnFindingDetail>(`/vulnerabilities/findings/${enc(id!)}`, { signal }),
  });
}

export function useTransition(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { to: VulnStatus; reason: string; acceptedUntil?: string }) =>
      api<VulnFindingDetail>(`/vulnerabilities/findings/${enc(id)}/transition`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ fields, file }: { fields: Record<string, string>; file: File }) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) if (v.trim()) form.append(k, v.trim());
      form.append('file', file, file.name);
      return api<VulnImport>('/vulnerabilities/imports', { method: 'POST', form });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}
