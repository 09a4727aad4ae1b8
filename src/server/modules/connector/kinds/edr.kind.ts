/** The EDR (docs/sandbox.md "EDR"): isolate a host from the network; rollback releases it. Several hosts: one request each (`KEY:HOST`). */
import { z } from 'zod';
import type { ActionDef, ActionKindSpec } from '../action-kind.js';
import {
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

const Host = z.string().regex(/^[A-Za-z0-9._-]{1,253}$/, 'a host name');

const isolateHost: ActionDef<TypedConfig, ApiKeySecrets, { hosts: string[]; reason?: string }> = {
  name: 'isolate_host',
  parameters: z
    .looseObject({ host: OneOrMany(Host, 'host'), reason: Reason, comment: Reason })
    .transform((p) => ({ hosts: p.host, reason: p.reason ?? p.comment })),
  async run(ctx, p) {
    const out: Record<string, unknown> = {};
    for (const h of p.hosts)
      out[h] = answerJson(
        await ctx.send(
          jsonRequest(
            ctx.config,
            ctx.secrets,
            'POST',
            `/hosts/${seg(h)}/isolate`,
            p.reason ? { reason: p.reason } : {},
          ),
          { key: `${ctx.key}:${h}` },
        ),
      );
    return { hosts: out };
  },
  async rollback(ctx, p) {
    const out: Record<string, unknown> = {};
    for (const h of p.hosts)
      out[h] = answerJson(
        await ctx.send(jsonRequest(ctx.config, ctx.secrets, 'POST', `/hosts/${seg(h)}/release`, {}), {
          key: `${ctx.key}:rollback:${h}`,
        }),
      );
    return { hosts: out };
  },
};

export const edrKind: ActionKindSpec<TypedConfig, ApiKeySecrets> = {
  kind: 'edr',
  purpose: 'action',
  title: { 'zh-CN': '终端检测与响应 (EDR)', en: 'EDR' },
  config: TypedConfig,
  secrets: Secrets,
  hosts: hostOf,
  maxAttempts: (c) => c.maxAttempts,
  test: (ctx) =>
    testGet(ctx, '/hosts', (b) => `reached: ${(b.isolated as unknown[] | undefined)?.length ?? 0} hosts isolated`),
  actions: [isolateHost],
};
