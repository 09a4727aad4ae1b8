/** HTTP routes for emergency plans: list, versions, import, lint, approve/activate/retire, diff, CACAO. */
import { z } from 'zod';
import {
  CacaoPlaybookBody,
  PlanCacaoQuery,
  PlanDetail,
  PlanDiff,
  PlanDiffQuery,
  PlanImportResult,
  PlanLintResponse,
  PlanList,
  PlanSourceBody,
  PlanVersionDetail,
  PlanVersionInfo,
  PlanVersionParams,
} from '../../../shared/plan-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { PlanService } from './plan.service.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const tags = ['plans'];

export function planRoutes(deps: { plans: PlanService }): AnyRoute[] {
  const { plans } = deps;
  const change = (what: 'approve' | 'activate' | 'retire', summary: string, access: 'plan.manage' | 'plan.approve') =>
    defineRoute({
      method: 'POST',
      url: `/api/v1/plans/:id/versions/:version/${what}`,
      summary,
      tags,
      access,
      params: PlanVersionParams,
      response: { status: 200, schema: PlanVersionInfo },
      handler: ({ principal, params }) => plans[what](principal, params.id, params.version),
    });
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/plans',
      summary: 'Emergency plans with their latest and active versions and review dates',
      tags,
      access: 'plan.read',
      response: { status: 200, schema: PlanList },
      handler: async () => ({ items: await plans.list() }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/plans',
      summary: 'Import a plan (YAML) as a new draft version; unchanged sources store nothing; 422 lists the problems',
      tags,
      access: 'plan.manage',
      body: PlanSourceBody,
      response: { status: 200, schema: PlanImportResult },
      handler: ({ principal, body }) => plans.importSource(principal, body.source),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/plans/lint',
      summary: 'Check a plan (YAML) without storing it: its problems with line and column',
      tags,
      access: 'plan.read',
      body: PlanSourceBody,
      response: { status: 200, schema: PlanLintResponse },
      handler: async ({ body }) => plans.lintSource(body.source),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/plans/cacao',
      summary: 'Import a CACAO 2.0 playbook exported by Tocsin as a new draft version',
      tags,
      access: 'plan.manage',
      body: CacaoPlaybookBody,
      response: { status: 200, schema: PlanImportResult },
      handler: ({ principal, body }) => plans.importCacao(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/plans/:id',
      summary: 'One plan and its versions, newest first',
      tags,
      access: 'plan.read',
      params: IdParams,
      response: { status: 200, schema: PlanDetail },
      handler: ({ params }) => plans.get(params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/plans/:id/versions',
      summary: "A plan's versions, newest first",
      tags,
      access: 'plan.read',
      params: IdParams,
      response: { status: 200, schema: z.object({ items: z.array(PlanVersionInfo) }) },
      handler: async ({ params }) => ({ items: await plans.versions(params.id) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/plans/:id/versions/:version',
      summary: 'One version with its YAML source and parsed document',
      tags,
      access: 'plan.read',
      params: PlanVersionParams,
      response: { status: 200, schema: PlanVersionDetail },
      handler: ({ params }) => plans.version(params.id, params.version),
    }),
    change('approve', 'Approve a draft version', 'plan.approve'),
    change('activate', 'Make an approved version the active one (the active one before is retired)', 'plan.manage'),
    change('retire', 'Retire a version', 'plan.manage'),
    defineRoute({
      method: 'GET',
      url: '/api/v1/plans/:id/diff',
      summary: 'Unified diff of the YAML sources of two versions',
      tags,
      access: 'plan.read',
      params: IdParams,
      query: PlanDiffQuery,
      response: { status: 200, schema: PlanDiff },
      handler: ({ params, query }) => plans.diff(params.id, query.from, query.to),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/plans/:id/cacao',
      summary: 'The active version (or ?version=) as an OASIS CACAO 2.0 playbook',
      tags,
      access: 'plan.read',
      params: IdParams,
      query: PlanCacaoQuery,
      response: { status: 200, schema: z.record(z.string(), z.unknown()) },
      handler: ({ params, query }) => plans.cacao(params.id, query.version),
    }),
  ] as AnyRoute[];
}
