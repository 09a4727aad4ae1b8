/** Queries and mutations of an incident's compensation (issue 14): runs, claims, approvals, the ledger. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AssessAnswer,
  AssessBody,
  BulkApproveResult,
  Claim,
  ClaimDetail,
  CompensationInput,
  INPUT_KINDS,
  Ledger,
  Run,
  RunDistribution,
  RunResult,
} from '../../../shared/compensation-schemas.js';
import { api, qs } from '../../app/api.js';
import type { Page } from '../../app/types.js';

export type { AssessBody, BulkApproveResult, Claim, ClaimDetail, Ledger, Run, RunDistribution };
export type RunResultRow = z.infer<typeof RunResult>;
export type InputKind = (typeof INPUT_KINDS)[number];

const enc = encodeURIComponent;
const base = (key: string) => `/incidents/${enc(key)}/compensation`;
const claimPath = (id: string) => `/compensation/claims/${enc(id)}`;

/** Every compensation query starts with this key: a change invalidates them all (the ledger moves with any claim). */
const ALL = ['compensation'] as const;
const KEYS = {
  runs: (key: string) => [...ALL, 'runs', key] as const,
  results: (key: string, id: string) => [...ALL, 'results', key, id] as const,
  distribution: (key: string, id: string) => [...ALL, 'distribution', key, id] as const,
  claims: (key: string, filters: ClaimFilters) => [...ALL, 'claims', key, filters] as const,
  claim: (id: string) => [...ALL, 'claim', id] as const,
  inbox: [...ALL, 'inbox'] as const,
  ledger: (key: string) => [...ALL, 'ledger', key] as const,
};

function useInvalidateAll() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ALL });
}

export function useRuns(key: string) {
  return useQuery({
    queryKey: KEYS.runs(key),
    queryFn: ({ signal }) => api<{ items: Run[] }>(`${base(key)}/runs`, { signal }),
    select: (d) => d.items,
  });
}

/** A run's per-customer results, 50 at a time (keyset pages by customer number). */
export function useRunResults(key: string, runId: string) {
  return useInfiniteQuery({
    queryKey: KEYS.results(key, runId),
    queryFn: ({ pageParam, signal }) =>
      api<Page<RunResultRow>>(`${base(key)}/runs/${enc(runId)}/results${qs({ limit: 50, cursor: pageParam })}`, {
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useRunDistribution(key: string, runId: string) {
  return useQuery({
    queryKey: KEYS.distribution(key, runId),
    queryFn: ({ signal }) => api<RunDistribution>(`${base(key)}/runs/${enc(runId)}/distribution`, { signal }),
  });
}

/** Upload the extracts (orders and prices, or items), then run the method on them. */
export function useAssess(key: string) {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: async (v: {
      method: AssessBody['method'];
      files: Partial<Record<InputKind, File>>;
      parameters: AssessBody['parameters'];
      encoding: AssessBody['encoding'];
    }) => {
      const inputs: AssessBody['inputs'] = {};
      for (const [kind, file] of Object.entries(v.files) as [InputKind, File][]) {
        const stored = await api<CompensationInput>(`${base(key)}/inputs${qs({ kind, name: file.name })}`, {
          method: 'POST',
          raw: { body: file, contentType: 'text/csv' },
        });
        inputs[kind] = stored.id;
      }
      return api<AssessAnswer>(`${base(key)}/assess`, {
        method: 'POST',
        body: { method: v.method, inputs, parameters: v.parameters, encoding: v.encoding },
      });
    },
    onSuccess: invalidate,
  });
}

/** Review, propose claims, offer: the steps of a run. */
export function useRunStep(key: string, runId: string) {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (step: 'review' | 'propose' | 'offer') =>
      api<Run | { created: number; kept: number; unknown: number } | { offered: number }>(
        `${base(key)}/runs/${enc(runId)}/${step}`,
        { method: 'POST' },
      ),
    onSuccess: invalidate,
  });
}

export interface ClaimFilters {
  status?: string;
  source?: string;
  runId?: string;
  customerId?: string;
}

export function useClaims(key: string, filters: ClaimFilters) {
  return useInfiniteQuery({
    queryKey: KEYS.claims(key, filters),
    queryFn: ({ pageParam, signal }) =>
      api<Page<Claim>>(`${base(key)}/claims${qs({ ...filters, limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useClaim(id: string) {
  return useQuery({
    queryKey: KEYS.claim(id),
    queryFn: ({ signal }) => api<ClaimDetail>(claimPath(id), { signal }),
  });
}

/** The staff actions on one claim: each posts its body to `/compensation/claims/:id/<action>`. */
export type ClaimAction = 'assess' | 'offer' | 'counter' | 'accept' | 'decline' | 'approve' | 'mediation' | 'outcome';

export function useClaimAction(id: string) {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: ({ action, body }: { action: ClaimAction; body: Record<string, unknown> }) =>
      api<ClaimDetail>(`${claimPath(id)}/${action === 'outcome' ? 'mediation/outcome' : action}`, {
        method: 'POST',
        body,
      }),
    onSuccess: invalidate,
  });
}

/** The accepted claims the signed-in user may approve (every incident). */
export function useInbox() {
  return useInfiniteQuery({
    queryKey: KEYS.inbox,
    queryFn: ({ pageParam, signal }) =>
      api<Page<Claim>>(`/compensation/inbox${qs({ limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useBulkApprove(key: string) {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (runId: string) =>
      api<BulkApproveResult>(`${base(key)}/bulk-approve`, { method: 'POST', body: { runId } }),
    onSuccess: invalidate,
  });
}

export function useLedger(key: string) {
  return useQuery({
    queryKey: KEYS.ledger(key),
    queryFn: ({ signal }) => api<Ledger>(`${base(key)}/ledger`, { signal }),
  });
}

/** A customer's id from the customer number typed in the claims filter. */
export function lookupCustomerId(customerNo: string): Promise<string> {
  return api<{ id: string }>(`/customers/${enc(customerNo)}`).then((c) => c.id);
}
