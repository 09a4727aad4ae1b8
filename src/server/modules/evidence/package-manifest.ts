/**
 * The manifest of an evidence package (format `tocsin.evidence-package.v1`, docs/evidence.md): what the
 * package holds, for whom, and each item's hashes, provenance and chain of custody. `manifest.json` is
 * signed (manifest.sig, Ed25519 over its exact bytes) and names the SHA-256 of `SHA256SUMS`, which lists
 * every item and manifest.pdf: one signature covers the whole package.
 */
import type { PACKAGE_FORMAT } from '../../../shared/evidence-package-schemas.js';

export interface ManifestCustodyEntry {
  seq: number;
  at: string;
  action: string;
  actor: { id: string | null; label: string };
  details: unknown;
}

export interface ManifestItem {
  id: string;
  /** Where the bytes are in the ZIP: `items/<sha256>/<file name>`. */
  path: string;
  fileName: string;
  kind: string;
  mediaType: string;
  bytes: number;
  sha256: string;
  md5: string;
  description: string;
  sourceSystem: string;
  acquisitionMethod: string;
  acquirerSha256: string | null;
  hashMismatch: boolean;
  uploadedBy: { id: string; name: string | null } | null;
  uploadedAt: string;
  custody: ManifestCustodyEntry[];
}

/** Everything the manifest says but the hash of SHA256SUMS (known once the PDF is made). */
export interface ManifestBody {
  format: typeof PACKAGE_FORMAT;
  package: {
    id: string;
    createdAt: string;
    createdBy: { id: string; name: string };
    recipient: string;
    purpose: string;
  };
  incident: { key: string; title: string };
  request: { id: string; requesterKind: string; requesterName: string; reference: string | null } | null;
  signingKey: { algorithm: 'Ed25519'; fingerprint: string };
  items: ManifestItem[];
}

export interface Manifest extends ManifestBody {
  /** The SHA-256 of the file SHA256SUMS in the package (which lists the items and manifest.pdf). */
  sha256sums: { sha256: string };
}

export const FILES = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  pdf: 'manifest.pdf',
  sums: 'SHA256SUMS',
  key: 'signing-key.pem',
} as const;

/**
 * An item's file name as a ZIP entry: no folders, no characters Windows refuses (`<>:"|?*`), not `.` or
 * `..`; the name stays data (the path is under the item's SHA-256, so two names never collide).
 */
export function zipName(fileName: string): string {
  const name = fileName
    .replace(/[\\/]/g, '_')
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .trim();
  if (name === '' || /^\.+$/.test(name)) return 'file';
  return name;
}

export const itemPath = (sha256: string, fileName: string) => `items/${sha256}/${zipName(fileName)}`;

/** `sha256sum -c` input: `<hex>  <path>` per file, sorted by path. */
export function sha256sums(files: Map<string, string>): string {
  return [...files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, sha]) => `${sha}  ${path}\n`)
    .join('');
}

/** The signed bytes: indented JSON with a final newline (any byte changed breaks the signature). */
export const manifestJson = (m: Manifest): Buffer => Buffer.from(`${JSON.stringify(m, null, 2)}\n`, 'utf8');
