/**
 * The only way announcements are written: the statement module publishes an approved statement here
 * (and the investigation report its approved public summary, as an investigation result), inside its own transaction (so the statement is "published" exactly when the announcement exists).
 * A holding statement opens the incident's announcement (or adds an update to its open one), a status
 * update adds an update, an investigation result sets the investigation; a statement published twice
 * changes nothing the second time. Slugs are `YYYY-NNNN` from a counter per year of the site's time zone.
 */
import type { AnnouncementStatus, Bilingual } from '../../../shared/status-site.js';
import type { Bus } from '../../platform/bus.js';
import type { Db, StatusAnnouncementsTable } from '../../platform/db/types.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import {
  findAnnouncement,
  findUpdateOfStatement,
  insertAnnouncement,
  insertUpdate,
  latestOfIncident,
  nextCounter,
  updateAnnouncement,
} from './announcement.repository.js';
import { siteChangedAfterCommit, type StatusEventSink, type StatusEvents } from './status-events.js';
import { announcementPath } from './status.mapper.js';
import { localDay } from './uptime.js';

export interface StatusPublishRequest {
  /** Statement kind: 'holding_statement' opens the announcement (or adds an update to the open one of
   *  that incident); 'status_update' adds an update; 'investigation_result' sets the investigation. */
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
  /**
   * Inside the caller's transaction (statement publish); returns the announcement's slug and public path
   * (`/status/incidents/<slug>`, as the main listener serves it).
   */
  publish(
    tx: Db,
    actor: Actor,
    req: StatusPublishRequest,
  ): Promise<{ announcementId: string; slug: string; path: string }>;
}

type Kind = StatusEvents['announcement.published']['kind'];
const json = (v: unknown) => JSON.stringify(v);
const EMPTY = json({ zh: '', en: '' });

/** The row's columns the request's fields change (absent fields: unchanged). */
function fieldsPatch(f: StatusPublishRequest['fields']): Partial<StatusAnnouncementsTable> {
  const p: Partial<StatusAnnouncementsTable> = {};
  if (f.impact) p.impact = f.impact;
  if (f.startedAt !== undefined) p.started_at = f.startedAt;
  if (f.detectedAt !== undefined) p.detected_at = f.detectedAt;
  if (f.cause) p.cause = json(f.cause);
  if (f.measures) p.measures = json(f.measures);
  if (f.customerAction) p.customer_action = json(f.customerAction);
  if (f.services) p.services = json([...new Set(f.services)]);
  if (f.customerGroups) p.customer_groups = json(f.customerGroups);
  if (f.regions) p.regions = json(f.regions);
  if (f.nextUpdateAt !== undefined) p.next_update_at = f.nextUpdateAt;
  return p;
}

export function createStatusPublisher(deps: {
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  events: StatusEventSink;
  timeZone: string;
}): StatusPublisher {
  const { audit, bus, clock, events, timeZone } = deps;
  const answer = (a: { id: string; slug: string }) => ({
    announcementId: a.id,
    slug: a.slug,
    path: `/status${announcementPath(a.slug)}`,
  });

  async function open(tx: Db, req: StatusPublishRequest, now: number): Promise<StatusAnnouncementsTable> {
    const year = localDay(now, timeZone).slice(0, 4);
    const n = await nextCounter(tx, `announcement:${year}`);
    const row: StatusAnnouncementsTable = {
      id: newId(),
      slug: `${year}-${String(n).padStart(4, '0')}`,
      incident_id: req.incidentId,
      title_zh: req.title.zh,
      title_en: req.title.en,
      status: 'investigating',
      impact: 'minor',
      started_at: null,
      detected_at: null,
      resolved_at: null,
      cause: EMPTY,
      measures: EMPTY,
      customer_action: EMPTY,
      services: '[]',
      customer_groups: '[]',
      regions: '[]',
      next_update_at: null,
      investigation: null,
      investigation_at: null,
      published_at: now,
      updated_at: now,
    };
    await insertAnnouncement(tx, row);
    return row;
  }

  return {
    async publish(tx, actor, req) {
      const done = await findUpdateOfStatement(tx, req.statementId);
      if (done) return answer((await findAnnouncement(tx, done.announcement_id))!);
      const now = clock.now();
      let a = await latestOfIncident(tx, req.incidentId);
      const opening = !a || (req.kind === 'holding_statement' && a.status === 'resolved');
      if (opening) a = await open(tx, req, now);
      const before = a!;
      const status: AnnouncementStatus =
        req.fields.status ??
        (opening && req.kind === 'investigation_result' ? 'resolved' : (before.status as AnnouncementStatus));
      const resolved = status === 'resolved';
      const patch: Partial<StatusAnnouncementsTable> = {
        ...fieldsPatch(req.fields),
        status,
        resolved_at: resolved ? (req.fields.resolvedAt ?? before.resolved_at ?? now) : null,
        updated_at: now,
      };
      // Nothing further is promised once it is resolved, unless the statement says so.
      if (resolved && req.fields.nextUpdateAt === undefined) patch.next_update_at = null;
      let kind: Kind = opening ? 'opened' : resolved && before.status !== 'resolved' ? 'resolved' : 'updated';
      if (req.kind === 'investigation_result') {
        kind = 'investigation';
        patch.investigation = json(req.body satisfies Bilingual);
        patch.investigation_at = now;
      }
      await updateAnnouncement(tx, before.id, patch);
      const updateId = newId();
      await insertUpdate(tx, {
        id: updateId,
        announcement_id: before.id,
        statement_id: req.statementId,
        kind,
        status,
        body_zh: req.body.zh,
        body_en: req.body.en,
        at: now,
      });
      await audit.append(tx, actor, {
        action: 'status.announcement_publish',
        targetType: 'announcement',
        targetId: before.slug,
        after: { kind, statement: req.statementId, status, impact: patch.impact ?? before.impact },
        incidents: [req.incidentId],
      });
      await events.publish(tx, 'announcement.published', {
        announcementId: before.id,
        updateId: kind === 'investigation' ? null : updateId,
        kind,
      });
      siteChangedAfterCommit(bus, tx);
      return answer(before);
    },
  };
}
