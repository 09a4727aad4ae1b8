/** Queries and mutations of an incident's payout batches (issue 14): create, list, items, mark paid, return file. */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  Batch,
  BatchDetail,
  BatchItem,
  PayoutEncoding,
  ReturnResult,
} from '../../../shared/compensation-payout-schemas.js';
import { API, api, qs } from '../../app/api.js';
import type { Page } from '../../app/types.js';

export type { Batch, BatchDetail, BatchItem, PayoutEncoding, ReturnResult };

const enc = encodeURIComponent;
const base = (key: string) => `/incidents/${enc(key)}/compensation/batches`;

/** Under the compensation key: a batch's change moves the claims and the ledger, which are invalidated with it. */
const ALL = ['compensation'] as const;
const KEYS = {
  batches: (key: string) => [...ALL, 'batches', key] as const,
  batch: (key: string, id: string) => [...ALL, 'batch', key, id] as const,
};

export function useInvalidateCompensation() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ALL });
}

export function useBatches(key: string) {
  return useInfiniteQuery({
    queryKey: KEYS.batches(key),
    queryFn: ({ pageParam, signal }) =>
      api<Page<Batch>>(`${base(key)}${qs({ limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/** One batch with its items, 100 at a time (keyset by seq); the batch itself from the first page. */
export function useBatch(key: string, id: string) {
  return useInfiniteQuery({
    queryKey: KEYS.batch(key, id),
    queryFn: ({ pageParam, signal }) =>
      api<BatchDetail>(`${base(key)}/${enc(id)}${qs({ limit: 100, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.lines.next ?? undefined,
  });
}

/** A batch id made in the client once per click: `PAY-<incident key>-<yyyymmddHHMMss>` (UTC). */
export function newBatchId(key: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `PAY-${key}-${stamp}`;
}

/** Creating with the same id again answers the batch already made: a double click makes one batch. */
export function useCreateBatch(key: string) {
  const invalidate = useInvalidateCompensation();
  return useMutation({
    mutationFn: (id: string) => api<Batch>(base(key), { method: 'POST', body: { id } }),
    onSuccess: invalidate,
  });
}

export function useMarkPaid(key: string, id: string) {
  const invalidate = useInvalidateCompensation();
  return useMutation({
    mutationFn: (body: { reference: string; paidAt?: string }) =>
      api<Batch>(`${base(key)}/${enc(id)}/paid`, { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useImportReturn(key: string, id: string) {
  const invalidate = useInvalidateCompensation();
  return useMutation({
    mutationFn: (v: { file: File; encoding?: PayoutEncoding }) =>
      api<ReturnResult>(`${base(key)}/${enc(id)}/return${qs({ encoding: v.encoding })}`, {
        method: 'POST',
        raw: { body: v.file, contentType: 'text/csv' },
      }),
    onSuccess: invalidate,
  });
}

/** The address of a batch's file: the bank's (an audited reveal of payees) or its ledger; the session cookie goes with it. */
export const batchFileUrl = (key: string, id: string, format: 'bank' | 'ledger', encoding?: PayoutEncoding) =>
  `${API}${base(key)}/${enc(id)}/file${qs({ format, encoding })}`;
