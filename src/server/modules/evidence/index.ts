/**
 * The evidence locker (issue 15): files and snapshots preserved for an incident, kept by their SHA-256
 * in the blob store, with their chain of custody in the audit chain (docs/evidence.md).
 */
import { evidenceContext, type EvidenceDeps } from './evidence-context.js';
import { createEvidenceService } from './evidence.service.js';
import { createEvidenceStore } from './evidence-store.js';
import { createEvidenceSnapshots } from './evidence-snapshots.js';

export function createEvidence(deps: EvidenceDeps) {
  const ctx = evidenceContext(deps);
  return {
    /** The API's use cases (need-to-know, permissions, custody entries). */
    items: createEvidenceService(deps, ctx),
    /** The CLI's: add a file, verify every stored item. */
    locker: createEvidenceStore(deps, ctx),
    /** One-click snapshots: the attack timeline, an action's connector response. */
    snapshots: createEvidenceSnapshots(deps, ctx),
  };
}

export type Evidence = ReturnType<typeof createEvidence>;
