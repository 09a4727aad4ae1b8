/** Connectors and their kinds (the server's JSON Schemas drive the form); secrets are written, never read back. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Connector,
  ConnectorCreate,
  ConnectorKindInfo,
  ConnectorTestResult,
} from '../../../shared/connector-schemas.js';
import { api } from '../../app/api.js';

const keys = {
  kinds: ['connector-kinds'] as const,
  list: ['connectors'] as const,
};

export function useConnectorKinds(enabled: boolean) {
  return useQuery({
    queryKey: keys.kinds,
    queryFn: ({ signal }) => api<{ items: ConnectorKindInfo[] }>('/connector-kinds', { signal }),
    staleTime: 10 * 60_000,
    enabled,
    select: (r) => r.items,
  });
}

export function useConnectors(enabled: boolean) {
  return useQuery({
    queryKey: keys.list,
    queryFn: ({ signal }) => api<{ items: Connector[] }>('/connectors', { signal }),
    enabled,
    select: (r) => r.items,
  });
}

export function useCreateConnector() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ConnectorCreate) => api<Connector>('/connectors', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.list }),
  });
}

/** Turns a connector on or off (a disabled connector refuses new runs; its queued runs fail). */
export function useEnableConnector() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { name: string; enabled: boolean }) =>
      api<Connector>(`/connectors/${encodeURIComponent(v.name)}`, { method: 'PATCH', body: { enabled: v.enabled } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.list }),
  });
}

export function useDeleteConnector() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api<void>(`/connectors/${encodeURIComponent(name)}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.list }),
  });
}

export function useTestConnector() {
  return useMutation({
    mutationFn: (name: string) =>
      api<ConnectorTestResult>(`/connectors/${encodeURIComponent(name)}/test`, { method: 'POST' }),
  });
}
