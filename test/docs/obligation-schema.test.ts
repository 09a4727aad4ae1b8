/** The published JSON Schema of an obligation file (schemas/obligation.schema.json) is the one the zod schema gives; `npm run schemas` rewrites it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { obligationJsonSchema } from '../../src/shared/obligation-schemas.js';

it('schemas/obligation.schema.json is generated from the current obligation schema (run `npm run schemas`)', () => {
  const committed = readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'obligation.schema.json'), 'utf8');
  expect(committed).toBe(`${JSON.stringify(obligationJsonSchema(), null, 2)}\n`);
});
