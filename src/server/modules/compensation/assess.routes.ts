/** HTTP routes of the engine in the server: upload an extract, run an assessment on uploaded extracts. */
import { z } from 'zod';
import { AssessAnswer, AssessBody, CompensationInput, InputUploadQuery } from '../../../shared/compensation-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { Compensation } from './compensation.module.js';

const tags = ['compensation'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const BASE = '/api/v1/incidents/:key/compensation';
/** An extract's largest size: about a million orders (the CLI takes files of any size). */
export const INPUT_MAX_BYTES = 64 * 1024 * 1024;

export function assessRoutes(c: Compensation): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: `${BASE}/inputs`,
      summary:
        'Upload an extract for an assessment: orders, prices or items CSV as the body (header row; UTF-8 or GBK), sealed in the store',
      tags,
      access: 'compensation.assess',
      params: KeyParams,
      query: InputUploadQuery,
      raw: { bodyLimit: INPUT_MAX_BYTES, content: { 'text/csv': undefined, 'application/octet-stream': undefined } },
      response: { status: 201, schema: CompensationInput },
      handler: ({ principal, params, query, req }) =>
        c.assessments.upload(principal, params.key, query, Buffer.isBuffer(req.body) ? req.body : undefined),
    }),
    defineRoute({
      method: 'POST',
      url: `${BASE}/assess`,
      summary:
        "Run an assessment method on uploaded extracts (the CLI's engine) and store it as a run; bad rows are reported with their line",
      tags,
      access: 'compensation.assess',
      params: KeyParams,
      body: AssessBody,
      response: { status: 201, schema: AssessAnswer },
      handler: ({ principal, params, body }) => c.assessments.assess(principal, params.key, body),
    }),
  ];
}
