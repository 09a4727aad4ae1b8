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

/** Who sees and who changes what need-to-know protects: the detail behind the intro's paragraph. */
const NEED_TO_KNOW = `## Need-to-know in detail

- **Who sees a restricted incident**: its commander, its participants (in any role) and
  administrators. Nobody else: not the incident commander role as such, not auditors, unless they are
  added to it.
- **Who restricts it**: making an incident restricted or not (either way, \`PATCH /api/v1/incidents/:key\`
  \`restricted\`) is for the incident's commander and administrators; anyone else gets \`403\` naming
  why, and nothing of the edit is applied. Anyone who may declare may declare an incident restricted;
  a declarer who is not an administrator is kept on it as an observer.
- **Naming the commander**, one rule for \`commanderId\` when declaring (\`POST /api/v1/incidents\`),
  when editing (\`PATCH\`) and for the participant role \`incident_commander\`: holders of
  \`incident.participants\` (\`admin\`, \`incident_commander\`) name anyone. Anyone else who may
  declare or edit may only take command themselves of an incident that has no commander (the
  responder on call at 3 a.m. declares, leads, and hands over when a commander arrives); they cannot
  name someone else, replace a commander or remove one (\`403\`).
- **One role per person**: a person is on an incident once; giving someone already on it another role
  changes their role. Naming a new commander takes the previous one off the incident.
- **Its alerts**: an alert in a restricted incident is \`404\` to others, absent from their lists and
  not pushed on their stream. When an alert moves into a restricted incident, the incident it leaves
  gets a timeline entry (and stream event) saying only "An alert moved to a restricted incident" (no
  key, rule, alert or entities); an alert moved out of one arrives "from a restricted incident".
  Members of the restricted incident see the full entries on its own timeline.
- **Suppressions made from its alerts** (false positive with \`suppress\`): their reason, rule, entity
  and alert are shown only to those who may see the incident; others see that the suppression exists,
  with \`reasonWithheld: true\`, and may not end it (\`403\`).
- **The audit log** (\`audit.read\`: \`admin\`, \`auditor\`): administrators see every entry. Anyone
  else sees only the entries about incidents they may see now (the incident's current restriction and
  members, so adding an auditor to an incident shows them its entries). An entry is about an incident
  when it is the incident's own (declared, edited, status, participants, timeline), one of its tasks,
  an alert that is in it now or was when the entry was written (raised, acknowledged, false positive,
  moved in or out), a suppression made from one of its alerts, or when it names the incident (an alert
  moved between two incidents is about both). \`GET /api/v1/audit\` leaves such entries out (filters
  and pages count only what the reader may see: \`?targetId=\` a restricted incident's key answers an
  empty list, as for a key without entries). \`GET /api/v1/audit/export\` keeps their place as
  \`{"seq", "withheld": true, "prevHash", "hash"}\`, so the reader can still check every link of the
  chain (not re-hash the withheld content). \`GET /api/v1/audit/verify\` checks the whole chain on the
  server for every holder of \`audit.read\` and tells only entry numbers. Which incidents an entry is
  about is recorded beside the chain (\`audit_incidents\`), not in its hashes.
- **Customers' personal data** (issue 12): lists and records show phone, email, ID number and bank card
  masked to \`customer.read\` (\`admin\`, \`incident_commander\`, \`communications\`, \`customer_service\`,
  \`compliance\`: those who address customers or check what was sent). The clear values only through
  \`POST /api/v1/customers/:customerNo/reveal\` with a reason, to \`customer.reveal\` (\`admin\`,
  \`customer_service\`, who must call the customer back), each reveal audited with who, which fields and why
  (never the values). Imports and the CRM sync need \`customer.manage\` (\`admin\`, \`customer_service\`); its
  token scope is \`events\`, like the other machine feeds, so a CRM's token can do nothing else.
- **Customer owners** (docs/owners.md): \`owner.work\` lets a user work their own worklist; on one
  customer's case (read it, log contacts, callbacks, notes, state) only the customer's owner passes,
  and anyone else gets \`403\` unless they hold \`owner.manage\` (which also sets pools). Assigning and
  reassigning customers is \`owner.assign\`, narrower, held by \`customer_service\` too (a customer-service
  lead assigns owners without changing pools or working others' cases). The incident's own need-to-know
  still comes first (\`404\`).
- **Compensation** (docs/compensation-claims.md): \`compensation.approve\` lets a role through to the
  approval routes, but the firm's amount tiers decide further: a role approves only amounts within the
  caps of the tiers it belongs to, never a claim it proposed or whose current amount it set, and above
  the two-person cap a second, different approver is needed (each refusal a \`409\` naming the claim).
  Reviewing an assessment run is \`compensation.approve\` too, by someone other than who stored it.
  Payout batches move money and are \`compensation.pay\` (\`admin\`, \`compliance\`): the bank file holds
  payees' names and bank cards in the clear, so each export is audited as a reveal (who, which fields,
  which customers; never the values); reading the batches themselves is \`compensation.read\`.
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
  const lines = [
    INTRO,
    NEED_TO_KNOW,
    '## Permissions by role',
    '',
    '| permission | token scope | roles allowed |',
    '| --- | --- | --- |',
  ];
  for (const name of Object.keys(PERMISSIONS) as Permission[]) {
    lines.push(`| ${code(name)} | ${code(PERMISSIONS[name].scope)} | ${rolesFor(name)} |`);
  }
  lines.push('', '## Routes', '', '| method | path | permission | roles allowed |', '| --- | --- | --- | --- |');
  for (const r of routes) {
    lines.push(`| ${r.method} | ${code(r.url)} | ${code(r.access)} | ${rolesFor(r.access)} |`);
  }
  return `${lines.join('\n')}\n`;
}
