/** Queries and mutations of the risk register. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Risk, RiskDetail, RiskHeatMap, RiskInput } from '../../../shared/risk-schemas.js';
import { api, qs } from '../../app/api.js';

export type { Risk, RiskDetail, RiskHeatMap };
export type RiskIn = Partial<RiskInput>;
export interface RiskFilter {
  status?: string;
  category?: string;
  level?: string;
  likelihood?: number;
  impact?: number;
  notClosed?: boolean;
  q?: string;
}

const KEY = ['risks'] as const;
const enc = encodeURIComponent;

export function useRisks(f: RiskFilter) {
  const query = qs({ ...f, notClosed: f.notClosed ? 'true' : undefined });
  return useQuery({
    queryKey: [...KEY, 'list', query],
    queryFn: ({ signal }) => api<{ items: Risk[] }>(`/risks${query}`, { signal }),
  });
}

export function useHeatMap(residual: boolean) {
  return useQuery({
    queryKey: [...KEY, 'heatmap', residual],
    queryFn: ({ signal }) => api<RiskHeatMap>(`/risks/heatmap${qs({ residual: residual || undefined })}`, { signal }),
  });
}

export function useRisk(id: string | null) {
  return useQuery({
    queryKey: [...KEY, 'one', id],
    enabled: !!id,
    queryFn: ({ signal }) => api<RiskDetail>(`/risks/${enc(id!)}`, { signal }),
  });
}

export function useSaveRisk() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string | null; version?: number; body: RiskIn }) =>
      id
        ? api<RiskDetail>(`/risks/${enc(id)}`, { method: 'PATCH', body: { ...body, version } })
        : api<RiskDetail>('/risks', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}
