/**
 * The OASIS STIX 2.1 JSON schemas: a pinned copy in test/fixtures/stix (oasis-open/cti-stix2-json-schemas,
 * commit 3bf9e69, BSD-3-Clause, its LICENSE beside it), or TOCSIN_STIX_DIR. Where it is missing, a test that
 * needs it is skipped with a one-line message, except in CI (`CI` set): there it fails.
 *
 * The schemas are JSON Schema 2020-12 with `$id`s on GitHub: every file is added to one Ajv 2020 first, so
 * references resolve offline. Their three formats are checked here (`email`, `uri`, `idn-hostname`), and
 * their patterns are ECMAScript without the `u` flag (one has `\-`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export const STIX_DIR = process.env.TOCSIN_STIX_DIR ?? fileURLToPath(new URL('../fixtures/stix', import.meta.url));
const SCHEMAS = path.join(STIX_DIR, 'schemas');
const ID_BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

export interface StixSchemas {
  /** Whether the suite runs: the schemas are there, or CI requires them. */
  runs: boolean;
  /** Fails (in CI) when the schemas are missing; call it first in the suite. */
  require(): void;
  /** The validator of a STIX object type's schema (sdos/, sros/, observables/, marking-definition), or of `bundle`. */
  validator(type: string): ValidateFunction;
}

export function stixSchemas(what: string): StixSchemas {
  const present = fs.existsSync(path.join(SCHEMAS, 'common', 'bundle.json'));
  const ci = Boolean(process.env.CI);
  if (!present && !ci)
    console.info(`${what}: skipped, the STIX 2.1 schemas are not at ${SCHEMAS} (set TOCSIN_STIX_DIR)`);
  let ajv: Ajv2020 | undefined;
  const load = (): Ajv2020 => {
    if (ajv) return ajv;
    const a = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
    a.addFormat('email', /^[^\s@]+@[^\s@]+$/);
    a.addFormat('idn-hostname', /^(?=.{1,253}$)[^\s./:@]{1,63}(\.[^\s./:@]{1,63})*$/u);
    a.addFormat('uri', (v: string) => URL.canParse(v));
    for (const sub of fs.readdirSync(SCHEMAS))
      for (const f of fs.readdirSync(path.join(SCHEMAS, sub)))
        if (f.endsWith('.json')) a.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMAS, sub, f), 'utf8')));
    ajv = a;
    return a;
  };
  return {
    runs: present || ci,
    require() {
      if (!present) throw new Error(`${what} needs the STIX 2.1 schemas at ${SCHEMAS} (TOCSIN_STIX_DIR)`);
    },
    validator(type) {
      const a = load();
      const file =
        type === 'bundle' || type === 'marking-definition'
          ? `common/${type}.json`
          : ['sdos', 'sros', 'observables']
              .map((d) => `${d}/${type}.json`)
              .find((p) => fs.existsSync(path.join(SCHEMAS, p)));
      if (!file) throw new Error(`no STIX schema for type ${type}`);
      const v = a.getSchema(ID_BASE + file);
      if (!v) throw new Error(`the STIX schema ${file} did not load`);
      return v;
    },
  };
}
