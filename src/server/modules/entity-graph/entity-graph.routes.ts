/** HTTP routes of the entity graph: an incident's graph and the expansion of one entity a hop at a time. */
import { z } from 'zod';
import { EntityGraph, GraphExpandQuery, GraphExpansion } from '../../../shared/entity-graph-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { EntityGraphService } from './entity-graph.service.js';

const tags = ['investigation'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const BASE = '/api/v1/incidents/:key/graph';

export function entityGraphRoutes(deps: { entityGraph: EntityGraphService }): AnyRoute[] {
  const { entityGraph } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: BASE,
      summary:
        "The incident's entity graph: accounts, addresses, devices, hosts, files, domains, URLs, e-mail addresses and users from its alerts' events, its IOCs and the activity index, linked by what connects them (300 nodes at most)",
      tags,
      access: 'evidence.read',
      params: KeyParams,
      response: { status: 200, schema: EntityGraph },
      handler: ({ principal, params }) => entityGraph.build(principal, params.key),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/expand`,
      summary:
        'The neighbours of one entity (?node=TYPE:VALUE) in the activity index and in other alerts, outside the incident too (50 at most, with how many more)',
      tags,
      access: 'evidence.read',
      params: KeyParams,
      query: GraphExpandQuery,
      response: { status: 200, schema: GraphExpansion },
      handler: ({ principal, params, query }) => entityGraph.expand(principal, params.key, query.node),
    }),
  ];
}
