/** Durable jobs as administrators see them (dead jobs to retry): GET /api/v1/jobs. */
import { z } from 'zod';
import { isoTime } from './api-schemas.js';

export const JOB_STATES = ['queued', 'running', 'done', 'dead'] as const;

export const Job = z.object({
  id: z.string(),
  kind: z.string(),
  key: z.string().nullable(),
  state: z.enum(JOB_STATES),
  runAt: isoTime,
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Job = z.infer<typeof Job>;

export const JobQuery = z.strictObject({
  state: z.enum(JOB_STATES).optional(),
  kind: z.string().max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
