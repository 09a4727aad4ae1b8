/**
 * What the evidence use cases share: their dependencies, the item a principal may see (need-to-know: an
 * item of a restricted incident answers 404 to those outside it), recording an item (row and audit
 * entry in one transaction) and the item as the API shows it.
 */
import type { AlertDetail } from '../../../shared/alert-schemas.js';
import type { AttackTimeline } from '../../../shared/attack-timeline-schemas.js';
import type { ActionRun } from '../../../shared/connector-schemas.js';
import type { EvidenceItem } from '../../../shared/evidence-schemas.js';
import type { BlobStore, StoredBlob } from '../../platform/blobs/blob-store.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { Principal } from '../auth/index.js';
import { canSee, type IncidentRef, type IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { type EvidenceRow, insertItem, itemById } from './evidence.repository.js';

export interface EvidenceDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
  /** Where the items' bytes are kept by their SHA-256. */
  blobs: BlobStore;
  /** The largest item an upload may bring (TOCSIN_EVIDENCE_MAX_BYTES). */
  maxBytes: number;
  /** How long items are kept after their incident closed (TOCSIN_EVIDENCE_RETENTION_DAYS; 0 or absent: for ever). */
  retentionMs?: number;
  /** An alert with its events, as the principal may see it (the alert module). */
  alerts: { get(p: Principal, id: string): Promise<AlertDetail> };
  /** The incident's attack timeline, as the principal may see it (the attack-timeline module). */
  attackTimeline: { build(p: Principal, key: string): Promise<AttackTimeline> };
  /** A response action with its connector request and response (the connector module). */
  actions: { get(p: Principal, id: string): Promise<ActionRun> };
}

/** What is said of an item besides its bytes. */
export interface ItemFacts {
  kind: EvidenceItem['kind'];
  fileName: string;
  mediaType: string;
  description: string;
  sourceSystem: string;
  acquisitionMethod: string;
  acquirerSha256: string | null;
}

export function evidenceContext(deps: EvidenceDeps) {
  const { incidents, users, audit, clock } = deps;

  async function visibleIncident(db: Db, p: Principal, key: string): Promise<IncidentRef> {
    const incident = await incidents.loadVisible(db, p, key);
    return (await incidents.refs(db, [incident.id])).get(incident.id)!;
  }

  /** An item the principal may see, with its incident; 404 otherwise (also for a restricted incident). */
  async function loadItem(db: Db, p: Principal, id: string): Promise<{ row: EvidenceRow; ref: IncidentRef }> {
    const row = await itemById(db, id);
    const ref = row ? (await incidents.refs(db, [row.incident_id])).get(row.incident_id) : undefined;
    if (!row || !ref || !canSee(p, ref.audience)) throw notFound(`evidence item ${id}`);
    return { row, ref };
  }

  /** Records a stored blob as an item of the incident, in the caller's transaction, with its audit entry. */
  async function record(
    tx: Db,
    ref: Pick<IncidentRef, 'id' | 'key'>,
    blob: StoredBlob,
    facts: ItemFacts,
    by: { actor: Actor; userId: string | null; ip: string | null },
    audited: Record<string, unknown> = {},
  ): Promise<EvidenceRow> {
    const mismatch = facts.acquirerSha256 !== null && facts.acquirerSha256 !== blob.sha256;
    const row: EvidenceRow = {
      id: newId(),
      incident_id: ref.id,
      sha256: blob.sha256,
      md5: blob.md5,
      bytes: blob.bytes,
      file_name: facts.fileName,
      media_type: facts.mediaType,
      description: facts.description,
      source_system: facts.sourceSystem,
      acquisition_method: facts.acquisitionMethod,
      acquirer_sha256: facts.acquirerSha256,
      hash_mismatch: mismatch ? 1 : 0,
      kind: facts.kind,
      legal_hold: 0,
      uploaded_by: by.userId,
      ip: by.ip,
      created_at: clock.now(),
      deleted_at: null,
    };
    await insertItem(tx, row);
    await audit.append(tx, by.actor, {
      action: 'evidence.add',
      targetType: 'evidence',
      targetId: row.id,
      after: {
        incident: ref.key,
        kind: row.kind,
        sha256: row.sha256,
        md5: row.md5,
        bytes: row.bytes,
        mediaType: row.media_type,
        acquirerSha256: row.acquirer_sha256,
        hashMismatch: mismatch,
        ip: by.ip,
        ...audited,
      },
      incidents: [ref.id],
    });
    return row;
  }

  /** An audit entry about an item (a view, a download, a hold, a deletion) in its own transaction or the caller's. */
  async function custody(
    actor: Actor,
    row: EvidenceRow,
    ref: IncidentRef,
    action: 'evidence.view' | 'evidence.download' | 'evidence.hold' | 'evidence.delete' | 'evidence.preview',
    after: Record<string, unknown>,
    tx?: Db,
  ): Promise<void> {
    const write = (db: Db) =>
      audit.append(db, actor, {
        action,
        targetType: 'evidence',
        targetId: row.id,
        after: { incident: ref.key, sha256: row.sha256, ...after },
        incidents: [ref.id],
      });
    if (tx) await write(tx);
    else await deps.store.transaction(write);
  }

  async function views(db: Db, rows: EvidenceRow[], keys: Map<string, string>): Promise<EvidenceItem[]> {
    const names = await users.namesOf(
      rows.flatMap((r) => (r.uploaded_by ? [r.uploaded_by] : [])),
      db,
    );
    return rows.map((r) => ({
      id: r.id,
      incidentKey: keys.get(r.incident_id) ?? '',
      kind: r.kind as EvidenceItem['kind'],
      fileName: r.file_name,
      mediaType: r.media_type,
      bytes: Number(r.bytes),
      sha256: r.sha256,
      md5: r.md5,
      description: r.description,
      sourceSystem: r.source_system,
      acquisitionMethod: r.acquisition_method,
      acquirerSha256: r.acquirer_sha256,
      hashMismatch: Boolean(r.hash_mismatch),
      legalHold: Boolean(r.legal_hold),
      uploadedBy: r.uploaded_by ? { id: r.uploaded_by, name: names.get(r.uploaded_by) ?? null } : null,
      ip: r.ip,
      createdAt: iso(r.created_at)!,
      deletedAt: iso(r.deleted_at),
    }));
  }

  return { visibleIncident, loadItem, record, custody, views };
}

export type EvidenceContext = ReturnType<typeof evidenceContext>;
