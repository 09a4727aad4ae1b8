import { describe, expect, it } from 'vitest';
import { iocOfPattern, iocsOfFields, normalizeIoc, stixPattern } from './ioc-values.js';

describe('IOC values', () => {
  it('normalizes: lower-case domains, e-mails and hashes, canonical IP addresses', () => {
    expect(normalizeIoc('domain', 'Evil.Example.COM.')).toBe('evil.example.com');
    expect(normalizeIoc('email', 'Victim@Example.COM')).toBe('victim@example.com');
    expect(normalizeIoc('ipv6', '2001:0DB8:0:0::1')).toBe('2001:db8::1');
    expect(normalizeIoc('ipv4', '203.0.113.05')).toBeNull();
    expect(normalizeIoc('md5', 'D41D8CD98F00B204E9800998ECF8427E')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(normalizeIoc('sha256', 'abc')).toBeNull();
    expect(normalizeIoc('url', 'javascript:alert(1)')).toBeNull();
    expect(normalizeIoc('account', 'A1\u0000')).toBeNull();
  });

  it('writes STIX patterns with quotes and backslashes escaped, and reads them back', () => {
    const p = stixPattern('account', "o'brien\\ops");
    expect(p).toBe("[user-account:account_login = 'o\\'brien\\\\ops']");
    expect(iocOfPattern(p)).toEqual({ type: 'account', value: "o'brien\\ops" });
    expect(iocOfPattern("[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']")).toEqual({
      type: 'md5',
      value: 'd41d8cd98f00b204e9800998ecf8427e',
    });
    expect(iocOfPattern("[ipv4-addr:value = '203.0.113.5/32']")).toEqual({ type: 'ipv4', value: '203.0.113.5' });
    expect(iocOfPattern("[ipv4-addr:value = '203.0.113.0/24']")).toMatchObject({ reason: expect.any(String) });
    expect(iocOfPattern("[process:name = 'x.exe']")).toMatchObject({ reason: expect.stringContaining('process:name') });
  });

  it("finds IOCs in event fields, not the firm's private addresses", () => {
    const found = iocsOfFields({
      source: { ip: '198.51.100.9' },
      dst_ip: '192.168.1.1',
      CommandLine: 'curl https://bad.example.net/x?a=1',
      Hashes: 'SHA1=A9993E364706816ABA3E25717850C26C9CD0D89D',
    }).map((f) => `${f.type} ${f.value}`);
    expect(found.sort()).toEqual([
      'domain bad.example.net',
      'ipv4 198.51.100.9',
      'sha1 a9993e364706816aba3e25717850c26c9cd0d89d',
      'url https://bad.example.net/x?a=1',
    ]);
  });
});
