/** HTTP routes for alerts, an incident's alerts, suppressions and maintenance windows. */
import { z } from 'zod';
import {
  Alert,
  AlertDetail,
  AlertFalsePositive,
  AlertLink,
  AlertListQuery,
  MaintenanceWindow,
  MaintenanceWindowCreate,
  Suppression,
  SuppressionCreate,
} from '../../../shared/alert-schemas.js';
import { page, Pagination } from '../../../shared/api-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { AlertService } from './alert.service.js';
import type { SuppressionService } from './suppression.service.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const tags = ['alerts'];

export function alertRoutes(deps: { alerts: AlertService; suppressions: SuppressionService }): AnyRoute[] {
  const { alerts, suppressions } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/alerts',
      summary: 'List alerts (most recently seen first)',
      tags,
      access: 'alert.read',
      query: AlertListQuery,
      response: { status: 200, schema: page(Alert) },
      handler: ({ principal, query }) => alerts.list(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/alerts/:id',
      summary: 'Get one alert with its events',
      tags,
      access: 'alert.read',
      params: IdParams,
      response: { status: 200, schema: AlertDetail },
      handler: ({ principal, params }) => alerts.get(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/alerts/:id/acknowledge',
      summary: 'Acknowledge an open alert',
      tags,
      access: 'alert.manage',
      params: IdParams,
      response: { status: 200, schema: Alert },
      handler: ({ principal, params }) => alerts.acknowledge(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/alerts/:id/false-positive',
      summary: 'Mark an alert false positive, optionally suppressing its rule (for an entity)',
      tags,
      access: 'alert.manage',
      params: IdParams,
      body: AlertFalsePositive,
      response: { status: 200, schema: Alert },
      handler: ({ principal, params, body }) => alerts.markFalsePositive(principal, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/alerts/:id/link',
      summary: 'Link an alert to an incident (null unlinks)',
      tags,
      access: 'alert.manage',
      params: IdParams,
      body: AlertLink,
      response: { status: 200, schema: Alert },
      handler: ({ principal, params, body }) => alerts.link(principal, params.id, body.incidentKey),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/alerts',
      summary: "An incident's alerts",
      tags,
      access: 'alert.read',
      params: KeyParams,
      query: Pagination,
      response: { status: 200, schema: page(Alert) },
      handler: ({ principal, params, query }) =>
        alerts.listForIncident(principal, params.key, query.cursor, query.limit),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/suppressions',
      summary: 'Suppressions in place (newest first)',
      tags,
      access: 'alert.read',
      query: Pagination,
      response: { status: 200, schema: page(Suppression) },
      handler: ({ principal, query }) => suppressions.list(principal, query.cursor, query.limit),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/suppressions',
      summary: 'Suppress alerts of a rule and/or about an entity',
      tags,
      access: 'alert.manage',
      body: SuppressionCreate,
      response: { status: 201, schema: Suppression },
      handler: ({ principal, body }) => suppressions.create(principal, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/suppressions/:id',
      summary: 'End a suppression (kept on record)',
      tags,
      access: 'alert.manage',
      params: IdParams,
      response: { status: 204 },
      handler: ({ principal, params }) => suppressions.remove(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/maintenance-windows',
      summary: 'Maintenance windows (newest first)',
      tags,
      access: 'alert.read',
      query: Pagination,
      response: { status: 200, schema: page(MaintenanceWindow) },
      handler: ({ principal, query }) => suppressions.listWindows(principal, query.cursor, query.limit),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/maintenance-windows',
      summary: 'Plan a maintenance window that holds alerts back',
      tags,
      access: 'alert.manage',
      body: MaintenanceWindowCreate,
      response: { status: 201, schema: MaintenanceWindow },
      handler: ({ principal, body }) => suppressions.createWindow(principal, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/maintenance-windows/:id',
      summary: 'Cancel a maintenance window (kept on record)',
      tags,
      access: 'alert.manage',
      params: IdParams,
      response: { status: 204 },
      handler: ({ principal, params }) => suppressions.removeWindow(principal, params.id),
    }),
  ] as AnyRoute[];
}
