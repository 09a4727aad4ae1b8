import { describe, expect, it } from 'vitest';
import { readFilters, writeFilters } from './url-filters.js';

const DEFAULTS = { status: 'active', grade: undefined, q: undefined } as const;

describe('filters in the URL', () => {
  it('reads each filter, or its default when the URL does not say', () => {
    expect(readFilters(new URLSearchParams('grade=II&q=gateway&other=1'), DEFAULTS)).toEqual({
      status: 'active',
      grade: 'II',
      q: 'gateway',
    });
    expect(readFilters(new URLSearchParams('status=ended&grade='), DEFAULTS)).toEqual({
      status: 'ended',
      grade: undefined,
      q: undefined,
    });
  });

  it('writes a change, drops defaults and empty filters, and keeps what it does not own', () => {
    const now = new URLSearchParams('status=ended&grade=II&other=1');
    expect(writeFilters(now, { status: 'active', q: 'gateway' }, DEFAULTS).toString()).toBe(
      'grade=II&other=1&q=gateway',
    );
    expect(writeFilters(now, { grade: null, q: '' }, DEFAULTS).toString()).toBe('status=ended&other=1');
    expect(writeFilters(now, { status: 'all' }, DEFAULTS).toString()).toBe('status=all&grade=II&other=1');
    expect(now.toString()).toBe('status=ended&grade=II&other=1');
  });
});
