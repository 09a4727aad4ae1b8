/**
 * Shared test fixtures: the actor tests act as, and factories (like Outline's `buildUser`) that make
 * valid records through the real services, so they stay valid as the code changes. Every factory takes
 * the services and the fields a test cares about; the rest get defaults that are unique where they must be.
 */
import type { z } from 'zod';
import type { Services } from '../../src/server/compose.js';
import type { RaiseOutcome } from '../../src/server/modules/alert/index.js';
import type { Actor } from '../../src/server/modules/audit/index.js';
import type { Principal } from '../../src/server/modules/auth/index.js';
import type { RuleMatch } from '../../src/server/modules/detection/index.js';
import type { NewUser } from '../../src/server/modules/user/index.js';
import type { TokenScope } from '../../src/shared/enums.js';
import { IncidentCreate, type Incident } from '../../src/shared/incident-schemas.js';
import type { Service } from '../../src/shared/service-schemas.js';
import type { User } from '../../src/shared/user-schemas.js';

/** The audit actor of what tests set up directly through the services (no person). */
export const SYSTEM: Actor = { id: null, label: 'test' };

/** The password of every user the factories and `TestApp.login` create. */
export const PASSWORD = 'correct-horse-battery-staple';

let seq = 0;

/** A user made through the user service: a responder with a unique email and PASSWORD unless told otherwise. */
export async function buildUser(s: Services, overrides: Partial<NewUser> = {}): Promise<User> {
  const role = overrides.role ?? 'responder';
  const n = ++seq;
  return s.users.create(SYSTEM, {
    email: `${role}-${n}@test.example`,
    name: `${role} ${n}`,
    role,
    password: PASSWORD,
    ...overrides,
  });
}

/** A principal calling the services directly (as the CLI does): a new user (an admin unless told otherwise), or `user`. */
export async function buildPrincipal(
  s: Services,
  overrides: Partial<NewUser> & { user?: User } = {},
): Promise<Principal> {
  const { user, ...fields } = overrides;
  return {
    user: user ?? (await buildUser(s, { role: 'admin', ...fields })),
    via: 'cli',
    scopes: null,
    restrictedTo: null,
  };
}

/** Whoever declares an incident when a test does not say: one administrator per set of services. */
const declarers = new WeakMap<Services, Promise<Principal>>();

/**
 * An incident declared through the incident service (defaults filled in by the API's schema, as a
 * request would be), by `by`: a principal, or a signed-in session (its user, as the console declares),
 * else an administrator made once for these services.
 */
export async function buildIncident(
  s: Services,
  overrides: Partial<z.input<typeof IncidentCreate>> & { by?: Principal | { userId: string } } = {},
): Promise<Incident> {
  const { by, ...fields } = overrides;
  let principal: Principal;
  if (!by) {
    if (!declarers.has(s)) declarers.set(s, buildPrincipal(s));
    principal = await declarers.get(s)!;
  } else if ('user' in by) principal = by;
  else principal = { user: await s.users.get(by.userId), via: 'session', scopes: null, restrictedTo: null };
  const input = IncidentCreate.parse({ title: `Incident ${++seq}`, category: 'other', grade: 'IV', ...fields });
  return s.incidents.create(principal, input);
}

/** A rule match as detection hands it to alert intake: a low-level detection with a unique rule id, no events, now. */
function ruleMatch(s: Services, overrides: Partial<RuleMatch> = {}): RuleMatch {
  return {
    ruleId: `test-rule-${++seq}`,
    ruleTitle: 'Test alert',
    level: 'low',
    tags: [],
    kind: 'detection',
    events: [],
    time: s.clock.now(),
    ...overrides,
  };
}

/** An alert raised through alert intake from one rule match (see `ruleMatch`); what intake made of it. */
export async function buildAlert(s: Services, overrides: Partial<RuleMatch> = {}): Promise<RaiseOutcome> {
  const [out] = await s.alerts.raise([ruleMatch(s, overrides)]);
  return out!;
}

/** An API token of `userId` made through the token service (read scope unless told otherwise); the secret is in `token`. */
export async function buildToken(
  s: Services,
  userId: string,
  overrides: { name?: string; scopes?: TokenScope[]; expiresAt?: number } = {},
) {
  return s.tokens.create(SYSTEM, userId, { name: `token ${++seq}`, scopes: ['read'], ...overrides });
}

/** A business service in the catalogue: online trading unless told otherwise. */
export async function buildService(
  s: Services,
  overrides: Partial<{ key: string; nameZh: string; nameEn: string; description: string }> = {},
): Promise<Service> {
  return s.catalog.create(SYSTEM, {
    key: 'online-trading',
    nameZh: '网上交易',
    nameEn: 'Online trading',
    description: '',
    ...overrides,
  });
}
