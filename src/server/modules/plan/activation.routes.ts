/** HTTP routes for the plans running on an incident. */
import { z } from 'zod';
import { ActivationRequest, PlanActivation } from '../../../shared/activation-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ActivationService } from './plan-activation.service.js';

const KeyParams = z.strictObject({ key: z.string().min(1).max(32) });
const tags = ['plans'];

export function activationRoutes(deps: { activations: ActivationService }): AnyRoute[] {
  const { activations } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/plans',
      summary: 'The plans running on an incident: why, who fills each role, progress by phase',
      tags,
      access: 'incident.read',
      params: KeyParams,
      response: { status: 200, schema: z.object({ items: z.array(PlanActivation) }) },
      handler: async ({ principal, params }) => ({ items: await activations.list(principal, params.key) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/plans',
      summary: 'Activate an active plan on an incident by hand (a plan already running there is answered as it is)',
      tags,
      access: 'plan.run',
      params: KeyParams,
      body: ActivationRequest,
      response: { status: 200, schema: PlanActivation },
      handler: ({ principal, params, body }) => activations.activate(principal, params.key, body.planId, body.note),
    }),
  ];
}
