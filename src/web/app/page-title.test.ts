import { describe, expect, it } from 'vitest';
import { BRAND, pageTitle } from './page-title.js';

describe('tab titles', () => {
  it('name the page, then the product', () => {
    expect(pageTitle('事件')).toBe('事件 · Tocsin 警钟');
    expect(pageTitle('INC-2026-0001 · Gateway down')).toBe('INC-2026-0001 · Gateway down · Tocsin 警钟');
  });

  it('are the product alone while a page has no name yet', () => {
    expect(pageTitle(undefined)).toBe(BRAND);
    expect(pageTitle(null)).toBe(BRAND);
    expect(pageTitle('  ')).toBe(BRAND);
  });
});
