/**
 * A year of the demo firm's past (issue 16): twelve months of incidents up to the day the demo runs, each
 * taken through its life by the real services with the demo's settable clock moved to each step's time,
 * so the dashboards and the reports of any of the last twelve months have something real to show.
 * Deterministic: a seeded PRNG picks the kinds, grades, days and durations (the same store every run
 * of the same day). Responses get faster over the year, as a firm that learns from its reviews does.
 * The records around the incidents (statements, regulator reports) are loaded by demo-history-records.ts;
 * inquiries, vulnerabilities, drills, training and risks by demo-history-programme.ts.
 */
export type { DemoHistory, HistoryCast } from './demo-history-kit.js';
import type { Services } from '../compose.js';
import type { Grade } from '../../shared/enums.js';
import { ACTION_TITLES, HISTORY_KINDS } from './demo-history-data.js';
import {
  DAY,
  type DemoHistory,
  emptyCounts,
  type HistoryCast,
  HOUR,
  MIN,
  type PastIncident,
  type Prng,
  prng,
} from './demo-history-kit.js';
import { loadIncidentRecords } from './demo-history-records.js';
import { loadHistoryProgramme } from './demo-history-programme.js';

const GRADE_WEIGHTS: [Grade, number][] = [
  ['I', 0.03],
  ['II', 0.12],
  ['III', 0.4],
  ['IV', 0.45],
];

function pickGrade(r: Prng): Grade {
  let x = r.next();
  for (const [g, w] of GRADE_WEIGHTS) {
    if (x < w) return g;
    x -= w;
  }
  return 'IV';
}

/**
 * Loads the year before `now` (the demo's own incidents are loaded already, so their keys stay first).
 * Leaves the clock at `now`.
 */
export async function loadDemoHistory(
  s: Services,
  clock: { now: () => number; set: (ms: number) => void },
  cast: HistoryCast,
  opts: {
    now: number;
    seed?: number;
    /** Today's live incidents (ids): their deadline warnings are the server's to page, not the history's. */
    live?: ReadonlySet<string>;
  },
): Promise<DemoHistory> {
  const started = Date.now();
  const now = opts.now;
  const r = prng(opts.seed ?? 20_260_101);
  // The detections' lead times draw from their own sequence, so the year's incidents stay as they were.
  const leads = prng((opts.seed ?? 20_260_101) + 1);
  const at = (ms: number) => clock.set(Math.round(Math.min(ms, now - MIN)));
  const past: PastIncident[] = [];
  const items = { total: 0, overdue: 0, acceptedRisk: 0 };
  let reviews = 0;
  const counts = emptyCounts();
  let acceptedOne = false;
  const end = new Date(now);
  // The firm's profile (a PRC securities firm, as the credential-stuffing scenario sets it): the regulator
  // clocks of the past incidents run from it.
  at(now - 366 * DAY);
  if ((await s.obligations.profiles.firm(cast.admin)).version === 0)
    await s.obligations.profiles.setFirm(cast.admin, {
      jurisdictions: ['CN'],
      ciiOperator: false,
      usBrokerDealer: false,
      listedUs: false,
      doraEntity: false,
      clientsTotal: 1_200_000,
      csrcTargetMinutes: 30,
    });
  for (let back = 12; back >= 0; back--) {
    // Month `back` months ago (UTC); the oldest is cut to the day a year ago, the current one to yesterday.
    const monthStart = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - back, 1);
    const monthEnd = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - back + 1, 1);
    const lo = Math.max(monthStart, now - 365 * DAY);
    const hi = Math.min(monthEnd, now - DAY);
    if (hi - lo < DAY) continue;
    // 0 at the start of the year, 1 now: the responses improve with it.
    const progress = (lo - (now - 365 * DAY)) / (365 * DAY);
    const n = Math.max(1, Math.round(r.int(6, 12) * ((hi - lo) / (monthEnd - monthStart))));
    const detections = Array.from({ length: n }, () => lo + r.next() * (hi - lo)).sort((a, b) => a - b);
    for (const t0raw of detections) {
      // Within working hours in the firm's zone (UTC+8) mostly: 01:00–13:00 UTC, some at night.
      const day = Math.floor(t0raw / DAY) * DAY;
      const t0 = Math.round(day + (r.chance(0.8) ? r.between(1, 13) : r.between(13, 24)) * HOUR);
      if (t0 >= now - 2 * HOUR) continue;
      const kind = r.pick(HISTORY_KINDS);
      const grade = pickGrade(r);
      const falsePositive = r.chance(0.08);
      const customers = kind.customers ? r.int(kind.customers[0], kind.customers[1]) : null;
      at(t0);
      const inc = await s.incidents.create(cast.commander, {
        title: `${kind.titleZh} ${kind.titleEn}`,
        summary: `${kind.titleEn} (past incident of the demo firm's year).`,
        category: kind.category,
        grade,
        services: kind.services,
        tags: ['history'],
        restricted: false,
        detectedAt: new Date(t0).toISOString(),
        impact: {
          customersAffected: falsePositive ? null : customers,
          fundsAtRisk: null,
          recordsExposed: kind.category === 'data_security' ? customers : null,
          tradingInterrupted: kind.trading ?? false,
        },
      });
      const p: PastIncident = {
        key: inc.key,
        id: inc.id,
        kind,
        grade,
        detectedAt: t0,
        falsePositive,
        recoveredAt: null,
        customersAffected: falsePositive ? null : customers,
      };
      past.push(p);
      // What detected it (MTTD): a rule's alert whose first event came before the incident was declared,
      // linked to it by the commander; the lead shrinks over the year like the responses. Its group names the
      // incident, so two past incidents of a kind never share one alert.
      const lead = Math.round(leads.between(2, 40) * (1 - 0.5 * progress) * MIN);
      const [raised] = await s.alerts.raise([
        {
          ruleId: `history-${kind.category}`,
          ruleTitle: kind.titleEn,
          ruleTitleZh: kind.titleZh,
          level: 'low',
          tags: ['history'],
          kind: 'detection',
          events: [],
          group: { incident: inc.key },
          time: t0 - lead,
        },
      ]);
      if (raised?.alertId) await s.alerts.link(cast.commander, raised.alertId, inc.key);
      // Minutes to acknowledge, contain and recover: shorter for the graver grades' urgency, longer for
      // their size, and about half as long at the end of the year as at its start.
      const speed = 1 - 0.5 * progress;
      const size = { I: 2.5, II: 1.8, III: 1.2, IV: 1 }[grade];
      const ack = t0 + r.between(2, 25) * speed * MIN;
      at(ack);
      await s.incidents.transition(cast.commander, inc.key, 'acknowledged', 'On it / 已确认，处置中');
      // Compliance records whose personal information it touched: PIPL's notice applies to the data leaks only.
      await s.obligations.profiles.patchFacts(cast.compliance, inc.key, {
        personalInfoRecords: kind.category === 'data_security' && customers ? customers : 0,
        sensitiveCustomerInfo: kind.category === 'data_security',
      });
      if (falsePositive) {
        at(ack + r.between(10, 60) * MIN);
        await s.incidents.transition(
          cast.commander,
          inc.key,
          'false_positive',
          'Not an incident: expected behaviour / 误报：属正常行为',
        );
        continue;
      }
      const contained = ack + r.between(20, 180) * speed * size * MIN;
      const recovered = contained + r.between(30, 480) * speed * size * MIN;
      const closed = recovered + r.between(1, 5) * DAY;
      await loadIncidentRecords(s, clock, cast, r, p, { phase: 'response', ack, contained, recovered, now }, counts);
      at(contained);
      await s.incidents.transition(cast.commander, inc.key, 'contained', 'Contained / 已控制');
      if (kind.category === 'malicious_program' || kind.category === 'network_attack') {
        at((contained + recovered) / 2);
        await s.incidents.transition(cast.commander, inc.key, 'eradicated', 'Eradicated / 已根除');
      }
      at(recovered);
      await s.incidents.transition(cast.commander, inc.key, 'recovered', 'Service restored / 服务已恢复');
      p.recoveredAt = recovered;
      await loadIncidentRecords(s, clock, cast, r, p, { phase: 'recovered', ack, contained, recovered, now }, counts);
      if (closed < now - HOUR) {
        at(closed);
        await s.incidents.transition(cast.commander, inc.key, 'closed', 'Closed / 已关闭');
      }
      await loadIncidentRecords(s, clock, cast, r, p, { phase: 'aftermath', ack, contained, recovered, now }, counts);
      // The review of grades I-III opened itself on recovery: its action items, worked to their end.
      if (grade === 'IV') continue;
      reviews++;
      const made = await reviewItems(s, at, cast, r, p, { closed, now, acceptOne: !acceptedOne });
      acceptedOne ||= made.acceptedRisk > 0;
      items.total += made.total;
      items.overdue += made.overdue;
      items.acceptedRisk += made.acceptedRisk;
    }
    // The deadline warnings' sweep at the month's end, as the server's scheduler runs it: a deadline
    // missed is recorded then (and paged, to no one yet reachable), not all at once at the first start.
    at(hi);
    await s.obligations.warnings.sweep(undefined, { except: opts.live });
  }
  await loadHistoryProgramme(s, clock, cast, r, past, now, counts);
  at(now - MIN);
  await s.obligations.warnings.sweep(undefined, { except: opts.live });
  clock.set(now);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    from: day(now - 365 * DAY),
    to: day(now),
    incidents: past.length,
    falsePositives: past.filter((x) => x.falsePositive).length,
    reviews,
    actionItems: items,
    counts,
    elapsedMs: Date.now() - started,
  };
}

/**
 * The review's action items: most done before their due date, a few late, those of recent reviews still
 * open (some past due: overdue), one accepted as a risk. A review whose items all ended is closed.
 */
async function reviewItems(
  s: Services,
  at: (ms: number) => void,
  cast: HistoryCast,
  r: Prng,
  p: PastIncident,
  o: { closed: number; now: number; acceptOne: boolean },
) {
  const made = { total: 0, overdue: 0, acceptedRisk: 0 };
  const start = Math.min(o.closed, o.now - HOUR);
  at(start);
  const n = r.int(1, 3);
  const plans: { id: string; due: number; end: number | null; accept: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + r.int(7, 45) * DAY;
    const owner = r.pick([...cast.responders, cast.communications, cast.customerService]);
    const review = await s.reviews.addActionItem(cast.commander, p.key, {
      title: r.pick(ACTION_TITLES),
      description: `From the review of ${p.key}.`,
      ownerId: owner.user.id,
      dueAt: new Date(due).toISOString(),
      priority: p.grade === 'I' || p.grade === 'II' ? 'p1' : r.pick(['p2', 'p3'] as const),
    });
    const id = review.actionItems.find((x) => !plans.some((q) => q.id === x.id))!.id;
    const accept = o.acceptOne && i === 0 && due < o.now;
    // Some items of the last ten weeks' reviews are not finished yet (overdue once past due).
    const unfinished = !accept && start > o.now - 70 * DAY && r.chance(0.4);
    // Mostly done early (90%), a few late; none in the future.
    const end = accept ? due - 2 * DAY : r.chance(0.88) ? due - r.between(0.5, 6) * DAY : due + r.between(1, 12) * DAY;
    plans.push({ id, due, end: end < o.now - HOUR && !unfinished ? end : null, accept });
    made.total++;
  }
  // The items' ends, in time order (the clock only moves forward within this review).
  for (const it of [...plans].filter((x) => x.end !== null).sort((a, b) => a.end! - b.end!)) {
    at(it.end!);
    if (it.accept) {
      await s.actionItems.transition(cast.commander, it.id, {
        to: 'accepted_risk',
        reason: 'Vendor replacement planned next year; compensating controls in place / 明年更换供应商，已有补偿性控制',
      });
      made.acceptedRisk++;
    } else await s.actionItems.transition(cast.commander, it.id, { to: 'done' });
  }
  made.overdue = plans.filter((x) => x.end === null && x.due < o.now).length;
  const last = Math.max(start, ...plans.map((x) => x.end ?? 0));
  if (plans.every((x) => x.end !== null) && last + DAY < o.now) {
    at(last + HOUR);
    await s.reviews.submit(cast.commander, p.key);
    at(last + DAY);
    await s.reviews.close(cast.compliance, p.key);
  }
  return made;
}

/** The history's lines of the demo's printed summary, in both languages. */
export function printDemoHistory(out: (line: string) => void, h: DemoHistory): void {
  const c = h.counts;
  out(`  A year of history / 一年的历史数据 (${h.from} .. ${h.to}, loaded in ${(h.elapsedMs / 1000).toFixed(1)} s):`);
  out(
    `    ${h.incidents} past incidents / 起历史事件 (${h.falsePositives} false positives / 起误报), ${h.reviews} reviews / 份复盘, ${h.actionItems.total} action items / 项整改 (${h.actionItems.overdue} overdue / 项逾期, ${h.actionItems.acceptedRisk} accepted as risk / 项接受风险)`,
  );
  out(
    `    ${c.statements} statements published / 份声明已发布, ${c.reports} regulator reports filed / 份监管报告已报送 (${c.lateReports} late / 份逾期), ${c.inquiries} customer inquiries / 条客户咨询 (${c.ratings} rated / 条满意度评分)`,
  );
  out(
    `    ${c.vulnerabilities} vulnerabilities / 个漏洞 (${c.vulnerabilitiesPastSla} past SLA / 个超期), ${c.drills} drills scored / 次演练已评分, ${c.trainingRecords} training records / 条培训记录, ${c.phishingResults} phishing results / 条钓鱼演练结果`,
  );
  out(
    '    The dashboards and the monthly reports of any of the last twelve months show them. 仪表盘与近十二个月任一月报均可查看。',
  );
}
