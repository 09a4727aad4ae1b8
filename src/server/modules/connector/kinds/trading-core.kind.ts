/**
 * The trading core (docs/sandbox.md "Trading core"): revoke sessions, freeze fund transfers, halt a
 * channel, disable an account, force a password reset. Several accounts: revoke, disable and reset send
 * one request per account (each with its own idempotency key, `KEY:ACCOUNT`); freeze sends one request
 * for all of them.
 */
import { z } from 'zod';
import type { ActionDef, ActionKindSpec } from '../action-kind.js';
import {
  Account,
  type ApiKeySecrets,
  ApiKeySecrets as Secrets,
  answerJson,
  hostOf,
  jsonRequest,
  OneOrMany,
  Reason,
  seg,
  testGet,
  TypedConfig,
} from './typed-common.js';

type Def<P> = ActionDef<TypedConfig, ApiKeySecrets, P>;

const Accounts = z
  .looseObject({
    account: OneOrMany(Account, 'account').optional(),
    accounts: OneOrMany(Account, 'account').optional(),
  })
  .refine((p) => p.account || p.accounts, {
    message: 'name the account(s): "account" or "accounts"',
    path: ['account'],
  })
  .transform((p) => ({ accounts: [...new Set([...(p.accounts ?? []), ...(p.account ?? [])])] }));

const WithReason = z
  .looseObject({
    account: OneOrMany(Account, 'account').optional(),
    accounts: OneOrMany(Account, 'account').optional(),
    reason: Reason,
    incident: z.string().max(64).optional(),
  })
  .refine((p) => p.account || p.accounts, {
    message: 'name the account(s): "account" or "accounts"',
    path: ['account'],
  })
  .transform((p) => ({
    accounts: [...new Set([...(p.accounts ?? []), ...(p.account ?? [])])],
    reason: p.reason ?? (p.incident ? `Tocsin ${p.incident}` : undefined),
  }));

/** One POST per account, each with its own key; the answers by account. */
const perAccount =
  (path: (a: string) => string, body: (p: { reason?: string }) => unknown = () => ({})) =>
  async (ctx: Parameters<Def<unknown>['run']>[0], p: { accounts: string[]; reason?: string }, suffix = '') => {
    const out: Record<string, unknown> = {};
    for (const a of p.accounts)
      out[a] = answerJson(
        await ctx.send(jsonRequest(ctx.config, ctx.secrets, 'POST', path(a), body(p)), {
          key: `${ctx.key}${suffix}:${a}`,
        }),
      );
    return { accounts: out };
  };

const revokeSessions: Def<{ accounts: string[] }> = {
  name: 'revoke_sessions',
  parameters: Accounts,
  run: (ctx, p) => perAccount((a) => `/accounts/${seg(a)}/sessions/revoke`)(ctx, p),
};

const freezeTransfers: Def<{ accounts: string[]; reason?: string }> = {
  name: 'freeze_transfers',
  parameters: WithReason,
  minApproval: 'two_person',
  run: async (ctx, p) =>
    answerJson(
      await ctx.send(
        jsonRequest(ctx.config, ctx.secrets, 'POST', '/transfers/freeze', {
          accounts: p.accounts,
          ...(p.reason ? { reason: p.reason } : {}),
        }),
      ),
    ),
  rollback: async (ctx, p) =>
    answerJson(
      await ctx.send(jsonRequest(ctx.config, ctx.secrets, 'POST', '/transfers/unfreeze', { accounts: p.accounts }), {
        key: `${ctx.key}:rollback`,
      }),
    ),
};

const CHANNEL = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a trading channel (online, mobile, phone, counter, api)');

const haltChannel: Def<{ channel: string; reason?: string }> = {
  name: 'halt_channel',
  parameters: z.looseObject({ channel: CHANNEL, reason: Reason }),
  minApproval: 'two_person',
  run: async (ctx, p) =>
    answerJson(
      await ctx.send(
        jsonRequest(
          ctx.config,
          ctx.secrets,
          'POST',
          `/channels/${seg(p.channel)}/halt`,
          p.reason ? { reason: p.reason } : {},
        ),
      ),
    ),
  rollback: async (ctx, p) =>
    answerJson(
      await ctx.send(jsonRequest(ctx.config, ctx.secrets, 'POST', `/channels/${seg(p.channel)}/resume`, {}), {
        key: `${ctx.key}:rollback`,
      }),
    ),
};

const disableAccount: Def<{ accounts: string[]; reason?: string }> = {
  name: 'disable_account',
  parameters: WithReason,
  run: (ctx, p) =>
    perAccount(
      (a) => `/accounts/${seg(a)}/disable`,
      (q) => (q.reason ? { reason: q.reason } : {}),
    )(ctx, p),
  rollback: (ctx, p) => perAccount((a) => `/accounts/${seg(a)}/enable`)(ctx, p, ':rollback'),
};

const forcePasswordReset: Def<{ accounts: string[] }> = {
  name: 'force_password_reset',
  parameters: Accounts,
  run: (ctx, p) => perAccount((a) => `/accounts/${seg(a)}/password-reset`)(ctx, p),
};

export const tradingCoreKind: ActionKindSpec<TypedConfig, ApiKeySecrets> = {
  kind: 'trading-core',
  purpose: 'action',
  title: { 'zh-CN': '交易核心系统', en: 'Trading core' },
  config: TypedConfig,
  secrets: Secrets,
  hosts: hostOf,
  maxAttempts: (c) => c.maxAttempts,
  test: (ctx) =>
    testGet(
      ctx,
      '/accounts/test/sessions',
      (b) => `reached: account "test" has ${(b.sessions as unknown[] | undefined)?.length ?? 0} sessions`,
    ),
  actions: [revokeSessions, freezeTransfers, haltChannel, disableAccount, forcePasswordReset],
};
