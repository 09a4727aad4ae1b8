/** HTTP routes of the risk register: list with filters, the heat map, one risk with its history, create, update. */
import { z } from 'zod';
import {
  Risk,
  RiskDetail,
  RiskHeatMap,
  RiskHeatMapQuery,
  RiskInput,
  RiskListQuery,
  RiskUpdate,
} from '../../../shared/risk-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { RiskService } from './risk.service.js';

const tags = ['risk'];
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

export function riskRoutes(deps: { risks: RiskService }): AnyRoute[] {
  const { risks } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/risks',
      summary:
        'The risk register, highest score first; filters: status, notClosed, category, level, ownerId, likelihood and impact (a heat-map cell), reviewDue, q',
      tags,
      access: 'risk.read',
      query: RiskListQuery,
      response: { status: 200, schema: z.object({ items: z.array(Risk) }) },
      handler: ({ principal, query }) => risks.list(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/risks/heatmap',
      summary:
        'Counts of risks per likelihood × impact (5×5; closed risks left out unless includeClosed=true; residual=true for the ratings after treatment)',
      tags,
      access: 'risk.read',
      query: RiskHeatMapQuery,
      response: { status: 200, schema: RiskHeatMap },
      handler: ({ principal, query }) =>
        risks.heatMap(principal, {
          residual: query.residual === 'true',
          includeClosed: query.includeClosed === 'true',
        }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/risks/:id',
      summary: 'One risk (by id or key, RISK-0001) with the history of its changes',
      tags,
      access: 'risk.read',
      params: IdParams,
      response: { status: 200, schema: RiskDetail },
      handler: ({ principal, params }) => risks.get(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/risks',
      summary: 'Add a risk to the register (linked incidents by key must exist and be visible to you)',
      tags,
      access: 'risk.manage',
      body: RiskInput,
      response: { status: 201, schema: RiskDetail },
      handler: ({ principal, body }) => risks.create(principal, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/risks/:id',
      summary: 'Change a risk: the fields given, with the version read (409 when it changed meanwhile)',
      tags,
      access: 'risk.manage',
      params: IdParams,
      body: RiskUpdate,
      response: { status: 200, schema: RiskDetail },
      handler: ({ principal, params, body }) => risks.update(principal, params.id, body),
    }),
  ] as AnyRoute[];
}
