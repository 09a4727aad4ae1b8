/**
 * The evidence locker's use cases (issue 15): upload a file of any size (streamed into the blob store,
 * hashed SHA-256 and MD5 as it arrives), preserve an alert with its events as a canonical JSON snapshot,
 * list, view and download (each a custody entry in the audit chain), an item's custody history, legal
 * hold, and deletion (soft: refused while on hold; the bytes stay in the blob store).
 */
import type { Multipart } from '@fastify/multipart';
import { Readable } from 'node:stream';
import type { CustodyHistory, EvidenceItem, EvidenceList, HoldBody } from '../../../shared/evidence-schemas.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import type { FieldError } from '../../platform/errors.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { type EvidenceContext, evidenceContext, type EvidenceDeps, type ItemFacts } from './evidence-context.js';
import { itemsOf, updateItem } from './evidence.repository.js';
import { cleanFileName, receiveEvidence } from './evidence-upload.js';
import { hasPreview, noPreview, type Preview, renderPreview } from './evidence-preview.js';

const HEX64 = /^[0-9a-fA-F]{64}$/;
const LIMITS = { description: 4000, sourceSystem: 200, acquisitionMethod: 200 } as const;

/** The form's fields as an item's facts; 400 naming the bad ones (before a byte of the file is kept). */
export function factsOf(
  fields: Record<string, string | undefined>,
): Omit<ItemFacts, 'kind' | 'fileName' | 'mediaType'> {
  const errors: FieldError[] = [];
  const text = (name: keyof typeof LIMITS) => {
    const v = (fields[name] ?? '').trim();
    if (v.includes('\u0000')) errors.push({ path: name, message: 'contains a NUL character', code: 'nul_character' });
    if (v.length > LIMITS[name])
      errors.push({
        path: name,
        message: `at most ${LIMITS[name]} characters`,
        code: 'too_big',
        params: { maximum: LIMITS[name], origin: 'string' },
      });
    return v;
  };
  const given = (fields.acquirerSha256 ?? '').trim();
  if (given && !HEX64.test(given))
    errors.push({
      path: 'acquirerSha256',
      message: 'not a SHA-256 (64 hexadecimal digits)',
      code: 'invalid_format',
      params: { format: 'sha256' },
    });
  const facts = {
    description: text('description'),
    sourceSystem: text('sourceSystem'),
    acquisitionMethod: text('acquisitionMethod'),
    acquirerSha256: given ? given.toLowerCase() : null,
  };
  if (errors.length)
    throw invalid(`the evidence form is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
  return facts;
}

export function createEvidenceService(deps: EvidenceDeps, ctx: EvidenceContext = evidenceContext(deps)) {
  const { store, blobs } = deps;

  async function itemView(p: Principal, id: string): Promise<EvidenceItem> {
    const { row, ref } = await ctx.loadItem(store.db, p, id);
    return (await ctx.views(store.db, [row], new Map([[ref.id, ref.key]])))[0]!;
  }

  return {
    maxBytes: deps.maxBytes,

    /** A file uploaded to the incident's locker (multipart: the fields, then one part `file`). */
    async upload(
      p: Principal,
      key: string,
      parts: AsyncIterableIterator<Multipart>,
      ip: string | null,
    ): Promise<EvidenceItem> {
      assertCan(p, 'evidence.manage');
      // The incident must be one the principal sees before a byte is kept.
      await ctx.visibleIncident(store.db, p, key);
      let facts: ReturnType<typeof factsOf> | null = null;
      const form = await receiveEvidence(parts, blobs, {
        maxBytes: deps.maxBytes,
        beforeFile: (fields) => {
          facts = factsOf(fields);
        },
      });
      const file = form.file!;
      const said = facts ?? factsOf(form.fields);
      const row = await store.transaction(async (tx) => {
        const ref = await ctx.visibleIncident(tx, p, key);
        return ctx.record(
          tx,
          ref,
          file,
          { ...said, kind: 'file', fileName: file.fileName, mediaType: file.mediaType },
          { actor: actorOf(p), userId: p.user.id, ip },
        );
      });
      return itemView(p, row.id);
    },

    /** The alert with its events, preserved as one canonical JSON snapshot (RFC 8785) of the incident. */
    async preserveAlert(p: Principal, key: string, alertId: string, ip: string | null): Promise<EvidenceItem> {
      assertCan(p, 'evidence.manage');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const alert = await deps.alerts.get(p, alertId);
      if (alert.incident?.key !== ref.key) throw notFound(`alert ${alertId} in incident ${key}`);
      const snapshot = Buffer.from(
        canonicalJson({ format: 'tocsin.alert-events.v1', incidentKey: ref.key, alert }),
        'utf8',
      );
      const blob = await blobs.put(Readable.from([snapshot]), { maxBytes: deps.maxBytes });
      const row = await store.transaction(async (tx) =>
        ctx.record(
          tx,
          await ctx.visibleIncident(tx, p, key),
          blob,
          {
            kind: 'alert_events',
            fileName: cleanFileName(`alert-${alertId}-events.json`),
            mediaType: 'application/json',
            description: `Alert ${alertId} (${alert.ruleTitle}) with its ${alert.events.length} event(s)`,
            sourceSystem: 'tocsin',
            acquisitionMethod: 'snapshot of the alert and its events (canonical JSON, RFC 8785)',
            acquirerSha256: null,
          },
          { actor: actorOf(p), userId: p.user.id, ip },
          { alert: alertId, events: alert.events.length },
        ),
      );
      return itemView(p, row.id);
    },

    /** The incident's items (not deleted), oldest first. */
    async list(p: Principal, key: string): Promise<EvidenceList> {
      assertCan(p, 'evidence.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      return { items: await ctx.views(store.db, await itemsOf(store.db, ref.id), new Map([[ref.id, ref.key]])) };
    },

    /** One item; a view is a custody entry. */
    async view(p: Principal, id: string, ip: string | null): Promise<EvidenceItem> {
      assertCan(p, 'evidence.read');
      const { row, ref } = await ctx.loadItem(store.db, p, id);
      await ctx.custody(actorOf(p), row, ref, 'evidence.view', { ip });
      return itemView(p, id);
    },

    /** The item's bytes for a download (a custody entry); a deleted item's are not served. */
    async download(p: Principal, id: string, ip: string | null): Promise<{ item: EvidenceItem; stream: Readable }> {
      assertCan(p, 'evidence.read');
      const { row, ref } = await ctx.loadItem(store.db, p, id);
      if (row.deleted_at !== null) throw notFound(`evidence item ${id} (deleted)`);
      const stream = await blobs.open(row.sha256);
      if (!stream) throw notFound(`the bytes of evidence item ${id} (SHA-256 ${row.sha256})`);
      try {
        await ctx.custody(actorOf(p), row, ref, 'evidence.download', { ip, bytes: Number(row.bytes) });
      } catch (err) {
        stream.destroy();
        throw err;
      }
      return { item: (await ctx.views(store.db, [row], new Map([[ref.id, ref.key]])))[0]!, stream };
    },

    /** A safe preview of the item (a picture re-encoded, text as text; evidence-preview.ts); a custody entry. */
    async preview(p: Principal, id: string, ip: string | null): Promise<Preview> {
      assertCan(p, 'evidence.read');
      const { row, ref } = await ctx.loadItem(store.db, p, id);
      if (row.deleted_at !== null) throw notFound(`evidence item ${id} (deleted)`);
      if (!hasPreview(row.media_type)) throw noPreview(row.media_type);
      const stream = await blobs.open(row.sha256);
      if (!stream) throw notFound(`the bytes of evidence item ${id} (SHA-256 ${row.sha256})`);
      const preview = await renderPreview(row.media_type, stream);
      await ctx.custody(actorOf(p), row, ref, 'evidence.preview', { ip, type: preview.type });
      return preview;
    },

    /** The item's chain of custody: its audit entries, oldest first (who, what, when, from where). */
    async custodyHistory(p: Principal, id: string): Promise<CustodyHistory> {
      assertCan(p, 'evidence.read');
      const { row } = await ctx.loadItem(store.db, p, id);
      const { items } = await deps.audit.list({ targetType: 'evidence', targetId: row.id }, 10_000);
      return {
        items: items.reverse().map((e) => {
          const after = (e.after ?? {}) as Record<string, unknown>;
          return {
            seq: e.seq,
            at: e.at,
            action: e.action,
            actor: e.actor,
            ip: typeof after.ip === 'string' ? after.ip : null,
            details: after,
          };
        }),
      };
    },

    /** Places or releases a legal hold (a custody entry with the reason). */
    async hold(p: Principal, id: string, body: HoldBody, ip: string | null): Promise<EvidenceItem> {
      assertCan(p, 'evidence.manage');
      await store.transaction(async (tx) => {
        const { row, ref } = await ctx.loadItem(tx, p, id);
        if (row.deleted_at !== null) throw conflict(`evidence item ${id} was deleted`);
        if (Boolean(row.legal_hold) === body.hold) return;
        await updateItem(tx, id, { legal_hold: body.hold ? 1 : 0 });
        await ctx.custody(actorOf(p), row, ref, 'evidence.hold', { hold: body.hold, reason: body.reason, ip }, tx);
      });
      return itemView(p, id);
    },

    /** Deletes an item (soft: the row and its custody stay; the bytes stay in the blob store); 409 on hold. */
    async remove(p: Principal, id: string, ip: string | null): Promise<void> {
      assertCan(p, 'evidence.manage');
      await store.transaction(async (tx) => {
        const { row, ref } = await ctx.loadItem(tx, p, id);
        if (row.legal_hold)
          throw conflict(`evidence item ${id} is on legal hold: release the hold before deleting it`, {
            code: 'evidence.on_hold',
            params: { id },
          });
        if (row.deleted_at !== null) return;
        await updateItem(tx, id, { deleted_at: deps.clock.now() });
        await ctx.custody(actorOf(p), row, ref, 'evidence.delete', { ip }, tx);
      });
    },
  };
}
