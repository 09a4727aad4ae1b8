/** HTTP routes of the investigation: an incident's ATT&CK techniques and Navigator layer, the catalogue, requests from outside. */
import { z } from 'zod';
import {
  IncidentAttack,
  InvestigationRequest,
  InvestigationRequestList,
  NavigatorLayer,
  RequestAnswer,
  RequestCreate,
  RequestListQuery,
  RequestUpdate,
  TechniqueAdd,
  TechniqueId,
  TechniqueSearch,
  TechniqueSearchResult,
} from '../../../shared/investigation-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { AttackService } from './attack.service.js';
import type { RequestService } from './request.service.js';

const tags = ['investigation'];
const key = z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001');
const KeyParams = z.strictObject({ key });
const TechniqueParams = z.strictObject({ key, techniqueId: TechniqueId });
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const NoteQuery = z.strictObject({ note: z.string().trim().min(1).max(2000).optional() });

export function investigationRoutes(deps: { attack: AttackService; requests: RequestService }): AnyRoute[] {
  const { attack, requests } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/attack/techniques',
      summary: 'Search the bundled ATT&CK Enterprise catalogue by technique id or name (the console picker)',
      tags,
      access: 'investigation.read',
      query: TechniqueSearch,
      response: { status: 200, schema: TechniqueSearchResult },
      handler: async ({ principal, query }) => attack.search(principal, query.q, query.limit),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/attack',
      summary:
        "An incident's ATT&CK techniques with their tactics and where each came from (its alerts' rules' tags, or an analyst)",
      tags,
      access: 'investigation.read',
      params: KeyParams,
      response: { status: 200, schema: IncidentAttack },
      handler: ({ principal, params }) => attack.ofIncident(principal, params.key),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/attack',
      summary: 'An analyst names an ATT&CK technique of the incident, with a note (an unknown id is refused)',
      tags,
      access: 'investigation.manage',
      params: KeyParams,
      body: TechniqueAdd,
      response: { status: 200, schema: IncidentAttack },
      handler: ({ principal, params, body }) => attack.add(principal, params.key, body.techniqueId, body.note),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/incidents/:key/attack/:techniqueId',
      summary:
        "An analyst takes a technique off the incident (an analyst's addition, or one its rules named), with an optional note",
      tags,
      access: 'investigation.manage',
      params: TechniqueParams,
      query: NoteQuery,
      response: { status: 200, schema: IncidentAttack },
      handler: ({ principal, params, query }) => attack.remove(principal, params.key, params.techniqueId, query.note),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/attack/navigator',
      summary: "The incident's techniques as an ATT&CK Navigator layer (layer format 4.5)",
      tags,
      access: 'investigation.read',
      params: KeyParams,
      response: { status: 200, schema: NavigatorLayer },
      handler: ({ principal, params }) => attack.navigator(principal, params.key),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/investigation-requests',
      summary:
        'The register of requests from the police, the CSRC and its local office, the CAC, courts and auditors (filters: status, incident, requester kind, overdue)',
      tags,
      access: 'investigation.read',
      query: RequestListQuery,
      response: { status: 200, schema: InvestigationRequestList },
      handler: ({ principal, query }) => requests.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/investigation-requests',
      summary: 'Register a request from outside: who asked, their reference, what, when received, the deadline',
      tags,
      access: 'investigation.manage',
      body: RequestCreate,
      response: { status: 201, schema: InvestigationRequest },
      handler: ({ principal, body }) => requests.create(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/investigation-requests/:id',
      summary: 'One request from outside',
      tags,
      access: 'investigation.read',
      params: IdParams,
      response: { status: 200, schema: InvestigationRequest },
      handler: ({ principal, params }) => requests.get(principal, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/investigation-requests/:id',
      summary: 'Change a request that is not answered (the deadline, the text, withdrawn by the requester)',
      tags,
      access: 'investigation.manage',
      params: IdParams,
      body: RequestUpdate,
      response: { status: 200, schema: InvestigationRequest },
      handler: ({ principal, params, body }) => requests.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/investigation-requests/:id/answer',
      summary: 'Record the answer to a request: what was handed over, when, by whom',
      tags,
      access: 'investigation.manage',
      params: IdParams,
      body: RequestAnswer,
      response: { status: 200, schema: InvestigationRequest },
      handler: ({ principal, params, body }) => requests.answer(principal, params.id, body),
    }),
  ];
}
