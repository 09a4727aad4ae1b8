/**
 * The evidence commands of the CLI, which act on the store for no principal (the operating-system
 * account is the audit actor): add a file to an incident's locker, and verify every stored item —
 * re-hash its bytes from the blob store and report those that changed or went missing.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../audit/index.js';
import { type EvidenceContext, evidenceContext, type EvidenceDeps } from './evidence-context.js';
import { incidentIdByKey, storedItems } from './evidence.repository.js';
import { cleanFileName, putSniffed } from './evidence-upload.js';
import { factsOf } from './evidence.service.js';

/** An item whose bytes are not what was recorded. */
export interface VerifyProblem {
  problem: 'changed' | 'missing';
  id: string;
  incident: string;
  fileName: string;
  sha256: string;
  /** changed: the SHA-256 and size of the bytes found. */
  found?: { sha256: string; bytes: number };
}

export function createEvidenceStore(deps: EvidenceDeps, ctx: EvidenceContext = evidenceContext(deps)) {
  const { store, blobs, incidents } = deps;

  async function incidentRef(key: string) {
    const id = await incidentIdByKey(store.db, key);
    const ref = id ? (await incidents.refs(store.db, [id])).get(id) : undefined;
    if (!ref) throw notFound(`incident ${key}`, { code: 'incident.not_found', params: { key } });
    return ref;
  }

  return {
    /** Adds a file (streamed into the blob store) to the incident's locker. */
    async addFile(
      actor: Actor,
      key: string,
      source: Readable,
      name: string,
      fields: { description?: string; sourceSystem?: string; acquisitionMethod?: string; acquirerSha256?: string },
    ): Promise<{ id: string; sha256: string; md5: string; bytes: number }> {
      const facts = factsOf(fields);
      const ref = await incidentRef(key);
      const blob = await putSniffed(source as AsyncIterable<Buffer>, blobs, deps.maxBytes);
      const row = await store.transaction((tx) =>
        ctx.record(
          tx,
          ref,
          blob,
          { ...facts, kind: 'file', fileName: cleanFileName(name), mediaType: blob.mediaType },
          { actor, userId: null, ip: null },
          { channel: 'cli' },
        ),
      );
      return { id: row.id, sha256: row.sha256, md5: row.md5, bytes: Number(row.bytes) };
    },

    /** Re-hashes every stored (not deleted) item, of one incident or all; each problem through `onProblem`. */
    async verify(
      incidentKey: string | null,
      onProblem: (p: VerifyProblem) => void,
    ): Promise<{ checked: number; changed: number; missing: number }> {
      const only = incidentKey ? await incidentRef(incidentKey) : null;
      const keys = new Map<string, string>();
      const totals = { checked: 0, changed: 0, missing: 0 };
      let after = '';
      for (;;) {
        const page = await storedItems(store.db, only?.id ?? null, after, 500);
        if (page.length === 0) return totals;
        after = page[page.length - 1]!.id;
        const unknown = [...new Set(page.map((r) => r.incident_id))].filter((id) => !keys.has(id));
        for (const [id, ref] of await incidents.refs(store.db, unknown)) keys.set(id, ref.key);
        for (const row of page) {
          totals.checked++;
          const base = {
            id: row.id,
            incident: keys.get(row.incident_id) ?? '',
            fileName: row.file_name,
            sha256: row.sha256,
          };
          const stream = await blobs.open(row.sha256);
          if (!stream) {
            totals.missing++;
            onProblem({ problem: 'missing', ...base });
            continue;
          }
          const hash = createHash('sha256');
          let bytes = 0;
          try {
            for await (const chunk of stream as AsyncIterable<Buffer>) {
              hash.update(chunk);
              bytes += chunk.length;
            }
          } catch {
            totals.missing++;
            onProblem({ problem: 'missing', ...base });
            continue;
          }
          const found = hash.digest('hex');
          if (found !== row.sha256 || bytes !== Number(row.bytes)) {
            totals.changed++;
            onProblem({ problem: 'changed', ...base, found: { sha256: found, bytes } });
          }
        }
      }
    },
  };
}
