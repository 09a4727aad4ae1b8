/**
 * The facts a report template may name, read from the incident (its grade, category, impact figures,
 * services, milestones, timeline decisions, open tasks, commander). A fact the incident does not have is
 * null: the draft marks it "to be completed" and lists it as missing, never inventing a value.
 * Some facts are never in an incident (the firm's name and LEI, cause analysis, the advice to individuals):
 * they are always for a person to write.
 */
import type { Category, Grade } from '../../../shared/enums.js';
import type { Incident } from '../../../shared/incident-schemas.js';

type Pair = { zh: string; en: string };
export type FactValues = Record<string, Pair | null>;

/** Every fact a template may name, with its label in both languages. */
export const FACT_LABELS: Record<string, Pair> = {
  'firm.name': { zh: '报告单位名称', en: 'name of the reporting firm' },
  'firm.lei': { zh: '法人机构识别编码（LEI）', en: 'LEI of the firm' },
  'contact.person': { zh: '联系人（事件指挥）', en: 'contact person (incident commander)' },
  now: { zh: '报告时间', en: 'time of the report' },
  'incident.key': { zh: '事件编号', en: 'incident reference' },
  'incident.title': { zh: '事件名称', en: 'incident title' },
  'incident.category': { zh: '事件类型', en: 'incident type' },
  'incident.grade': { zh: '事件等级', en: 'incident grade' },
  'incident.discovered_at': { zh: '发现时间', en: 'time of discovery' },
  'incident.started_at': { zh: '事件开始时间', en: 'time the incident began' },
  'incident.location': { zh: '发现地点（涉及系统/主机）', en: 'place of discovery (systems/hosts)' },
  'incident.discovery': { zh: '发现方式', en: 'how the incident was discovered' },
  'incident.classified_at': { zh: '定级为重大事件的时间', en: 'time of classification as major' },
  'incident.materiality_determined_at': { zh: '重大性认定时间', en: 'time of the materiality determination' },
  'incident.contained_at': { zh: '控制时间', en: 'time of containment' },
  'incident.recovered_at': { zh: '恢复时间', en: 'time of recovery' },
  'incident.closed_at': { zh: '处置结束时间', en: 'time handling ended' },
  'impact.services': { zh: '受影响系统/业务', en: 'systems and services affected' },
  'impact.customers_affected': { zh: '受影响客户数', en: 'number of customers affected' },
  'impact.data': { zh: '涉及的数据', en: 'data involved' },
  'impact.funds_at_risk': { zh: '涉及资金', en: 'funds at risk' },
  'impact.trading_interrupted': { zh: '交易是否中断', en: 'whether trading was interrupted' },
  'impact.material': { zh: '对公司的重大影响', en: 'material impact on the registrant' },
  'impact.economic_eur': { zh: '经济影响（欧元）', en: 'economic impact (EUR)' },
  'measures.taken': { zh: '已采取的措施', en: 'measures taken' },
  'measures.planned': { zh: '下一步措施', en: 'planned measures' },
  'cause.analysis': { zh: '原因分析', en: 'cause analysis' },
  'investigation.leads': { zh: '调查线索', en: 'investigation leads' },
  'advice.individuals': { zh: '个人可采取的措施', en: 'what individuals can do' },
};

const CATEGORY: Record<Category, Pair> = {
  malicious_program: { zh: '恶意程序事件', en: 'malicious program' },
  network_attack: { zh: '网络攻击事件', en: 'network attack' },
  data_security: { zh: '数据安全事件', en: 'data security' },
  information_content: { zh: '信息内容安全事件', en: 'information content security' },
  equipment_failure: { zh: '设备设施故障事件', en: 'equipment and facility failure' },
  rule_violation: { zh: '违规操作事件', en: 'rule violation' },
  security_hazard: { zh: '安全隐患事件', en: 'security hazard' },
  abnormal_behaviour: { zh: '异常行为事件', en: 'abnormal behaviour' },
  force_majeure: { zh: '不可抗力事件', en: 'force majeure' },
  other: { zh: '其他事件', en: 'other' },
};
const GRADE: Record<Grade, Pair> = {
  I: { zh: 'I级（特别重大）', en: 'grade I (particularly serious)' },
  II: { zh: 'II级（重大）', en: 'grade II (serious)' },
  III: { zh: 'III级（较大）', en: 'grade III (relatively serious)' },
  IV: { zh: 'IV级（一般）', en: 'grade IV (general)' },
};

const TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
/** `2026-12-03 14:05 (UTC+8)`: Beijing time, as regulators in China read it; the English says the offset. */
function at(ms: number): Pair {
  const p = Object.fromEntries(TIME.formatToParts(ms).map((x) => [x.type, x.value]));
  const t = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  return { zh: t, en: `${t} (UTC+8)` };
}
const atIso = (s: string | null | undefined): Pair | null => (s ? at(Date.parse(s)) : null);
const same = (s: string): Pair => ({ zh: s, en: s });
const num = (n: number) => n.toLocaleString('en-US');

/** What else the report reads besides the incident. */
export interface ReportContext {
  incident: Incident;
  /** Timeline entries, oldest first (decisions and status changes are the measures taken). */
  timeline: { kind: string; text: string; at: string }[];
  /** Titles of the incident's tasks not yet done (the planned measures). */
  openTasks: string[];
  now: number;
}

export function factsOf(ctx: ReportContext): FactValues {
  const { incident: i } = ctx;
  const m = i.milestones;
  const detection = i.summaryFacts;
  const services = i.services.map((s) => ({ zh: s.nameZh, en: s.nameEn }));
  const measures: Pair[] = [];
  if (m.containedAt)
    measures.push({
      zh: `${at(Date.parse(m.containedAt)).zh} 事件得到控制`,
      en: `${at(Date.parse(m.containedAt)).en} contained`,
    });
  if (m.eradicatedAt)
    measures.push({
      zh: `${at(Date.parse(m.eradicatedAt)).zh} 威胁已清除`,
      en: `${at(Date.parse(m.eradicatedAt)).en} eradicated`,
    });
  if (m.recoveredAt)
    measures.push({
      zh: `${at(Date.parse(m.recoveredAt)).zh} 业务已恢复`,
      en: `${at(Date.parse(m.recoveredAt)).en} recovered`,
    });
  for (const e of ctx.timeline.filter((x) => x.kind === 'decision'))
    measures.push({ zh: `${at(Date.parse(e.at)).zh} ${e.text}`, en: `${at(Date.parse(e.at)).en} ${e.text}` });
  const leads: Pair[] = [];
  if (detection?.ips.length)
    leads.push({ zh: `来源 IP：${detection.ips.join('、')}`, en: `Source IPs: ${detection.ips.join(', ')}` });
  if (detection?.accounts.length)
    leads.push({
      zh: `涉及账户 ${detection.accounts.length} 个`,
      en: `${detection.accounts.length} account(s) involved`,
    });
  if (detection)
    leads.push({ zh: `检测规则：${detection.ruleTitles['zh-CN']}`, en: `Detection rule: ${detection.ruleTitles.en}` });
  const records = i.impact.recordsExposed;
  const funds = i.impact.fundsAtRisk;
  const lines = (list: Pair[]): Pair | null =>
    list.length ? { zh: list.map((x) => x.zh).join('\n'), en: list.map((x) => x.en).join('\n') } : null;
  return {
    'firm.name': null,
    'firm.lei': null,
    'contact.person': i.commander ? same(i.commander.name) : null,
    now: at(ctx.now),
    'incident.key': same(i.key),
    'incident.title': {
      zh: i.titleI18n?.['zh-CN'] ?? i.title,
      en: i.titleI18n?.en ?? i.title,
    },
    'incident.category': CATEGORY[i.category],
    'incident.grade': GRADE[i.grade],
    'incident.discovered_at': atIso(m.detectedAt),
    'incident.started_at': atIso(detection?.firstSeenAt),
    'incident.location': detection?.hosts.length ? same(detection.hosts.join(', ')) : null,
    'incident.discovery': detection
      ? {
          zh: `安全监测告警（${detection.ruleTitles['zh-CN']}）`,
          en: `Security monitoring alert (${detection.ruleTitles.en})`,
        }
      : null,
    'incident.classified_at': null,
    'incident.materiality_determined_at': null,
    'incident.contained_at': atIso(m.containedAt),
    'incident.recovered_at': atIso(m.recoveredAt),
    'incident.closed_at': atIso(m.closedAt),
    'impact.services': services.length
      ? { zh: services.map((s) => s.zh).join('、'), en: services.map((s) => s.en).join(', ') }
      : null,
    'impact.customers_affected': i.impact.customersAffected === null ? null : same(num(i.impact.customersAffected)),
    'impact.data':
      records === null
        ? null
        : { zh: `客户个人信息 ${num(records)} 条`, en: `${num(records)} records of customers' personal information` },
    'impact.funds_at_risk': funds ? same(`${(funds.amountMinor / 100).toFixed(2)} ${funds.currency}`) : null,
    'impact.trading_interrupted': i.impact.tradingInterrupted ? { zh: '是', en: 'yes' } : { zh: '否', en: 'no' },
    'impact.material': null,
    'impact.economic_eur': null,
    'measures.taken': lines(measures),
    'measures.planned': ctx.openTasks.length ? same(ctx.openTasks.map((t) => `- ${t}`).join('\n')) : null,
    'cause.analysis': null,
    'investigation.leads': lines(leads),
    'advice.individuals': null,
  };
}
