/**
 * Checks an evidence package as its recipient does (`tocsin evidence check-package`), with no store: the
 * ZIP is read safely (platform/safe-zip.ts: traversal, links, bombs and lying sizes refused), manifest.sig
 * is verified over the exact bytes of manifest.json with the key given (else the package's own
 * signing-key.pem, whose fingerprint the recipient must compare with the one the firm published),
 * SHA256SUMS is checked against the hash the manifest names, and every item and manifest.pdf is re-hashed
 * against the manifest and SHA256SUMS. Each problem is reported; nothing is extracted to disk.
 */
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { PACKAGE_FORMAT } from '../../../shared/evidence-package-schemas.js';
import { openSafeZip, readEntry, type SafeZip, type SafeZipLimits, UnsafeZip } from '../../platform/safe-zip.js';
import { FILES, type Manifest } from './package-manifest.js';
import { fingerprintOf } from './signing-key.js';

/** The file is not a package that can be read at all (not a ZIP, refused as unsafe, a bad key file). */
export class PackageUnreadable extends Error {}

export interface PackageProblem {
  problem:
    | 'missing_file'
    | 'bad_manifest'
    | 'bad_key'
    | 'bad_signature'
    | 'key_mismatch'
    | 'sums_changed'
    | 'sums_disagree'
    | 'missing'
    | 'changed'
    | 'unexpected_file';
  detail: string;
  path?: string;
  id?: string;
  expected?: unknown;
  found?: unknown;
}

export interface PackageCheck {
  ok: boolean;
  items: number;
  problems: number;
  /** The fingerprint (SHA-256 of the DER SPKI) of the key the signature was checked with; null without one. */
  fingerprint: string | null;
}

const LIMITS: SafeZipLimits = {
  maxEntries: 10_000 + 16,
  maxTotalBytes: 1024 ** 4,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};
const MANIFEST_MAX = 256 * 1024 * 1024;
const SMALL_MAX = 1024 * 1024;
const HEX64 = /^[0-9a-f]{64}$/;

async function hashEntry(zip: SafeZip, name: string): Promise<{ sha256: string; md5: string; bytes: number }> {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  let bytes = 0;
  for await (const chunk of await zip.open(name)) {
    sha.update(chunk as Buffer);
    md5.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: sha.digest('hex'), md5: md5.digest('hex'), bytes };
}

/** `sha256sum` lines: `<hex>  <path>` (or ` *<path>`); null for a line that is not one. */
function parseSums(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) return null;
    out.set(m[2]!, m[1]!);
  }
  return out;
}

function keyFrom(pem: string | Buffer, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new PackageUnreadable(`${what} is not a public key: ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new PackageUnreadable(`${what} is a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}

/** Checks the package at `file`; each problem goes to `onProblem`. `PackageUnreadable` when it cannot be read. */
export async function checkPackage(
  file: string,
  opts: { publicKeyPem?: string | Buffer; limits?: SafeZipLimits },
  onProblem: (p: PackageProblem) => void,
): Promise<PackageCheck> {
  const given = opts.publicKeyPem !== undefined ? keyFrom(opts.publicKeyPem, 'the --public-key file') : null;
  let zip: SafeZip;
  try {
    zip = await openSafeZip(file, opts.limits ?? LIMITS);
  } catch (err) {
    if (err instanceof UnsafeZip) throw new PackageUnreadable(`refused: ${err.message}`);
    throw new PackageUnreadable(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let problems = 0;
  const report = (p: PackageProblem) => {
    problems++;
    onProblem(p);
  };
  try {
    const names = new Set(zip.entries.filter((e) => !e.directory).map((e) => e.name));
    const small = async (name: string, max: number): Promise<Buffer | null> => {
      if (names.has(name)) return readEntry(zip, name, max);
      report({ problem: 'missing_file', path: name, detail: `the package has no ${name}` });
      return null;
    };
    const json = await small(FILES.manifest, MANIFEST_MAX);
    const sig = await small(FILES.signature, SMALL_MAX);
    const sumsText = await small(FILES.sums, MANIFEST_MAX);
    const pem = names.has(FILES.key) ? await readEntry(zip, FILES.key, SMALL_MAX) : null;

    // The key: the one given, else the package's own (whose fingerprint must then be compared by hand).
    let key = given;
    if (!key && pem) {
      try {
        key = keyFrom(pem, FILES.key);
      } catch (err) {
        report({ problem: 'bad_key', path: FILES.key, detail: (err as Error).message });
      }
    } else if (!key) report({ problem: 'missing_file', path: FILES.key, detail: `the package has no ${FILES.key}` });
    const fingerprint = key ? fingerprintOf(key) : null;

    if (json && sig && key && !verify(null, json, key, sig))
      report({
        problem: 'bad_signature',
        path: FILES.signature,
        detail: `${FILES.signature} is not a valid signature over ${FILES.manifest} by the key ${fingerprint}`,
      });

    let manifest: Manifest | null = null;
    if (json) {
      try {
        manifest = JSON.parse(json.toString('utf8')) as Manifest;
        if (manifest?.format !== PACKAGE_FORMAT || !Array.isArray(manifest.items)) throw new Error('not the format');
      } catch {
        manifest = null;
        report({
          problem: 'bad_manifest',
          path: FILES.manifest,
          detail: `${FILES.manifest} is not a ${PACKAGE_FORMAT} manifest`,
        });
      }
    }
    if (manifest && fingerprint && manifest.signingKey?.fingerprint !== fingerprint)
      report({
        problem: 'key_mismatch',
        path: FILES.manifest,
        detail: 'the manifest names another signing key than the one the signature was checked with',
        expected: manifest.signingKey?.fingerprint ?? null,
        found: fingerprint,
      });

    let sums: Map<string, string> | null = null;
    if (sumsText) {
      const found = createHash('sha256').update(sumsText).digest('hex');
      if (manifest && manifest.sha256sums?.sha256 !== found)
        report({
          problem: 'sums_changed',
          path: FILES.sums,
          detail: `${FILES.sums} is not the one the manifest names`,
          expected: manifest.sha256sums?.sha256 ?? null,
          found,
        });
      sums = parseSums(sumsText.toString('utf8'));
      if (!sums) report({ problem: 'sums_disagree', path: FILES.sums, detail: `${FILES.sums} has a malformed line` });
    }

    // Every file SHA256SUMS or the manifest names, hashed once.
    const expected = new Map<string, { sha256: string; md5?: string; bytes?: number; id?: string }>();
    for (const [path, sha256] of sums ?? []) expected.set(path, { sha256 });
    for (const item of manifest?.items ?? []) {
      const listed = sums?.get(item.path);
      if (sums && listed !== item.sha256)
        report({
          problem: 'sums_disagree',
          path: item.path,
          id: item.id,
          detail: listed ? `${FILES.sums} gives another SHA-256 than the manifest` : `${FILES.sums} does not list it`,
          expected: item.sha256,
          found: listed ?? null,
        });
      expected.set(item.path, { sha256: item.sha256, md5: item.md5, bytes: item.bytes, id: item.id });
    }
    for (const [path, want] of expected) {
      if (typeof path !== 'string' || !HEX64.test(String(want.sha256))) continue;
      if (!names.has(path)) {
        report({
          problem: 'missing',
          path,
          ...(want.id ? { id: want.id } : {}),
          detail: 'listed but not in the package',
        });
        continue;
      }
      const got = await hashEntry(zip, path);
      const bad =
        got.sha256 !== want.sha256 ||
        (want.md5 !== undefined && got.md5 !== want.md5) ||
        (want.bytes !== undefined && got.bytes !== want.bytes);
      if (bad)
        report({
          problem: 'changed',
          path,
          ...(want.id ? { id: want.id } : {}),
          detail: 'the bytes are not those recorded',
          expected: {
            sha256: want.sha256,
            ...(want.md5 ? { md5: want.md5 } : {}),
            ...(want.bytes !== undefined ? { bytes: want.bytes } : {}),
          },
          found: got,
        });
    }
    const known = new Set<string>([...Object.values(FILES), ...expected.keys()]);
    for (const name of names)
      if (!known.has(name))
        report({ problem: 'unexpected_file', path: name, detail: 'neither the manifest nor SHA256SUMS names it' });

    return { ok: problems === 0, items: manifest?.items.length ?? 0, problems, fingerprint };
  } catch (err) {
    if (err instanceof UnsafeZip) throw new PackageUnreadable(`refused: ${err.message}`);
    throw err;
  } finally {
    zip.close();
  }
}
