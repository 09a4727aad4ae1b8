import { describe, expect, it } from 'vitest';
import { keyed } from './keys.js';

describe('keys of list items', () => {
  it('are the items own, told apart when one repeats', () => {
    const keys = keyed(['a', 'b', 'a', 'a'], (x) => x).map((k) => k.key);
    expect(keys).toEqual(['a', 'b', 'a#2', 'a#3']);
  });
});
