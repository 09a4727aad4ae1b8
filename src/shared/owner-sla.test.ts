import { describe, expect, it } from 'vitest';
import { DEFAULT_OWNER_SLA, parseOwnerSla, slaFor } from './owner-sla.js';

const H = 3_600_000;

describe('owner SLA (TOCSIN_OWNER_SLA)', () => {
  it('reads tier=duration pairs, default for every other tier', () => {
    const sla = parseOwnerSla('VIP=2h, gold=90m,default=1d');
    expect(sla).toEqual({ vip: 2 * H, gold: 1.5 * H, default: 24 * H });
    expect(slaFor(sla as never, 'Gold')).toBe(1.5 * H);
    expect(slaFor(sla as never, 'standard')).toBe(24 * H);
    expect(slaFor(sla as never, null)).toBe(24 * H);
  });

  it('keeps vip 2 h and 24 h for the rest when unset', () => {
    expect(slaFor(DEFAULT_OWNER_SLA, 'vip')).toBe(2 * H);
    expect(slaFor(DEFAULT_OWNER_SLA, 'gold')).toBe(24 * H);
  });

  it('says what is wrong with a bad value', () => {
    expect(parseOwnerSla('vip=2x')).toBe('"vip=2x" is not tier=duration (e.g. vip=2h)');
    expect(parseOwnerSla('vip=0h')).toBe('"vip=0h": the duration must be positive');
  });
});
