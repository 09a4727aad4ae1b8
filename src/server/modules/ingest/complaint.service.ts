/**
 * Customer complaints from the call centre, the app, branches ...: stored, audited, and emitted as a
 * DetectionEvent (logsource tocsin/complaints) so complaint-surge rules see them. The customer
 * reference is PII: it is stored, and kept out of the event, the audit entry and every log.
 */
import type { Complaint, ComplaintCreate } from '../../../shared/ingest-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { ComplaintsTable } from '../../platform/db/types.js';
import { iso, newId, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { DetectionEvent } from '../detection/index.js';
import { insertComplaint } from './ingest.repository.js';
import type { EventSink } from './ingest.service.js';

/** The log source complaint events carry. */
export const COMPLAINT_LOGSOURCE = { product: 'tocsin', service: 'complaints' } as const;

const toComplaint = (r: ComplaintsTable): Complaint => ({
  id: r.id,
  channel: r.channel as Complaint['channel'],
  topic: r.topic,
  time: iso(r.time),
  receivedAt: iso(r.received_at),
});

/** The event detection sees: what was said and where, and the complaint's id to look the customer up by. */
export function complaintEvent(r: ComplaintsTable): DetectionEvent {
  const fields: Record<string, unknown> = { complaintId: r.id, channel: r.channel, text: r.text };
  if (r.topic) fields.topic = r.topic;
  return { id: r.id, time: r.time, source: 'complaints', logsource: { ...COMPLAINT_LOGSOURCE }, fields };
}

export function createComplaintService(deps: { store: Store; audit: AuditService; clock: Clock; sink: EventSink }) {
  const { store, audit, clock, sink } = deps;
  return {
    async create(actor: Actor, input: ComplaintCreate): Promise<Complaint> {
      const now = clock.now();
      const row: ComplaintsTable = {
        id: newId(),
        channel: input.channel,
        topic: input.topic ?? null,
        text: input.text,
        customer_ref: input.customerRef ?? null,
        time: input.time ? Date.parse(input.time) : now,
        received_at: now,
        created_by: actor.id,
      };
      await store.transaction(async (tx) => {
        await insertComplaint(tx, row);
        // No text or customer reference in the audit chain: it is exported and kept for years.
        await audit.append(tx, actor, {
          action: 'complaint.create',
          targetType: 'complaint',
          targetId: row.id,
          after: { channel: row.channel, topic: row.topic, time: iso(row.time) },
        });
      });
      try {
        await sink([complaintEvent(row)]);
      } catch {
        // Detection is overloaded (503): the complaint is stored all the same, and a retry would file
        // it twice, so it is not refused; it just misses the complaint-surge rules this once.
      }
      return toComplaint(row);
    },
  };
}

export type ComplaintService = ReturnType<typeof createComplaintService>;
