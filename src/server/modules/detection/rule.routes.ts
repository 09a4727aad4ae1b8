/** HTTP routes for detection rules: list with hit counts, one rule with its YAML, compile errors, enable/disable, upload, delete. */
import { z } from 'zod';
import { page } from '../../../shared/api-schemas.js';
import {
  RuleDetail,
  RuleListQuery,
  RuleSetStatus,
  RuleSummary,
  RuleUpdate,
  RuleUpload,
  RuleUploadResult,
} from '../../../shared/rule-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { RuleService } from './rule.service.js';

/** Rule ids are the rule's `id` (a UUID in ours), else its `name`, else `file:title`. */
const IdParams = z.strictObject({ id: z.string().min(1).max(500) });
const tags = ['rules'];

export function ruleRoutes(deps: { rules: RuleService }): AnyRoute[] {
  const { rules } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/rules',
      summary: 'List detection rules (rule folders, then uploads) with state and hit counts',
      tags,
      access: 'rule.read',
      query: RuleListQuery,
      response: { status: 200, schema: page(RuleSummary) },
      handler: ({ principal, query }) => rules.list(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/rules/errors',
      summary: 'Compile errors of the live rule set',
      tags,
      access: 'rule.read',
      response: { status: 200, schema: RuleSetStatus },
      handler: ({ principal }) => rules.status(principal),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/rules/:id',
      summary: 'One rule with its YAML and the rules it refers to',
      tags,
      access: 'rule.read',
      params: IdParams,
      response: { status: 200, schema: RuleDetail },
      handler: ({ principal, params }) => rules.get(principal, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/rules/:id',
      summary: 'Enable or disable a rule (effective within seconds)',
      tags,
      access: 'rule.manage',
      params: IdParams,
      body: RuleUpdate,
      response: { status: 200, schema: RuleSummary },
      handler: ({ principal, params, body }) => rules.setEnabled(principal, params.id, body.enabled),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/rules',
      summary: 'Upload rules (YAML, one or more documents); 422 lists what does not compile',
      tags,
      access: 'rule.manage',
      body: RuleUpload,
      response: { status: 201, schema: RuleUploadResult },
      handler: ({ principal, body }) => rules.upload(principal, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/rules/:id',
      summary: 'Delete an uploaded rule (rules from rule folders are disabled instead)',
      tags,
      access: 'rule.manage',
      params: IdParams,
      response: { status: 204 },
      handler: ({ principal, params }) => rules.remove(principal, params.id),
    }),
  ] as AnyRoute[];
}
