/** HTTP routes for incidents, participants, timeline and tasks. */
import { z } from 'zod';
import { page, Pagination } from '../../../shared/api-schemas.js';
import {
  Incident,
  IncidentCreate,
  IncidentListQuery,
  IncidentUpdate,
  ParticipantAdd,
  ParticipantRoleSchema,
  Task,
  TaskCreate,
  TaskUpdate,
  TimelineAppend,
  TimelineEntry,
  Transition,
} from '../../../shared/incident-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { IncidentService } from './incident.service.js';
import type { TimelineService } from './timeline.service.js';

const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const TaskParams = KeyParams.extend({ id: z.string().min(1).max(64) });
const ParticipantParams = KeyParams.extend({ userId: z.string().min(1).max(64), role: ParticipantRoleSchema });
// Timeline seq is a 32-bit integer column: more digits would make PostgreSQL fail instead of answering.
const SeqCursor = Pagination.extend({
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'a sequence number')
    .optional(),
});
const tags = ['incidents'];

export function incidentRoutes(deps: { incidents: IncidentService; timeline: TimelineService }): AnyRoute[] {
  const { incidents, timeline } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents',
      summary: 'List incidents (newest detection first)',
      tags,
      access: 'incident.read',
      query: IncidentListQuery,
      response: { status: 200, schema: page(Incident) },
      handler: ({ principal, query }) => incidents.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents',
      summary: 'Declare an incident',
      tags,
      access: 'incident.create',
      body: IncidentCreate,
      response: { status: 201, schema: Incident },
      handler: ({ principal, body }) => incidents.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key',
      summary: 'Get one incident',
      tags,
      access: 'incident.read',
      params: KeyParams,
      response: { status: 200, schema: Incident },
      handler: ({ principal, params }) => incidents.get(principal, params.key),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/incidents/:key',
      summary: 'Edit an incident',
      tags,
      access: 'incident.update',
      params: KeyParams,
      body: IncidentUpdate,
      response: { status: 200, schema: Incident },
      handler: ({ principal, params, body }) => incidents.update(principal, params.key, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/transitions',
      summary: 'Move an incident through its lifecycle',
      tags,
      access: 'incident.transition',
      params: KeyParams,
      body: Transition,
      response: { status: 200, schema: Incident },
      handler: ({ principal, params, body }) => incidents.transition(principal, params.key, body.to, body.note),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/participants',
      summary: 'Add a participant with a role',
      tags,
      access: 'incident.participants',
      params: KeyParams,
      body: ParticipantAdd,
      response: { status: 200, schema: Incident },
      handler: ({ principal, params, body }) => incidents.addParticipant(principal, params.key, body.userId, body.role),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/incidents/:key/participants/:userId/:role',
      summary: 'Remove a participant role',
      tags,
      access: 'incident.participants',
      params: ParticipantParams,
      response: { status: 200, schema: Incident },
      handler: ({ principal, params }) =>
        incidents.removeParticipant(principal, params.key, params.userId, params.role),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/timeline',
      summary: 'Timeline entries, oldest first',
      tags,
      access: 'incident.read',
      params: KeyParams,
      query: SeqCursor,
      response: { status: 200, schema: page(TimelineEntry) },
      handler: ({ principal, params, query }) =>
        timeline.list(principal, params.key, query.cursor ? Number(query.cursor) : 0, query.limit),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/timeline',
      summary: 'Append a note, decision or correction',
      tags,
      access: 'timeline.write',
      params: KeyParams,
      body: TimelineAppend,
      response: { status: 201, schema: TimelineEntry },
      handler: ({ principal, params, body }) => timeline.append(principal, params.key, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/tasks',
      summary: 'Tasks of an incident',
      tags,
      access: 'incident.read',
      params: KeyParams,
      query: Pagination,
      response: { status: 200, schema: page(Task) },
      handler: ({ principal, params, query }) => timeline.listTasks(principal, params.key, query.cursor, query.limit),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/tasks',
      summary: 'Add a task',
      tags,
      access: 'task.write',
      params: KeyParams,
      body: TaskCreate,
      response: { status: 201, schema: Task },
      handler: ({ principal, params, body }) => timeline.createTask(principal, params.key, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/incidents/:key/tasks/:id',
      summary: 'Edit a task or change its status',
      tags,
      access: 'task.write',
      params: TaskParams,
      body: TaskUpdate,
      response: { status: 200, schema: Task },
      handler: ({ principal, params, body }) => timeline.updateTask(principal, params.key, params.id, body),
    }),
  ] as AnyRoute[];
}
