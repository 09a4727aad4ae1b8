/** Timeline and task rows to the API's shapes. */
import type { ParticipantRole, TaskStatus, TimelineKind } from '../../../shared/enums.js';
import type { Task, TimelineEntry } from '../../../shared/incident-schemas.js';
import type { LocalizedText } from '../../../shared/api-schemas.js';
import { iso } from '../../platform/ids.js';
import type { TaskRow, TimelineRow } from './timeline.repository.js';

export function toEntry(r: TimelineRow & { actor_name?: string | null }, incidentKey: string): TimelineEntry {
  return {
    id: r.id,
    incidentKey,
    seq: r.seq,
    at: iso(r.at),
    actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
    kind: r.kind as TimelineKind,
    text: r.text,
    correctsId: r.corrects_id,
    data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
  };
}

export function toTask(r: TaskRow & { owner_name?: string | null }, incidentKey: string): Task {
  return {
    id: r.id,
    incidentKey,
    title: r.title,
    owner: r.owner_user_id ? { id: r.owner_user_id, name: r.owner_name ?? '' } : null,
    ownerRole: r.owner_role as ParticipantRole | null,
    dueAt: iso(r.due_at),
    status: r.status as TaskStatus,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    completedAt: iso(r.completed_at),
    plan: r.activation_id
      ? {
          activationId: r.activation_id,
          step: r.plan_step!,
          phase: r.phase!,
          titleI18n: r.title_i18n ? (JSON.parse(r.title_i18n) as LocalizedText) : null,
          checklist: r.checklist ? (JSON.parse(r.checklist) as LocalizedText[]) : [],
        }
      : null,
  };
}
