/** HTTP routes of the attack timeline: JSON for the console, CSV and a printable page for the file. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AttackTimeline, AttackTimelineQuery } from '../../../shared/attack-timeline-schemas.js';
import { disposition } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { Clock } from '../../platform/ids.js';
import { PRINT_CSS, timelineCsv, timelinePage } from './attack-timeline-print.js';
import type { AttackTimelineService } from './attack-timeline.service.js';

const tags = ['investigation'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const BASE = '/api/v1/incidents/:key/attack-timeline';
/** The printable page's CSP: nothing but its own style element. */
const PRINT_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(PRINT_CSS).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function attackTimelineRoutes(deps: { attackTimeline: AttackTimelineService; clock: Clock }): AnyRoute[] {
  const { attackTimeline, clock } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: BASE,
      summary:
        "The incident's attack timeline: alerts' events, alerts, actions, notes and status changes on one axis with the marks (?entity= filters)",
      tags,
      access: 'incident.read',
      params: KeyParams,
      query: AttackTimelineQuery,
      response: { status: 200, schema: AttackTimeline },
      handler: ({ principal, params, query }) => attackTimeline.build(principal, params.key, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/csv`,
      summary:
        'The attack timeline as CSV (UTF-8 with BOM; cells that look like formulas are quoted with an apostrophe)',
      tags,
      access: 'incident.read',
      params: KeyParams,
      query: AttackTimelineQuery,
      response: { status: 200, contentType: 'text/csv' },
      handler: async ({ principal, params, query, reply }) => {
        const t = await attackTimeline.build(principal, params.key, query);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', disposition(`${t.incidentKey}-attack-timeline.csv`))
          .header('cache-control', 'no-store')
          .send(`\uFEFF${timelineCsv(t)}`);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/print`,
      summary: 'The attack timeline as a printable page (HTML, no script)',
      tags,
      access: 'incident.read',
      params: KeyParams,
      query: AttackTimelineQuery,
      response: { status: 200, contentType: 'text/html' },
      handler: async ({ principal, params, query, reply }) => {
        const t = await attackTimeline.build(principal, params.key, query);
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', PRINT_CSP)
          .header('cache-control', 'no-store')
          .send(timelinePage(t, new Date(clock.now()).toISOString()));
      },
    }),
  ];
}
