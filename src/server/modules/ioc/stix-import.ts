/**
 * A STIX 2.1 bundle into an incident's IOCs: indicators whose pattern is one equality comparison of a
 * path Tocsin keeps (stix-values' `iocOfPattern`) become IOCs with source `import` (their confidence,
 * description and TLP 2.0 or 1.0 marking kept; TLP:AMBER when unmarked); a value the incident already
 * has is counted as existing; every other object is skipped with the reason. Anything that is not a
 * bundle is refused (400, problem+json) and nothing is stored.
 */
import type { z } from 'zod';
import { StixBundleIn, StixIndicatorIn, type StixImportResult, type Tlp } from '../../../shared/ioc-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import { invalid } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, type Principal } from '../auth/index.js';
import { insertIoc, type IocRow, iocsOfIncident } from './ioc.repository.js';
import { iocOfPattern } from './ioc-values.js';
import { TLP_MARKING } from './stix.js';

export type ImportResult = z.infer<typeof StixImportResult>;

/** TLP of a marking id: the TLP 2.0 definitions, and the TLP 1.0 ones of STIX 2.x (WHITE read as CLEAR). */
const TLP_OF_MARKING = new Map<string, Tlp>([
  ...Object.entries(TLP_MARKING).map(([t, id]) => [id, t as Tlp] as [string, Tlp]),
  ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'clear'],
  ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'green'],
  ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'amber'],
  ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'red'],
]);
const TLP_RANK: Tlp[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
const MAX_LISTED = 1000;
const MAX_IMPORTED = 10_000;

function notABundle(detail: string): Error {
  return invalid(`the body is not a STIX 2.1 bundle: ${detail}`, [
    {
      path: 'body',
      message: 'a STIX 2.1 bundle ({"type": "bundle", "id": "bundle--…", "objects": […]})',
      code: 'invalid_type',
    },
  ]);
}

/** Parses the JSON text of an import (bytes already within the limit). */
export function parseBundleText(bytes: unknown): unknown {
  if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw notABundle('the body is empty');
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw notABundle('the body is not UTF-8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw notABundle('the body is not JSON');
  }
}

export async function importBundle(
  deps: { store: Store; audit: AuditService; clock: Clock },
  p: Principal,
  incidentId: string,
  body: unknown,
  newRow: (now: number, r: Partial<IocRow> & Pick<IocRow, 'type' | 'value'>) => IocRow,
): Promise<ImportResult> {
  const parsed = StixBundleIn.safeParse(body);
  if (!parsed.success)
    throw notABundle(
      parsed.error.issues
        .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ')
        .slice(0, 500),
    );
  const skipped: ImportResult['skipped'] = [];
  let skippedTotal = 0;
  const skip = (o: Record<string, unknown>, reason: string) => {
    skippedTotal++;
    if (skipped.length < MAX_LISTED)
      skipped.push({ id: String(o.id ?? '').slice(0, 200), type: String(o.type ?? '').slice(0, 100), reason });
  };
  const wanted: { type: IocRow['type']; value: string; confidence: number; tlp: Tlp; description: string }[] = [];
  for (const o of parsed.data.objects) {
    if (o.type !== 'indicator') {
      skip(o, `objects of type ${String(o.type).slice(0, 100)} are not imported`);
      continue;
    }
    const ind = StixIndicatorIn.safeParse(o);
    if (!ind.success) {
      skip(o, 'not a well-formed indicator');
      continue;
    }
    if (ind.data.pattern_type !== 'stix') {
      skip(o, `pattern_type ${ind.data.pattern_type} is not imported (only stix)`);
      continue;
    }
    if (ind.data.revoked) {
      skip(o, 'the indicator is revoked');
      continue;
    }
    const ioc = iocOfPattern(ind.data.pattern);
    if ('reason' in ioc) {
      skip(o, ioc.reason);
      continue;
    }
    const tlps = (ind.data.object_marking_refs ?? []).map((m) => TLP_OF_MARKING.get(m)).filter((t) => t !== undefined);
    const tlp = tlps.sort((a, b) => TLP_RANK.indexOf(a) - TLP_RANK.indexOf(b)).at(-1) ?? 'amber';
    wanted.push({
      ...ioc,
      confidence: ind.data.confidence ?? 50,
      tlp,
      description: (ind.data.description ?? ind.data.name ?? '').slice(0, 2000),
    });
  }
  const now = deps.clock.now();
  let created = 0;
  let existing = 0;
  await deps.store.transaction(async (tx) => {
    const kept = new Set((await iocsOfIncident(tx, incidentId)).map((r) => `${r.type} ${r.value}`));
    const ids: string[] = [];
    for (const w of wanted) {
      const k = `${w.type} ${w.value}`;
      if (kept.has(k)) {
        existing++;
        continue;
      }
      if (kept.size >= MAX_IMPORTED) {
        skippedTotal++;
        continue;
      }
      const row = newRow(now, { ...w, source: 'import', created_by: p.user.id });
      await insertIoc(tx, row);
      kept.add(k);
      ids.push(row.id);
      created++;
    }
    await deps.audit.append(tx, actorOf(p), {
      action: 'ioc.import',
      targetType: 'incident',
      targetId: incidentId,
      after: { bundle: parsed.data.id, created, existing, skipped: skippedTotal, ids: ids.slice(0, 200) },
      incidents: [incidentId],
    });
  });
  return { created, existing, skippedTotal, skipped };
}
