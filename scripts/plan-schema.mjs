// Writes schemas/plan.schema.json, the published JSON Schema of an emergency plan, from the zod schema in
// src/shared/plan-schemas.ts (`npm run schemas`). test/docs/plan-schema.test.ts fails when the file is stale.
// Likewise schemas/obligation.schema.json from src/shared/obligation-schemas.ts (test/docs/obligation-schema.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { planJsonSchema } = await tsImport('../src/shared/plan-schemas.ts', import.meta.url);
const file = path.join(root, 'schemas', 'plan.schema.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, `${JSON.stringify(planJsonSchema(), null, 2)}\n`);

const { obligationJsonSchema } = await tsImport('../src/shared/obligation-schemas.ts', import.meta.url);
fs.writeFileSync(
  path.join(root, 'schemas', 'obligation.schema.json'),
  `${JSON.stringify(obligationJsonSchema(), null, 2)}\n`,
);
