/** Exact numbers: decimal strings at a scale, ISO-8601 instants, half-up rounding to the fen. */
import { describe, expect, it } from 'vitest';
import {
  BAD_NUMBER,
  fenOf,
  NEGATIVE,
  NO_OFFSET,
  parseInstant,
  parseScaled,
  roundHalfUpToFen,
  TOO_LARGE,
  TOO_MANY_DECIMALS,
  yuan,
} from './numbers.js';

describe('decimal strings', () => {
  it('are read as integers at the scale, trailing zeros past it allowed', () => {
    expect(parseScaled('12.5', 6)).toBe(12_500_000);
    expect(parseScaled('0.000001', 6)).toBe(1);
    expect(parseScaled('100', 4)).toBe(1_000_000);
    expect(parseScaled('1.2300000', 4)).toBe(12_300);
    expect(parseScaled('-0', 2)).toBe(0);
  });
  it('say what is wrong with them', () => {
    expect(parseScaled('-1.5', 6)).toBe(NEGATIVE);
    expect(parseScaled('1.0000001', 6)).toBe(TOO_MANY_DECIMALS);
    expect(parseScaled('99999999999999999', 2)).toBe(TOO_LARGE);
    for (const bad of ['', '.5', '5.', '1e3', '1,5', 'abc', '1.2.3', '+1', '１２'])
      expect(parseScaled(bad, 2)).toBe(BAD_NUMBER);
  });
});

describe('ISO-8601 instants', () => {
  const us = (iso: string) => Date.parse(iso) * 1000;
  it('are microseconds since the epoch, with the offset applied', () => {
    expect(parseInstant('2026-03-02T10:00:00+08:00')).toBe(us('2026-03-02T02:00:00Z'));
    expect(parseInstant('2026-03-02T10:00:00.123456Z')).toBe(us('2026-03-02T10:00:00.123Z') + 456);
    expect(parseInstant('2026-03-02 10:00+0800')).toBe(us('2026-03-02T02:00:00Z'));
    expect(parseInstant('2024-02-29T23:59:59-05')).toBe(us('2024-03-01T04:59:59Z'));
  });
  it('without an offset, or impossible, are refused', () => {
    expect(parseInstant('2026-03-02T10:00:00')).toBe(NO_OFFSET);
    expect(parseInstant('2026-03-02T10:00:00.5')).toBe(NO_OFFSET);
    for (const bad of [
      '2026-02-29T10:00:00Z',
      '2026-03-02',
      '2026-03-02T24:00:00Z',
      '2026-03-02T10:00:00.1234567Z',
      'yesterday',
      '2026-03-02T10:00:00+8',
    ])
      expect(parseInstant(bad)).toBeNaN();
  });
});

describe('half-up rounding to the fen', () => {
  it('rounds .5 of a fen up and below it down, for numbers and bigints alike', () => {
    // units of 10^-10 yuan: 10^8 per fen
    expect(roundHalfUpToFen(50_000_000, 1e8)).toBe(1); // 0.005 yuan -> 0.01
    expect(roundHalfUpToFen(49_999_999, 1e8)).toBe(0);
    expect(roundHalfUpToFen(150_000_000, 1e8)).toBe(2); // 0.015 -> 0.02
    expect(roundHalfUpToFen(0, 1e8)).toBe(0);
    expect(roundHalfUpToFen(10n ** 30n + 50_000_000n, 1e8)).toBe(10n ** 22n + 1n);
    expect(roundHalfUpToFen(10n ** 30n + 49_999_999n, 1e8)).toBe(10n ** 22n);
  });
  it('writes fen as yuan with two places and reads options back', () => {
    expect(yuan(123456)).toBe('1234.56');
    expect(yuan(5n)).toBe('0.05');
    expect(yuan(0)).toBe('0.00');
    expect(fenOf('5000')).toBe(500_000n);
    expect(fenOf('0.5')).toBe(50n);
    expect(fenOf('1.005')).toBeNull();
    expect(fenOf('-1')).toBeNull();
  });
});
