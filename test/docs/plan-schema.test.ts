/** The published JSON Schema of a plan (schemas/plan.schema.json) is the one the zod schema gives; `npm run schemas` rewrites it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { planJsonSchema } from '../../src/shared/plan-schemas.js';

it('schemas/plan.schema.json is generated from the current plan schema (run `npm run schemas`)', () => {
  const committed = readFileSync(join(import.meta.dirname, '..', '..', 'schemas', 'plan.schema.json'), 'utf8');
  expect(committed).toBe(`${JSON.stringify(planJsonSchema(), null, 2)}\n`);
});
