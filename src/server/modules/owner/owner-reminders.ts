/**
 * The reminder of a promised callback: a durable job (kind `owner.callback`, key the callback's id) due
 * at the promised time. When it runs and the callback is still open, the owner's console hears
 * `owner.reminder` on the stream (to the owner only; the customer's number, never their contacts).
 * Delivered at least once: a repeated reminder is harmless.
 */
import type { CustomerDirectory } from '../customer/index.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import { iso } from '../../platform/ids.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { IncidentService } from '../incident/index.js';
import { activityById } from './activity.repository.js';
import { assignmentById } from './owner.repository.js';

export const CALLBACK_JOB = 'owner.callback';

export function registerOwnerReminders(deps: {
  store: Store;
  bus: Bus;
  jobs: JobRunner;
  incidents: IncidentService;
  customers: Pick<CustomerDirectory, 'cardsByIds'>;
}) {
  const { store, bus, jobs, incidents } = deps;
  jobs.register<{ activityId: string }>(CALLBACK_JOB, async (job) => {
    const a = await activityById(store.db, job.payload.activityId);
    if (a?.status !== 'open' || a.due_at === null) return;
    const row = await assignmentById(store.db, a.assignment_id);
    if (!row) return;
    const [customer] = await deps.customers.cardsByIds([row.customer_id], store.db);
    const ref = (await incidents.refs(store.db, [row.incident_id])).get(row.incident_id);
    if (!ref) return;
    bus.publish({
      event: 'owner.reminder',
      incidentKey: ref.key,
      // The owner alone (and administrators, who see every restricted incident's events).
      audience: { restricted: true, memberIds: [row.owner_id], permission: 'owner.work' },
      reminder: {
        incidentKey: ref.key,
        customerId: row.customer_id,
        customerNo: customer?.customerNo ?? '',
        at: iso(a.due_at),
        note: a.text,
      },
    });
  });
}
