/**
 * The `{{ name }}` template language of plans and connectors (names: TEMPLATE_NAMES of plan-schemas.ts,
 * or whatever values a connector is given, such as an action's parameters). A value that is a list is
 * joined with ", " in text; `json: true` escapes each value for the inside of a JSON string (a body
 * template such as `{"ip": "{{ ip }}"}` stays valid JSON whatever the value holds).
 */

export type TemplateValue = string | number | boolean | null | readonly (string | number | boolean)[];

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const TEMPLATE = /\{\{([^{}]*)\}\}/g;

/** Renders `text`; a name without a value is an error (never silently empty). */
export function renderTemplate(
  text: string,
  values: Readonly<Record<string, TemplateValue | undefined>>,
  opts: { json?: boolean } = {},
): string {
  if (/\{\{|\}\}/.test(text.replace(TEMPLATE, '')))
    throw new TemplateError('a template is not closed: write {{ name }}');
  return text.replace(TEMPLATE, (_m, raw: string) => {
    const name = raw.trim();
    const v = Object.hasOwn(values, name) ? values[name] : undefined;
    if (v === undefined) throw new TemplateError(`the template names "${name}", which has no value`);
    const out = Array.isArray(v) ? v.map(String).join(', ') : v === null ? '' : String(v);
    return opts.json ? JSON.stringify(out).slice(1, -1) : out;
  });
}
