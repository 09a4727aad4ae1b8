/**
 * The firewall stand-in (docs/sandbox.md, "Firewall"): block an IP address or CIDR range, for a while
 * or until unblocked; list the blocks in force (an expired block is no longer listed).
 */
import ipaddr from 'ipaddr.js';
import type { Clock } from '../platform/ids.js';
import { invalid, notFound, objectBody, type Route, StandIn } from './stand-in.js';

interface Block {
  id: string;
  target: string;
  reason: string | null;
  createdAt: string;
  /** null: until unblocked. */
  expiresAt: string | null;
}

/** The canonical form of an IP address or CIDR range ("10.0.0.0/8", "2001:db8::/32"), or a 400 problem. */
function canonicalTarget(target: unknown): string {
  if (typeof target === 'string') {
    if (ipaddr.isValid(target)) return ipaddr.process(target).toString();
    if (target.includes('/')) {
      try {
        const [addr, bits] = ipaddr.parseCIDR(target);
        return `${addr.toString()}/${bits}`;
      } catch {
        // falls through to the problem
      }
    }
  }
  throw invalid('"target" must be an IP address or a CIDR range');
}

export function firewall(clock?: Clock): StandIn {
  const blocks = new Map<string, Block>();
  let next = 1;
  const active = (now: number) =>
    [...blocks.values()].filter((b) => b.expiresAt === null || Date.parse(b.expiresAt) > now);

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/blocks$/,
      handle: ({ now }) => ({ status: 200, body: { blocks: active(now) } }),
    },
    {
      method: 'POST',
      pattern: /^\/blocks$/,
      handle: ({ body, now }) => {
        const b = objectBody(body);
        const target = canonicalTarget(b.target);
        const ttl = b.ttlSeconds ?? null;
        if (ttl !== null && (!Number.isInteger(ttl) || (ttl as number) <= 0))
          throw invalid('"ttlSeconds" must be a positive integer (omit it to block until unblocked)');
        const reason = b.reason ?? null;
        if (reason !== null && typeof reason !== 'string') throw invalid('"reason" must be a string');
        const block: Block = {
          id: `blk-${next++}`,
          target,
          reason,
          createdAt: new Date(now).toISOString(),
          expiresAt: ttl === null ? null : new Date(now + (ttl as number) * 1000).toISOString(),
        };
        blocks.set(block.id, block);
        return { status: 201, body: block };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/blocks\/([A-Za-z0-9-]+)$/,
      handle: ({ params: [id], now }) => {
        const block = blocks.get(id as string);
        if (!block || !active(now).includes(block)) throw notFound(`no block ${id} in force`);
        blocks.delete(block.id);
        return { status: 200, body: { id: block.id, target: block.target, unblocked: true } };
      },
    },
  ];
  return new StandIn({ name: 'firewall', routes, clock });
}
