/** `tocsin tokens list`: every token with its owner, dates and state, as a table or JSON lines. */
import type { Services } from '../compose.js';
import { localTime, table, zoneLabel } from './table.js';

/** Prints the tokens (of `userId`, or all), at most 200. */
export async function listTokens(
  s: Services,
  userId: string | undefined,
  json: boolean,
  out: (line: string) => void,
): Promise<void> {
  const { items } = await s.tokens.list(userId, undefined, 200);
  const owners = new Map<string, { email: string; name: string } | null>();
  for (const t of items) {
    if (!owners.has(t.userId)) {
      const u = await s.users.byId(t.userId);
      owners.set(t.userId, u ? { email: u.email, name: u.name } : null);
    }
  }
  const now = s.clock.now();
  const state = (t: (typeof items)[number]) =>
    t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) <= now ? 'expired' : 'active';
  if (json) {
    for (const t of items) out(JSON.stringify({ ...t, owner: owners.get(t.userId) ?? null, state: state(t) }));
    return;
  }
  if (!items.length) return out('no API tokens');
  const zone = zoneLabel();
  const rows = items.map((t) => {
    const owner = owners.get(t.userId);
    return [
      t.id,
      `${t.prefix}…`,
      owner?.email ?? t.userId,
      t.scopes.join(','),
      localTime(t.createdAt),
      t.lastUsedAt ? localTime(t.lastUsedAt) : 'never',
      localTime(t.expiresAt).replace(/^-$/, 'never'),
      state(t),
      t.name,
    ];
  });
  for (const line of table(
    ['ID', 'PREFIX', 'OWNER', 'SCOPES', `CREATED (${zone})`, 'LAST USED', 'EXPIRES', 'STATE', 'NAME'],
    rows,
  ))
    out(line);
}
