/**
 * The firm's regulatory profile (one per installation) and the regulatory facts compliance records on
 * an incident: read by every staff member, changed by administrators and compliance (the profile) or
 * the incident's commander and compliance (the facts); audited; each change re-evaluates the clocks in
 * its transaction.
 */
import {
  FirmProfile,
  type FirmProfileView,
  RegulatoryFacts,
  type RegulatoryFactsPatch,
} from '../../../shared/obligation-clock-schemas.js';
import { type Store, transactionMemo } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { conflict } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import { applyPatch, EMPTY_FACTS, EMPTY_PROFILE } from './live-facts.js';
import { factsRow, firmProfileRow, putFacts, putFirmProfile } from './obligation.repository.js';

/** The firm's profile row read early in a transaction (`prime`), in its memo until the next `view` takes it. */
const PRIMED = Symbol('firm profile read early');

/** Reading the stored profile and facts (for the evaluation). */
export function createProfileStore(defaults: FirmProfile = EMPTY_PROFILE) {
  return {
    /**
     * Sends the read of the firm's profile now (pipelined with the transaction's other reads); the next
     * `view` in `tx` takes its answer. A no-op outside a transaction of Store.transaction.
     */
    prime(tx: Db): void {
      const memo = transactionMemo(tx);
      if (!memo || memo.has(PRIMED)) return;
      const row = firmProfileRow(tx);
      row.catch(() => {}); // the transaction fails with it (pipeline.ts) if it fails
      memo.set(PRIMED, row);
    },
    async view(db: Db): Promise<FirmProfileView> {
      const memo = transactionMemo(db);
      const primed = memo?.get(PRIMED) as ReturnType<typeof firmProfileRow> | undefined;
      memo?.delete(PRIMED);
      const row = await (primed ?? firmProfileRow(db));
      if (!row) return { ...defaults, version: 0, updatedAt: null };
      const stored = FirmProfile.safeParse(JSON.parse(row.profile));
      return {
        ...(stored.success ? stored.data : defaults),
        version: row.version,
        updatedAt: new Date(row.updated_at).toISOString(),
      };
    },
    async facts(db: Db, incidentId: string): Promise<RegulatoryFacts> {
      const row = await factsRow(db, incidentId);
      if (!row) return EMPTY_FACTS;
      const stored = RegulatoryFacts.safeParse({ ...EMPTY_FACTS, ...JSON.parse(row.facts) });
      return stored.success ? stored.data : EMPTY_FACTS;
    },
  };
}
export type ProfileStore = ReturnType<typeof createProfileStore>;

export function createProfileService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  profiles: ProfileStore;
  reevaluate: (tx: Db, incidentId: string) => Promise<void>;
}) {
  const { store, audit, clock, incidents, profiles } = deps;
  return {
    async firm(p: Principal): Promise<FirmProfileView> {
      assertCan(p, 'firm.read');
      return profiles.view(store.db);
    },

    /** Replaces the profile; every incident not ended is evaluated again in the same transaction. */
    async setFirm(p: Principal, input: FirmProfile & { version?: number }): Promise<FirmProfileView> {
      assertCan(p, 'firm.manage');
      const { version: seen, ...profile } = input;
      return store.transaction(async (tx) => {
        const before = await profiles.view(tx);
        if (seen !== undefined && seen !== before.version)
          throw conflict(
            `the firm profile was changed by someone else (you saw version ${seen}, it is now ${before.version}); reload and apply your edit again`,
            { code: 'conflict' },
          );
        const now = clock.now();
        const next = { ...profile, jurisdictions: [...new Set(profile.jurisdictions)] };
        await putFirmProfile(tx, {
          profile: JSON.stringify(next),
          version: before.version + 1,
          updated_by: p.user.id,
          updated_at: now,
        });
        const { version: _v, updatedAt: _u, ...was } = before;
        await audit.append(tx, actorOf(p), {
          action: 'firm.update',
          targetType: 'firm_profile',
          targetId: 'firm',
          before: was,
          after: next,
        });
        for (const id of await incidents.activeIds(tx)) await deps.reevaluate(tx, id);
        return profiles.view(tx);
      });
    },

    /** Records facts of an incident (need-to-know as for the incident); its clocks re-evaluate. */
    async patchFacts(p: Principal, key: string, patch: RegulatoryFactsPatch): Promise<void> {
      assertCan(p, 'obligation.facts');
      await store.transaction(async (tx) => {
        const incident = await incidents.loadVisible(tx, p, key);
        const before = await profiles.facts(tx, incident.id);
        const after = applyPatch(before, patch);
        await putFacts(tx, {
          incident_id: incident.id,
          facts: JSON.stringify(after),
          updated_by: p.user.id,
          updated_at: clock.now(),
        });
        await audit.append(tx, actorOf(p), {
          action: 'obligation.facts',
          targetType: 'incident',
          targetId: key,
          before,
          after,
          incidents: [incident.id],
        });
        await deps.reevaluate(tx, incident.id);
      });
    },
  };
}
export type ProfileService = ReturnType<typeof createProfileService>;
