/** HTTP routes of evidence export packages and Tocsin's signing key (issue 15). */
import { z } from 'zod';
import {
  EvidencePackage,
  EvidencePackageList,
  PackageCreate,
  SigningKeyInfo,
} from '../../../shared/evidence-package-schemas.js';
import { sendDownload } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { Evidence } from './index.js';

const tags = ['evidence'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const PACKAGES = '/api/v1/incidents/:key/evidence/packages';

export function packageRoutes(e: Evidence): AnyRoute[] {
  const { packages } = e;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/signing-key',
      summary:
        "Tocsin's public signing key (Ed25519) and its fingerprint (SHA-256 of the DER SPKI): what evidence packages are signed with; publish the fingerprint to recipients",
      tags,
      // Every role (a public key is no secret); through the permission check so a session still owing its
      // second factor or a password change is refused as on any other route.
      access: 'incident.read',
      response: { status: 200, schema: SigningKeyInfo },
      handler: () => packages.signingKey(),
    }),
    defineRoute({
      method: 'POST',
      url: PACKAGES,
      summary:
        'Make a signed export package (ZIP: the items, manifest.json signed by manifest.sig, manifest.pdf, SHA256SUMS, signing-key.pem) of items of the incident for an outside party; each item gets a custody entry of the transfer',
      tags,
      access: 'evidence.manage',
      params: KeyParams,
      body: PackageCreate,
      response: { status: 201, schema: EvidencePackage },
      handler: ({ principal, params, body, req }) => packages.create(principal, params.key, body, req.ip),
    }),
    defineRoute({
      method: 'GET',
      url: PACKAGES,
      summary: "The incident's evidence packages, newest first",
      tags,
      access: 'evidence.read',
      params: KeyParams,
      response: { status: 200, schema: EvidencePackageList },
      handler: ({ principal, params }) => packages.list(principal, params.key),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/evidence-packages/:id/content',
      summary: "An evidence package's ZIP, as a download (audited)",
      tags,
      access: 'evidence.read',
      params: IdParams,
      response: { status: 200, contentType: 'application/zip' },
      handler: async ({ principal, params, req, reply }) => {
        const file = await packages.download(principal, params.id, req.ip);
        return sendDownload(reply, {
          type: 'application/zip',
          bytes: file.bytes,
          name: file.name,
          stream: file.stream,
        });
      },
    }),
  ];
}
