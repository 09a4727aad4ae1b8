/**
 * IOCs back into detection (docs/iocs.md "Detection"): turns an incident's IOCs into uploaded Sigma rules
 * (ioc-detection.ts) through the rule service — so they are compiled, audited (`rule.upload`,
 * `rule.delete`), listed on the rules page and switchable like any rule — and replaces them when asked
 * again. Their alerts join the incident while it is open (alert/intake-grouping.ts).
 */
import type { IocDetection, IocDetectionRequest, IocType } from '../../../shared/ioc-schemas.js';
import {
  MAX_RULE_UPLOAD_CHARS,
  type RuleDetail,
  type RuleSummary,
  type RuleUpload,
} from '../../../shared/rule-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import { AppError, invalid } from '../../platform/errors.js';
import { assertCan, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import { FAMILY_OF, IOC_RULE_FAMILIES, iocRuleId, iocRules } from './ioc-detection.js';
import { iocsOfIncident } from './ioc.repository.js';

/** What of the rule service this needs (the detection module's use cases, as the signed-in person). */
export interface IocRulePort {
  upload(p: Principal, input: RuleUpload): Promise<{ items: RuleSummary[] }>;
  remove(p: Principal, id: string): Promise<void>;
  get(p: Principal, id: string): Promise<RuleDetail>;
}

/** Values per family at most (the most confident, then the most recently seen): the rule stays small and fast. */
export const MAX_VALUES_PER_RULE = 1000;
/** Accounts are the firm's customers: matching them is asked for, never by default. */
const DEFAULT_TYPES: IocType[] = ['ipv4', 'ipv6', 'domain', 'url', 'sha256', 'sha1', 'md5', 'email'];

export function createIocDetection(deps: { store: Store; incidents: IncidentService; rules: IocRulePort }) {
  const { store, incidents, rules } = deps;

  /** The incident's IOC rules that are loaded now. */
  async function loaded(p: Principal, incidentId: string): Promise<RuleSummary[]> {
    const out: RuleSummary[] = [];
    for (const family of IOC_RULE_FAMILIES) {
      try {
        out.push(await rules.get(p, iocRuleId(incidentId, family)));
      } catch (e) {
        if (!(e instanceof AppError && e.status === 404)) throw e;
      }
    }
    return out;
  }

  const view = (key: string, items: RuleSummary[], used: number, left: number): IocDetection => ({
    incidentKey: key,
    rules: items.map((r) => ({
      id: r.id,
      title: r.title,
      enabled: r.enabled,
      hits: r.hits,
      lastHitAt: r.lastHitAt,
    })),
    iocs: used,
    leftOut: left,
  });

  async function removeAll(p: Principal, items: RuleSummary[]): Promise<void> {
    for (const r of items) await rules.remove(p, r.id);
  }

  return {
    /** The incident's IOC rules now loaded, with their hits. */
    async status(p: Principal, key: string): Promise<IocDetection> {
      assertCan(p, 'ioc.read');
      assertCan(p, 'rule.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      return view(incident.key, await loaded(p, incident.id), 0, 0);
    },

    /**
     * (Re)generates the incident's IOC rules from its IOCs that are not revoked, of the chosen types and at
     * least the chosen confidence; the previous ones are deleted first. 422 when no IOC qualifies.
     */
    async generate(p: Principal, key: string, req: IocDetectionRequest): Promise<IocDetection> {
      assertCan(p, 'ioc.read');
      assertCan(p, 'rule.manage');
      const incident = await incidents.loadVisible(store.db, p, key);
      const types = new Set<IocType>(req.types ?? DEFAULT_TYPES);
      const minConfidence = req.minConfidence ?? 50;
      const rows = (await iocsOfIncident(store.db, incident.id))
        .filter((r) => r.revoked === 0 && types.has(r.type as IocType) && r.confidence >= minConfidence)
        .sort((a, b) => b.confidence - a.confidence || Number(b.last_seen) - Number(a.last_seen));
      if (!rows.length)
        throw invalid(`no IOC of ${incident.key} qualifies (not revoked, confidence ≥ ${minConfidence}, types asked)`, [
          { path: 'types', message: 'no IOC of these types and confidence' },
        ]);
      const perFamily = new Map<string, number>();
      const kept = rows.filter((r) => {
        const f = FAMILY_OF[r.type as IocType];
        const n = perFamily.get(f) ?? 0;
        perFamily.set(f, n + 1);
        return n < MAX_VALUES_PER_RULE;
      });
      const docs = iocRules(
        incident,
        kept.map((r) => ({ type: r.type as IocType, value: r.value })),
        req.level ?? 'high',
      );
      const yaml = docs.map((d) => d.yaml).join('---\n');
      if (yaml.length > MAX_RULE_UPLOAD_CHARS)
        throw invalid(
          `the rules of ${kept.length} IOCs exceed ${MAX_RULE_UPLOAD_CHARS} characters; raise minConfidence`,
          [{ path: 'minConfidence', message: 'too many IOCs for one rule set' }],
        );
      await removeAll(p, await loaded(p, incident.id));
      const { items } = await rules.upload(p, { fileName: `iocs-${incident.key}.yml`, yaml });
      return view(incident.key, items, kept.length, rows.length - kept.length);
    },

    /** Deletes the incident's IOC rules (their alerts stay). */
    async remove(p: Principal, key: string): Promise<void> {
      assertCan(p, 'rule.manage');
      const incident = await incidents.loadVisible(store.db, p, key);
      await removeAll(p, await loaded(p, incident.id));
    },
  };
}

export type IocDetectionService = ReturnType<typeof createIocDetection>;
