/** The firm's services (the catalog, named in the reader's language), their health and probes (kept live by the stream's service.health events). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Probe, ProbeResult, ServiceHealth } from '../../../shared/probe-schemas.js';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { Page, Service } from '../../app/types.js';
import { useServiceName } from '../../ui/enum-options.js';

/** The firm's services (for filters, forms and names). */
export function useServices() {
  return useQuery({
    queryKey: qk.services,
    queryFn: ({ signal }) => api<Page<Service>>('/services?limit=200', { signal }),
    staleTime: 5 * 60_000,
    select: (page) => page.items,
  });
}

/** The services as picker options: the key as value, the name in the reader's language as label. */
export function useServiceOptions(): { value: string; label: string }[] {
  const services = useServices();
  const name = useServiceName();
  return (services.data ?? []).map((s) => ({ value: s.key, label: name(s) }));
}

/** A catalog key as the service's name in the reader's language (the key itself when unknown). */
export function useServiceLabel(): (key: string) => string {
  const services = useServices();
  const name = useServiceName();
  return (key) => {
    const s = services.data?.find((x) => x.key === key);
    return s ? name(s) : key;
  };
}

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
