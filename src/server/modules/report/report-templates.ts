/**
 * Report templates: `templates/reports/<obligation>.<stage>.yml`, one per obligation and stage of the
 * catalog, in the regulator's structure — a title and sections (id, heading and text in zh and en, and for
 * DORA the ITS field code), the texts naming facts of the incident as `{{ fact }}` (report-facts.ts).
 * Read and validated once, kept in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { bundledPath } from '../../platform/bundled.js';

const Pair = z.strictObject({ zh: z.string(), en: z.string() });
const Section = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{1,64}$/),
  /** The data field's code in the regulator's template (DORA ITS), when it has one. */
  code: z.string().optional(),
  heading: Pair,
  zh: z.string(),
  en: z.string(),
});
export const ReportTemplate = z.strictObject({
  title: Pair,
  sections: z.array(Section).min(1),
});
export type ReportTemplate = z.infer<typeof ReportTemplate>;

const MAX_BYTES = 64 * 1024;

/** Parses one template file's text; throws naming the first problem. */
export function parseReportTemplate(text: string, name: string): ReportTemplate {
  const r = ReportTemplate.safeParse(YAML.parse(text));
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new Error(`${name}: ${i.path.map(String).join('.') || 'template'}: ${i.message}`);
  }
  const ids = r.data.sections.map((s) => s.id);
  const twice = ids.find((id, n) => ids.indexOf(id) !== n);
  if (twice) throw new Error(`${name}: section "${twice}" is named twice`);
  return r.data;
}

/** The template of an obligation's stage from `dir` (null: none), read once per file. */
export function createReportTemplates(dir: string | null = bundledPath('templates', 'reports')) {
  const cache = new Map<string, ReportTemplate | null>();
  return {
    get(obligation: string, stage: string): ReportTemplate | null {
      const name = `${obligation}.${stage}`;
      if (cache.has(name)) return cache.get(name)!;
      const file = dir && /^[a-z0-9.-]+$/.test(name) ? path.join(dir, `${name}.yml`) : null;
      let t: ReportTemplate | null = null;
      if (file && fs.existsSync(file)) {
        if (fs.statSync(file).size > MAX_BYTES) throw new Error(`${file}: larger than ${MAX_BYTES} bytes`);
        t = parseReportTemplate(fs.readFileSync(file, 'utf8'), file);
      }
      cache.set(name, t);
      return t;
    },
  };
}
export type ReportTemplates = ReturnType<typeof createReportTemplates>;
