/** HTTP routes of drills: plan, edit, start, release injects, end or cancel; the calendar and coverage. */
import { z } from 'zod';
import {
  Drill,
  DrillCalendar,
  DrillCreate,
  DrillListQuery,
  DrillSummary,
  DrillUpdate,
  InjectInput,
} from '../../../shared/drill-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { DrillService } from './drill.service.js';

const tags = ['drills'];
const id = z.string().min(1).max(64);
const IdParams = z.strictObject({ id });
const InjectParams = z.strictObject({ id, injectId: id });
const one = { status: 200, schema: Drill };
const Script = z.object({
  plan: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  injects: z.array(InjectInput),
});

export function drillRoutes(deps: { drills: DrillService }): AnyRoute[] {
  const { drills } = deps;
  const step = (
    path: string,
    summary: string,
    run: (p: Parameters<DrillService['start']>[0], id: string) => Promise<Drill>,
  ) =>
    defineRoute({
      method: 'POST',
      url: `/api/v1/drills/:id/${path}`,
      summary,
      tags,
      access: 'drill.manage',
      params: IdParams,
      response: one,
      handler: ({ principal, params }) => run(principal, params.id),
    });
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/drills',
      summary: 'Drills by scheduled time (?month=YYYY-MM, ?status=)',
      tags,
      access: 'drill.read',
      query: DrillListQuery,
      response: { status: 200, schema: z.object({ items: z.array(DrillSummary) }) },
      handler: ({ principal, query }) => drills.list(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/drills/calendar',
      summary:
        "Drills by month with who took part, and each plan's coverage: its last completed drill, flagged when none within the period",
      tags,
      access: 'drill.read',
      response: { status: 200, schema: DrillCalendar },
      handler: ({ principal }) => drills.calendar(principal),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/drills/scripts',
      summary: 'The bundled inject scripts (drills/*.yml), one per plan scenario',
      tags,
      access: 'drill.read',
      response: { status: 200, schema: z.object({ items: z.array(Script) }) },
      handler: ({ principal }) => drills.scripts(principal),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/drills',
      summary: 'Plan a drill from a plan (useScript: with its bundled injects) and/or a written scenario',
      tags,
      access: 'drill.manage',
      body: DrillCreate,
      response: { status: 201, schema: Drill },
      handler: ({ principal, body }) => drills.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/drills/:id',
      summary: 'A drill: injects (released, answered), its score against the targets, the after-action report',
      tags,
      access: 'drill.read',
      params: IdParams,
      response: one,
      handler: ({ principal, params }) => drills.get(principal, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/drills/:id',
      summary: "Edit the drill's title, time, facilitator, participants or the after-action report's text (Markdown)",
      tags,
      access: 'drill.manage',
      params: IdParams,
      body: DrillUpdate,
      response: one,
      handler: ({ principal, params, body }) => drills.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/drills/:id/injects',
      summary: 'Add written injects (a running drill schedules them from its start)',
      tags,
      access: 'drill.manage',
      params: IdParams,
      body: z.strictObject({ injects: z.array(InjectInput).min(1).max(100) }),
      response: one,
      handler: ({ principal, params, body }) => drills.addInjects(principal, params.id, body.injects),
    }),
    step(
      'start',
      'Start: declares the drill incident ([演练/DRILL], connectors dry run), activates the plan, schedules the injects',
      (p, i) => drills.start(p, i),
    ),
    defineRoute({
      method: 'POST',
      url: '/api/v1/drills/:id/injects/:injectId/release',
      summary: "Release an inject now onto the drill incident's timeline (once)",
      tags,
      access: 'drill.manage',
      params: InjectParams,
      response: one,
      handler: ({ principal, params }) => drills.release(principal, params.id, params.injectId),
    }),
    step('end', 'End a running drill (completed)', (p, i) => drills.end(p, i)),
    step('cancel', 'Cancel a drill not completed', (p, i) => drills.cancel(p, i)),
  ] as AnyRoute[];
}
