import { describe, expect, it } from 'vitest';
import { ipKey, ipRange } from './ip-key.js';

describe('ipKey', () => {
  it('writes an IPv4 address as 8 hex digits, so that text order is address order', () => {
    expect(ipKey('10.0.0.1')).toBe('0a000001');
    expect(ipKey('255.255.255.255')).toBe('ffffffff');
    expect(ipKey(' 117.136.9.200 ')).toBe('758809c8');
    expect(ipKey('0.0.0.0')).toBe('00000000');
    expect(ipKey('9.10.100.16')! < ipKey('10.0.0.0')!).toBe(true);
  });

  it('writes an IPv6 address as 32 digits, and an IPv4-mapped one as its IPv4 address', () => {
    expect(ipKey('2001:db8::1')).toBe('20010db8000000000000000000000001');
    expect(ipKey('::ffff:10.0.0.1')).toBe('0a000001');
    expect(ipKey('fe80::1%eth0')).toBe('fe800000000000000000000000000001');
  });

  it('is null for what is not an address', () => {
    expect(ipKey('10.0.0')).toBeNull();
    expect(ipKey('10.0.0.256')).toBeNull();
    expect(ipKey('host-1')).toBeNull();
  });

  it('gives a CIDR block as one range of keys', () => {
    expect(ipRange('10.0.0.0/8')).toEqual({ lo: '0a000000', hi: '0affffff' });
    expect(ipRange('10.1.2.3')).toEqual({ lo: '0a010203', hi: '0a010203' });
    expect(ipRange('10.0.0.0/33')).toBeNull();
  });
});
