/** The live stream (SSE): event names and what each carries. */
import type { PlanActivation } from './activation-schemas.js';
import type { Alert } from './alert-schemas.js';
import type { ActionRun } from './connector-schemas.js';
import type { Incident, Task, TimelineEntry } from './incident-schemas.js';
import type { Page } from './page-schemas.js';
import type { ServiceHealthChange } from './probe-schemas.js';
import type { Statement } from './statement-schemas.js';
import type { OwnerReminder } from './owner-schemas.js';

/**
 * `incident.withdrawn` carries only the key: the incident is no longer visible to some who saw it
 * (made restricted, or they left a restricted one); their consoles drop it. Sent to those who saw it.
 */
export const STREAM_EVENTS = [
  'incident.created',
  'incident.updated',
  'incident.withdrawn',
  'timeline.appended',
  'task.changed',
  'alert.raised',
  'alert.updated',
  'service.health',
  'plan.activated',
  'action.changed',
  'page.changed',
  /** The public status site changed (an announcement, an override, maintenance ...): render it again. */
  'status.changed',
  'media.changed',
  'statement.changed',
  /** Customer owners of the incident changed (assigned, reassigned, worked): worklists refetch. */
  'owner.changed',
  /** A promised callback is due: to its owner only, with `reminder`. */
  'owner.reminder',
  /** The incident's regulatory obligation clocks changed (started, stopped, moved, warned, met, missed): refetch. */
  'obligation.changed',
] as const;
export type StreamEventName = (typeof STREAM_EVENTS)[number];
export interface StreamEvent {
  event: StreamEventName;
  /** The incident concerned; null for an alert that is not part of an incident. */
  incidentKey: string | null;
  incident?: Incident;
  entry?: TimelineEntry;
  task?: Task;
  alert?: Alert;
  /** `service.health`: a service's health or one of its probes' states changed. */
  health?: ServiceHealthChange;
  /** `plan.activated`: a plan started on the incident. */
  activation?: PlanActivation;
  /** `action.changed`: a containment action run as it is now. */
  action?: ActionRun;
  /** `page.changed`: a page of the incident was raised, delivered, escalated or acknowledged. */
  page?: Page;
  /**
   * `media.changed`: the incident's media desk changed (a media inquiry, a register entry, a FAQ entry);
   * it carries nothing else (a journalist's contact never travels on the stream): consoles refetch.
   * `status.changed`: the public status site changed; its renderers re-render.
   */
  /** `statement.changed`: a statement of the incident was drafted, edited, reviewed, published or withdrawn. */
  statement?: Statement;
  /** `owner.reminder`: the callback that is due (the customer's number, never their contacts). */
  reminder?: OwnerReminder;
}
