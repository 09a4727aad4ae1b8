/** Queries and mutations of regulator reports (docs/regulator-reports.md). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Report, ReportFields, ReportOption, ReportVersion } from '../../../shared/report-schemas.js';
import { API, api, qs } from '../../app/api.js';

export type { Report, ReportFields, ReportOption, ReportVersion };

const keyOf = (incidentKey: string) => ['regulator-reports', incidentKey] as const;
const path = (incidentKey: string) => `/incidents/${encodeURIComponent(incidentKey)}`;

export const STATE_COLOR: Record<Report['state'], string> = {
  draft: 'gray',
  in_review: 'yellow',
  approved: 'blue',
  submitted: 'green',
};

export const useIncidentReports = (incidentKey: string) =>
  useQuery({
    queryKey: keyOf(incidentKey),
    queryFn: ({ signal }) => api<{ items: Report[] }>(`${path(incidentKey)}/reports`, { signal }),
  });

export const useReportOptions = (incidentKey: string) =>
  useQuery({
    queryKey: [...keyOf(incidentKey), 'options'],
    queryFn: ({ signal }) => api<{ items: ReportOption[] }>(`${path(incidentKey)}/report-options`, { signal }),
  });

export const useReportVersions = (incidentKey: string, id: string, enabled: boolean) =>
  useQuery({
    queryKey: [...keyOf(incidentKey), id, 'versions'],
    queryFn: ({ signal }) => api<{ items: ReportVersion[] }>(`/reports/${id}/versions`, { signal }),
    enabled,
  });

/** Every write of the card: drafting, saving, the approval path, filing; each refreshes the incident's reports. */
export function useReportMutations(incidentKey: string) {
  const qc = useQueryClient();
  const onSuccess = () => qc.invalidateQueries({ queryKey: keyOf(incidentKey) });
  return {
    create: useMutation({
      mutationFn: (body: { obligation: string; stage: string }) =>
        api<Report>(`${path(incidentKey)}/reports`, { method: 'POST', body }),
      onSuccess,
    }),
    save: useMutation({
      mutationFn: (v: { id: string; fields: ReportFields }) =>
        api<Report>(`/reports/${v.id}/versions`, { method: 'POST', body: { fields: v.fields } }),
      onSuccess,
    }),
    step: useMutation({
      mutationFn: (v: { id: string; step: 'review' | 'approve' }) =>
        api<Report>(`/reports/${v.id}/${v.step}`, { method: 'POST' }),
      onSuccess,
    }),
    reject: useMutation({
      mutationFn: (v: { id: string; reason: string }) =>
        api<Report>(`/reports/${v.id}/reject`, { method: 'POST', body: { reason: v.reason } }),
      onSuccess,
    }),
    submitted: useMutation({
      mutationFn: (v: { id: string; channel: string; reference: string; file: File }) =>
        api<Report>(
          `/reports/${v.id}/submission${qs({ channel: v.channel, reference: v.reference, filename: v.file.name })}`,
          { method: 'POST', raw: { body: v.file, contentType: 'application/octet-stream' } },
        ),
      onSuccess,
    }),
  };
}
export type ReportMutations = ReturnType<typeof useReportMutations>;

export const exportUrl = (id: string, format: string, lang: 'zh' | 'en') =>
  `${API}/reports/${id}/export${qs({ format, lang })}`;
export const receiptUrl = (id: string) => `${API}/reports/${id}/receipt`;
