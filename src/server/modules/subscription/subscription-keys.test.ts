/** Links and address hashes of subscriptions: forged or moved links refused, and a rotated secret key still opens the old ones. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSubscriptionKeys, maskAddress } from './subscription-keys.js';

const ID = '0193a5c0-1234-7abc-8def-0123456789ab';

describe('subscription keys', () => {
  const oldKey = randomBytes(32);
  const keys = createSubscriptionKeys(() => [oldKey]);

  it('a signed link verifies for its purpose only; altered, moved or foreign links do not', () => {
    const token = keys.sign('c', ID, 1_000_000);
    expect(keys.verify('c', token)).toEqual({ subscriberId: ID, expiresAt: 1_000_000 });
    expect(keys.verify('u', token)).toBeNull();
    expect(keys.verify('c', token.replace(ID, ID.replace('ab', 'ac')))).toBeNull();
    // A later expiry written in: the MAC no longer holds.
    expect(
      keys.verify('c', token.replace(`.${(1_000_000).toString(36)}.`, `.${(9_000_000).toString(36)}.`)),
    ).toBeNull();
    expect(createSubscriptionKeys(() => [randomBytes(32)]).verify('c', token)).toBeNull();
  });

  it('after a key rotation old links still verify and the address is still found by one of its hashes', () => {
    const rotated = createSubscriptionKeys(() => [randomBytes(32), oldKey]);
    expect(rotated.verify('u', keys.sign('u', ID, 0))).toEqual({ subscriberId: ID, expiresAt: 0 });
    expect(rotated.addressHashes(' Li@Example.com ')).toContain(keys.addressHashes('li@example.com')[0]);
    expect(rotated.addressHashes('li@example.com')[0]).not.toBe(keys.addressHashes('li@example.com')[0]);
  });

  it('masks an address so staff can tell them apart without reading them', () => {
    expect(maskAddress('li.wei@example.com')).toBe('l***@example.com');
    expect(maskAddress('broken')).toBe('***');
  });
});
