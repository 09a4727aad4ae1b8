/** Renders docs/permissions.md from the route table and the permission matrix, so the document cannot drift from the code. */
import { USER_ROLES } from '../../shared/enums.js';
import { PERMISSIONS, type Permission } from '../../shared/permissions.js';
import type { AnyRoute } from './route.js';

const INTRO = `# Permissions

Tocsin enforces this matrix on the server for every API route; the console only hides what the
server would refuse anyway. A request without a session or token gets \`401\`; a signed-in caller
whose role (or token scope) lacks the route's permission gets \`403\`. A session that still owes its
second factor (or, under \`TOCSIN_REQUIRE_MFA\`, an enrolment) may only finish that step, read or end
its session: every other route answers \`403\` until it does. So may a session signed in with a
one-time password, which must change it first (\`POST /api/v1/me/password\`; see docs/auth.md).

**Need-to-know.** A restricted incident is visible only to its commander and participants and to
administrators. For anyone else it does not exist: reading or changing it answers \`404\` (never
\`403\`, which would confirm it exists), it is left out of their incident lists and searches, and
its changes are not pushed on their live stream (\`GET /api/v1/stream\`, which needs
\`incident.read\`). The role columns below are the first gate; need-to-know is the second.

**API tokens.** A token acts for the user who created it, with that user's role, and is further
limited by its scopes: \`read\` allows the read permissions, \`write\` the write permissions (and
reads), \`events\` only sending events and complaints (for log forwarders and the call centre),
\`admin\` everything the user's role allows. Token-authenticated requests need no CSRF
header; cookie sessions must send \`X-CSRF-Token\` on every write. A token cannot manage the
second factor.

\`GET /api/v1/health\` and \`GET /api/v1/openapi.json\` are public.

This file is generated from \`apiRoutes()\` (src/server/http/app.ts) and \`PERMISSIONS\`
(src/shared/permissions.ts); \`src/server/http/permissions-doc.test.ts\` fails when they disagree.
Regenerate it with \`TOCSIN_UPDATE_DOCS=1 npx vitest run src/server/http/permissions-doc.test.ts\`.
`;

const code = (s: string) => `\`${s}\``;

function rolesFor(access: AnyRoute['access']): string {
  if (access === 'public') return 'anyone, without signing in';
  if (access === 'signed-in') return 'any signed-in user';
  const roles = PERMISSIONS[access].roles as readonly string[];
  return roles.length === USER_ROLES.length ? `every role (${roles.map(code).join(', ')})` : roles.map(code).join(', ');
}

/** The permissions document: an intro, the matrix by permission, and every route with who may call it. */
export function renderPermissionsMarkdown(routes: readonly AnyRoute[]): string {
  const lines = [INTRO, '## Permissions by role', '', '| permission | token scope | roles allowed |', '| --- | --- | --- |'];
  for (const name of Object.keys(PERMISSIONS) as Permission[]) {
    lines.push(`| ${code(name)} | ${code(PERMISSIONS[name].scope)} | ${rolesFor(name)} |`);
  }
  lines.push('', '## Routes', '', '| method | path | permission | roles allowed |', '| --- | --- | --- | --- |');
  for (const r of routes) {
    lines.push(`| ${r.method} | ${code(r.url)} | ${code(r.access)} | ${rolesFor(r.access)} |`);
  }
  return `${lines.join('\n')}\n`;
}
