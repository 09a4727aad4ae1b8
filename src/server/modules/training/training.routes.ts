/** HTTP routes of training: records, CSV imports, required courses, coverage and overdue, phishing results. */
import { z } from 'zod';
import {
  PhishingSummary,
  RequiredCourses,
  TrainingCoverage,
  TrainingImportQuery,
  TrainingImportResult,
  TrainingRecord,
  TrainingRecordInput,
  TrainingRecordQuery,
} from '../../../shared/training-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { invalid } from '../../platform/errors.js';
import { TRAINING_CSV_LIMITS } from './training-csv.js';
import type { TrainingService } from './training.service.js';

const tags = ['training'];
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

export function trainingRoutes(deps: { training: TrainingService }): AnyRoute[] {
  const { training } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/training/records',
      summary:
        'Training records, latest completion first; filters: department, courseCode, q (name, e-mail, employee id, course)',
      tags,
      access: 'training.read',
      query: TrainingRecordQuery,
      response: { status: 200, schema: z.object({ items: z.array(TrainingRecord) }) },
      handler: ({ principal, query }) => training.records.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/training/records',
      summary:
        'Record a completed course for a person (userId, or email / employeeId for staff without an account); the same person, course and day again updates it',
      tags,
      access: 'training.manage',
      body: TrainingRecordInput,
      response: { status: 201, schema: TrainingRecord },
      handler: ({ principal, body }) => training.records.create(principal, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/training/records/:id',
      summary: 'Delete a training record entered by mistake',
      tags,
      access: 'training.manage',
      params: IdParams,
      response: { status: 204 },
      handler: async ({ principal, params }) => {
        await training.records.remove(principal, params.id);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/training/imports',
      summary:
        'Import a CSV file (UTF-8 or GBK) as the body: ?kind=records (default) or phishing; good rows kept, bad rows reported by line; importing again does not duplicate',
      tags,
      access: 'training.manage',
      query: TrainingImportQuery,
      raw: {
        bodyLimit: TRAINING_CSV_LIMITS.maxBytes,
        content: { 'text/csv': undefined, 'application/octet-stream': undefined },
      },
      response: { status: 200, schema: TrainingImportResult },
      handler: ({ principal, query, req }) => {
        if (!Buffer.isBuffer(req.body)) throw invalid('send the CSV file as the request body');
        return training.records.import(principal, query.kind, req.body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/training/required-courses',
      summary: 'The required courses, each with its period in months (one may gate on-call scheduling)',
      tags,
      access: 'training.read',
      response: { status: 200, schema: RequiredCourses },
      handler: ({ principal }) => training.coverage.required(principal),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/training/required-courses',
      summary: 'Replace the required courses (at most one with oncall: true gates on-call scheduling; none: off)',
      tags,
      access: 'training.manage',
      body: RequiredCourses,
      response: { status: 200, schema: RequiredCourses },
      handler: ({ principal, body }) => training.coverage.setRequired(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/training/coverage',
      summary:
        'Coverage of the required courses per department, and who lacks one, has it expired or expiring within 30 days',
      tags,
      access: 'training.read',
      query: z.strictObject({ department: z.string().max(100).optional() }),
      response: { status: 200, schema: TrainingCoverage },
      handler: ({ principal, query }) => training.coverage.coverage(principal, query.department),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/training/phishing',
      summary: 'Phishing-simulation results: sent, clicked, reported and their rates per campaign and per department',
      tags,
      access: 'training.read',
      response: { status: 200, schema: PhishingSummary },
      handler: ({ principal }) => training.coverage.phishing(principal),
    }),
  ] as AnyRoute[];
}
