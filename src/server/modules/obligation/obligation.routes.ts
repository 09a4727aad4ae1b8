/** HTTP routes of the live obligation clocks: an incident's clocks and facts, the firm's profile, the on-time record. */
import { z } from 'zod';
import {
  FirmProfileUpdate,
  FirmProfileView,
  IncidentObligations,
  ObligationRecord,
  RegulatoryFactsPatch,
} from '../../../shared/obligation-clock-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ClocksView } from './clocks-view.service.js';
import type { ProfileService } from './profile.service.js';

const tags = ['obligations'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});

export function obligationRoutes(deps: { view: ClocksView; profiles: ProfileService }): AnyRoute[] {
  const { view, profiles } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/obligations',
      summary:
        "An incident's regulatory obligation clocks (what is due, to whom, by when, status, warnings fired), its recorded regulatory facts and the firm profile they were evaluated with",
      tags,
      access: 'obligation.read',
      params: KeyParams,
      response: { status: 200, schema: IncidentObligations },
      handler: ({ principal, params }) => view.ofIncident(principal, params.key),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/incidents/:key/obligations/facts',
      summary:
        'Record regulatory facts Tocsin cannot know (awareness, DORA classification, materiality, personal information records, ...); null clears one; the clocks are evaluated again at once',
      tags,
      access: 'obligation.facts',
      params: KeyParams,
      body: RegulatoryFactsPatch,
      response: { status: 200, schema: IncidentObligations },
      handler: async ({ principal, params, body }) => {
        await profiles.patchFacts(principal, params.key, body);
        return view.ofIncident(principal, params.key);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/obligations/record',
      summary: 'The on-time record per obligation: stages met on time, late, missed and running',
      tags,
      access: 'obligation.read',
      response: { status: 200, schema: ObligationRecord },
      handler: ({ principal }) => view.record(principal),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/firm-profile',
      summary:
        "The firm's regulatory profile (jurisdictions, CII operator, broker-dealer, listed, DORA entity, clients, CSRC target)",
      tags,
      access: 'firm.read',
      response: { status: 200, schema: FirmProfileView },
      handler: ({ principal }) => profiles.firm(principal),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/firm-profile',
      summary: "Replace the firm's regulatory profile; the clocks of every incident not ended are evaluated again",
      tags,
      access: 'firm.manage',
      body: FirmProfileUpdate,
      response: { status: 200, schema: FirmProfileView },
      handler: ({ principal, body }) => profiles.setFirm(principal, body),
    }),
  ] as AnyRoute[];
}
