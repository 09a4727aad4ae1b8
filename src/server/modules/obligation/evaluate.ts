/**
 * Evaluation (pure): facts in, one entry per applicable (or possibly applicable) obligation stage out,
 * with its deadline and why; obligations that do not apply are listed apart with the reason, so two
 * evaluations can be compared (`compareEvaluations`: what started, stopped or moved after a change of
 * facts). The same functions serve `tocsin obligations evaluate` and, later, the live clocks.
 */
import type {
  Clock,
  Obligation,
  ObligationEntry,
  ObligationFacts,
  ObligationStage,
  StartFact,
} from '../../../shared/obligation-schemas.js';
import { isoWeekday, localDay } from '../../platform/zoned-time.js';
import { judgeAll } from './applicability.js';
import type { Calendars } from './calendars.js';
import { addSpan, spanText } from './clock.js';

export interface NotApplicable {
  obligation: string;
  stage: ObligationStage;
  why: string;
  why_zh: string;
}

export interface Evaluation {
  entries: ObligationEntry[];
  notApplicable: NotApplicable[];
}

const START_NAMES: Record<StartFact, { en: string; zh: string }> = {
  'incident.discovered_at': { en: 'discovery', zh: '发现事件' },
  'incident.aware_at': { en: 'awareness', zh: '知悉事件' },
  'incident.classified_at': { en: 'classification as major', zh: '认定为重大事件' },
  'incident.materiality_determined_at': { en: 'the materiality determination', zh: '认定事件具有重大性' },
  'incident.handling_ended_at': { en: 'the end of handling', zh: '处置结束' },
  'reports.dora_initial_submitted_at': { en: "the initial notification's submission", zh: '初始通知提交' },
  'reports.dora_intermediate_submitted_at': {
    en: "the latest intermediate report's submission",
    zh: '最近一次中间报告提交',
  },
};

function factAt(facts: ObligationFacts, fact: StartFact): number | null {
  const [part, field] = fact.split('.') as ['incident' | 'reports', string];
  const v = (facts[part] as Record<string, unknown> | undefined)?.[field];
  return typeof v === 'string' ? Date.parse(v) : null;
}

/** ISO-8601 UTC, without milliseconds when they are zero: 2026-03-02T05:00:00Z. */
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

const WEEKDAYS_ZH = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
/** The local date of an instant in a zone: `Thu 2026-05-21` and `2026-05-21（周四）`. */
function localDate(t: number, zone: string): { en: string; zh: string } {
  const day = localDay(t, zone);
  const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
  const wd = isoWeekday(day);
  const en = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][wd - 1]!;
  return { en: `${en} ${date}`, zh: `${date}（${WEEKDAYS_ZH[wd - 1]}）` };
}

interface ClockResult {
  due: number | null;
  starts: number | null;
  en: string;
  zh: string;
}

/** The deadline of one stage's clock and how it was counted. */
export function runClock(clock: Clock, facts: ObligationFacts, calendars: Calendars): ClockResult {
  const start = factAt(facts, clock.starts);
  const name = START_NAMES[clock.starts];
  let amount = clock.amount;
  let variant = { en: '', zh: '' };
  if (clock.when_firm) {
    const flag = facts.firm?.[clock.when_firm.flag];
    const short = spanText({ ...clock, amount: clock.when_firm.amount });
    if (flag === true || flag == null) amount = clock.when_firm.amount;
    if (flag == null)
      variant = {
        en: ` (firm.${clock.when_firm.flag} unknown: the shorter limit, ${short.en}, is used)`,
        zh: `（firm.${clock.when_firm.flag}未知，按较短时限${short.zh}计）`,
      };
  }
  const span = spanText({ ...clock, amount });
  const counts = { en: `counts ${span.en} from ${name.en}${variant.en}`, zh: `自${name.zh}起${span.zh}${variant.zh}` };
  if (start === null)
    return {
      due: null,
      starts: null,
      en: `Due unknown: ${counts.en}, which is not known (${clock.starts})`,
      zh: `截止时间未知：${counts.zh}，而${name.zh}的时间未知（${clock.starts}）`,
    };
  const main = addSpan(start, { ...clock, amount }, calendars);
  if ('missing' in main)
    return {
      due: null,
      starts: start,
      en: `Due unknown: ${counts.en} (${iso(start)}), but there is ${main.missing.en}`,
      zh: `截止时间未知：${counts.zh}（${iso(start)}），但${main.missing.zh}`,
    };
  let text = { en: `${counts.en} (${iso(start)})`, zh: `${counts.zh}（${iso(start)}）` };
  let due = main.due;
  const cap = clock.no_later_than;
  if (cap) {
    const capStart = factAt(facts, cap.starts);
    const capName = START_NAMES[cap.starts];
    const capSpan = spanText(cap);
    if (capStart === null)
      return {
        due: null,
        starts: start,
        en: `Due unknown: ${text.en} and no later than ${capSpan.en} from ${capName.en}, which is not known (${cap.starts})`,
        zh: `截止时间未知：${text.zh}，且不晚于${capName.zh}后${capSpan.zh}，而${capName.zh}的时间未知（${cap.starts}）`,
      };
    const limit = addSpan(capStart, { ...cap, zone: clock.zone, calendar: clock.calendar }, calendars);
    if ('due' in limit) {
      const at = `${capSpan.en} from ${capName.en} (${iso(capStart)})`;
      if (start > limit.due)
        text = {
          en: `${text.en}; ${START_NAMES[clock.starts].en} came after the limit of ${at}, so its own ${span.en} apply`,
          zh: `${text.zh}；${name.zh}晚于${capName.zh}后${capSpan.zh}的时限，故按${name.zh}后${span.zh}计`,
        };
      else if (limit.due < due) {
        due = limit.due;
        text = {
          en: `${text.en}, but no later than ${at}, which comes first`,
          zh: `${text.zh}，但不晚于${capName.zh}后${capSpan.zh}（${iso(capStart)}），以先到者为准`,
        };
      } else
        text = { en: `${text.en}, and no later than ${at}`, zh: `${text.zh}，且不晚于${capName.zh}后${capSpan.zh}` };
    }
  }
  if (clock.unit !== 'minutes' && clock.unit !== 'hours' && due === main.due) {
    // Day counts: say on which calendar, from which local day to the end of which.
    const [from, to] = [localDate(start, clock.zone), localDate(due - 1, clock.zone)];
    text = {
      en: `${text.en}, on the calendar of ${clock.zone}: from ${from.en} to the end of ${to.en}`,
      zh: `${text.zh}，按${clock.zone}当地日期自${from.zh}起算，至${to.zh}结束`,
    };
  }
  const cap0 = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return { due, starts: start, en: cap0(text.en), zh: text.zh };
}

export function evaluate(catalog: Obligation[], facts: ObligationFacts, calendars: Calendars): Evaluation {
  const entries: ObligationEntry[] = [];
  const notApplicable: NotApplicable[] = [];
  for (const o of catalog) {
    const { verdict, reasons } = judgeAll(o.applies_when, facts);
    const en = reasons.map((r) => r.en).join('; ');
    const zh = reasons.map((r) => r.zh).join('；');
    for (const s of o.stages) {
      if (verdict === 'no') {
        notApplicable.push({
          obligation: o.id,
          stage: s.stage,
          why: `Does not apply: ${en}.`,
          why_zh: `不适用：${zh}。`,
        });
        continue;
      }
      const clock = runClock(s.clock, facts, calendars);
      const note = s.clock.configurable
        ? {
            en: ` Firm-configurable default: ${s.clock.configurable.note.en}.`,
            zh: `公司可配置的默认值：${s.clock.configurable.note['zh-CN']}。`,
          }
        : { en: '', zh: '' };
      entries.push({
        obligation: o.id,
        stage: s.stage,
        due: clock.due === null ? null : iso(clock.due),
        applies: verdict,
        starts: clock.starts === null ? null : iso(clock.starts),
        why: `${verdict === 'yes' ? 'Applies' : 'May apply'}: ${en}. ${clock.en}.${note.en}`,
        why_zh: `${verdict === 'yes' ? '适用' : '可能适用'}：${zh}。${clock.zh}。${note.zh}`,
      });
    }
  }
  return { entries, notApplicable };
}

export interface EvaluationChanges {
  /** Stages that apply (or may) now and did not before. */
  started: ObligationEntry[];
  /** Stages that applied (or may have) before and do not now, with why not. */
  stopped: NotApplicable[];
  /** Stages in both whose deadline or applicability changed. */
  changed: { before: ObligationEntry; after: ObligationEntry }[];
}

const keyOf = (e: { obligation: string; stage: string }) => `${e.obligation}\u0000${e.stage}`;

/** What a change of facts did to the obligations: `before` and `after` are two evaluations. */
export function compareEvaluations(before: Evaluation, after: Evaluation): EvaluationChanges {
  const was = new Map(before.entries.map((e) => [keyOf(e), e]));
  const now = new Map(after.entries.map((e) => [keyOf(e), e]));
  const reasons = new Map(after.notApplicable.map((n) => [keyOf(n), n]));
  const stopped: NotApplicable[] = [];
  const changed: EvaluationChanges['changed'] = [];
  for (const [key, e] of was) {
    const n = now.get(key);
    if (!n)
      stopped.push(
        reasons.get(key) ?? {
          obligation: e.obligation,
          stage: e.stage,
          why: 'No longer in the obligation catalog.',
          why_zh: '已不在义务目录中。',
        },
      );
    else if (n.due !== e.due || n.applies !== e.applies) changed.push({ before: e, after: n });
  }
  return { started: after.entries.filter((e) => !was.has(keyOf(e))), stopped, changed };
}
