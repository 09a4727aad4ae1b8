/** Rows to the API's shapes for alerts, their events, suppressions and maintenance windows. */
import type { AlertKind, AlertLevel, AlertStatus, Category, EntityKind, Grade } from '../../../shared/enums.js';
import type { Alert, AlertEvent, Entities, MaintenanceWindow, Suppression } from '../../../shared/alert-schemas.js';
import type { Audience } from '../../platform/bus.js';
import { iso } from '../../platform/ids.js';
import { localizedOf } from '../incident/index.js';
import type { AlertEventRow, AlertView } from './alert.repository.js';
import type { SuppressionRow, WindowRow } from './suppression.repository.js';

const titleI18n = (json: string | null) => {
  const v = localizedOf(json);
  return v ? { 'zh-CN': v['zh-CN'], en: v.en } : null;
};

export function toAlert(r: AlertView): Alert {
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleTitle: r.rule_title,
    ruleTitles: { 'zh-CN': r.rule_title_zh || r.rule_title, en: r.rule_title },
    level: r.level as AlertLevel,
    severity: r.severity,
    kind: r.kind as AlertKind,
    tags: JSON.parse(r.tags) as string[],
    entities: JSON.parse(r.entities) as Entities,
    services: JSON.parse(r.services) as string[],
    group: r.group_json ? (JSON.parse(r.group_json) as Record<string, unknown>) : null,
    fingerprint: r.fingerprint,
    count: Number(r.count),
    eventCount: Number(r.event_count),
    firstSeenAt: iso(r.first_seen),
    lastSeenAt: iso(r.last_seen),
    status: r.status as AlertStatus,
    heldBy:
      r.held_kind && r.held_id
        ? {
            kind: r.held_kind as 'suppression' | 'maintenance',
            id: r.held_id,
            reason: r.held_reason ?? '',
            reasonWithheld: r.held_reason === null,
          }
        : null,
    incident:
      r.incident_id && r.incident_key
        ? { key: r.incident_key, title: r.incident_title ?? '', titleI18n: titleI18n(r.incident_title_i18n) }
        : null,
    suggested: { category: r.suggested_category as Category, grade: r.suggested_grade as Grade },
    acknowledged:
      r.acknowledged_at != null
        ? {
            by: r.acknowledged_by ? { id: r.acknowledged_by, name: r.ack_name ?? '' } : null,
            at: iso(r.acknowledged_at),
          }
        : null,
    falsePositive:
      r.fp_at != null
        ? { by: r.fp_by ? { id: r.fp_by, name: r.fp_name ?? '' } : null, at: iso(r.fp_at), reason: r.fp_reason ?? '' }
        : null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function toAlertEvent(r: AlertEventRow): AlertEvent {
  let fields: unknown = r.fields;
  if (r.truncated === 0) {
    try {
      fields = JSON.parse(r.fields);
    } catch {
      // kept as text
    }
  }
  return {
    id: r.event_id,
    time: iso(r.time),
    source: r.source,
    logsource: JSON.parse(r.logsource) as Record<string, string>,
    fields,
    truncated: r.truncated === 1,
  };
}

/** Alert events go to whoever may read alerts, and for an alert in a restricted incident only to its members. */
export const alertAudience = (incident: Audience | null): Audience => ({
  ...(incident ?? { restricted: false, memberIds: [] }),
  permission: 'alert.read',
});

/**
 * A suppression made from an alert of a restricted incident the reader is not part of (`withheld`)
 * keeps its reason, rule, entity and alert to itself: they were written inside that incident.
 */
export const toSuppression = (
  r: SuppressionRow & { creator_name?: string | null; withheld?: number | boolean | null },
): Suppression => ({
  id: r.id,
  ruleId: r.withheld ? null : r.rule_id,
  entity:
    !r.withheld && r.entity_kind && r.entity_value
      ? { kind: r.entity_kind as EntityKind, value: r.entity_value }
      : null,
  reason: r.withheld ? '' : r.reason,
  reasonWithheld: Boolean(r.withheld),
  expiresAt: iso(r.expires_at),
  createdBy: r.created_by ? { id: r.created_by, name: r.creator_name ?? '' } : null,
  createdAt: iso(r.created_at),
  fromAlertId: r.withheld ? null : r.from_alert_id,
  hits: Number(r.hits),
  lastHitAt: iso(r.last_hit_at),
});

export const toWindow = (r: WindowRow & { creator_name?: string | null }): MaintenanceWindow => ({
  id: r.id,
  services: JSON.parse(r.services) as string[],
  ruleIds: JSON.parse(r.rule_ids) as string[],
  entities: JSON.parse(r.entities) as { kind: EntityKind; value: string }[],
  startsAt: iso(r.starts_at),
  endsAt: iso(r.ends_at),
  reason: r.reason,
  createdBy: r.created_by ? { id: r.created_by, name: r.creator_name ?? '' } : null,
  createdAt: iso(r.created_at),
  hits: Number(r.hits),
  lastHitAt: iso(r.last_hit_at),
});
