/**
 * Queries and mutations of statements (docs/statements.md): lists (all, per incident, the approval inbox),
 * one statement, its versions and diffs, the server's preview, and the approval path's writes.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { StatementKind } from '../../../shared/plan-schemas.js';
import type {
  Statement,
  StatementFields,
  StatementScenario,
  StatementState,
  StatementVersion,
} from '../../../shared/statement-schemas.js';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { Page } from '../../app/types.js';
import { pickZhEn } from '../../ui/localized.js';

export type { Statement, StatementFields, StatementKind, StatementScenario, StatementState, StatementVersion };

// Listed here rather than imported so the bundle carries no zod; the Record types keep them complete.
export const KINDS = Object.keys({
  holding_statement: 1,
  status_update: 1,
  investigation_result: 1,
  media_statement: 1,
  customer_notice: 1,
  internal_briefing: 1,
  qa_pack: 1,
  regulator_report: 1,
  exchange_notice: 1,
  rumor_clarification: 1,
} satisfies Record<StatementKind, 1>) as StatementKind[];
export const STATES = Object.keys({
  draft: 1,
  in_review: 1,
  approved: 1,
  published: 1,
  withdrawn: 1,
} satisfies Record<StatementState, 1>) as StatementState[];
export const SCENARIOS = Object.keys({
  credential_stuffing: 1,
  ddos: 1,
  ransomware: 1,
  data_leak: 1,
  outage: 1,
  generic: 1,
} satisfies Record<StatementScenario, 1>) as StatementScenario[];
const SITE_KINDS: readonly StatementKind[] = ['holding_statement', 'status_update', 'investigation_result'];
/** Kinds published on the public status site: they carry the structured fields. */
export const isSiteKind = (k: StatementKind) => SITE_KINDS.includes(k);

export const STATE_COLOR: Record<StatementState, string> = {
  draft: 'gray',
  in_review: 'yellow',
  approved: 'blue',
  published: 'green',
  withdrawn: 'dark',
};

/** The console address of a statement. */
export const statementPath = (id: string) => `/statements/${encodeURIComponent(id)}`;
const path = (id: string) => `/statements/${encodeURIComponent(id)}`;

/** A statement's title in the console's language (the other one when that is still empty). */
export const statementTitle = (v: Pick<StatementVersion, 'title'>, language: string) =>
  pickZhEn(v.title, language) || '—';

export interface StatementFilters {
  state?: string;
  kind?: string;
  /** `me`: the approval inbox. */
  reviewer?: string;
}

export function useStatementList(filters: StatementFilters) {
  return useInfiniteQuery({
    queryKey: qk.statementList({ ...filters }),
    queryFn: ({ pageParam, signal }) =>
      api<Page<Statement>>(`/statements${qs({ ...filters, limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useIncidentStatements(key: string) {
  return useQuery({
    queryKey: qk.incidentStatements(key),
    queryFn: ({ signal }) =>
      api<Page<Statement>>(`/incidents/${encodeURIComponent(key)}/statements${qs({ limit: 50 })}`, { signal }),
  });
}

export function useStatement(id: string) {
  return useQuery({ queryKey: qk.statement(id), queryFn: ({ signal }) => api<Statement>(path(id), { signal }) });
}

export function useStatementVersions(id: string) {
  return useQuery({
    queryKey: qk.statementVersions(id),
    queryFn: ({ signal }) => api<{ items: StatementVersion[] }>(`${path(id)}/versions`, { signal }),
  });
}

export function useStatementDiff(id: string, version: number | undefined, against: number | undefined) {
  return useQuery({
    queryKey: qk.statementDiff(id, version ?? 0, against ?? 0),
    queryFn: ({ signal }) =>
      api<{ diff: string; from: number; to: number }>(`${path(id)}/versions/${version}/diff${qs({ against })}`, {
        signal,
      }),
    enabled: version !== undefined && against !== undefined && version !== against,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Markdown bodies as the sanitized HTML of the public pages (rendered by the server; `body` should be debounced). */
export function useStatementPreview(body: { zh: string; en: string }) {
  return useQuery({
    queryKey: qk.statementPreview(body.zh, body.en),
    queryFn: ({ signal }) =>
      api<{ html: { zh: string; en: string } }>('/statements/preview', { method: 'POST', body: { body }, signal }),
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: (previous) => previous,
  });
}

export function useDraftStatement(incidentKey: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: StatementKind; scenario?: StatementScenario }) =>
      api<Statement>(`/incidents/${encodeURIComponent(incidentKey)}/statements`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.statements }),
  });
}

export interface VersionInput {
  title: { zh: string; en: string };
  body: { zh: string; en: string };
  fields?: StatementFields;
}

export type StatementStep =
  | { step: 'version'; body: VersionInput }
  | { step: 'submit' }
  | { step: 'reviews'; body: { verdict: 'approve' | 'request_changes'; comment: string } }
  | { step: 'emergency-approve'; body: { comment: string } }
  | { step: 'publish'; body: { emergency?: boolean; reason?: string; acknowledgeFlags?: boolean } }
  | { step: 'withdraw'; body: { reason: string } };

const STEP_URL: Record<StatementStep['step'], string> = {
  version: 'versions',
  submit: 'submit',
  reviews: 'reviews',
  'emergency-approve': 'emergency-approve',
  publish: 'publish',
  withdraw: 'withdraw',
};

/** One write of the approval path; the statement as it is afterwards goes into the cache. */
export function useStatementStep(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: StatementStep) =>
      api<Statement>(`${path(id)}/${STEP_URL[s.step]}`, { method: 'POST', body: 'body' in s ? s.body : undefined }),
    onSuccess: (st) => {
      qc.setQueryData(qk.statement(id), st);
      void qc.invalidateQueries({ queryKey: qk.statements });
    },
  });
}
