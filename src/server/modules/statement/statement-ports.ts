/**
 * The ports statements reach other modules through (docs: /work/briefs/i11-contract.md). The owners
 * (status: StatusPublisher; media: FactChecker) export these exact shapes from their index.ts; they are
 * repeated here so this module builds and tests before those branches merge (TypeScript's structural
 * typing makes the owners' implementations fit). Once merged, import them from the owners instead.
 */
import type { Db } from '../../platform/db/types.js';
import type { Actor } from '../audit/index.js';

export interface StatusPublishRequest {
  kind: 'holding_statement' | 'status_update' | 'investigation_result';
  incidentId: string;
  statementId: string;
  title: { zh: string; en: string };
  /** Markdown. */
  body: { zh: string; en: string };
  /** Structured fields (all optional; absent = unchanged). Markdown for the text ones. */
  fields: {
    status?: 'investigating' | 'identified' | 'monitoring' | 'resolved';
    impact?: 'none' | 'minor' | 'major' | 'critical';
    startedAt?: number | null;
    detectedAt?: number | null;
    resolvedAt?: number | null;
    cause?: { zh: string; en: string };
    measures?: { zh: string; en: string };
    customerAction?: { zh: string; en: string };
    services?: string[];
    customerGroups?: { zh: string; en: string }[];
    regions?: { zh: string; en: string }[];
    nextUpdateAt?: number | null;
  };
}

export interface StatusPublisher {
  /** Inside the caller's transaction (statement publish); returns the announcement's slug and public path. */
  publish(
    tx: Db,
    actor: Actor,
    req: StatusPublishRequest,
  ): Promise<{ announcementId: string; slug: string; path: string }>;
}

export interface FactChecker {
  /** Register entries with verdict 'false' of this incident whose claim the text repeats. */
  contradictions(
    db: Db,
    incidentId: string,
    text: string,
  ): Promise<{ id: string; claim: { zh: string; en: string } }[]>;
}
