import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { PERMISSIONS } from '../../shared/permissions.js';
import { apiRoutes } from './app.js';
import { renderPermissionsMarkdown } from './permissions-doc.js';

const DOC = path.resolve('docs/permissions.md');

describe('docs/permissions.md', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(() => t.close());

  it('is exactly what the route table and the permission matrix say', () => {
    const rendered = renderPermissionsMarkdown(apiRoutes(t.s));
    // TOCSIN_UPDATE_DOCS=1 rewrites the file instead of comparing (after a route or matrix change).
    if (process.env.TOCSIN_UPDATE_DOCS) fs.writeFileSync(DOC, rendered);
    expect(fs.readFileSync(DOC, 'utf8')).toBe(rendered);
  });

  it('lists every route with its permission and the roles the matrix allows', () => {
    const routes = apiRoutes(t.s);
    const doc = renderPermissionsMarkdown(routes);
    for (const r of routes) expect(doc).toContain(`| ${r.method} | \`${r.url}\` | \`${r.access}\` |`);
    expect(doc).toMatch(/\| `audit\.read` \| `read` \| `admin`, `auditor` \|/);
    for (const name of Object.keys(PERMISSIONS)) expect(doc).toContain(`| \`${name}\` |`);
    expect(doc).toMatch(/404/);
    expect(doc).toMatch(/scope/);
    // Need-to-know says exactly who sees what, and who changes it.
    expect(doc).toContain('## Need-to-know in detail');
    expect(doc).toMatch(/incident's commander and administrators/);
    expect(doc).toMatch(/"withheld": true/);
    expect(doc).toMatch(/only take command themselves/);
  });
});
