/**
 * The bundled inject scripts (drills/*.yml): each plan scenario's scripted injects, checked with zod when
 * read. A drill created from a plan with `useScript` takes that plan's script.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { InjectScriptFile, type InjectScript } from '../../../shared/drill-schemas.js';
import { bundledPath } from '../../platform/bundled.js';

/** Reads every `*.yml` of `dir`; throws with the file and the first problem when one is not valid. */
function loadInjectScripts(dir: string | null = bundledPath('drills')): Map<string, InjectScript> {
  const out = new Map<string, InjectScript>();
  if (!dir) return out;
  for (const name of fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const file = path.join(dir, name);
    const raw = parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 100, prettyErrors: false, uniqueKeys: true });
    const r = InjectScriptFile.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
    }
    for (const s of r.data.scripts) out.set(s.plan, s);
  }
  return out;
}

let bundled: Map<string, InjectScript> | undefined;

/**
 * The bundled scripts, read when first asked for: a process that never runs a drill (every store command
 * of the CLI composes the services) does not parse YAML for them.
 */
export function bundledInjectScripts(): Map<string, InjectScript> {
  bundled ??= loadInjectScripts();
  return bundled;
}
