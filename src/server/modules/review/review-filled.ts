/**
 * The facts of a review filled from the data when it is read (never typed): milestones and durations
 * (detect, acknowledge, contain, recover, first public statement, first customer notice), the timeline,
 * regulator reports against their deadlines, each plan task and action with how long it took, customer
 * contact and CSAT figures, compensation totals. Each part is read through its module's service as the
 * reader, as the investigation report's filled sections are: a part the reader may not read is withheld
 * (listed), not an error; a part with no data is null ("no data"), never zero.
 */
import type { AttackTimeline } from '../../../shared/attack-timeline-schemas.js';
import type { Campaign } from '../../../shared/campaign-schemas.js';
import type { Ledger } from '../../../shared/compensation-schemas.js';
import type { ActionRun } from '../../../shared/connector-schemas.js';
import type { Incident, Task } from '../../../shared/incident-schemas.js';
import type { InquiryStats } from '../../../shared/inquiry-schemas.js';
import type { IncidentObligations } from '../../../shared/obligation-clock-schemas.js';
import type { ReviewFacts } from '../../../shared/review-schemas.js';
import type { Statement } from '../../../shared/statement-schemas.js';
import { AppError } from '../../platform/errors.js';
import type { Principal } from '../auth/index.js';

/** The other modules' reads a review is filled from (compose.ts wires their services). */
export interface ReviewSources {
  timeline(p: Principal, key: string): Promise<AttackTimeline>;
  statements(p: Principal, key: string): Promise<Statement[]>;
  campaigns(p: Principal, key: string): Promise<Campaign[]>;
  obligations(p: Principal, key: string): Promise<IncidentObligations>;
  tasks(p: Principal, key: string): Promise<Task[]>;
  actions(p: Principal, key: string): Promise<ActionRun[]>;
  inquiries(p: Principal, key: string): Promise<InquiryStats>;
  compensation(p: Principal, key: string): Promise<Ledger>;
}

/** Statements that speak to the public (the status site, the media, exchanges); also the KPI's first statement. */
export const PUBLIC_STATEMENT_KINDS = [
  'holding_statement',
  'status_update',
  'media_statement',
  'rumor_clarification',
  'exchange_notice',
  'investigation_result',
] as const;
const PUBLIC_KINDS = new Set<string>(PUBLIC_STATEMENT_KINDS);
const TIMELINE_MAX = 300;

type Withheld = ReviewFacts['withheld'][number];

const ms = (t: string | null | undefined) => (t ? Date.parse(t) : null);
const span = (from: string | null | undefined, to: string | null | undefined) => {
  const a = ms(from);
  const b = ms(to);
  return { from: from ?? null, to: to ?? null, ms: a !== null && b !== null ? b - a : null };
};
const earliest = (times: (string | null | undefined)[]): string | null => {
  const all = times.filter((t): t is string => !!t).sort((x, y) => Date.parse(x) - Date.parse(y));
  return all[0] ?? null;
};

export async function fillFacts(p: Principal, incident: Incident, src: ReviewSources): Promise<ReviewFacts> {
  const withheld: Withheld[] = [];
  async function read<T>(name: Withheld, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError && err.status === 403) {
        withheld.push(name);
        return null;
      }
      throw err;
    }
  }
  const key = incident.key;
  const [timeline, statements, campaigns, obligations, tasks, actions, inquiries, ledger] = await Promise.all([
    read('timeline', () => src.timeline(p, key)),
    read('statements', () => src.statements(p, key)),
    read('campaigns', () => src.campaigns(p, key)),
    read('regulators', () => src.obligations(p, key)),
    read('tasks', () => src.tasks(p, key)),
    read('actions', () => src.actions(p, key)),
    read('customers', () => src.inquiries(p, key)),
    read('compensation', () => src.compensation(p, key)),
  ]);

  const m = incident.milestones;
  const published = (statements ?? []).filter((s) => s.publishedAt);
  const firstPublicStatement = earliest(published.filter((s) => PUBLIC_KINDS.has(s.kind)).map((s) => s.publishedAt));
  const firstCustomerNotice = earliest([
    ...published.filter((s) => s.kind === 'customer_notice').map((s) => s.publishedAt),
    ...(campaigns ?? []).map((c) => c.launchedAt),
  ]);
  const firstCompromise = timeline?.marks.firstCompromise ?? null;

  const clocks = (obligations?.clocks ?? []).filter((c) => c.applies === 'yes');
  const regulators = clocks.map((c) => ({
    obligation: c.obligation,
    title: c.title,
    stageTitle: c.stageTitle,
    due: c.due,
    submittedAt: c.submittedAt,
    status: c.status,
    marginMs: c.due && c.submittedAt ? Date.parse(c.submittedAt) - Date.parse(c.due) : null,
  }));

  const customers =
    inquiries || incident.impact.customersAffected !== null
      ? {
          affected: incident.impact.customersAffected,
          inquiries: inquiries?.total ?? 0,
          slaBreaches: inquiries?.slaBreaches ?? 0,
          csatAverage: inquiries?.csat.average ?? null,
          csatResponses: inquiries?.csat.responses ?? 0,
        }
      : null;

  return {
    milestones: {
      firstCompromise,
      detected: m.detectedAt,
      acknowledged: m.acknowledgedAt,
      contained: m.containedAt,
      recovered: m.recoveredAt,
      closed: m.closedAt,
      firstPublicStatement,
      firstCustomerNotice,
    },
    durations: {
      toDetect: span(firstCompromise, m.detectedAt),
      toAcknowledge: span(m.detectedAt, m.acknowledgedAt),
      toContain: span(m.detectedAt, m.containedAt),
      toRecover: span(m.detectedAt, m.recoveredAt),
      toFirstPublicStatement: span(m.detectedAt, firstPublicStatement),
      toFirstCustomerNotice: span(m.detectedAt, firstCustomerNotice),
    },
    timeline: timeline
      ? timeline.items
          .filter((i) => i.kind !== 'event')
          .slice(0, TIMELINE_MAX)
          .map((i) => ({
            at: i.at,
            kind: i.kind,
            title: (i.kind === 'note' || i.kind === 'status') && i.detail ? i.detail.slice(0, 500) : i.title,
          }))
      : null,
    regulators: obligations ? (regulators.length ? regulators : null) : null,
    tasks: tasks?.length
      ? tasks.map((t) => ({
          title: t.title,
          status: t.status,
          fromPlan: t.plan !== null,
          createdAt: t.createdAt,
          completedAt: t.completedAt,
          ms: span(t.createdAt, t.completedAt).ms,
        }))
      : null,
    actions: actions?.length
      ? actions.map((a) => ({
          connector: a.connector,
          action: a.action,
          state: a.state,
          dryRun: a.dryRun,
          createdAt: a.createdAt,
          finishedAt: a.finishedAt,
          ms: span(a.createdAt, a.finishedAt).ms,
        }))
      : null,
    customers,
    compensation: ledger?.currencies.length
      ? ledger.currencies.map((c) => ({
          currency: c.currency,
          claims: c.claims,
          approvedMinor: c.approved.amountMinor,
          paidMinor: c.paid.amountMinor,
          reserveMinor: c.reserve.amountMinor,
        }))
      : null,
    withheld,
  };
}
