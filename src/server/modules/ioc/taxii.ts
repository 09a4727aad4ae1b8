/**
 * A read-only TAXII 2.1 server of the firm's shareable indicators (docs/iocs.md): discovery, one API
 * root, one collection. The collection holds the indicators of TLP:CLEAR and TLP:GREEN IOCs that are not
 * revoked, of the incidents the caller may see, in the order they were added or last changed
 * (`date_added` is that change), with `added_after` and `limit`/`next` paging.
 */
import { v5 } from 'uuid';
import type { Db } from '../../platform/db/types.js';
import type { Store } from '../../platform/db/connect.js';
import { cursorCodec } from '../../platform/cursor.js';
import { invalid, notFound } from '../../platform/errors.js';
import { iso } from '../../platform/ids.js';
import { assertCan, type Principal } from '../auth/index.js';
import type { IncidentRef } from '../incident/index.js';
import { shareableIocs } from './ioc.repository.js';
import { firmIdentity, indicatorOf, type StixObject } from './stix.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
/** The one collection's id. */
export const COLLECTION_ID = v5('tocsin shareable indicators', '1b0c3f62-5b4e-5b8e-9a53-7c2f0e6a9d41');
const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const cursor = cursorCodec(['int', 'id'] as const);

export interface TaxiiDeps {
  store: Store;
  firmName: string;
  /** The server's public base URL (no trailing slash). */
  publicUrl: string;
  refs: (db: Db, ids: string[]) => Promise<Map<string, IncidentRef>>;
}

export function createTaxii(deps: TaxiiDeps) {
  const { store } = deps;
  const root = `${deps.publicUrl.replace(/\/$/, '')}/taxii2/api/`;
  const collection = {
    id: COLLECTION_ID,
    title: `${deps.firmName}: shareable indicators`,
    description: 'Indicators of compromise from incidents, TLP:CLEAR and TLP:GREEN only (Tocsin).',
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  };
  const checkCollection = (id: string) => {
    if (id !== COLLECTION_ID) throw notFound(`collection ${id}`);
  };
  return {
    discovery(p: Principal) {
      assertCan(p, 'ioc.read');
      return {
        title: `${deps.firmName} TAXII`,
        description: 'Read-only TAXII 2.1 server of Tocsin (shareable indicators).',
        default: root,
        api_roots: [root],
      };
    },
    apiRoot(p: Principal) {
      assertCan(p, 'ioc.read');
      return {
        title: 'Tocsin indicators',
        versions: [TAXII_MEDIA_TYPE],
        max_content_length: 10 * 1024 * 1024,
      };
    },
    collections(p: Principal) {
      assertCan(p, 'ioc.read');
      return { collections: [collection] };
    },
    collection(p: Principal, id: string) {
      assertCan(p, 'ioc.read');
      checkCollection(id);
      return collection;
    },
    /** A page of the collection's objects, with the first and last `date_added` of the page (headers). */
    async objects(
      p: Principal,
      id: string,
      q: { added_after?: string; limit?: number; next?: string },
    ): Promise<{ envelope: { more: boolean; next?: string; objects: StixObject[] }; first?: string; last?: string }> {
      assertCan(p, 'ioc.read');
      checkCollection(id);
      let after: number | undefined;
      if (q.added_after !== undefined) {
        after = Date.parse(q.added_after);
        if (!Number.isFinite(after))
          throw invalid('added_after is not a timestamp', [
            { path: 'query.added_after', message: 'an RFC 3339 timestamp', code: 'invalid_format' },
          ]);
      }
      const limit = Math.min(q.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
      const rows = await shareableIocs(store.db, {
        viewer: p.user.role === 'admin' ? null : p.user.id,
        after,
        cursor: q.next ? cursor.decode(q.next) : undefined,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const refs = await deps.refs(store.db, [...new Set(page.map((r) => r.incident_id))]);
      const identity = firmIdentity(deps.firmName);
      const objects = page.map((r) => indicatorOf(r, identity.id, refs.get(r.incident_id)?.key ?? ''));
      const more = rows.length > limit;
      const last = page.at(-1);
      return {
        envelope: {
          more,
          ...(more && last ? { next: cursor.encode([Number(last.updated_at), last.id]) } : {}),
          objects,
        },
        first: page[0] ? iso(Number(page[0].updated_at)) : undefined,
        last: last ? iso(Number(last.updated_at)) : undefined,
      };
    },
  };
}

export type Taxii = ReturnType<typeof createTaxii>;
