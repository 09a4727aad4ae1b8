/**
 * The identity file (TOCSIN_IDENTITY_FILE, YAML or JSON): the firm's directories people sign in with —
 * OIDC providers and LDAP / Active Directory servers — each with its group -> role mapping, and whether
 * local (password) sign-in is kept for break-glass accounts only. Secrets are named by environment
 * variable (`clientSecretEnv`, `bindPasswordEnv`) and read here, never written in the file nor logged.
 * Validated once at start; every problem is listed and the start refused (docs/identity.md).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { USER_ROLES, type UserRole } from '../../shared/enums.js';
import { readConfigFile } from './config-file.js';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'an environment variable name (A-Z, 0-9, _)');
const RoleMapping = z
  .array(z.strictObject({ group: z.string().min(1).max(1000), role: z.enum(USER_ROLES) }))
  .min(1, 'map at least one group to a role')
  .max(500);

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lowercase letters, digits and dashes (at most 32)'),
  label: z.string().min(1).max(100),
  /** First entry whose group the person is in gives the role; nobody in a mapped group cannot sign in. */
  roles: RoleMapping,
  /**
   * The provider's SCIM client may create, update and disable users (docs/scim.md): it calls
   * /scim/v2 with an API token of scope `scim` named `scim:<this provider's id>`.
   */
  scim: z.boolean().default(false),
};

const OidcSchema = z.strictObject({
  ...common,
  kind: z.literal('oidc'),
  issuer: z.url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  clientId: z.string().min(1).max(500),
  clientSecretEnv: envName.optional(),
  scopes: z
    .array(z.string().regex(/^[\x21-\x7e]{1,100}$/))
    .max(20)
    .default(['openid', 'profile', 'email']),
  claims: z
    .strictObject({
      name: z.string().min(1).max(100).default('name'),
      email: z.string().min(1).max(100).default('email'),
      groups: z.string().min(1).max(100).default('groups'),
    })
    .prefault({}),
  /** `provider`: the provider's `amr`/`acr` showing a second factor stands for Tocsin's; `totp`: Tocsin's TOTP always. */
  mfa: z.enum(['provider', 'totp']).default('provider'),
  /** `amr` values that count as a second factor (RFC 8176), and `acr` values that do. */
  mfaAmr: z.array(z.string().min(1).max(100)).max(20).default(['mfa', 'otp', 'hwk', 'swk', 'sms', 'fpt', 'face']),
  mfaAcr: z.array(z.string().min(1).max(200)).max(20).default([]),
  /** An http:// issuer is refused unless this is true (tests, a lab). */
  allowHttp: z.boolean().default(false),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
});

const LdapSchema = z.strictObject({
  ...common,
  kind: z.enum(['ldap', 'active_directory']),
  url: z.string().regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'ldap://host[:port] or ldaps://host[:port]'),
  startTls: z.boolean().default(false),
  /** PEM file of the CA that signed the server's certificate (else the system's). */
  caFile: z.string().min(1).optional(),
  bindDn: z.string().min(1).max(1000),
  bindPasswordEnv: envName,
  userBase: z.string().min(1).max(1000),
  /** `{username}` is replaced by the typed name, escaped (RFC 4515). */
  userFilter: z.string().min(3).max(1000).includes('{username}', { message: 'must contain {username}' }),
  attributes: z
    .strictObject({
      name: z.string().min(1).max(100).default('cn'),
      email: z.string().min(1).max(100).default('mail'),
    })
    .prefault({}),
  /** Groups: the user entry's `memberOf`, or a search under `base` (`{dn}` is the user's DN, escaped). */
  groups: z
    .strictObject({
      memberOf: z.boolean().default(false),
      base: z.string().min(1).max(1000).optional(),
      filter: z.string().min(3).max(1000).optional(),
      nameAttribute: z.string().min(1).max(100).default('cn'),
    })
    .prefault({}),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
});

const FileSchema = z.strictObject({
  /** `break_glass`: once a directory is configured, only the accounts listed in `breakGlass` sign in with a password. */
  localSignIn: z.enum(['all', 'break_glass']).default('all'),
  breakGlass: z.array(z.email().max(254)).max(50).default([]),
  providers: z
    .array(z.discriminatedUnion('kind', [OidcSchema, LdapSchema]))
    .max(50)
    .default([]),
});

type OidcFile = z.infer<typeof OidcSchema>;
type LdapFile = z.infer<typeof LdapSchema>;
export type OidcProviderConfig = Omit<OidcFile, 'clientSecretEnv'> & { clientSecret: string | null };
export type LdapProviderConfig = Omit<LdapFile, 'bindPasswordEnv' | 'caFile' | 'groups'> & {
  bindPassword: string;
  ca: string | null;
  groups: { memberOf: boolean; base: string | null; filter: string | null; nameAttribute: string };
};
export type IdentityProviderConfig = OidcProviderConfig | LdapProviderConfig;

export interface IdentityConfig {
  localSignIn: 'all' | 'break_glass';
  /** Emails of the local accounts kept for emergencies (lower case). */
  breakGlass: string[];
  providers: IdentityProviderConfig[];
}

export const NO_IDENTITY: IdentityConfig = { localSignIn: 'all', breakGlass: [], providers: [] };

/** The role the first mapping entry naming one of `groups` gives (group names compared without case), or null. */
export function roleFor(
  mapping: readonly { group: string; role: UserRole }[],
  groups: readonly string[],
): UserRole | null {
  const held = new Set(groups.map((g) => g.toLowerCase()));
  return mapping.find((m) => held.has(m.group.toLowerCase()))?.role ?? null;
}

/** Reads and validates the identity file; `env` gives the secrets the file names. */
export function loadIdentityFile(
  file: string,
  env: NodeJS.ProcessEnv,
): { identity: IdentityConfig } | { problems: string[] } {
  const read = readConfigFile(file, 'TOCSIN_IDENTITY_FILE');
  if ('problems' in read) return read;
  const { data, where } = read;
  const r = FileSchema.safeParse(data ?? {});
  if (!r.success)
    return { problems: r.error.issues.map((i) => `${where}: ${i.path.join('.') || '(file)'}: ${i.message}`) };
  const problems: string[] = [];
  const ids = new Set<string>();
  const providers = r.data.providers.map((p, i): IdentityProviderConfig => {
    const at = `${where}: providers.${i}`;
    if (ids.has(p.id)) problems.push(`${at}.id: "${p.id}" is configured twice`);
    ids.add(p.id);
    const secret = (name: string | undefined, field: string) => {
      if (!name) return null;
      const v = env[name];
      if (!v) problems.push(`${at}.${field}: the environment variable ${name} is not set`);
      return v ?? '';
    };
    if (p.kind === 'oidc') {
      if (p.issuer.startsWith('http:') && !p.allowHttp)
        problems.push(`${at}.issuer: must be https:// (allowHttp: true for a lab)`);
      if (!p.scopes.includes('openid')) problems.push(`${at}.scopes: must include openid`);
      const { clientSecretEnv, ...rest } = p;
      return { ...rest, clientSecret: secret(clientSecretEnv, 'clientSecretEnv') };
    }
    const { bindPasswordEnv, caFile, groups, ...rest } = p;
    let ca: string | null = null;
    if (caFile) {
      try {
        ca = fs.readFileSync(caFile, 'utf8');
      } catch (err) {
        problems.push(`${at}.caFile: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    if (!groups.memberOf && !groups.base) problems.push(`${at}.groups: set memberOf: true or a group search base`);
    const filter =
      groups.filter ??
      (p.kind === 'active_directory'
        ? '(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={dn}))'
        : '(&(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))(|(member={dn})(uniqueMember={dn})))');
    return {
      ...rest,
      bindPassword: secret(bindPasswordEnv, 'bindPasswordEnv') ?? '',
      ca,
      groups: { memberOf: groups.memberOf, base: groups.base ?? null, filter, nameAttribute: groups.nameAttribute },
    };
  });
  if (r.data.localSignIn === 'break_glass' && r.data.breakGlass.length === 0)
    problems.push(`${where}: breakGlass: list at least one local administrator when localSignIn is break_glass`);
  if (problems.length) return { problems };
  return {
    identity: {
      localSignIn: r.data.localSignIn,
      breakGlass: r.data.breakGlass.map((e) => e.trim().toLowerCase()),
      providers,
    },
  };
}
