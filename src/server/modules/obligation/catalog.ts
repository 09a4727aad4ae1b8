/**
 * The obligation catalog shipped with Tocsin (`obligations/*.yml`, one obligation a file, and the PRC
 * holiday calendars in `obligations/calendars/cn-YYYY.yml`), read and validated once. A file that is not
 * valid refuses the whole catalog, with one line per problem: file, path and reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { Obligation } from '../../../shared/obligation-schemas.js';
import { bundledPath } from '../../platform/bundled.js';
import { type Calendars, createCalendars, PrcYearFile, type PrcYear, prcYear } from './calendars.js';

const MAX_FILE_BYTES = 256 * 1024;
const isYaml = (f: string) => /\.ya?ml$/i.test(f);

export interface ObligationCatalog {
  obligations: Obligation[];
  calendars: Calendars;
}

/** A catalog that cannot be used; `problems` are `FILE: PATH: reason` lines. */
export class CatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`the obligation catalog is not valid: ${problems.join('; ')}`);
    this.name = 'CatalogError';
  }
}

function readYaml(file: string, problems: string[]): unknown {
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_FILE_BYTES) {
      problems.push(`${file}: is ${size} bytes; the limit is ${MAX_FILE_BYTES}`);
      return undefined;
    }
    return parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 100, prettyErrors: false, uniqueKeys: true });
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

function checked<T>(schema: z.ZodType<T>, file: string, problems: string[]): T | undefined {
  const before = problems.length;
  const data = readYaml(file, problems);
  if (problems.length > before) return undefined;
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
    problems.push(`${file}: ${where}${issue.message}`);
  }
  return undefined;
}

/** Reads and validates the catalog in `dir`; throws CatalogError naming every problem. */
export function loadObligationCatalog(dir: string): ObligationCatalog {
  const problems: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter(isYaml).sort();
  } catch (err) {
    throw new CatalogError([
      `${dir}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    ]);
  }
  const obligations: Obligation[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const o = checked(Obligation, file, problems);
    if (!o) continue;
    if (o.id !== path.basename(name).replace(/\.ya?ml$/i, ''))
      problems.push(`${file}: id: "${o.id}" differs from the file's name`);
    else if (seen.has(o.id)) problems.push(`${file}: id: "${o.id}" is also in ${seen.get(o.id)}`);
    else {
      seen.set(o.id, file);
      obligations.push(o);
    }
  }
  if (names.length === 0) problems.push(`${dir}: no obligation files (*.yml, *.yaml)`);
  const prc = new Map<number, PrcYear>();
  const calDir = path.join(dir, 'calendars');
  const calNames = fs.existsSync(calDir) ? fs.readdirSync(calDir).filter((f) => /^cn-\d{4}\.ya?ml$/i.test(f)) : [];
  for (const name of calNames.sort()) {
    const file = path.join(calDir, name);
    const y = checked(PrcYearFile, file, problems);
    if (!y) continue;
    if (!name.startsWith(`cn-${y.year}.`)) problems.push(`${file}: year: ${y.year} differs from the file's name`);
    else prc.set(y.year, prcYear(y));
  }
  if (problems.length) throw new CatalogError(problems);
  return { obligations, calendars: createCalendars(prc) };
}

let bundled: ObligationCatalog | undefined;

/** The catalog shipped with Tocsin, read once. */
export function bundledObligationCatalog(): ObligationCatalog {
  if (!bundled) {
    const dir = bundledPath('obligations');
    if (!dir) throw new CatalogError(['obligations/: the shipped obligation catalog is missing']);
    bundled = loadObligationCatalog(dir);
  }
  return bundled;
}

/**
 * The shipped catalog as an object that reads it when first used: a process that composes the services
 * and never evaluates an obligation (every store command of the CLI) does not parse it — ~200 ms of a
 * fresh process, the YAML library's first run. The shipped files are checked by the tests; a firm's own
 * catalog (TOCSIN_OBLIGATIONS_DIR) is still read at start, so a problem in it refuses the start.
 */
export function lazyBundledObligationCatalog(): ObligationCatalog {
  return {
    get obligations() {
      return bundledObligationCatalog().obligations;
    },
    get calendars() {
      return bundledObligationCatalog().calendars;
    },
  };
}
