/**
 * Evidence export packages (issue 15): chosen items of an incident in a signed ZIP for the police, a
 * regulator or a court (package-zip.ts), stored in the blob store by its SHA-256, listed per incident
 * and downloaded (audited). Making one is, for each item, the custody entry of its transfer to an
 * outside party (`evidence.export`, with the package and the recipient); the package has its own entry,
 * and a request from outside it answers lists it among what was handed over.
 */
import type { Readable } from 'node:stream';
import type { EvidencePackage, EvidencePackageList, PackageCreate } from '../../../shared/evidence-package-schemas.js';
import { PACKAGE_FORMAT } from '../../../shared/evidence-package-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { iso, newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { canSee } from '../incident/index.js';
import type { EvidenceContext, EvidenceDeps } from './evidence-context.js';
import { itemPath, type ManifestBody, type ManifestItem } from './package-manifest.js';
import { insertPackage, liveItemsOf, type PackageRow, packageById, packagesOf } from './package.repository.js';
import { writePackage } from './package-zip.js';
import type { SigningKey } from './signing-key.js';

/** The request-from-outside register, as packages use it (the investigation module, wired in compose). */
export interface PackageRequests {
  forPackage(
    db: Db,
    p: Principal,
    id: string,
    incidentId: string,
  ): Promise<{ id: string; requesterKind: string; requesterName: string; reference: string | null }>;
  recordHandover(
    tx: Db,
    p: Principal,
    id: string,
    entry: { kind: 'export_package'; ref: string; description: string },
  ): Promise<void>;
}

export function createPackageService(
  deps: EvidenceDeps & { signing: SigningKey; requests: PackageRequests },
  ctx: EvidenceContext,
) {
  const { store, blobs, audit, users, clock } = deps;

  async function views(db: Db, rows: PackageRow[], key: string): Promise<EvidencePackage[]> {
    const names = await users.namesOf(
      rows.flatMap((r) => (r.created_by ? [r.created_by] : [])),
      db,
    );
    return rows.map((r) => ({
      id: r.id,
      incidentKey: key,
      recipient: r.recipient,
      requestId: r.request_id,
      purpose: r.purpose,
      itemCount: Number(r.item_count),
      bytes: Number(r.bytes),
      sha256: r.sha256,
      createdAt: iso(r.created_at)!,
      createdBy: { id: r.created_by ?? '', name: (r.created_by && names.get(r.created_by)) || (r.created_by ?? '') },
    }));
  }

  /** The package a principal may see, with its incident; 404 otherwise (also for a restricted incident). */
  async function loadPackage(db: Db, p: Principal, id: string) {
    const row = await packageById(db, id);
    const ref = row ? (await deps.incidents.refs(db, [row.incident_id])).get(row.incident_id) : undefined;
    if (!row || !ref || !canSee(p, ref.audience)) throw notFound(`evidence package ${id}`);
    return { row, ref };
  }

  return {
    /** Makes a package of the incident's items (in the order given) for `recipient`; 201 with it. */
    async create(p: Principal, key: string, body: PackageCreate, ip: string | null): Promise<EvidencePackage> {
      assertCan(p, 'evidence.manage');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const ids = [...new Set(body.itemIds)];
      const found = new Map((await liveItemsOf(store.db, ref.id, ids)).map((r) => [r.id, r]));
      const unknown = ids.filter((id) => !found.has(id));
      if (unknown.length)
        throw invalid(
          `${unknown.length} item(s) are not evidence of ${key} (or were deleted): ${unknown.slice(0, 5).join(', ')}`,
          unknown.slice(0, 20).map((id) => ({
            path: `itemIds.${body.itemIds.indexOf(id)}`,
            message: `not an evidence item of ${key}`,
            code: 'unknown_item',
          })),
          { code: 'evidence.items_unknown', params: { count: unknown.length } },
        );
      const request = body.requestId ? await deps.requests.forPackage(store.db, p, body.requestId, ref.id) : null;
      const rows = ids.map((id) => found.get(id)!);
      const custody = new Map<string, ManifestItem['custody']>();
      for (const e of await audit.ofTargets('evidence', ids)) {
        const list = custody.get(e.targetId!) ?? [];
        list.push({ seq: e.seq, at: e.at!, action: e.action, actor: e.actor, details: e.after });
        custody.set(e.targetId!, list);
      }
      const names = await users.namesOf([p.user.id, ...rows.flatMap((r) => (r.uploaded_by ? [r.uploaded_by] : []))]);
      const key_ = await deps.signing.publicKey();
      const id = newId();
      const now = clock.now();
      const manifest: ManifestBody = {
        format: PACKAGE_FORMAT,
        package: {
          id,
          createdAt: iso(now)!,
          createdBy: { id: p.user.id, name: names.get(p.user.id) ?? p.user.id },
          recipient: body.recipient,
          purpose: body.purpose ?? '',
        },
        incident: { key: ref.key, title: ref.title },
        request,
        signingKey: { algorithm: 'Ed25519', fingerprint: key_.fingerprint },
        items: rows.map((r) => ({
          id: r.id,
          path: itemPath(r.sha256, r.file_name),
          fileName: r.file_name,
          kind: r.kind,
          mediaType: r.media_type,
          bytes: Number(r.bytes),
          sha256: r.sha256,
          md5: r.md5,
          description: r.description,
          sourceSystem: r.source_system,
          acquisitionMethod: r.acquisition_method,
          acquirerSha256: r.acquirer_sha256,
          hashMismatch: Boolean(r.hash_mismatch),
          uploadedBy: r.uploaded_by ? { id: r.uploaded_by, name: names.get(r.uploaded_by) ?? null } : null,
          uploadedAt: iso(r.created_at)!,
          custody: custody.get(r.id) ?? [],
        })),
      };
      const blob = await writePackage({
        blobs,
        body: manifest,
        sign: (data) => deps.signing.sign(data),
        publicKeyPem: key_.publicKeyPem,
      });
      const row: PackageRow = {
        id,
        incident_id: ref.id,
        recipient: body.recipient,
        request_id: request?.id ?? null,
        purpose: body.purpose ?? '',
        item_count: rows.length,
        bytes: blob.bytes,
        sha256: blob.sha256,
        key_fingerprint: key_.fingerprint,
        created_by: p.user.id,
        created_at: now,
      };
      const actor = actorOf(p);
      await store.transaction(async (tx) => {
        await ctx.visibleIncident(tx, p, key);
        await insertPackage(tx, row);
        const transfer = { package: id, recipient: body.recipient, request: row.request_id, ip };
        await audit.appendMany(tx, actor, [
          ...rows.map((r) => ({
            action: 'evidence.export' as const,
            targetType: 'evidence' as const,
            targetId: r.id,
            after: { incident: ref.key, sha256: r.sha256, ...transfer },
            incidents: [ref.id],
          })),
          {
            action: 'evidence.package_create',
            targetType: 'evidence_package',
            targetId: id,
            after: {
              incident: ref.key,
              items: rows.length,
              bytes: blob.bytes,
              sha256: blob.sha256,
              keyFingerprint: key_.fingerprint,
              purpose: row.purpose,
              ...transfer,
            },
            incidents: [ref.id],
          },
        ]);
        if (request)
          await deps.requests.recordHandover(tx, p, request.id, {
            kind: 'export_package',
            ref: id,
            description: `Evidence package of ${rows.length} item(s) for ${body.recipient} (ZIP SHA-256 ${blob.sha256})`,
          });
      });
      return (await views(store.db, [row], ref.key))[0]!;
    },

    /** The incident's packages, newest first. */
    async list(p: Principal, key: string): Promise<EvidencePackageList> {
      assertCan(p, 'evidence.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      return { items: await views(store.db, await packagesOf(store.db, ref.id), ref.key) };
    },

    /** The package's ZIP for a download (audited). */
    async download(
      p: Principal,
      id: string,
      ip: string | null,
    ): Promise<{ name: string; bytes: number; stream: Readable }> {
      assertCan(p, 'evidence.read');
      const { row, ref } = await loadPackage(store.db, p, id);
      const stream = await blobs.open(row.sha256);
      if (!stream) throw notFound(`the ZIP of evidence package ${id} (SHA-256 ${row.sha256})`);
      try {
        await store.transaction((tx) =>
          audit.append(tx, actorOf(p), {
            action: 'evidence.package_download',
            targetType: 'evidence_package',
            targetId: id,
            after: { incident: ref.key, sha256: row.sha256, bytes: Number(row.bytes), ip },
            incidents: [ref.id],
          }),
        );
      } catch (err) {
        stream.destroy();
        throw err;
      }
      return { name: `${ref.key}-evidence-package-${id}.zip`, bytes: Number(row.bytes), stream };
    },

    /** Tocsin's public signing key and its fingerprint. */
    signingKey: () => deps.signing.publicKey(),
  };
}
