/** Queries and mutations of service health and probes (kept live by the stream's service.health events). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Probe, ProbeResult, ServiceHealth } from '../../../shared/probe-schemas.js';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';

/** Every service with its probes; state changes arrive on the stream, latencies refresh every 30 s. */
export function useServiceHealth() {
  return useQuery({
    queryKey: qk.serviceHealth,
    queryFn: ({ signal }) => api<{ items: ServiceHealth[] }>('/health/services', { signal }),
    refetchInterval: 30_000,
  });
}

export interface ProbeInput {
  name: string;
  kind: 'http' | 'tcp';
  target: string;
  intervalS: number;
  timeoutMs: number;
  expect: { status?: (number | [number, number])[]; bodyContains?: string; maxLatencyMs?: number };
}

function useProbeMutation<V, R>(call: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: () => void qc.invalidateQueries({ queryKey: qk.serviceHealth }) });
}

const probePath = (id: string) => `/probes/${encodeURIComponent(id)}`;

export const useCreateProbe = () =>
  useProbeMutation(({ serviceKey, ...body }: ProbeInput & { serviceKey: string }) =>
    api<Probe>(`/services/${encodeURIComponent(serviceKey)}/probes`, { method: 'POST', body }),
  );
export const useSetProbeEnabled = () =>
  useProbeMutation(({ id, enabled }: { id: string; enabled: boolean }) =>
    api<Probe>(probePath(id), { method: 'PATCH', body: { enabled } }),
  );
export const useDeleteProbe = () => useProbeMutation((id: string) => api<void>(probePath(id), { method: 'DELETE' }));
export const useRunProbe = () =>
  useProbeMutation((id: string) =>
    api<{ result: ProbeResult; probe: Probe }>(`${probePath(id)}/run`, { method: 'POST' }),
  );
