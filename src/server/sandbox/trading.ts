/**
 * The trading core stand-in (docs/sandbox.md, "Trading core"): client sessions per account, fund
 * transfer freezes, trading channel halts. State lives in memory for the life of the sandbox.
 */
import type { Clock } from '../platform/ids.js';
import { invalid, notFound, objectBody, type Route, StandIn } from './stand-in.js';

interface Session {
  id: string;
  device: string;
  ip: string;
  startedAt: string;
}

const ACCOUNT = '([A-Za-z0-9_-]{1,40})';
export const TRADING_CHANNELS = ['online', 'mobile', 'phone', 'counter', 'api'] as const;

function accountList(body: unknown): string[] {
  const accounts = objectBody(body).accounts;
  if (
    !Array.isArray(accounts) ||
    accounts.length === 0 ||
    !accounts.every((a) => typeof a === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(a))
  )
    throw invalid('"accounts" must be a non-empty array of account ids');
  return [...new Set(accounts as string[])];
}

const optionalReason = (body: unknown): string | null => {
  const reason = objectBody(body).reason;
  if (reason === undefined || reason === null) return null;
  if (typeof reason !== 'string') throw invalid('"reason" must be a string');
  return reason;
};

export function tradingCore(clock?: Clock): StandIn {
  /** Every account starts with two sessions (web and mobile) until they are revoked. */
  const sessions = new Map<string, Session[]>();
  const frozen = new Map<string, { account: string; frozenAt: string; reason: string | null }>();
  const halted = new Map<string, { since: string; reason: string | null }>();
  const disabled = new Map<string, { since: string; reason: string | null }>();
  const resets = new Map<string, string>();
  const accountState = (account: string) => {
    const d = disabled.get(account);
    return {
      account,
      state: d ? 'disabled' : 'active',
      since: d?.since ?? null,
      reason: d?.reason ?? null,
      passwordResetRequiredSince: resets.get(account) ?? null,
    };
  };

  const sessionsOf = (account: string, now: number): Session[] => {
    let list = sessions.get(account);
    if (!list) {
      const startedAt = new Date(now).toISOString();
      list = [
        { id: `${account}-s1`, device: 'web', ip: '198.51.100.10', startedAt },
        { id: `${account}-s2`, device: 'mobile', ip: '203.0.113.20', startedAt },
      ];
      sessions.set(account, list);
    }
    return list;
  };

  const channelState = (channel: string) => {
    const h = halted.get(channel);
    return { channel, state: h ? 'halted' : 'open', since: h?.since ?? null, reason: h?.reason ?? null };
  };

  const channel = (name: string | undefined): string => {
    if (!(TRADING_CHANNELS as readonly string[]).includes(name ?? ''))
      throw notFound(`unknown channel "${name}" (known: ${TRADING_CHANNELS.join(', ')})`);
    return name as string;
  };

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: new RegExp(`^/accounts/${ACCOUNT}/sessions$`),
      handle: ({ params: [account], now }) => ({
        status: 200,
        body: { account, sessions: sessionsOf(account as string, now) },
      }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/accounts/${ACCOUNT}/sessions/revoke$`),
      handle: ({ params: [account], body, now }) => {
        const ids = objectBody(body).sessionIds;
        if (ids !== undefined && (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string')))
          throw invalid('"sessionIds" must be an array of session ids (omit it to revoke all)');
        const list = sessionsOf(account as string, now);
        const revoke = list.filter((s) => ids === undefined || (ids as string[]).includes(s.id));
        const remaining = list.filter((s) => !revoke.includes(s));
        sessions.set(account as string, remaining);
        return { status: 200, body: { account, revoked: revoke.map((s) => s.id), remaining: remaining.length } };
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/accounts/${ACCOUNT}$`),
      handle: ({ params: [account] }) => ({ status: 200, body: accountState(account as string) }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/accounts/${ACCOUNT}/disable$`),
      handle: ({ params: [account], body, now }) => {
        const reason = optionalReason(body);
        if (!disabled.has(account as string))
          disabled.set(account as string, { since: new Date(now).toISOString(), reason });
        return { status: 200, body: accountState(account as string) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/accounts/${ACCOUNT}/enable$`),
      handle: ({ params: [account] }) => {
        disabled.delete(account as string);
        return { status: 200, body: accountState(account as string) };
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/accounts/${ACCOUNT}/password-reset$`),
      handle: ({ params: [account], now }) => {
        // The next sign-in must set a new password; the sessions open now end.
        if (!resets.has(account as string)) resets.set(account as string, new Date(now).toISOString());
        const revoked = sessionsOf(account as string, now).map((s) => s.id);
        sessions.set(account as string, []);
        return { status: 200, body: { ...accountState(account as string), revoked } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/transfers\/frozen$/,
      handle: () => ({ status: 200, body: { accounts: [...frozen.values()] } }),
    },
    {
      method: 'POST',
      pattern: /^\/transfers\/freeze$/,
      handle: ({ body, now }) => {
        const accounts = accountList(body);
        const reason = optionalReason(body);
        for (const account of accounts)
          if (!frozen.has(account)) frozen.set(account, { account, frozenAt: new Date(now).toISOString(), reason });
        return { status: 200, body: { frozen: accounts.map((a) => frozen.get(a)) } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/transfers\/unfreeze$/,
      handle: ({ body }) => {
        const accounts = accountList(body);
        const unfrozen = accounts.filter((a) => frozen.delete(a));
        return { status: 200, body: { unfrozen, notFrozen: accounts.filter((a) => !unfrozen.includes(a)) } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/channels$/,
      handle: () => ({ status: 200, body: { channels: TRADING_CHANNELS.map(channelState) } }),
    },
    {
      method: 'POST',
      pattern: /^\/channels\/([^/]+)\/halt$/,
      handle: ({ params: [name], body, now }) => {
        const c = channel(name);
        const reason = optionalReason(body);
        if (!halted.has(c)) halted.set(c, { since: new Date(now).toISOString(), reason });
        return { status: 200, body: channelState(c) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/channels\/([^/]+)\/resume$/,
      handle: ({ params: [name] }) => {
        const c = channel(name);
        halted.delete(c);
        return { status: 200, body: channelState(c) };
      },
    },
  ];
  return new StandIn({ name: 'trading', routes, clock });
}
