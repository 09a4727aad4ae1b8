/** HTTP routes for connectors and their kinds. */
import { z } from 'zod';
import {
  Connector,
  ConnectorCreate,
  ConnectorKindInfo,
  ConnectorName,
  ConnectorTestResult,
  ConnectorUpdate,
} from '../../../shared/connector-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ConnectorService } from './connector.service.js';

const NameParams = z.strictObject({ name: ConnectorName });
const tags = ['connectors'];

export function connectorRoutes(deps: { connectors: ConnectorService }): AnyRoute[] {
  const { connectors } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/connector-kinds',
      summary: 'The connector kinds: JSON Schemas of their configuration and secrets, their actions',
      tags,
      access: 'connector.read',
      response: { status: 200, schema: z.object({ items: z.array(ConnectorKindInfo) }) },
      handler: async ({ principal }) => ({ items: connectors.kinds(principal) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/connectors',
      summary: 'Configured connectors (secrets only as set / not set)',
      tags,
      access: 'connector.read',
      response: { status: 200, schema: z.object({ items: z.array(Connector) }) },
      handler: async ({ principal }) => ({ items: await connectors.list(principal) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/connectors',
      summary: "Add a connector (configuration checked by its kind's schema; secrets encrypted)",
      tags,
      access: 'connector.manage',
      body: ConnectorCreate,
      response: { status: 201, schema: Connector },
      handler: ({ principal, body }) => connectors.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/connectors/:name',
      summary: 'One connector',
      tags,
      access: 'connector.read',
      params: NameParams,
      response: { status: 200, schema: Connector },
      handler: ({ principal, params }) => connectors.get(principal, params.name),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/connectors/:name',
      summary: 'Change a connector (a secret left out keeps its stored value; null removes it)',
      tags,
      access: 'connector.manage',
      params: NameParams,
      body: ConnectorUpdate,
      response: { status: 200, schema: Connector },
      handler: ({ principal, params, body }) => connectors.update(principal, params.name, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/connectors/:name',
      summary: 'Remove a connector (its past runs stay)',
      tags,
      access: 'connector.manage',
      params: NameParams,
      response: { status: 204 },
      handler: ({ principal, params }) => connectors.remove(principal, params.name),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/connectors/:name/test',
      summary: 'Test the connection (reaches the far side without changing anything there)',
      tags,
      access: 'connector.manage',
      params: NameParams,
      response: { status: 200, schema: ConnectorTestResult },
      handler: ({ principal, params }) => connectors.test(principal, params.name),
    }),
  ] as AnyRoute[];
}
