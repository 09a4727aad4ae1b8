/** Plan activations on an incident (the war room's plans panel): what runs, why, who fills the roles, progress. */
import { z } from 'zod';
import { LocalizedText, isoTime } from './api-schemas.js';
import { PLAN_PHASES } from './plan-schemas.js';

export const ACTIVATION_PROBLEMS = ['no_value', 'no_oncall', 'refused', 'unavailable'] as const;

export const ActivationDetails = z.object({
  /** The index of the plan's trigger that matched (activated by Tocsin). */
  trigger: z.number().int().optional(),
  /** A person's reason (activated by hand). */
  note: z.string().optional(),
  /** Plan role id -> the user on call who fills it (null: nobody could be found). */
  roles: z.record(z.string(), z.string().nullable()),
  /**
   * Steps that could not be done, with why: `no_value` (an action's template has no value in this
   * incident: `params.names`), `no_oncall` (nobody on call on the role's schedule: `params.schedule`),
   * `refused` (the action could not be asked for: no such connector, bad parameters — `message`),
   * `unavailable` (this Tocsin has no actions).
   */
  problems: z.array(
    z.object({
      step: z.string(),
      reason: z.enum(ACTIVATION_PROBLEMS),
      params: z.record(z.string(), z.string()).default({}),
      message: z.string(),
    }),
  ),
  /**
   * Actions whose `from_alerts` matches no alert of the incident yet: not asked with nothing, they wait
   * and are asked when a matching alert joins (docs/plans.md, "Choosing the alerts").
   */
  awaitingAlerts: z.array(z.string()).optional(),
});
export type ActivationDetails = z.infer<typeof ActivationDetails>;

export const PlanActivation = z.object({
  id: z.string(),
  incidentKey: z.string(),
  planId: z.string(),
  planVersion: z.number().int(),
  name: LocalizedText,
  activatedAt: isoTime,
  /** Null: Tocsin activated it from the plan's triggers. */
  activatedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  details: ActivationDetails,
  roles: z.array(
    z.object({ id: z.string(), name: LocalizedText, user: z.object({ id: z.string(), name: z.string() }).nullable() }),
  ),
  /** Tasks of the activation per phase (communication steps count under `communicate`). */
  progress: z.array(
    z.object({
      phase: z.enum(PLAN_PHASES),
      total: z.number().int(),
      done: z.number().int(),
      overdue: z.number().int(),
    }),
  ),
});
export type PlanActivation = z.infer<typeof PlanActivation>;

export const ActivationRequest = z.strictObject({
  planId: z.string().min(1).max(64),
  note: z.string().trim().max(2000).optional(),
});
