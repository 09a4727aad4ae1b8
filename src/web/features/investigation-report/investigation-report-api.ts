/** Queries and mutations of an incident's investigation report (issue 15). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  InvestigationReport,
  InvestigationReportUpdate,
  WrittenSection,
} from '../../../shared/investigation-report-schemas.js';
import { api } from '../../app/api.js';

export type { InvestigationReport, WrittenSection };
export { WRITTEN_SECTIONS } from '../../../shared/investigation-report-schemas.js';

const enc = encodeURIComponent;
const queryKey = (key: string) => ['investigation-report', key] as const;
const base = (key: string) => `/incidents/${enc(key)}/investigation-report`;

export function useInvestigationReport(key: string) {
  return useQuery({
    queryKey: queryKey(key),
    queryFn: ({ signal }) => api<InvestigationReport>(base(key), { signal }),
  });
}

/** Saving, the workflow's steps and publishing; each answer replaces the cached report. */
export function useReportMutations(key: string) {
  const qc = useQueryClient();
  const done = { onSuccess: (r: InvestigationReport) => qc.setQueryData(queryKey(key), r) };
  return {
    save: useMutation({
      mutationFn: (body: InvestigationReportUpdate) => api<InvestigationReport>(base(key), { method: 'PUT', body }),
      ...done,
    }),
    step: useMutation({
      mutationFn: (step: 'submit' | 'approve' | 'publish') =>
        api<InvestigationReport>(`${base(key)}/${step}`, { method: 'POST' }),
      ...done,
    }),
    requestChanges: useMutation({
      mutationFn: (comment: string) =>
        api<InvestigationReport>(`${base(key)}/request-changes`, { method: 'POST', body: { comment } }),
      ...done,
    }),
  };
}

/** The URL of the report as a file (a download). */
export const reportFileUrl = (key: string, format: 'pdf' | 'docx', lang: 'zh-CN' | 'en') =>
  `/api/v1${base(key)}/report.${format}?lang=${lang}`;
