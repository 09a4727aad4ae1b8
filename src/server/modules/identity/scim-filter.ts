/**
 * The SCIM filters Tocsin answers (RFC 7644 section 3.4.2.2): equality on the attributes clients look
 * users and groups up by (`userName eq "alice@firm.example"`, `externalId eq "..."`, `displayName eq
 * "..."`, `id eq "..."`), joined by `and`. Anything else is refused with scimType invalidFilter.
 */
import { AppError } from '../../platform/errors.js';
import type { ScimType } from '../../../shared/scim-schemas.js';

/** An error a SCIM client understands: its HTTP status and RFC 7644 scimType (rendered by http/scim-error.ts). */
export const scimError = (status: 400 | 404 | 409 | 403, scimType: ScimType | null, detail: string) =>
  new AppError(
    status,
    status === 404 ? 'not-found' : status === 409 ? 'conflict' : status === 403 ? 'forbidden' : 'bad-request',
    'SCIM error',
    detail,
    undefined,
    undefined,
    {
      code: status === 404 ? 'not_found' : status === 409 ? 'conflict' : status === 403 ? 'forbidden' : 'bad_request',
      ...(scimType ? { params: { scimType } } : {}),
    },
  );

export type ScimFilter = Record<string, string>;

const CLAUSE = /^\s*([A-Za-z][A-Za-z0-9.:]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;

/** Parses `attr eq "value" [and attr eq "value"]` over `allowed` attributes (names compared without case). */
export function parseScimFilter(filter: string | undefined, allowed: readonly string[]): ScimFilter {
  if (!filter?.trim()) return {};
  const out: ScimFilter = {};
  for (const part of filter.split(/\s+and\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/i)) {
    const m = CLAUSE.exec(part);
    const attr = m && allowed.find((a) => a.toLowerCase() === m[1]!.toLowerCase().replace(/^urn:.*:/, ''));
    if (!m || !attr)
      throw scimError(
        400,
        'invalidFilter',
        `filter not supported: use ${allowed.map((a) => `${a} eq "..."`).join(', ')}, joined by "and"`,
      );
    out[attr] = m[2]!.replace(/\\(.)/g, '$1');
  }
  return out;
}
