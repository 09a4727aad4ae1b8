import { describe, expect, it } from 'vitest';
import { ageParts } from './age.js';

describe('ageParts (the incident list\'s "open for" and "last update")', () => {
  it('keeps the two largest units a reader needs', () => {
    expect(ageParts(30_000)).toEqual({ unit: 'now' });
    expect(ageParts(-5_000)).toEqual({ unit: 'now' });
    expect(ageParts(12 * 60_000 + 59_000)).toEqual({ unit: 'm', m: 12 });
    expect(ageParts(2 * 3600_000 + 5 * 60_000)).toEqual({ unit: 'hm', h: 2, m: 5 });
    expect(ageParts(4 * 86_400_000 + 3 * 3600_000 + 59 * 60_000)).toEqual({ unit: 'dh', d: 4, h: 3 });
  });
});
