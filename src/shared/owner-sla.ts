/**
 * The SLA of customer owners (专人负责): how soon after assignment the owner must reach the customer,
 * per customer tier. Configured by TOCSIN_OWNER_SLA as `tier=duration` pairs, e.g. `vip=2h,gold=8h,default=24h`
 * (durations in m, h or d); `default` applies to every other tier and to customers without one.
 */
export type OwnerSla = Readonly<Record<string, number>> & { readonly default: number };

const HOUR = 3_600_000;
export const DEFAULT_OWNER_SLA: OwnerSla = { vip: 2 * HOUR, default: 24 * HOUR };

const UNIT: Record<string, number> = { m: 60_000, h: HOUR, d: 24 * HOUR };

/** The SLA of `text`, or a reason it is not one. */
export function parseOwnerSla(text: string): OwnerSla | string {
  const out: Record<string, number> = { default: DEFAULT_OWNER_SLA.default };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([\w.-]{1,40})=(\d{1,4})([mhd])$/.exec(part);
    if (!m) return `"${part}" is not tier=duration (e.g. vip=2h)`;
    const ms = Number(m[2]) * UNIT[m[3]!]!;
    if (ms <= 0) return `"${part}": the duration must be positive`;
    out[m[1]!.toLowerCase()] = ms;
  }
  return out as OwnerSla;
}

/** How long a customer of `tier` may wait for their owner's first contact. */
export const slaFor = (sla: OwnerSla, tier: string | null): number =>
  (tier ? sla[tier.toLowerCase()] : undefined) ?? sla.default;
