/**
 * Tocsin's signing key (Ed25519, node:crypto): created on first need and kept in the store, so every
 * process of one store signs with the same key. The private key is sealed with the secret box
 * (TOCSIN_SECRET_KEY, else `<data dir>/secret.key`), bound to the key's fingerprint; the public key and
 * its fingerprint (SHA-256 of the DER SubjectPublicKeyInfo) are what a recipient checks a package with.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import type { SecretBox } from '../../platform/secret-box.js';
import { insertSigningKey, signingKeyOf } from './signing-key.repository.js';

const PURPOSE = 'evidence';

export interface PublicSigningKey {
  algorithm: 'Ed25519';
  publicKeyPem: string;
  fingerprint: string;
}

/** SHA-256 of the DER SubjectPublicKeyInfo of a public key, hex. */
export function fingerprintOf(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function createSigningKey(deps: { store: Store; clock: Clock; secretBox: SecretBox }) {
  let loaded: { pub: PublicSigningKey; key: KeyObject } | null = null;

  async function load(): Promise<{ pub: PublicSigningKey; key: KeyObject }> {
    if (loaded) return loaded;
    let row = await signingKeyOf(deps.store.db, PURPOSE);
    if (!row) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const fingerprint = fingerprintOf(publicKey);
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await deps.store.transaction((tx) =>
        insertSigningKey(tx, {
          purpose: PURPOSE,
          algorithm: 'Ed25519',
          fingerprint,
          public_key_pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          private_key_sealed: deps.secretBox.seal(pem, `signing-key:${fingerprint}`),
          created_at: deps.clock.now(),
        }),
      );
      row = (await signingKeyOf(deps.store.db, PURPOSE))!;
    }
    const key = createPrivateKey(deps.secretBox.open<string>(row.private_key_sealed, `signing-key:${row.fingerprint}`));
    if (fingerprintOf(createPublicKey(key)) !== row.fingerprint)
      throw new Error('the stored signing key does not match its fingerprint');
    loaded = { pub: { algorithm: 'Ed25519', publicKeyPem: row.public_key_pem, fingerprint: row.fingerprint }, key };
    return loaded;
  }

  return {
    /** The public key and its fingerprint (creates the key pair the first time). */
    publicKey: async (): Promise<PublicSigningKey> => (await load()).pub,
    /** An Ed25519 signature (64 bytes) over `data`, with the key it was made by. */
    async sign(data: Buffer): Promise<{ signature: Buffer; key: PublicSigningKey }> {
      const { pub, key } = await load();
      return { signature: sign(null, data, key), key: pub };
    },
  };
}

export type SigningKey = ReturnType<typeof createSigningKey>;
