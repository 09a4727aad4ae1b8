/**
 * Secrets at rest (connector passwords, signing keys, API keys): AES-256-GCM (node:crypto) over the
 * JSON of a value, with a random 12-byte IV, the 16-byte auth tag, and associated data that binds the
 * ciphertext to its row (the connector id), so a ciphertext copied to another row does not open.
 *
 * Text format (base64url parts): `v1.<keyId>.<iv>.<tag>.<ciphertext>`. `keyId` names the key that
 * sealed it (the first 8 hex digits of the key's SHA-256), so keys can rotate: a box holds a list of
 * keys, the first seals, every one opens; `rotate` re-seals a text under the first key.
 *
 * The key comes from TOCSIN_SECRET_KEY (32 bytes, base64 or hex), older keys from
 * TOCSIN_SECRET_KEYS_OLD; without one, the embedded mode creates `<TOCSIN_DATA_DIR>/secret.key`
 * (mode 0600) once, the first time a secret is sealed or opened, and uses it (`loadSecretKeys`).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  /** The id of the key that seals. */
  readonly keyId: string;
  /** Seals the JSON of `value`, bound to `aad` (e.g. the connector id). */
  seal(value: unknown, aad: string): string;
  /** Opens a sealed text; throws SecretBoxError when it was tampered with, bound to another `aad`, or its key is unknown. */
  open<T = unknown>(text: string, aad: string): T;
  /** Re-seals `text` under the first key (unchanged when it already is). */
  rotate(text: string, aad: string): string;
  /** Whether `text` was sealed with the first key. */
  isCurrent(text: string): boolean;
}

const b64 = (b: Buffer) => b.toString('base64url');
const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/** A 32-byte key written as base64 (or base64url) or hex; throws with the reason otherwise. */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new SecretBoxError('a secret key must be 32 bytes, written as base64 or 64 hex digits');
  return key;
}

/**
 * A box over `keys` (the first seals, all open); a function is called once, when the box is first
 * used (so a process that never touches a secret never reads or creates the key file).
 */
export function createSecretBox(keys: Buffer[] | (() => Buffer[])): SecretBox {
  if (typeof keys === 'function') {
    let box: SecretBox | null = null;
    const get = () => {
      box ??= createSecretBox(keys());
      return box;
    };
    return {
      get keyId() {
        return get().keyId;
      },
      seal: (value, aad) => get().seal(value, aad),
      open: (text, aad) => get().open(text, aad),
      rotate: (text, aad) => get().rotate(text, aad),
      isCurrent: (text) => get().isCurrent(text),
    };
  }
  if (keys.length === 0) throw new SecretBoxError('at least one key is needed');
  for (const k of keys) if (k.length !== 32) throw new SecretBoxError('AES-256-GCM keys are 32 bytes');
  const byId = new Map(keys.map((k) => [keyIdOf(k), k] as const));
  const first = keys[0]!;
  const firstId = keyIdOf(first);

  const seal = (value: unknown, aad: string): string => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', first, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value) ?? 'null', 'utf8'), cipher.final()]);
    return [VERSION, firstId, b64(iv), b64(cipher.getAuthTag()), b64(ct)].join('.');
  };

  const parts = (text: string) => {
    const p = text.split('.');
    if (p.length !== 5 || p[0] !== VERSION)
      throw new SecretBoxError('not a sealed secret (expected v1.<key>.<iv>.<tag>.<ct>)');
    return {
      keyId: p[1]!,
      iv: Buffer.from(p[2]!, 'base64url'),
      tag: Buffer.from(p[3]!, 'base64url'),
      ct: Buffer.from(p[4]!, 'base64url'),
    };
  };

  const open = <T>(text: string, aad: string): T => {
    const { keyId, iv, tag, ct } = parts(text);
    const key = byId.get(keyId);
    if (!key) throw new SecretBoxError(`sealed with key ${keyId}, which is not configured (TOCSIN_SECRET_KEYS_OLD)`);
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('malformed sealed secret');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
      return JSON.parse(plain) as T;
    } catch {
      throw new SecretBoxError('the sealed secret does not open: altered, or bound to another record');
    }
  };

  return {
    keyId: firstId,
    seal,
    open,
    rotate: (text, aad) => (parts(text).keyId === firstId ? text : seal(open(text, aad), aad)),
    isCurrent: (text) => parts(text).keyId === firstId,
  };
}

/**
 * The keys from configuration: `key` (TOCSIN_SECRET_KEY) then `oldKeys`; without `key`, the key in
 * `<dataDir>/secret.key`, created (mode 0600) the first time — `onCreated` is told once.
 */
export function loadSecretKeys(
  opts: { key?: string; oldKeys: string[]; dataDir: string },
  onCreated: (file: string) => void,
): Buffer[] {
  const old = opts.oldKeys.map(parseSecretKey);
  if (opts.key) return [parseSecretKey(opts.key), ...old];
  const file = path.join(opts.dataDir, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      onCreated(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return [parseSecretKey(fs.readFileSync(file, 'utf8')), ...old];
}
