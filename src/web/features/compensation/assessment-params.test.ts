import { describe, expect, it } from 'vitest';
import { localToOffsetIso, methodParameters } from './assessment-params.js';

describe('assessment parameters', () => {
  it('writes a local time with the viewer’s offset, the same instant', () => {
    const iso = localToOffsetIso('2026-03-02T10:00')!;
    expect(iso).toMatch(/^2026-03-02T10:00:00[+-]\d{2}:\d{2}$/);
    expect(Date.parse(iso)).toBe(new Date('2026-03-02T10:00:00').getTime());
    expect(localToOffsetIso('')).toBeUndefined();
    expect(localToOffsetIso('yesterday')).toBeUndefined();
  });

  it('sends the method’s own options, filled in only', () => {
    const values = { outageStart: '2026-03-02T10:00', outageEnd: '2026-03-02T10:30', cap: '500', min: '', rate: '1.5' };
    const p = methodParameters('outage-price-diff', values);
    expect(Object.keys(p).sort()).toEqual(['cap', 'outageEnd', 'outageStart']);
    expect(methodParameters('delayed-funds', values)).toEqual({ rate: '1.5', cap: '500' });
    expect(methodParameters('fixed', { amount: '88', cap: '500' })).toEqual({ amount: '88' });
    expect(methodParameters('outage-price-diff', { outageStart: '2026-03-02T10:00' })).toEqual({ error: 'outageEnd' });
  });
});
