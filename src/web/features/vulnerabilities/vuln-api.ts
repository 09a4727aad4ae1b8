/** Queries and mutations of vulnerabilities (issue 16): findings with filters, one finding, status changes, imports. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  VulnFindingDetail,
  VulnFindingList,
  VulnImport,
  VulnMapping,
  VulnSla,
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

export function useSla() {
  return useQuery({
    queryKey: [...KEY, 'sla'],
    queryFn: ({ signal }) => api<VulnSla>('/vulnerabilities/sla', { signal }),
  });
}

export function useSetSla() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: VulnSla) => api<VulnSla>('/vulnerabilities/sla', { method: 'PUT', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useMappings() {
  return useQuery({
    queryKey: [...KEY, 'mappings'],
    queryFn: ({ signal }) => api<{ items: VulnMapping[] }>('/vulnerabilities/mappings', { signal }),
  });
}

export function useAddMapping() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { pattern: string; serviceKey: string }) =>
      api<VulnMapping>('/vulnerabilities/mappings', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useRemoveMapping() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/vulnerabilities/mappings/${enc(id)}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}
