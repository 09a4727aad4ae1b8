/**
 * The evidence locker (issue 15): files and snapshots preserved for an incident, kept by their SHA-256
 * in the blob store, with their chain of custody in the audit chain, and the signed export packages made
 * of them for outside parties (docs/evidence.md).
 */
import type { SecretBox } from '../../platform/secret-box.js';
import { evidenceContext, type EvidenceDeps } from './evidence-context.js';
import { createEvidenceService } from './evidence.service.js';
import { createEvidenceStore } from './evidence-store.js';
import { createEvidenceSnapshots } from './evidence-snapshots.js';
import { createEvidenceRetention } from './evidence-retention.js';
import { createPackageService, type PackageRequests } from './package.service.js';
import { createSigningKey } from './signing-key.js';

export { checkPackage, PackageUnreadable } from './package-check.js';

export function createEvidence(deps: EvidenceDeps & { secretBox: SecretBox; requests: PackageRequests }) {
  const ctx = evidenceContext(deps);
  const signing = createSigningKey(deps);
  return {
    /** The API's use cases (need-to-know, permissions, custody entries). */
    items: createEvidenceService(deps, ctx),
    /** Signed export packages and Tocsin's signing key. */
    packages: createPackageService({ ...deps, signing, requests: deps.requests }, ctx),
    /** The CLI's: add a file, verify every stored item. */
    locker: createEvidenceStore(deps, ctx),
    /** One-click snapshots: the attack timeline, an action's connector response. */
    snapshots: createEvidenceSnapshots(deps, ctx),
    /** The worker's hourly sweep: items of incidents closed longer than the retention ago (not on hold). */
    pruneExpired: createEvidenceRetention({ ...deps, retentionMs: deps.retentionMs ?? 0 }),
  };
}

export type Evidence = ReturnType<typeof createEvidence>;
