/**
 * The media desk's ports to the status site and to statements (docs: i11 contract). Only published
 * entries ever leave here, rendered through platform/markdown.ts into the read model's shapes; the
 * contradiction check reads every entry with verdict false, published or not (a statement must not
 * repeat a rumor the desk already knows to be false).
 */
import type { FactCheck, FaqEntry } from '../../../shared/status-site.js';
import type { Db } from '../../platform/db/types.js';
import { normalizeClaim, repeatsClaim } from './claims.js';
import { factsWithVerdict, publishedFacts } from './fact.repository.js';
import { faqOf } from './faq.repository.js';
import { toPublicFactCheck, toPublicFaq } from './media.mapper.js';

export interface PublicFacts {
  /** Published fact checks and FAQ entries for these incidents (by incident id) plus site-wide fact checks. */
  forIncidents(
    db: Db,
    incidentIds: string[],
  ): Promise<{ factChecks: Map<string | null, FactCheck[]>; faq: Map<string, FaqEntry[]> }>;
}

export interface FactChecker {
  /** Register entries with verdict 'false' of this incident whose claim the text repeats (case-folded,
   *  whitespace-normalized substring of the claim in zh or en). */
  contradictions(
    db: Db,
    incidentId: string,
    text: string,
  ): Promise<{ id: string; claim: { zh: string; en: string } }[]>;
}

export function createPublicFacts(): PublicFacts & FactChecker {
  return {
    async forIncidents(db, incidentIds) {
      const ids = [...new Set(incidentIds)];
      const [facts, faqRows] = await Promise.all([publishedFacts(db, ids), faqOf(db, ids, true)]);
      const factChecks = new Map<string | null, FactCheck[]>();
      for (const r of facts) {
        const list = factChecks.get(r.incident_id) ?? [];
        list.push(toPublicFactCheck(r));
        factChecks.set(r.incident_id, list);
      }
      const faq = new Map<string, FaqEntry[]>();
      for (const r of faqRows) {
        const list = faq.get(r.incident_id) ?? [];
        list.push(toPublicFaq(r));
        faq.set(r.incident_id, list);
      }
      return { factChecks, faq };
    },

    async contradictions(db, incidentId, text) {
      const normalized = normalizeClaim(text);
      const rows = await factsWithVerdict(db, incidentId, 'false');
      return rows
        .filter((r) => repeatsClaim(normalized, r.claim_zh) || repeatsClaim(normalized, r.claim_en))
        .map((r) => ({ id: r.id, claim: { zh: r.claim_zh, en: r.claim_en } }));
    },
  };
}
