/**
 * Evidence retention (docs/evidence.md "Retention"): items of incidents closed more than
 * TOCSIN_EVIDENCE_RETENTION_DAYS ago are deleted (softly: the record and its custody history stay), each
 * with a custody entry by the system; items on legal hold are never touched. Their blobs are then
 * removed from the blob store once no live item and no claim's file refers to them. 0 days: kept for ever.
 */
import type { BlobStore } from '../../platform/blobs/blob-store.js';
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { IncidentService } from '../incident/index.js';
import { blobsInUse, deleteUnheld, expiredItems } from './evidence-retention.repository.js';

const ACTOR: Actor = { id: null, label: 'system (evidence retention)' };
/** Items deleted per transaction. */
const BATCH = 200;

export interface RetentionDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  blobs: BlobStore;
  retentionMs: number;
}

export function createEvidenceRetention(deps: RetentionDeps) {
  const { store, audit, clock, incidents, blobs, retentionMs } = deps;
  const days = Math.round(retentionMs / 86_400_000);

  /** One sweep: what it deleted and how many blobs it removed. */
  return async function prune(): Promise<{ deleted: number; blobsRemoved: number }> {
    if (retentionMs <= 0) return { deleted: 0, blobsRemoved: 0 };
    const now = clock.now();
    let deleted = 0;
    const freed = new Set<string>();
    for (;;) {
      const rows = await expiredItems(store.db, now - retentionMs, BATCH);
      if (!rows.length) break;
      const refs = await incidents.refs(store.db, [...new Set(rows.map((r) => r.incident_id))]);
      const done = await store.transaction(async (tx) => {
        const ids = new Set(
          await deleteUnheld(
            tx,
            rows.map((r) => r.id),
            now,
          ),
        );
        const gone = rows.filter((r) => ids.has(r.id));
        await audit.appendMany(
          tx,
          ACTOR,
          gone.map((r) => ({
            action: 'evidence.delete' as const,
            targetType: 'evidence' as const,
            targetId: r.id,
            after: { incident: refs.get(r.incident_id)?.key ?? null, sha256: r.sha256, reason: 'retention', days },
            incidents: [r.incident_id],
          })),
        );
        return gone;
      });
      deleted += done.length;
      for (const r of done) freed.add(r.sha256);
      if (rows.length < BATCH) break;
    }
    let blobsRemoved = 0;
    const inUse = await blobsInUse(store.db, [...freed]);
    for (const sha of freed) if (!inUse.has(sha) && (await blobs.remove(sha))) blobsRemoved++;
    return { deleted, blobsRemoved };
  };
}
