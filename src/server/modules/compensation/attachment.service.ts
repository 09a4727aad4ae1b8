/**
 * Claims' files (issue 14): the customer attaches them when filing on the portal, staff attach what the
 * customer brought to a branch or sent by mail. At most 20 a claim, each at most 10 MB, typed by their
 * bytes. Adding files is a step of the claim (an `evidence` event, the status unchanged) and an audit
 * entry; every download is an audit entry too (they hold the customer's documents).
 */
import type { Multipart } from '@fastify/multipart';
import type { Readable } from 'node:stream';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_CLAIM,
  ATTACHMENTS_PER_UPLOAD,
  type ClaimAttachment,
  type ClaimAttachmentList,
} from '../../../shared/compensation-filing-schemas.js';
import type { BlobStore } from '../../platform/blobs/blob-store.js';
import type { Db } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import { iso, newId } from '../../platform/ids.js';
import type { Actor } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentRef } from '../incident/index.js';
import {
  type AttachmentRow,
  attachmentById,
  attachmentCount,
  attachmentsOf,
  insertAttachments,
} from './attachment.repository.js';
import { receiveForm, type ReceivedFile, tooMany } from './attachment-upload.js';
import type { ClaimRow } from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';

/** Who attaches: a staff member in the console, or the customer on the portal (with the address). */
export type Attacher = { p: Principal; ip: string | null } | { customer: Actor; ip: string | null };

export function createAttachmentService(deps: CompensationDeps & { blobs: BlobStore }, ctx: CompensationContext) {
  const { store, audit, clock, users, blobs } = deps;

  /** Reads an upload's form into the blob store (the limits of one upload); nothing is recorded yet. */
  const receive = (parts: AsyncIterableIterator<Multipart>, beforeFile?: (fields: Record<string, string>) => void) =>
    receiveForm(parts, blobs, { maxFiles: ATTACHMENTS_PER_UPLOAD, maxBytes: ATTACHMENT_MAX_BYTES, beforeFile });

  /**
   * Records `files` on the claim in the caller's transaction: rows, one `evidence` event (unless the
   * claim is being created with them: `withEvent: false`) and an audit entry.
   */
  async function attach(
    tx: Db,
    claim: ClaimRow,
    files: ReceivedFile[],
    by: Attacher,
    opts: { withEvent: boolean; note?: string | null } = { withEvent: true },
  ): Promise<void> {
    if (files.length === 0 && !opts.note) return;
    const had = await attachmentCount(tx, claim.id);
    if (had + files.length > ATTACHMENTS_PER_CLAIM) throw tooMany(had, ATTACHMENTS_PER_CLAIM);
    const now = clock.now();
    const staff = 'p' in by ? by.p : null;
    const rows: AttachmentRow[] = files.map((f) => ({
      id: newId(),
      claim_id: claim.id,
      incident_id: claim.incident_id,
      sha256: f.sha256,
      bytes: f.bytes,
      media_type: f.mediaType,
      file_name: f.fileName,
      uploaded_by: staff?.user.id ?? null,
      channel: staff ? 'console' : 'portal',
      ip: by.ip,
      created_at: now,
    }));
    await insertAttachments(tx, rows);
    if (opts.withEvent)
      await ctx.recordEvents(tx, [
        ctx.event(
          claim,
          claim,
          {
            kind: 'evidence',
            speaker: staff ? 'staff' : 'customer',
            channel: staff ? 'console' : 'portal',
            ip: by.ip,
            reason: opts.note ?? (files.length ? files.map((f) => f.fileName).join(', ') : null),
          },
          staff,
          now,
        ),
      ]);
    await audit.append(tx, staff ? actorOf(staff) : (by as { customer: Actor }).customer, {
      action: 'compensation.attachment_add',
      targetType: 'compensation_claim',
      targetId: claim.id,
      after: {
        ref: claim.ref,
        channel: staff ? 'console' : 'portal',
        ip: by.ip,
        files: files.map((f) => ({ sha256: f.sha256, md5: f.md5, bytes: f.bytes, mediaType: f.mediaType })),
        noted: Boolean(opts.note),
      },
      incidents: [claim.incident_id],
    });
  }

  async function views(db: Db, rows: AttachmentRow[]): Promise<ClaimAttachment[]> {
    const names = await users.namesOf(
      rows.flatMap((r) => (r.uploaded_by ? [r.uploaded_by] : [])),
      db,
    );
    return rows.map((r) => ({
      id: r.id,
      claimId: r.claim_id,
      fileName: r.file_name,
      mediaType: r.media_type as ClaimAttachment['mediaType'],
      bytes: Number(r.bytes),
      sha256: r.sha256,
      uploadedBy: r.uploaded_by ? { id: r.uploaded_by, name: names.get(r.uploaded_by) ?? null } : null,
      channel: r.channel as ClaimAttachment['channel'],
      createdAt: iso(r.created_at)!,
    }));
  }

  async function list(p: Principal, claimId: string): Promise<ClaimAttachmentList> {
    const { claim } = await ctx.loadClaim(store.db, p, claimId);
    return { items: await views(store.db, await attachmentsOf(store.db, claim.id)) };
  }

  return {
    receive,
    attach,
    list,

    /** Staff attach files to a claim (what the customer brought or sent). */
    async upload(p: Principal, claimId: string, parts: AsyncIterableIterator<Multipart>, ip: string | null) {
      assertCan(p, 'compensation.manage');
      // The claim must be one the principal sees before a byte is kept.
      await ctx.loadClaim(store.db, p, claimId);
      const form = await receive(parts);
      if (form.files.length === 0) throw tooMany(0, ATTACHMENTS_PER_UPLOAD);
      await store.transaction(async (tx) => {
        const { claim } = await ctx.loadClaim(tx, p, claimId);
        await attach(tx, claim, form.files, { p, ip });
      });
      return list(p, claimId);
    },

    /** One file's bytes for a download; audited (the customer's documents). */
    async download(
      p: Principal,
      claimId: string,
      id: string,
      ip: string | null,
    ): Promise<{ attachment: ClaimAttachment; stream: Readable }> {
      assertCan(p, 'compensation.read');
      const { claim, ref } = await ctx.loadClaim(store.db, p, claimId);
      const row = await attachmentById(store.db, claim.id, id);
      if (!row) throw notFound(`file ${id} of claim ${claim.ref}`);
      const stream = await blobs.open(row.sha256);
      if (!stream) throw notFound(`the bytes of file ${id} (SHA-256 ${row.sha256})`);
      await recordDownload(p, claim, ref, row, ip);
      return { attachment: (await views(store.db, [row]))[0]!, stream };
    },
  };

  async function recordDownload(
    p: Principal,
    claim: ClaimRow,
    ref: IncidentRef,
    row: AttachmentRow,
    ip: string | null,
  ) {
    await store.transaction((tx) =>
      audit.append(tx, actorOf(p), {
        action: 'compensation.attachment_download',
        targetType: 'compensation_claim',
        targetId: claim.id,
        after: { ref: claim.ref, attachment: row.id, sha256: row.sha256, ip },
        incidents: [ref.id],
      }),
    );
  }
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
