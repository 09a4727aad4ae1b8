/** Queries and mutations of impact scoping: an incident's affected-customer sets, their members and diffs. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AffectedMember,
  AffectedMemberPage,
  AffectedSet,
  AffectedSetDiff,
  AffectedSetList,
  MemberReason,
  ScopeDefinition,
} from '../../../shared/scoping-schemas.js';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';

export type { AffectedMember, AffectedSet, MemberReason, ScopeDefinition };
export type SetSummary = z.infer<typeof AffectedSetList>['items'][number];
type MemberPage = z.infer<typeof AffectedMemberPage>;
type Diff = z.infer<typeof AffectedSetDiff>;

const enc = encodeURIComponent;

export function useAffectedSets(key: string) {
  return useQuery({
    queryKey: qk.affectedSets(key),
    queryFn: ({ signal }) => api<{ items: SetSummary[] }>(`/incidents/${enc(key)}/affected-sets`, { signal }),
    select: (d) => d.items,
  });
}

export function useAffectedSet(id: string, version: number | null) {
  return useQuery({
    queryKey: qk.affectedSet(id, version),
    queryFn: ({ signal }) => api<AffectedSet>(`/affected-sets/${enc(id)}${qs({ version })}`, { signal }),
  });
}

export function useMembers(id: string, version: number | null) {
  return useQuery({
    queryKey: qk.affectedMembers(id, version),
    queryFn: ({ signal }) =>
      api<MemberPage>(`/affected-sets/${enc(id)}/members${qs({ version, limit: 200 })}`, { signal }),
  });
}

export function useDiff(id: string, from: number, to: number, enabled: boolean) {
  return useQuery({
    queryKey: qk.affectedDiff(id, from, to),
    queryFn: ({ signal }) => api<Diff>(`/affected-sets/${enc(id)}/diff${qs({ from, to })}`, { signal }),
    enabled,
  });
}

/** Creates a set (`id` null) or gives one a new definition; the incident is fetched again (its figure changes). */
export function useSaveSet(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string | null; name: string; definition: ScopeDefinition }) =>
      v.id === null
        ? api<AffectedSet>(`/incidents/${enc(key)}/affected-sets`, {
            method: 'POST',
            body: { name: v.name, definition: v.definition },
          })
        : api<AffectedSet>(`/affected-sets/${enc(v.id)}`, {
            method: 'PUT',
            body: { name: v.name, definition: v.definition },
          }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.scoping });
      void qc.invalidateQueries({ queryKey: qk.incident(key) });
    },
  });
}

export function useRefreshSet(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<AffectedSet>(`/affected-sets/${enc(id)}/refresh`, { method: 'POST' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.scoping });
      void qc.invalidateQueries({ queryKey: qk.incident(key) });
    },
  });
}
