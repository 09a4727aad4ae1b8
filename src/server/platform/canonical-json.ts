/** RFC 8785 canonical JSON (the `canonicalize` package), typed for NodeNext's view of its CJS export. */
import canonicalizeModule from 'canonicalize';

const serialize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

export function canonicalJson(value: unknown): string {
  return serialize(value) ?? 'null';
}
