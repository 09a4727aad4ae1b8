/**
 * The firewall (docs/sandbox.md "Firewall"): block IP addresses or CIDR ranges, one POST per target
 * (idempotency key `KEY:TARGET`), for `ttl_hours` or until unblocked. The block ids answered are kept
 * with the run; the rollback DELETEs them (a block already gone counts as undone).
 */
import ipaddr from 'ipaddr.js';
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

const Target = z.string().refine((t) => ipaddr.isValid(t) || ipaddr.isValidCIDR(t), 'an IP address or CIDR range');

interface BlockParams {
  targets: string[];
  ttlHours?: number;
  reason?: string;
}

const blockIp: ActionDef<TypedConfig, ApiKeySecrets, BlockParams> = {
  name: 'block_ip',
  parameters: z
    .looseObject({
      ip: OneOrMany(Target, 'IP address').optional(),
      target: OneOrMany(Target, 'IP address').optional(),
      ttl_hours: z.coerce
        .number()
        .positive()
        .max(24 * 365)
        .optional(),
      reason: Reason,
    })
    .refine((p) => p.ip || p.target, { message: 'name the address(es) to block: "ip"', path: ['ip'] })
    .transform((p) => ({
      targets: [...new Set([...(p.ip ?? []), ...(p.target ?? [])])],
      ttlHours: p.ttl_hours,
      reason: p.reason,
    })),
  async run(ctx, p) {
    const blocks: { target: string; id: string | null }[] = [];
    for (const target of p.targets) {
      const answer = answerJson(
        await ctx.send(
          jsonRequest(ctx.config, ctx.secrets, 'POST', '/blocks', {
            target,
            ...(p.ttlHours ? { ttlSeconds: Math.round(p.ttlHours * 3600) } : {}),
            ...(p.reason ? { reason: p.reason } : {}),
          }),
          { key: `${ctx.key}:${target}` },
        ),
      );
      blocks.push({ target, id: typeof answer?.id === 'string' ? answer.id : null });
    }
    return { blocks };
  },
  async rollback(ctx, _p, result) {
    const blocks = ((result as { blocks?: { target: string; id: string | null }[] } | null)?.blocks ?? []).filter(
      (b) => b.id,
    );
    const unblocked: { id: string; status: number | null }[] = [];
    for (const b of blocks) {
      const res = await ctx.send(jsonRequest(ctx.config, ctx.secrets, 'DELETE', `/blocks/${seg(b.id!)}`), {
        key: `${ctx.key}:rollback:${b.id}`,
        expect: [200, 204, 404],
      });
      unblocked.push({ id: b.id!, status: res?.status ?? null });
    }
    return { unblocked };
  },
};

export const firewallKind: ActionKindSpec<TypedConfig, ApiKeySecrets> = {
  kind: 'firewall',
  purpose: 'action',
  title: { 'zh-CN': '防火墙', en: 'Firewall' },
  config: TypedConfig,
  secrets: Secrets,
  hosts: hostOf,
  maxAttempts: (c) => c.maxAttempts,
  test: (ctx) =>
    testGet(ctx, '/blocks', (b) => `reached: ${(b.blocks as unknown[] | undefined)?.length ?? 0} blocks in force`),
  actions: [blockIp],
};
