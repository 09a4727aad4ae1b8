/**
 * Evidence export packages (issue 15): a signed ZIP of chosen evidence items for the police, a regulator
 * or a court, with a manifest (JSON and PDF) of the items, their hashes and chains of custody.
 */
import { z } from 'zod';
import { isoTime } from './api-schemas.js';

/** The manifest's `format`: what `tocsin evidence check-package` and docs/evidence.md describe. */
export const PACKAGE_FORMAT = 'tocsin.evidence-package.v1';

export const PackageCreate = z.strictObject({
  itemIds: z.array(z.string().min(1).max(64)).min(1).max(10_000),
  recipient: z.string().trim().min(1).max(200),
  requestId: z.string().min(1).max(64).nullable().optional(),
  purpose: z.string().trim().max(2000).optional(),
});
export type PackageCreate = z.infer<typeof PackageCreate>;

export const EvidencePackage = z.object({
  id: z.string(),
  incidentKey: z.string(),
  recipient: z.string(),
  requestId: z.string().nullable(),
  purpose: z.string(),
  itemCount: z.number().int(),
  /** The ZIP's size and SHA-256. */
  bytes: z.number().int(),
  sha256: z.string(),
  createdAt: isoTime,
  createdBy: z.object({ id: z.string(), name: z.string() }),
});
export type EvidencePackage = z.infer<typeof EvidencePackage>;

export const EvidencePackageList = z.object({ items: z.array(EvidencePackage) });
export type EvidencePackageList = z.infer<typeof EvidencePackageList>;

/** Tocsin's public signing key: what a recipient verifies a package's manifest.sig with. */
export const SigningKeyInfo = z.object({
  algorithm: z.literal('Ed25519'),
  publicKeyPem: z.string(),
  /** SHA-256 of the DER SubjectPublicKeyInfo, hex: the value the firm publishes. */
  fingerprint: z.string(),
});
export type SigningKeyInfo = z.infer<typeof SigningKeyInfo>;
