/** HTTP routes of claims' files and of the portal's filing switch of an incident. */
import { z } from 'zod';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_UPLOAD,
  ClaimAttachmentList,
  PortalFiling,
  PortalFilingBody,
} from '../../../shared/compensation-filing-schemas.js';
import { sendDownload } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { Compensation } from './compensation.module.js';

const tags = ['compensation'];
const ClaimParams = z.strictObject({ id: z.string().min(1).max(64) });
const FileParams = ClaimParams.extend({ attachmentId: z.string().min(1).max(64) });
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const FILES = '/api/v1/compensation/claims/:id/attachments';
const PORTAL = '/api/v1/incidents/:key/compensation/portal';

export function attachmentRoutes(c: Compensation): AnyRoute[] {
  const { attachments, openings } = c;
  return [
    defineRoute({
      method: 'GET',
      url: FILES,
      summary: "A claim's files: the customer's from the portal and staff's, with their SHA-256",
      tags,
      access: 'compensation.read',
      params: ClaimParams,
      response: { status: 200, schema: ClaimAttachmentList },
      handler: ({ principal, params }) => attachments.list(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: FILES,
      summary: `Attach files to a claim (multipart/form-data, parts named "file": at most ${ATTACHMENTS_PER_UPLOAD}, each at most 10 MB; pictures, PDF or plain text by their bytes)`,
      tags,
      access: 'compensation.manage',
      params: ClaimParams,
      raw: {
        bodyLimit: ATTACHMENTS_PER_UPLOAD * ATTACHMENT_MAX_BYTES + 64 * 1024,
        content: { 'multipart/form-data': undefined },
        multipart: { files: ATTACHMENTS_PER_UPLOAD, fileSize: ATTACHMENT_MAX_BYTES },
      },
      response: { status: 201, schema: ClaimAttachmentList },
      handler: ({ principal, params, req }) => attachments.upload(principal, params.id, req.parts(), req.ip),
    }),
    defineRoute({
      method: 'GET',
      url: `${FILES}/:attachmentId`,
      summary: "One of a claim's files (a download is audited)",
      tags,
      access: 'compensation.read',
      params: FileParams,
      response: { status: 200, contentType: 'application/octet-stream' },
      handler: async ({ principal, params, req, reply }) => {
        const { attachment: a, stream } = await attachments.download(principal, params.id, params.attachmentId, req.ip);
        return sendDownload(reply, { type: a.mediaType, bytes: a.bytes, name: a.fileName, stream });
      },
    }),
    defineRoute({
      method: 'GET',
      url: PORTAL,
      summary: 'Whether the public portal takes claims for the incident, under which title, until when',
      tags,
      access: 'compensation.read',
      params: KeyParams,
      response: { status: 200, schema: PortalFiling },
      handler: ({ principal, params }) => openings.view(principal, params.key),
    }),
    defineRoute({
      method: 'PUT',
      url: PORTAL,
      summary:
        'Open the public portal to claims for the incident (a public title, an optional closing time) or close it',
      tags,
      access: 'compensation.manage',
      params: KeyParams,
      body: PortalFilingBody,
      response: { status: 200, schema: PortalFiling },
      handler: ({ principal, params, body }) => openings.set(principal, params.key, body),
    }),
  ];
}
