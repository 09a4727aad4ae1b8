/** HTTP routes of customer owners: pools, assignment per incident, the worklist and what owners record. */
import { z } from 'zod';
import {
  ActivityPatch,
  CallbackCreate,
  ContactCreate,
  IncidentOwners,
  NoteCreate,
  OwnerAssign,
  OwnerAssignResult,
  OwnerAssignment,
  OwnerCase,
  OwnerPool,
  OwnerPoolList,
  OwnerPoolPut,
  OwnerReassign,
  OwnerStateChange,
  Worklist,
  WorklistQuery,
} from '../../../shared/owner-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { Owners } from './owner.service.js';

const tags = ['owners'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
/** `id`: the customer's id. */
const CaseParams = KeyParams.extend({ id: z.string().min(1).max(64) });
const CASE = '/api/v1/incidents/:key/owners/:id';

export function ownerRoutes(owners: Owners): AnyRoute[] {
  const { pools, assignments, worklist } = owners;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/owner-pools',
      summary: 'Owner pools: branch pools and tier queues with their members',
      tags,
      access: 'owner.read',
      response: { status: 200, schema: OwnerPoolList },
      handler: ({ principal }) => pools.list(principal),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/owner-pools',
      summary: "Set a branch pool's or tier queue's members (active users; an empty list removes it)",
      tags,
      access: 'owner.manage',
      body: OwnerPoolPut,
      response: { status: 200, schema: OwnerPool.nullable() },
      handler: ({ principal, body }) => pools.put(principal, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/owner-pools/:id',
      summary: 'Remove an owner pool',
      tags,
      access: 'owner.manage',
      params: IdParams,
      response: { status: 204 },
      handler: ({ principal, params }) => pools.remove(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/owners/assign',
      summary:
        'Give each affected customer an owner: account manager, branch pool, tier queue, customer service; by load (idempotent)',
      tags,
      access: 'owner.assign',
      params: KeyParams,
      body: OwnerAssign,
      response: { status: 200, schema: OwnerAssignResult },
      handler: ({ principal, params, body }) => assignments.assign(principal, params.key, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/owners',
      summary: "An incident's customer owners: every assignment, counts per owner, overdue",
      tags,
      access: 'owner.read',
      params: KeyParams,
      response: { status: 200, schema: IncidentOwners },
      handler: ({ principal, params }) => assignments.listForIncident(principal, params.key),
    }),
    defineRoute({
      method: 'PATCH',
      url: CASE,
      summary: 'Reassign a customer to another owner (with the reason; audited before and after)',
      tags,
      access: 'owner.assign',
      params: CaseParams,
      body: OwnerReassign,
      response: { status: 200, schema: OwnerAssignment },
      handler: ({ principal, params, body }) => assignments.reassign(principal, params.key, params.id, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/me/worklist',
      summary: 'My customers across incidents: not yet reached first, SLA-overdue leading (keyset pages)',
      tags,
      access: 'owner.work',
      query: WorklistQuery,
      response: { status: 200, schema: Worklist },
      handler: ({ principal, query }) => worklist.worklist(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: CASE,
      summary: "One customer's case: the assignment and everything recorded (the owner, or those who manage owners)",
      tags,
      access: 'owner.work',
      params: CaseParams,
      response: { status: 200, schema: OwnerCase },
      handler: ({ principal, params }) => worklist.getCase(principal, params.key, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: `${CASE}/contacts`,
      summary: 'Log a contact attempt (the first reached one stops the SLA)',
      tags,
      access: 'owner.work',
      params: CaseParams,
      body: ContactCreate,
      response: { status: 201, schema: OwnerCase },
      handler: ({ principal, params, body }) => worklist.logContact(principal, params.key, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${CASE}/callbacks`,
      summary: 'Promise a callback: the owner is reminded at that time',
      tags,
      access: 'owner.work',
      params: CaseParams,
      body: CallbackCreate,
      response: { status: 201, schema: OwnerCase },
      handler: ({ principal, params, body }) => worklist.promiseCallback(principal, params.key, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${CASE}/notes`,
      summary: "Add a note, or one of the customer's concerns or requests",
      tags,
      access: 'owner.work',
      params: CaseParams,
      body: NoteCreate,
      response: { status: 201, schema: OwnerCase },
      handler: ({ principal, params, body }) => worklist.addNote(principal, params.key, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${CASE}/state`,
      summary: 'Move a case to open, contacted or resolved',
      tags,
      access: 'owner.work',
      params: CaseParams,
      body: OwnerStateChange,
      response: { status: 200, schema: OwnerCase },
      handler: ({ principal, params, body }) => worklist.setState(principal, params.key, params.id, body.state),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/owner-items/:id',
      summary: 'Mark a concern, request or callback open or done',
      tags,
      access: 'owner.work',
      params: IdParams,
      body: ActivityPatch,
      response: { status: 200, schema: OwnerCase },
      handler: ({ principal, params, body }) => worklist.setItemStatus(principal, params.id, body.status),
    }),
  ];
}
