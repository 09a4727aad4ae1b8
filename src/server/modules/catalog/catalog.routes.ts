/** HTTP routes for the firm's service catalog. */
import { page, Pagination } from '../../../shared/api-schemas.js';
import { Service, ServiceCreate } from '../../../shared/service-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { actorOf } from '../auth/index.js';
import type { CatalogService } from './catalog.service.js';

const tags = ['services'];

export function catalogRoutes(deps: { catalog: CatalogService }): AnyRoute[] {
  const { catalog } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/services',
      summary: "The firm's business services",
      tags,
      access: 'service.read',
      query: Pagination,
      response: { status: 200, schema: page(Service) },
      handler: ({ query }) => catalog.list(query.cursor, query.limit),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/services',
      summary: 'Add a business service',
      tags,
      access: 'service.manage',
      body: ServiceCreate,
      response: { status: 201, schema: Service },
      handler: ({ principal, body }) => catalog.create(actorOf(principal), body),
    }),
  ] as AnyRoute[];
}
