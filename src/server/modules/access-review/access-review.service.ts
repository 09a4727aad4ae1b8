/**
 * The security officer's access review (issue 17, docs/access-review.md): every account with its role,
 * how it signs in, second factor, last sign-in, dormancy and open sessions; every API token with its
 * owner, scopes and dates. Read from the user, identity and auth modules' services; every read is
 * audited (it is an access to personal data).
 */
import type { AccessReview, AccessReviewAccount, AccessReviewToken } from '../../../shared/access-review-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import { iso, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { AuthService, TokenService } from '../auth/index.js';
import type { IdentityService } from '../identity/index.js';
import type { UserService } from '../user/index.js';

const DAY_MS = 86_400_000;
/** Tokens read a page at a time, at most this many in all. */
const TOKEN_PAGE = 500;
const TOKENS_MAX = 50_000;

/** `password`, `oidc:<provider>`, `ldap:<provider>` or `break-glass`, from "who can sign in how". */
export function methodLabel(m: { method: 'local' | 'oidc' | 'ldap'; provider: string | null; breakGlass: boolean }) {
  if (m.method === 'local') return m.breakGlass ? 'break-glass' : 'password';
  return `${m.method}:${m.provider ?? ''}`;
}

export function createAccessReviewService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  users: UserService;
  identity: IdentityService;
  auth: AuthService;
  tokens: TokenService;
}) {
  const { store, audit, clock, users, identity, auth, tokens } = deps;

  async function allTokens() {
    const out: Awaited<ReturnType<TokenService['list']>>['items'] = [];
    let cursor: string | undefined;
    do {
      const page = await tokens.list(undefined, cursor, TOKEN_PAGE);
      out.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor && out.length < TOKENS_MAX);
    return out;
  }

  /** The review as it stands now; `dormantDays`: no sign-in for that many days makes an enabled account dormant. */
  async function build(dormantDays: number): Promise<AccessReview> {
    const now = clock.now();
    const cutoff = now - dormantDays * DAY_MS;
    const [methods, accounts, sessions, tokenList] = await Promise.all([
      identity.signInMethods(),
      users.signInMethods(),
      auth.activeSessionCounts(),
      allTokens(),
    ]);
    const methodOf = new Map(methods.map((m) => [m.user.id, m]));
    const rows: AccessReviewAccount[] = accounts.map(({ user, lastSignInAt }) => {
      const m = methodOf.get(user.id);
      const since = lastSignInAt ?? Date.parse(user.createdAt);
      return {
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        signInMethod: m ? methodLabel(m) : 'password',
        mfaEnabled: user.mfaEnabled,
        lastSignInAt: lastSignInAt == null ? null : iso(lastSignInAt),
        createdAt: user.createdAt,
        dormant: !user.disabled && since <= cutoff,
        disabled: user.disabled,
        activeSessions: sessions.get(user.id) ?? 0,
      };
    });
    const owners = new Map(rows.map((r) => [r.id, r]));
    const tokenRows: AccessReviewToken[] = tokenList.map((t) => ({
      id: t.id,
      ownerId: t.userId,
      ownerName: owners.get(t.userId)?.name ?? '',
      ownerEmail: owners.get(t.userId)?.email ?? '',
      label: t.name,
      scopes: t.scopes,
      createdAt: t.createdAt!,
      lastUsedAt: t.lastUsedAt,
      expiresAt: t.expiresAt,
      revokedAt: t.revokedAt,
      status: t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) <= now ? 'expired' : 'active',
    }));
    return {
      generatedAt: iso(now),
      dormantDays,
      summary: {
        accounts: rows.length,
        disabled: rows.filter((r) => r.disabled).length,
        dormant: rows.filter((r) => r.dormant).length,
        withoutMfa: rows.filter((r) => !r.disabled && !r.mfaEnabled).length,
        activeTokens: tokenRows.filter((t) => t.status === 'active').length,
      },
      accounts: rows,
      tokens: tokenRows,
    };
  }

  return {
    build,

    /** The review for `actor`, audited as viewed (JSON) or exported (CSV): it lists people's accounts. */
    async read(actor: Actor, dormantDays: number, format: 'json' | 'csv'): Promise<AccessReview> {
      const review = await build(dormantDays);
      await store.transaction((tx) =>
        audit.append(tx, actor, {
          action: format === 'csv' ? 'access_review.export' : 'access_review.view',
          targetType: 'access_review',
          targetId: null,
          after: {
            format,
            dormantDays,
            accounts: review.accounts.length,
            tokens: review.tokens.length,
          },
        }),
      );
      return review;
    },
  };
}

export type AccessReviewService = ReturnType<typeof createAccessReviewService>;
