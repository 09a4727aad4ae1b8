/** HTTP routes of the evidence locker (issue 15). */
import { z } from 'zod';
import { CustodyHistory, EvidenceItem, EvidenceList, HoldBody } from '../../../shared/evidence-schemas.js';
import { sendDownload } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { Evidence } from './index.js';
import { packageRoutes } from './package.routes.js';

const tags = ['evidence'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const AlertParams = KeyParams.extend({ alertId: z.string().min(1).max(64) });
const ActionParams = KeyParams.extend({ actionId: z.string().min(1).max(64) });
const ItemParams = z.strictObject({ id: z.string().min(1).max(64) });
const LOCKER = '/api/v1/incidents/:key/evidence';
const ITEM = '/api/v1/evidence/:id';

export function evidenceRoutes(e: Evidence): AnyRoute[] {
  const { items, snapshots } = e;
  return [
    defineRoute({
      method: 'GET',
      url: LOCKER,
      summary: "The incident's evidence items (not deleted), oldest first, with their SHA-256 and MD5",
      tags,
      access: 'evidence.read',
      params: KeyParams,
      response: { status: 200, schema: EvidenceList },
      handler: ({ principal, params }) => items.list(principal, params.key),
    }),
    defineRoute({
      method: 'POST',
      url: LOCKER,
      summary:
        'Add a file as evidence (multipart/form-data: the fields description, sourceSystem, acquisitionMethod, acquirerSha256 first, then one part "file" of any type, streamed, up to TOCSIN_EVIDENCE_MAX_BYTES); an acquirer SHA-256 that differs is kept and flagged',
      tags,
      access: 'evidence.manage',
      params: KeyParams,
      raw: {
        bodyLimit: items.maxBytes + 1024 * 1024,
        content: { 'multipart/form-data': undefined },
        multipart: { files: 1, fileSize: items.maxBytes },
      },
      response: { status: 201, schema: EvidenceItem },
      handler: ({ principal, params, req }) => items.upload(principal, params.key, req.parts(), req.ip),
    }),
    defineRoute({
      method: 'POST',
      url: `${LOCKER}/alerts/:alertId`,
      summary: 'Preserve an alert of the incident with its events as evidence (a canonical JSON snapshot, hashed)',
      tags,
      access: 'evidence.manage',
      params: AlertParams,
      response: { status: 201, schema: EvidenceItem },
      handler: ({ principal, params, req }) => items.preserveAlert(principal, params.key, params.alertId, req.ip),
    }),
    defineRoute({
      method: 'POST',
      url: `${LOCKER}/timeline`,
      summary: "Preserve the incident's attack timeline as evidence (a canonical JSON snapshot, hashed)",
      tags,
      access: 'evidence.manage',
      params: KeyParams,
      response: { status: 201, schema: EvidenceItem },
      handler: ({ principal, params, req }) => snapshots.preserveTimeline(principal, params.key, req.ip),
    }),
    defineRoute({
      method: 'POST',
      url: `${LOCKER}/actions/:actionId`,
      summary:
        "Preserve a response action of the incident with the connector's request and response as evidence (a canonical JSON snapshot, hashed)",
      tags,
      access: 'evidence.manage',
      params: ActionParams,
      response: { status: 201, schema: EvidenceItem },
      handler: ({ principal, params, req }) => snapshots.preserveAction(principal, params.key, params.actionId, req.ip),
    }),
    defineRoute({
      method: 'GET',
      url: ITEM,
      summary: 'One evidence item (a view is an entry of its chain of custody)',
      tags,
      access: 'evidence.read',
      params: ItemParams,
      response: { status: 200, schema: EvidenceItem },
      handler: ({ principal, params, req }) => items.view(principal, params.id, req.ip),
    }),
    defineRoute({
      method: 'GET',
      url: `${ITEM}/content`,
      summary: "An evidence item's bytes, as a download only (audited; never rendered)",
      tags,
      access: 'evidence.read',
      params: ItemParams,
      response: { status: 200, contentType: 'application/octet-stream' },
      handler: async ({ principal, params, req, reply }) => {
        const { item, stream } = await items.download(principal, params.id, req.ip);
        return sendDownload(reply, {
          type: 'application/octet-stream',
          bytes: item.bytes,
          name: item.fileName,
          stream,
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${ITEM}/preview`,
      summary:
        'A safe preview of an evidence item: a picture re-encoded as PNG (at most 1600 px, no metadata, a pixel limit), text as its first 64 KiB of text/plain; 415 for other types (audited)',
      tags,
      access: 'evidence.read',
      params: ItemParams,
      response: { status: 200, contentType: 'image/png' },
      handler: async ({ principal, params, req, reply }) => {
        const preview = await items.preview(principal, params.id, req.ip);
        return reply
          .header('content-type', preview.type)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('content-disposition', 'inline')
          .header('cache-control', 'private, no-store')
          .header('x-tocsin-preview-truncated', String(preview.truncated))
          .send(preview.body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${ITEM}/custody`,
      summary: "An evidence item's chain of custody: its audit entries, oldest first (who, what, when, from where)",
      tags,
      access: 'evidence.read',
      params: ItemParams,
      response: { status: 200, schema: CustodyHistory },
      handler: ({ principal, params }) => items.custodyHistory(principal, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: `${ITEM}/hold`,
      summary: 'Place or release a legal hold on an evidence item (with the reason; an item on hold cannot be deleted)',
      tags,
      access: 'evidence.manage',
      params: ItemParams,
      body: HoldBody,
      response: { status: 200, schema: EvidenceItem },
      handler: ({ principal, params, body, req }) => items.hold(principal, params.id, body, req.ip),
    }),
    defineRoute({
      method: 'DELETE',
      url: ITEM,
      summary:
        'Delete an evidence item (409 while on legal hold); the record and its custody stay, and so do its bytes in the blob store',
      tags,
      access: 'evidence.manage',
      params: ItemParams,
      response: { status: 204 },
      handler: async ({ principal, params, req }) => {
        await items.remove(principal, params.id, req.ip);
      },
    }),
    ...packageRoutes(e),
  ];
}
