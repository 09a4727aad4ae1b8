/** Queries and mutations of training: records, imports, required courses, coverage, phishing results. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ImportKind,
  PhishingSummary,
  RequiredCourse,
  TrainingCoverage,
  TrainingImportResult,
  TrainingRecord,
} from '../../../shared/training-schemas.js';
import { api, qs } from '../../app/api.js';

export type { PhishingSummary, RequiredCourse, TrainingCoverage, TrainingImportResult, TrainingRecord };
export interface RecordIn {
  userId?: string;
  email?: string;
  employeeId?: string;
  name?: string;
  department: string;
  courseCode: string;
  courseName: string;
  completedOn: string;
  score?: number | null;
  expiresOn?: string | null;
}

const KEY = ['training'] as const;

export function useTrainingRecords(f: { department?: string; q?: string }) {
  const query = qs(f);
  return useQuery({
    queryKey: [...KEY, 'records', query],
    queryFn: ({ signal }) => api<{ items: TrainingRecord[] }>(`/training/records${query}`, { signal }),
  });
}

export function useCoverage() {
  return useQuery({
    queryKey: [...KEY, 'coverage'],
    queryFn: ({ signal }) => api<TrainingCoverage>('/training/coverage', { signal }),
  });
}

export function usePhishing() {
  return useQuery({
    queryKey: [...KEY, 'phishing'],
    queryFn: ({ signal }) => api<PhishingSummary>('/training/phishing', { signal }),
  });
}

export function useRequiredCourses() {
  return useQuery({
    queryKey: [...KEY, 'required'],
    queryFn: ({ signal }) => api<{ items: RequiredCourse[] }>('/training/required-courses', { signal }),
  });
}

function useTrainingMutation<B, R>(call: (body: B) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: () => qc.invalidateQueries({ queryKey: KEY }) });
}

export const useImportTraining = () =>
  useTrainingMutation(({ kind, file }: { kind: ImportKind; file: File }) =>
    api<TrainingImportResult>(`/training/imports?kind=${kind}`, {
      method: 'POST',
      raw: { body: file, contentType: 'text/csv' },
    }),
  );

export const useCreateRecord = () =>
  useTrainingMutation((body: RecordIn) => api<TrainingRecord>('/training/records', { method: 'POST', body }));

export const useSetRequired = () =>
  useTrainingMutation((items: RequiredCourse[]) =>
    api<{ items: RequiredCourse[] }>('/training/required-courses', { method: 'PUT', body: { items } }),
  );
