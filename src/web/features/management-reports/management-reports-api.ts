/** Queries and the mutation of management reports: the list and generating one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MgmtReport, MgmtReportInput } from '../../../shared/management-report-schemas.js';
import { api } from '../../app/api.js';

export type { MgmtReport };
const KEY = ['management-reports'] as const;

export function useManagementReports() {
  return useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => api<{ items: MgmtReport[] }>('/management-reports', { signal }),
  });
}

export function useGenerateReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MgmtReportInput) => api<MgmtReport>('/management-reports', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}
