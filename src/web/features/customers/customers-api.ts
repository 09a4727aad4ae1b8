/** Queries and mutations of customers: the masked list and record, reveal, and the import wizard's steps. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type {
  Customer,
  CustomerImport,
  CustomerPage,
  ImportMapping,
  Revealed,
  RevealBody,
} from '../../../shared/customer-schemas.js';
import { api, qs } from '../../app/api.js';

export type { Customer, CustomerImport, ImportMapping, Revealed };

export interface CustomerFilters {
  branch?: string;
  tier?: string;
  q?: string;
}

const enc = encodeURIComponent;
const KEY = 'customers';

export function useCustomers(filters: CustomerFilters) {
  return useInfiniteQuery({
    queryKey: [KEY, 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api<CustomerPage>(`/customers${qs({ ...filters, limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useCustomer(customerNo: string) {
  return useQuery({
    queryKey: [KEY, 'one', customerNo],
    queryFn: ({ signal }) => api<Customer>(`/customers/${enc(customerNo)}`, { signal }),
  });
}

export function useReveal(customerNo: string) {
  return useMutation({
    mutationFn: (body: RevealBody) => api<Revealed>(`/customers/${enc(customerNo)}/reveal`, { method: 'POST', body }),
  });
}

/**
 * The import, polled every second while it is being committed. Once committed, the customer list is read
 * again: the commit writes its rows in the background, after the list was last read.
 */
export function useImport(id: string | null) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: [KEY, 'import', id],
    queryFn: ({ signal }) => api<CustomerImport>(`/customers/imports/${enc(id!)}`, { signal }),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data?.state === 'committing' ? 1000 : false),
  });
  const committed = q.data?.state === 'committed';
  useEffect(() => {
    if (committed) void qc.invalidateQueries({ queryKey: [KEY, 'list'] });
  }, [committed, qc]);
  return q;
}

export function useImportSteps() {
  const qc = useQueryClient();
  const put = (imp: CustomerImport) => qc.setQueryData([KEY, 'import', imp.id], imp);
  return {
    upload: useMutation({
      mutationFn: (file: File) =>
        api<CustomerImport>(`/customers/imports${qs({ filename: file.name })}`, {
          method: 'POST',
          raw: { body: file, contentType: /\.csv$/i.test(file.name) ? 'text/csv' : 'application/octet-stream' },
        }),
      onSuccess: put,
    }),
    check: useMutation({
      mutationFn: (v: { id: string; mapping: ImportMapping }) =>
        api<CustomerImport>(`/customers/imports/${enc(v.id)}/check`, { method: 'POST', body: { mapping: v.mapping } }),
      onSuccess: put,
    }),
    commit: useMutation({
      mutationFn: (id: string) => api<CustomerImport>(`/customers/imports/${enc(id)}/commit`, { method: 'POST' }),
      onSuccess: (imp) => {
        put(imp);
        void qc.invalidateQueries({ queryKey: [KEY, 'list'] });
      },
    }),
  };
}
