/** Rows to the API's incident shape, loading services and participants for a whole page at once. */
import type { Category, Grade, ParticipantRole, Status } from '../../../shared/enums.js';
import type { LocalizedText } from '../../../shared/api-schemas.js';
import type { DetectionFacts, Incident } from '../../../shared/incident-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { iso } from '../../platform/ids.js';
import type { Audience } from '../../platform/bus.js';
import { lastTimelineAt, participantsOf, servicesOf, type IncidentRow } from './incident.repository.js';

const since = (from: number, to: number | null) => (to == null ? null : Math.max(0, to - from));

/** A stored {"zh-CN", en} pair (title_i18n, summary_i18n), or null when absent or unreadable. */
export function localizedOf(json: string | null | undefined): (LocalizedText & { facts?: DetectionFacts }) | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<LocalizedText> & { facts?: DetectionFacts };
    return typeof v['zh-CN'] === 'string' && typeof v.en === 'string'
      ? (v as LocalizedText & { facts?: DetectionFacts })
      : null;
  } catch {
    return null;
  }
}
const pairOf = (json: string | null): LocalizedText | null => {
  const v = localizedOf(json);
  return v ? { 'zh-CN': v['zh-CN'], en: v.en } : null;
};

export async function toIncidents(db: Db, rows: IncidentRow[]): Promise<Incident[]> {
  const ids = rows.map((r) => r.id);
  const [services, participants, lastEntries] = await Promise.all([
    servicesOf(db, ids),
    participantsOf(db, ids),
    lastTimelineAt(db, ids),
  ]);
  return incidentsOf(rows, { services, participants, lastEntries });
}

/** What `toIncidents` reads beside the rows (a caller that has just written them may know them already). */
export interface IncidentRelated {
  services: Awaited<ReturnType<typeof servicesOf>>;
  participants: Awaited<ReturnType<typeof participantsOf>>;
  lastEntries: { incident_id: string; at: number }[];
}

/** Rows to the API's shape, with what they relate to given (no reads). */
export function incidentsOf(rows: IncidentRow[], related: IncidentRelated): Incident[] {
  const { services, participants, lastEntries } = related;
  const lastEntryAt = new Map(lastEntries.map((e) => [e.incident_id, Number(e.at)]));
  return rows.map((r) => {
    const members = participants.filter((p) => p.incident_id === r.id);
    const commander = members.find((p) => p.user_id === r.commander_id);
    return {
      id: r.id,
      key: r.key,
      title: r.title,
      titleI18n: pairOf(r.title_i18n),
      summary: r.summary,
      summaryI18n: pairOf(r.summary_i18n),
      summaryFacts: localizedOf(r.summary_i18n)?.facts ?? null,
      category: r.category as Category,
      grade: r.grade as Grade,
      severity: r.severity,
      status: r.status as Status,
      restricted: r.restricted === 1,
      drill: r.drill === 1,
      tags: JSON.parse(r.tags) as string[],
      services: services
        .filter((s) => s.incident_id === r.id)
        .map((s) => ({ key: s.key, nameZh: s.name_zh, nameEn: s.name_en })),
      impact: {
        customersAffected: r.customers_affected,
        fundsAtRisk:
          r.funds_at_risk_minor == null
            ? null
            : { amountMinor: Number(r.funds_at_risk_minor), currency: r.funds_currency ?? 'CNY' },
        recordsExposed: r.records_exposed,
        tradingInterrupted: r.trading_interrupted === 1,
      },
      commander: r.commander_id ? { id: r.commander_id, name: commander?.name ?? '' } : null,
      participants: members.map((p) => ({
        userId: p.user_id,
        name: p.name,
        email: p.email,
        role: p.role as ParticipantRole,
        addedAt: iso(p.added_at),
      })),
      milestones: {
        detectedAt: iso(r.detected_at),
        acknowledgedAt: iso(r.acknowledged_at),
        containedAt: iso(r.contained_at),
        eradicatedAt: iso(r.eradicated_at),
        recoveredAt: iso(r.recovered_at),
        closedAt: iso(r.closed_at),
        falsePositiveAt: iso(r.false_positive_at),
        reopenedAt: iso(r.reopened_at),
      },
      elapsed: {
        toAcknowledgeMs: since(r.detected_at, r.acknowledged_at),
        toContainMs: since(r.detected_at, r.contained_at),
        toRecoverMs: since(r.detected_at, r.recovered_at),
      },
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
      lastActivityAt: iso(Math.max(r.updated_at, lastEntryAt.get(r.id) ?? 0)),
      version: r.version,
    };
  });
}

export async function toIncident(db: Db, row: IncidentRow): Promise<Incident> {
  return (await toIncidents(db, [row]))[0]!;
}

export const audienceOf = (i: Incident): Audience => ({
  restricted: i.restricted,
  memberIds: [...new Set([...i.participants.map((p) => p.userId), ...(i.commander ? [i.commander.id] : [])])],
});

/** What the audit log keeps of an incident (flat, comparable). */
export const auditView = (i: Incident) => ({
  key: i.key,
  title: i.title,
  summary: i.summary,
  category: i.category,
  grade: i.grade,
  severity: i.severity,
  status: i.status,
  restricted: i.restricted,
  tags: i.tags,
  services: i.services.map((s) => s.key),
  impact: i.impact,
  commanderId: i.commander?.id ?? null,
});
