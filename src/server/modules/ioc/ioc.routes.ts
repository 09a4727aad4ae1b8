/** HTTP routes of IOCs: per incident (list, enter, change, revoke, extract), STIX 2.1 and MISP exports, STIX import. */
import { z } from 'zod';
import {
  Ioc,
  IocCreate,
  IocDetection,
  IocDetectionRequest,
  IocExtractResult,
  IocListQuery,
  IocRevoke,
  IocUpdate,
  STIX_IMPORT_MAX_BYTES,
  StixBundleIn,
  StixImportResult,
} from '../../../shared/ioc-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { IocDetectionService } from './ioc-detection.service.js';
import type { IocService } from './ioc.service.js';
import { parseBundleText } from './stix-import.js';
import { STIX_MEDIA_TYPE } from './taxii.js';

const KeyParams = z.strictObject({ key: z.string().min(1).max(32) });
const IdParams = z.strictObject({ key: z.string().min(1).max(32), id: z.string().min(1).max(64) });
const tags = ['iocs'];
const one = { status: 200, schema: Ioc };

export function iocRoutes(deps: { iocs: IocService; detection: IocDetectionService }): AnyRoute[] {
  const { iocs, detection } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/iocs',
      summary: "An incident's IOCs, oldest first (`revoked` narrows)",
      tags,
      access: 'ioc.read',
      params: KeyParams,
      query: IocListQuery,
      response: { status: 200, schema: z.object({ items: z.array(Ioc) }) },
      handler: async ({ principal, params, query }) => ({ items: await iocs.list(principal, params.key, query) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/iocs',
      summary: 'Enter an IOC of the incident (value normalized; 409 when the incident has it)',
      tags,
      access: 'ioc.manage',
      params: KeyParams,
      body: IocCreate,
      response: { status: 201, schema: Ioc },
      handler: ({ principal, params, body }) => iocs.create(principal, params.key, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/incidents/:key/iocs/:id',
      summary: "Change an IOC's confidence, TLP or description",
      tags,
      access: 'ioc.manage',
      params: IdParams,
      body: IocUpdate,
      response: one,
      handler: ({ principal, params, body }) => iocs.update(principal, params.key, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/iocs/:id/revoke',
      summary: 'Revoke an IOC (kept, marked revoked in exports, never shared over TAXII again)',
      tags,
      access: 'ioc.manage',
      params: IdParams,
      body: IocRevoke,
      response: one,
      handler: ({ principal, params, body }) => iocs.revoke(principal, params.key, params.id, body.reason),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/iocs/extract',
      summary:
        "Extract IOCs from the incident's alerts' events (IPs, domains, URLs, hashes, accounts, e-mails); idempotent",
      tags,
      access: 'ioc.manage',
      params: KeyParams,
      response: { status: 200, schema: IocExtractResult },
      handler: ({ principal, params }) => iocs.extract(principal, params.key),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/stix',
      summary: "The incident's STIX 2.1 bundle: report, indicators, observed data, sightings, TLP markings",
      tags,
      access: 'ioc.read',
      params: KeyParams,
      response: { status: 200, contentType: STIX_MEDIA_TYPE },
      handler: async ({ principal, params, reply }) => {
        const bundle = await iocs.stix(principal, params.key);
        // As bytes: Fastify would rewrite the media type of a text body (taxii.routes.ts).
        return reply.header('content-type', STIX_MEDIA_TYPE).send(Buffer.from(JSON.stringify(bundle)));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/stix',
      summary:
        "Import a STIX 2.1 bundle's simple indicators as IOCs (10 MB at most; other objects skipped with reasons)",
      tags,
      access: 'ioc.manage',
      params: KeyParams,
      raw: {
        bodyLimit: STIX_IMPORT_MAX_BYTES,
        content: { 'application/json': StixBundleIn, [STIX_MEDIA_TYPE]: StixBundleIn },
      },
      response: { status: 200, schema: StixImportResult },
      handler: ({ principal, params, req }) => iocs.importStix(principal, params.key, parseBundleText(req.body)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/misp',
      summary: "The incident's IOCs as a MISP event (revoked ones left out)",
      tags,
      access: 'ioc.read',
      params: KeyParams,
      response: { status: 200 },
      handler: ({ principal, params }) => iocs.misp(principal, params.key),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/iocs/detection',
      summary: "The incident's IOC detection rules now loaded, with their hits",
      tags,
      access: 'ioc.read',
      params: KeyParams,
      response: { status: 200, schema: IocDetection },
      handler: ({ principal, params }) => detection.status(principal, params.key),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/iocs/detection',
      summary:
        "Turn the incident's IOCs into Sigma rules that match future events (replacing earlier ones); their alerts join the incident while it is open",
      tags,
      access: 'rule.manage',
      params: KeyParams,
      body: IocDetectionRequest,
      response: { status: 200, schema: IocDetection },
      handler: ({ principal, params, body }) => detection.generate(principal, params.key, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/incidents/:key/iocs/detection',
      summary: "Delete the incident's IOC detection rules (their alerts stay)",
      tags,
      access: 'rule.manage',
      params: KeyParams,
      response: { status: 204 },
      handler: async ({ principal, params }) => {
        await detection.remove(principal, params.key);
      },
    }),
  ];
}
