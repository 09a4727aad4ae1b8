/**
 * Whether an obligation applies to these facts: each condition of the catalog is yes, no or unknown
 * (a fact it reads is absent), with the reason in English and Chinese. All yes: it applies; any no: it
 * does not (the no reasons say why); otherwise it may apply, and the unknown facts are named.
 */
import { GRADE_SEVERITY, type Grade } from '../../../shared/enums.js';
import type { Condition, ObligationFacts } from '../../../shared/obligation-schemas.js';

export type Verdict = 'yes' | 'no' | 'unknown';
export interface Reason {
  verdict: Verdict;
  en: string;
  zh: string;
}

const FIRM: Record<string, { en: string; zh: string }> = {
  cii_operator: { en: 'a critical-information-infrastructure (CII) operator', zh: '关键信息基础设施运营者' },
  us_broker_dealer: { en: 'a US broker-dealer', zh: '美国经纪交易商' },
  listed_us: { en: 'listed in the US', zh: '在美国上市的公司' },
  dora_entity: { en: 'a financial entity under DORA', zh: '受DORA约束的金融实体' },
};
const INCIDENT: Record<string, { en: string; zh: string; no: { en: string; zh: string } }> = {
  sensitive_customer_info: {
    en: 'sensitive customer information was accessed or used without authorization',
    zh: '客户敏感信息遭未经授权的访问或使用',
    no: { en: 'no sensitive customer information was accessed or used', zh: '客户敏感信息未遭未经授权的访问或使用' },
  },
  dora_major: {
    en: 'the incident is classified major under DORA',
    zh: '事件被认定为DORA重大事件',
    no: { en: 'the incident is classified not major under DORA', zh: '事件被认定为非DORA重大事件' },
  },
};
const COUNT: Record<string, { en: string; zh: string }> = {
  personal_info_records: { en: 'personal-information records leaked', zh: '泄露的个人信息条数' },
  customers_affected: { en: 'customers affected', zh: '受影响客户数' },
  clients_total: { en: 'clients in total', zh: '客户总数' },
  downtime_minutes: { en: 'minutes of downtime', zh: '中断分钟数' },
  economic_impact_eur: { en: 'EUR of economic impact', zh: '经济影响（欧元）' },
};
export const GRADE_NAMES: Record<Grade, string> = { I: '特别重大', II: '重大', III: '较大', IV: '一般' };

const num = (n: number) => n.toLocaleString('en-US');
const yes = (en: string, zh: string): Reason => ({ verdict: 'yes', en, zh });
const no = (en: string, zh: string): Reason => ({ verdict: 'no', en, zh });
const unknown = (en: string, zh: string): Reason => ({ verdict: 'unknown', en, zh });

export function judge(c: Condition, facts: ObligationFacts): Reason {
  const firm = facts.firm ?? {};
  const incident = facts.incident ?? {};
  if ('jurisdiction' in c) {
    const list = firm.jurisdictions;
    if (list == null) return unknown("the firm's jurisdictions are unknown (firm.jurisdictions)", '公司所属法域未知');
    return list.includes(c.jurisdiction)
      ? yes(`the firm operates in ${c.jurisdiction}`, `公司在${c.jurisdiction}经营`)
      : no(`the firm does not operate in ${c.jurisdiction}`, `公司不在${c.jurisdiction}经营`);
  }
  if ('firm' in c) {
    const label = FIRM[c.firm]!;
    const v = firm[c.firm];
    if (v == null)
      return unknown(`whether the firm is ${label.en} is unknown (firm.${c.firm})`, `公司是否为${label.zh}未知`);
    return v
      ? yes(`the firm is ${label.en}`, `公司为${label.zh}`)
      : no(`the firm is not ${label.en}`, `公司不是${label.zh}`);
  }
  if ('incident' in c) {
    const label = INCIDENT[c.incident]!;
    const v = incident[c.incident];
    if (v == null) return unknown(`unknown whether ${label.en} (incident.${c.incident})`, `未知是否${label.zh}`);
    return v ? yes(label.en, label.zh) : no(label.no.en, label.no.zh);
  }
  if ('at_least' in c) {
    const { fact, value } = c.at_least;
    const label = COUNT[fact]!;
    const v = incident[fact];
    if (v == null) return unknown(`${label.en} unknown (incident.${fact})`, `${label.zh}未知`);
    return v >= value
      ? yes(`${num(v)} ${label.en} (at least ${num(value)})`, `${label.zh}为${num(v)}（不少于${num(value)}）`)
      : no(`${num(v)} ${label.en} (fewer than ${num(value)})`, `${label.zh}为${num(v)}（少于${num(value)}）`);
  }
  if ('grade_at_least' in c) return judgeGrade(c.grade_at_least, incident);
  if ('once' in c) {
    const [part, field] = c.once.fact.split('.') as ['incident' | 'reports', string];
    const at = (facts[part] as Record<string, unknown> | undefined)?.[field];
    if (typeof at !== 'string')
      return unknown(`not yet known that ${c.once.what.en} (${c.once.fact})`, `尚未知${c.once.what['zh-CN']}`);
    return yes(c.once.what.en, c.once.what['zh-CN']);
  }
  return judgeDoraMajor(c.dora_major, incident);
}

function judgeGrade(
  c: Extract<Condition, { grade_at_least: unknown }>['grade_at_least'],
  incident: NonNullable<ObligationFacts['incident']>,
): Reason {
  const records = incident.personal_info_records;
  const hinted =
    records == null
      ? undefined
      : c.hints
          .filter((h) => records >= h.personal_info_records)
          .sort((a, b) => GRADE_SEVERITY[a.grade] - GRADE_SEVERITY[b.grade])[0];
  const recorded = incident.grade ?? undefined;
  const atLeast = (g: Grade) => GRADE_SEVERITY[g] <= GRADE_SEVERITY[c.grade];
  const t = `${c.grade} (${GRADE_NAMES[c.grade]})`;
  const conf = c.configurable
    ? { en: ` (firm-configurable: ${c.configurable.note.en})`, zh: `（公司可配置：${c.configurable.note['zh-CN']}）` }
    : { en: '', zh: '' };
  if (recorded && atLeast(recorded))
    return yes(
      `graded ${recorded} (${GRADE_NAMES[recorded]}), at or above ${t}${conf.en}`,
      `定级为${GRADE_NAMES[recorded]}（${recorded}级），达到${GRADE_NAMES[c.grade]}及以上${conf.zh}`,
    );
  if (hinted && atLeast(hinted.grade)) {
    const was = recorded ? `graded ${recorded}, but ` : 'not graded yet, but ';
    const wasZh = recorded ? `定级为${recorded}级，但` : '尚未定级，但';
    return yes(
      `${was}${num(records!)} personal-information records leaked is at least ${hinted.grade} (${GRADE_NAMES[hinted.grade]}) by the grading hints (${num(hinted.personal_info_records)} or more)`,
      `${wasZh}泄露${num(records!)}条个人信息，按分级指引至少为${GRADE_NAMES[hinted.grade]}`,
    );
  }
  if (recorded)
    return no(
      `graded ${recorded} (${GRADE_NAMES[recorded]}), below ${t}`,
      `定级为${GRADE_NAMES[recorded]}（${recorded}级），低于${GRADE_NAMES[c.grade]}`,
    );
  return unknown(
    `the grade is unknown (incident.grade); applies from ${t}`,
    `事件等级未知；${GRADE_NAMES[c.grade]}及以上适用`,
  );
}

function judgeDoraMajor(
  c: Extract<Condition, { dora_major: unknown }>['dora_major'],
  incident: NonNullable<ObligationFacts['incident']>,
): Reason {
  if (incident.dora_major === true) return yes(INCIDENT.dora_major!.en, INCIDENT.dora_major!.zh);
  if (incident.dora_major === false) return no(INCIDENT.dora_major!.no.en, INCIDENT.dora_major!.no.zh);
  const met: string[] = [];
  const { customers_affected: affected, clients_total: total } = incident;
  if (affected != null && total != null && total > 0 && affected / total > c.clients_share)
    met.push(`clients affected ${Math.round((affected / total) * 1000) / 10}% > ${c.clients_share * 100}%`);
  if (affected != null && affected > c.clients) met.push(`clients affected ${num(affected)} > ${num(c.clients)}`);
  if (incident.downtime_minutes != null && incident.downtime_minutes > c.downtime_minutes)
    met.push(`downtime ${num(incident.downtime_minutes)} min > ${num(c.downtime_minutes)} min`);
  if (incident.economic_impact_eur != null && incident.economic_impact_eur > c.economic_impact_eur)
    met.push(`economic impact EUR ${num(incident.economic_impact_eur)} > EUR ${num(c.economic_impact_eur)}`);
  const hint = met.length ? `criteria thresholds met: ${met.join(', ')}` : 'no criteria threshold known to be met';
  return unknown(
    `not yet classified under DORA (incident.dora_major); ${hint}`,
    `尚未按DORA认定是否重大事件；${met.length ? `已达到${met.length}项分类标准阈值` : '尚无已知达到的分类标准阈值'}`,
  );
}

/** The verdict of all conditions together, and the reasons that decide it. */
export function judgeAll(conditions: Condition[], facts: ObligationFacts): { verdict: Verdict; reasons: Reason[] } {
  const reasons = conditions.map((c) => judge(c, facts));
  const nos = reasons.filter((r) => r.verdict === 'no');
  if (nos.length) return { verdict: 'no', reasons: nos };
  return { verdict: reasons.some((r) => r.verdict === 'unknown') ? 'unknown' : 'yes', reasons };
}
