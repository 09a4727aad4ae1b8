/** HTTP routes of the performance figures (issue 16, docs/kpi.md): the snapshot and its drill-down. */
import { KpiIncidentList, KpiIncidentsQuery, KpiQuery } from '../../../shared/kpi-query-schemas.js';
import { KpiSnapshot } from '../../../shared/kpi-schemas.js';
import { type AnyRoute, defineRoute } from '../../http/route.js';
import type { KpiService } from './kpi.service.js';

const tags = ['kpi'];

export function kpiRoutes(deps: { kpi: KpiService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/kpi',
      summary:
        'Performance figures for a period (from, to: YYYY-MM-DD in the firm zone; default the last 12 months) and a filter (grade, category, service repeated; drills=true)',
      tags,
      access: 'kpi.read',
      query: KpiQuery,
      response: { status: 200, schema: KpiSnapshot },
      handler: ({ principal, query }) => deps.kpi.query(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/kpi/incidents',
      summary:
        'The incidents behind a figure (figure=incidents|mttd|mtta|mttc|mttr|first_statement|first_customer_notice) of a slice (grade, category, service, month=YYYY-MM), those the reader may see, newest first, at most 500',
      tags,
      access: 'kpi.read',
      query: KpiIncidentsQuery,
      response: { status: 200, schema: KpiIncidentList },
      handler: ({ principal, query }) => deps.kpi.incidents(principal, query),
    }),
  ];
}
