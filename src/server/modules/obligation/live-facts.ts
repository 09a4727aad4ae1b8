/**
 * The facts of a live incident for the evaluation (pure): what the incident knows (grade, discovery,
 * end of handling, customers affected, records exposed), what compliance recorded, the firm's profile
 * and the reports' submissions, mapped onto `ObligationFacts` (docs/obligations.md, Live clocks).
 */
import type { FirmProfile, RegulatoryFacts, RegulatoryFactsPatch } from '../../../shared/obligation-clock-schemas.js';
import type { Obligation, ObligationFacts } from '../../../shared/obligation-schemas.js';

/** What the evaluation reads of an incident. */
export interface IncidentSide {
  grade: string;
  detectedAt: string;
  recoveredAt: string | null;
  closedAt: string | null;
  customersAffected: number | null;
  recordsExposed: number | null;
}

/** Submissions recorded on the incident's clocks (obligation.report_submitted). */
export interface Submissions {
  doraInitial: number | null;
  doraIntermediate: number | null;
}

export const EMPTY_PROFILE: FirmProfile = {
  jurisdictions: [],
  ciiOperator: null,
  usBrokerDealer: null,
  listedUs: null,
  doraEntity: null,
  clientsTotal: null,
  csrcTargetMinutes: null,
};

export const EMPTY_FACTS: RegulatoryFacts = {
  awareAt: null,
  classifiedAt: null,
  doraMajor: null,
  materialityDeterminedAt: null,
  personalInfoRecords: null,
  sensitiveCustomerInfo: null,
  downtimeMinutes: null,
  economicImpactEur: null,
  jurisdictions: null,
};

/** The recorded facts after a patch (absent: unchanged; null: cleared). */
export function applyPatch(facts: RegulatoryFacts, patch: RegulatoryFactsPatch): RegulatoryFacts {
  const out = { ...facts } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = v;
  return out as RegulatoryFacts;
}

const isoOf = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** The end of handling: recovered (resolved), else closed. */
export const handlingEndedAt = (i: Pick<IncidentSide, 'recoveredAt' | 'closedAt'>) => i.recoveredAt ?? i.closedAt;

export function liveFacts(
  firm: FirmProfile,
  facts: RegulatoryFacts,
  incident: IncidentSide,
  reports: Submissions,
): ObligationFacts {
  // The incident's own jurisdictions narrow the firm's (an incident in HK only does not reach the CAC).
  const jurisdictions = facts.jurisdictions
    ? firm.jurisdictions.filter((j) => facts.jurisdictions!.includes(j))
    : firm.jurisdictions;
  return {
    firm: {
      jurisdictions,
      cii_operator: firm.ciiOperator,
      us_broker_dealer: firm.usBrokerDealer,
      listed_us: firm.listedUs,
      dora_entity: firm.doraEntity,
    },
    incident: {
      grade: incident.grade as 'I' | 'II' | 'III' | 'IV',
      discovered_at: incident.detectedAt,
      aware_at: facts.awareAt,
      classified_at: facts.classifiedAt,
      materiality_determined_at: facts.materialityDeterminedAt,
      handling_ended_at: handlingEndedAt(incident),
      // Recorded by compliance; until then the incident's records-exposed figure.
      personal_info_records: facts.personalInfoRecords ?? incident.recordsExposed,
      sensitive_customer_info: facts.sensitiveCustomerInfo,
      customers_affected: incident.customersAffected,
      clients_total: firm.clientsTotal,
      downtime_minutes: facts.downtimeMinutes,
      economic_impact_eur: facts.economicImpactEur,
      dora_major: facts.doraMajor,
    },
    reports: {
      dora_initial_submitted_at: isoOf(reports.doraInitial),
      dora_intermediate_submitted_at: isoOf(reports.doraIntermediate),
    },
  };
}

/** The catalog with the firm's own targets (the CSRC emergency report's internal target). */
export function firmCatalog(catalog: Obligation[], firm: FirmProfile): Obligation[] {
  const minutes = firm.csrcTargetMinutes;
  if (minutes === null) return catalog;
  return catalog.map((o) =>
    o.id !== 'csrc-emergency'
      ? o
      : {
          ...o,
          stages: o.stages.map((s) =>
            s.clock.unit === 'minutes'
              ? {
                  ...s,
                  clock: {
                    ...s.clock,
                    amount: minutes,
                    configurable: {
                      note: {
                        en: `the firm's internal target, set in its profile (the rule says "immediately")`,
                        'zh-CN': '公司在监管概况中设定的内部目标（法规要求“立即”报告）',
                      },
                    },
                  },
                }
              : s,
          ),
        },
  );
}

/** The warning points of a stage: the catalog's, else 50 %, 80 % and 15 minutes left. */
export type WarningPoint = { elapsed_percent: number } | { minutes_left: number };
export const DEFAULT_WARNINGS: WarningPoint[] = [
  { elapsed_percent: 50 },
  { elapsed_percent: 80 },
  { minutes_left: 15 },
];

/** Each point's name and instant for a clock from `starts` to `due` (points before the start are dropped). */
export function warningInstants(points: WarningPoint[], starts: number, due: number): { point: string; at: number }[] {
  const out: { point: string; at: number }[] = [];
  for (const p of points.length ? points : DEFAULT_WARNINGS) {
    const at =
      'elapsed_percent' in p
        ? starts + Math.round(((due - starts) * p.elapsed_percent) / 100)
        : due - p.minutes_left * 60_000;
    const point = 'elapsed_percent' in p ? `${p.elapsed_percent}%` : `${p.minutes_left}m`;
    if (at > starts && at < due) out.push({ point, at });
  }
  return out.sort((a, b) => a.at - b.at);
}
