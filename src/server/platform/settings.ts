/**
 * The effective configuration for people to read (GET /api/v1/settings): every TOCSIN_* variable the
 * server validates, with the value it uses and whether it came from the environment or is the default.
 * Secrets are never shown: a variable named like a password, secret, token or key is only "set" or
 * "not set", and passwords, tokens and keys inside URLs (a database URL) are masked.
 */
import type { Setting } from '../../shared/settings-schemas.js';

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL|(^|_)KEY($|_)/;
const SECRET_PARAM = /pass|secret|token|key|credential/i;
const MASK = '***';

/** A value with any credentials in it masked (URL user info password, secret-looking query parameters). */
export function maskValue(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return value;
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  let changed = false;
  if (u.password) {
    u.password = MASK;
    changed = true;
  }
  for (const k of [...u.searchParams.keys()]) {
    if (SECRET_PARAM.test(k)) {
      u.searchParams.set(k, MASK);
      changed = true;
    }
  }
  return changed ? decodeURIComponent(u.toString()) : value;
}

/**
 * Describes `names` (in order): `raw` is the environment as given, `parsed` the validated values with
 * defaults, `effective` what the server derives for some of them (a resolved path, the public URL).
 */
export function describeSettings(
  names: string[],
  raw: Record<string, string | undefined>,
  parsed: Record<string, unknown>,
  effective: Record<string, string | null | undefined> = {},
): Setting[] {
  return names.map((name) => {
    const source = raw[name] !== undefined && raw[name] !== '' ? ('env' as const) : ('default' as const);
    const v = name in effective ? effective[name] : parsed[name];
    const text = v === undefined || v === null ? null : Array.isArray(v) ? v.join(',') : String(v);
    if (SECRET_NAME.test(name)) return { name, value: null, source, secret: true, set: text !== null && text !== '' };
    return { name, value: text === null ? null : maskValue(text), source, secret: false, set: text !== null };
  });
}
