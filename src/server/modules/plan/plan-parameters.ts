/**
 * An automatic action's parameters with their templates filled in from the incident and its alerts
 * (`{{ incident.key }}`, `{{ alert.entities.ip }}`, `{{ alert.fields.TargetUserName }}` — the names of
 * TEMPLATE_NAMES). Entities expand to every value of that kind found in the incident's alerts: a
 * parameter that is one template naming entities becomes the list of them (a firewall blocks each IP); a
 * template inside other text joins them with ", ".
 */
import type { Plan } from '../../../shared/plan-schemas.js';
import { TEMPLATE_FIELD_PREFIX } from '../../../shared/plan-schemas.js';
import type { IncidentAlertFacts } from '../alert/index.js';

type Value = string | string[];
type Parameter = NonNullable<NonNullable<Plan['actions']>[number]['parameters']>[string];
export type FilledParameter = string | number | boolean | string[];

export interface TemplateSubject {
  incident: { key: string; title: string; category: string; grade: string; url: string };
  planId: string;
  alerts: IncidentAlertFacts;
}

const TEMPLATE = /\{\{([^{}]*)\}\}/g;
const WHOLE = /^\s*\{\{([^{}]*)\}\}\s*$/;

/** The value a template name stands for (undefined: the incident has none, e.g. no alert). */
export function templateValue(name: string, s: TemplateSubject): Value | undefined {
  const latest = s.alerts.latest;
  switch (name) {
    case 'incident.key':
      return s.incident.key;
    case 'incident.title':
      return s.incident.title;
    case 'incident.category':
      return s.incident.category;
    case 'incident.grade':
      return s.incident.grade;
    case 'incident.url':
      return s.incident.url;
    case 'plan.id':
      return s.planId;
    case 'alert.id':
      return latest?.id;
    case 'alert.rule_id':
      return latest?.ruleId;
    case 'alert.title':
      return latest?.title;
    case 'alert.level':
      return latest?.level;
    case 'alert.entities.ip':
      return s.alerts.entities.ips;
    case 'alert.entities.account':
      return s.alerts.entities.accounts;
    case 'alert.entities.host':
      return s.alerts.entities.hosts;
  }
  if (name.startsWith(TEMPLATE_FIELD_PREFIX)) {
    const v = latest?.fields[name.slice(TEMPLATE_FIELD_PREFIX.length)];
    if (v == null) return undefined;
    return Array.isArray(v) ? v.map(String) : String(v);
  }
  return undefined;
}

function fillText(text: string, s: TemplateSubject, missing: Set<string>): FilledParameter {
  const whole = WHOLE.exec(text);
  if (whole) {
    const name = whole[1]!.trim();
    const v = templateValue(name, s);
    if (v === undefined || (Array.isArray(v) && v.length === 0)) missing.add(name);
    return v ?? '';
  }
  return text.replace(TEMPLATE, (_, raw: string) => {
    const name = raw.trim();
    const v = templateValue(name, s);
    if (v === undefined || (Array.isArray(v) && v.length === 0)) missing.add(name);
    return Array.isArray(v) ? v.join(', ') : (v ?? '');
  });
}

/** The parameters filled in, and the template names that had no value (the action cannot run without them). */
export function fillParameters(
  parameters: Record<string, Parameter> | undefined,
  s: TemplateSubject,
): { values: Record<string, FilledParameter>; missing: string[] } {
  const missing = new Set<string>();
  const values: Record<string, FilledParameter> = {};
  for (const [k, p] of Object.entries(parameters ?? {})) {
    if (typeof p === 'string') values[k] = fillText(p, s, missing);
    else if (Array.isArray(p))
      values[k] = p.flatMap((x) => fillText(x, s, missing)).filter((x) => x !== '') as string[];
    else values[k] = p;
  }
  return { values, missing: [...missing] };
}
