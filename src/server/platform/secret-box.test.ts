import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, loadSecretKeys, parseSecretKey, SecretBoxError } from './secret-box.js';

const key = () => randomBytes(32);

describe('secret box', () => {
  it('round-trips a JSON value in the v1 text format', () => {
    const box = createSecretBox([key()]);
    const text = box.seal({ apiKey: 's3cr3t', n: 1 }, 'conn-1');
    expect(text).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(text).not.toContain('s3cr3t');
    expect(box.open(text, 'conn-1')).toEqual({ apiKey: 's3cr3t', n: 1 });
    // A fresh IV each time.
    expect(box.seal({ apiKey: 's3cr3t', n: 1 }, 'conn-1')).not.toBe(text);
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const box = createSecretBox([key()]);
    const text = box.seal({ a: 'b' }, 'x');
    const p = text.split('.');
    for (const i of [2, 3, 4]) {
      const part = Buffer.from(p[i]!, 'base64url');
      part[0] = part[0]! ^ 1;
      const bad = [...p];
      bad[i] = part.toString('base64url');
      expect(() => box.open(bad.join('.'), 'x')).toThrow(SecretBoxError);
    }
    expect(() => box.open('v2.garbage', 'x')).toThrow(SecretBoxError);
  });

  it('refuses a ciphertext moved to another record (associated data)', () => {
    const box = createSecretBox([key()]);
    const text = box.seal('secret', 'conn-1');
    expect(() => box.open(text, 'conn-2')).toThrow(/another record/);
  });

  it('rotates: the first key seals, old keys open, rotate re-seals under the new key', () => {
    const oldKey = key();
    const old = createSecretBox([oldKey]);
    const text = old.seal({ token: 't' }, 'c');
    const box = createSecretBox([key(), oldKey]);
    expect(box.isCurrent(text)).toBe(false);
    expect(box.open(text, 'c')).toEqual({ token: 't' });
    const rotated = box.rotate(text, 'c');
    expect(box.isCurrent(rotated)).toBe(true);
    expect(box.open(rotated, 'c')).toEqual({ token: 't' });
    expect(box.rotate(rotated, 'c')).toBe(rotated);
    expect(() => old.open(rotated, 'c')).toThrow(/not configured/);
  });

  it('reads its keys only when first used', () => {
    let loads = 0;
    const k = key();
    const box = createSecretBox(() => {
      loads++;
      return [k];
    });
    expect(loads).toBe(0);
    const text = box.seal(1, 'a');
    expect(box.open(text, 'a')).toBe(1);
    expect(createSecretBox([k]).open(text, 'a')).toBe(1);
    expect(loads).toBe(1);
  });

  it('parses keys as base64 or hex, 32 bytes only', () => {
    const k = key();
    expect(parseSecretKey(k.toString('base64')).equals(k)).toBe(true);
    expect(parseSecretKey(k.toString('hex')).equals(k)).toBe(true);
    expect(() => parseSecretKey('c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('creates the embedded key file once, mode 0600, and tells about it once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-key-'));
    const told: string[] = [];
    const a = loadSecretKeys({ oldKeys: [], dataDir: dir }, (f) => told.push(f));
    const b = loadSecretKeys({ oldKeys: [], dataDir: dir }, (f) => told.push(f));
    expect(a[0]!.equals(b[0]!)).toBe(true);
    expect(told).toEqual([path.join(dir, 'secret.key')]);
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
