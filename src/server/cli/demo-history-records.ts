/**
 * The records around one past incident of the demo history (demo-history.ts), through the real services
 * at the clock's past times: the holding statement published on the status site (customer-facing ones),
 * the regulator reports of the obligation clocks that apply, filed with their receipts — most before the
 * deadline, a few after it.
 */
import type { Services } from '../compose.js';
import {
  DAY,
  type HistoryCast,
  type HistoryCounts,
  HOUR,
  MIN,
  type PastIncident,
  type Prng,
} from './demo-history-kit.js';

type Phase = {
  phase: 'response' | 'recovered' | 'aftermath';
  ack: number;
  contained: number;
  recovered: number;
  now: number;
};

/** The response's records (holding statement), the recovery's (its resolving update) or the aftermath's (regulator reports). */
export async function loadIncidentRecords(
  s: Services,
  clock: { set: (ms: number) => void },
  cast: HistoryCast,
  r: Prng,
  p: PastIncident,
  ph: Phase,
  counts: HistoryCounts,
): Promise<void> {
  const at = (ms: number) => clock.set(Math.round(Math.min(ms, ph.now - MIN)));
  if (ph.phase === 'response') {
    if (p.kind.customerFacing) await holdingStatement(s, at, cast, r, p, ph, counts);
    return;
  }
  if (ph.phase === 'recovered') {
    if (p.kind.customerFacing) await resolutionUpdate(s, at, cast, p, ph.recovered, counts);
    return;
  }
  await regulatorReports(s, at, cast, r, p, ph, counts);
}

/** Drafted by the commander, approved by communications and published by them, minutes after acknowledging. */
async function holdingStatement(
  s: Services,
  at: (ms: number) => void,
  cast: HistoryCast,
  r: Prng,
  p: PastIncident,
  ph: Phase,
  counts: HistoryCounts,
): Promise<void> {
  const t = ph.ack + r.between(3, 12) * MIN;
  at(t);
  const draft = await s.statements.create(cast.commander, p.key, { kind: 'holding_statement' });
  await s.statements.submit(cast.commander, draft.id);
  at(t + r.between(4, 15) * MIN);
  await s.statements.review(cast.communications, draft.id, { verdict: 'approve', comment: 'OK / 同意' });
  at(t + r.between(16, 25) * MIN);
  await s.statements.publish(cast.communications, draft.id, { emergency: false, acknowledgeFlags: true });
  counts.statements++;
}

/**
 * Once service is restored, a customer-facing incident's announcement is resolved the way its holding
 * statement went out: communications drafts the update (resolved, with the time of recovery), the
 * commander approves it, communications publishes it. Fixed offsets, no draw: the year stays as seeded.
 */
async function resolutionUpdate(
  s: Services,
  at: (ms: number) => void,
  cast: HistoryCast,
  p: PastIncident,
  recovered: number,
  counts: HistoryCounts,
): Promise<void> {
  at(recovered + 10 * MIN);
  const draft = await s.statements.create(cast.communications, p.key, { kind: 'status_update' });
  await s.statements.newVersion(cast.communications, draft.id, {
    title: { zh: '服务已恢复', en: 'Service restored' },
    body: {
      zh: '受影响的服务已恢复正常。客户资金和持仓安全未受影响。由此给您带来的不便，我们深表歉意。',
      en: 'The affected services are working normally again. Client funds and positions were not affected. We apologise for the inconvenience.',
    },
    fields: { ...draft.version.fields, status: 'resolved', resolvedAt: Math.round(recovered) },
  });
  await s.statements.submit(cast.communications, draft.id);
  at(recovered + 20 * MIN);
  await s.statements.review(cast.commander, draft.id, { verdict: 'approve', comment: 'OK / 同意' });
  at(recovered + 25 * MIN);
  await s.statements.publish(cast.communications, draft.id, { emergency: false, acknowledgeFlags: true });
  counts.statements++;
}

/**
 * Every obligation clock that applies gets its report drafted by compliance, approved by the second
 * compliance officer and filed with a receipt: about one in eight after its deadline.
 */
async function regulatorReports(
  s: Services,
  at: (ms: number) => void,
  cast: HistoryCast,
  r: Prng,
  p: PastIncident,
  ph: Phase,
  counts: HistoryCounts,
): Promise<void> {
  const clocks = (await s.obligations.view.ofIncident(cast.compliance, p.key)).clocks.filter(
    (c) => c.applies === 'yes' && c.due !== null && c.submittedAt === null,
  );
  if (!clocks.length) return;
  const options = await s.reports.options(cast.compliance, p.key);
  for (const c of clocks) {
    if (!options.some((o) => o.obligation === c.obligation && o.stage === c.stage)) continue;
    const due = Date.parse(c.due!);
    const from = c.startsAt ? Date.parse(c.startsAt) : p.detectedAt;
    const late = r.chance(0.12);
    const filed = late ? due + r.between(0.5, 8) * HOUR : from + (due - from) * r.between(0.35, 0.9);
    if (filed >= ph.now - HOUR || filed > ph.recovered + 30 * DAY) continue;
    at(Math.max(from, filed - 40 * MIN));
    const report = await s.reports.create(cast.compliance, p.key, { obligation: c.obligation, stage: c.stage });
    await s.reports.requestReview(cast.compliance, report.id);
    at(Math.max(from, filed - 15 * MIN));
    await s.reports.approve(cast.compliance2, report.id);
    at(filed);
    await s.reports.markSubmitted(
      cast.compliance,
      report.id,
      { channel: 'portal', reference: `${c.obligation}-${p.key}`, filename: 'receipt.txt' },
      Buffer.from(`Receipt ${c.obligation} ${c.stage} ${p.key}\n`),
    );
    counts.reports++;
    if (late) counts.lateReports++;
  }
}
