/**
 * What detection writes for people, in both console languages: a declared incident's title and summary
 * (times in Asia/Shanghai, the firm's zone; the facts also go along as data, so the console can word
 * them in the viewer's language and zone) and the timeline notes about alerts. Stored texts name
 * categories, grades and levels in words; the console words the structured data itself.
 */
import type { AlertLevel, Category, Grade, Locale } from '../../../shared/enums.js';
import type { LocalizedText } from '../../../shared/api-schemas.js';
import type { DetectionFacts } from '../../../shared/incident-schemas.js';
import { iso } from '../../platform/ids.js';

/** The zone stored texts give times in (mainland China has one zone and no daylight saving). */
export const TEXT_ZONE = 'Asia/Shanghai';

const LEVEL: Record<Locale, Record<AlertLevel, string>> = {
  'zh-CN': { critical: '严重', high: '高', medium: '中', low: '低', informational: '提示' },
  en: { critical: 'critical', high: 'high', medium: 'medium', low: 'low', informational: 'informational' },
};
const CATEGORY: Record<Locale, Record<Category, string>> = {
  'zh-CN': {
    malicious_program: '恶意程序事件',
    network_attack: '网络攻击事件',
    data_security: '数据安全事件',
    information_content: '信息内容安全事件',
    equipment_failure: '设备设施故障事件',
    rule_violation: '违规操作事件',
    security_hazard: '安全隐患事件',
    abnormal_behaviour: '异常行为事件',
    force_majeure: '不可抗力事件',
    other: '其他事件',
  },
  en: {
    malicious_program: 'malicious program',
    network_attack: 'network attack',
    data_security: 'data security',
    information_content: 'information content security',
    equipment_failure: 'equipment and facility failure',
    rule_violation: 'rule violation',
    security_hazard: 'security hazard',
    abnormal_behaviour: 'abnormal behaviour',
    force_majeure: 'force majeure',
    other: 'other',
  },
};
const GRADE: Record<Locale, Record<Grade, string>> = {
  'zh-CN': { I: 'I 特别重大', II: 'II 重大', III: 'III 较大', IV: 'IV 一般' },
  en: { I: 'I (extraordinarily serious)', II: 'II (serious)', III: 'III (relatively serious)', IV: 'IV (general)' },
};

const shanghai = new Intl.DateTimeFormat('en-CA', {
  timeZone: TEXT_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
/** "2026-03-02 22:15:00" in Asia/Shanghai. */
export function shanghaiTime(ms: number): string {
  const p = Object.fromEntries(shanghai.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** A rule's title pair: zh-CN when the rule has one, else the English title in both. */
export const titlePair = (en: string, zh: string | null | undefined): LocalizedText => ({ 'zh-CN': zh || en, en });

/** A declared incident's title: the rule's title, then what it is about (accounts, an address, the group). */
export function incidentTitle(rule: LocalizedText, subject: string): LocalizedText {
  const t = (s: string) => `${s}${subject ? ` · ${subject}` : ''}`.slice(0, 200);
  return { 'zh-CN': t(rule['zh-CN']), en: t(rule.en) };
}

/** A declared incident's summary in both languages, from the facts (also kept as data). */
export function incidentSummary(
  f: DetectionFacts,
  serviceNames: (key: string) => { zh: string; en: string },
): LocalizedText {
  const at = shanghaiTime(Date.parse(f.firstSeenAt));
  const names = (lang: 'zh' | 'en') => f.services.map((k) => serviceNames(k)[lang]);
  const zh = [
    `由检测根据告警 ${f.alertId} 自动登记。`,
    `规则：${f.ruleTitles['zh-CN']}（${f.ruleId}），级别：${LEVEL['zh-CN'][f.level]}。`,
    f.services.length ? `业务服务：${names('zh').join('、')}` : '',
    f.accounts.length ? `账户：${f.accounts.join('、')}` : '',
    f.ips.length ? `IP 地址：${f.ips.join('、')}` : '',
    f.hosts.length ? `主机：${f.hosts.join('、')}` : '',
    `首次发现：${at}（北京时间）。`,
    `事件类别“${CATEGORY['zh-CN'][f.category]}”和等级“${GRADE['zh-CN'][f.grade]}”是根据规则给出的建议，如不符请修改。`,
  ];
  const en = [
    `Declared by detection from alert ${f.alertId}.`,
    `Rule: ${f.ruleTitles.en} (${f.ruleId}), level ${LEVEL.en[f.level]}.`,
    f.services.length ? `Services: ${names('en').join(', ')}` : '',
    f.accounts.length ? `Accounts: ${f.accounts.join(', ')}` : '',
    f.ips.length ? `IP addresses: ${f.ips.join(', ')}` : '',
    f.hosts.length ? `Hosts: ${f.hosts.join(', ')}` : '',
    `First seen ${at} (Asia/Shanghai, UTC+8).`,
    `Category "${CATEGORY.en[f.category]}" and grade ${GRADE.en[f.grade]} are suggestions from the rule (its tags and level): change them if they are wrong.`,
  ];
  const text = (lines: string[]) => lines.filter(Boolean).join('\n').slice(0, 20_000);
  return { 'zh-CN': text(zh), en: text(en) };
}

/** The facts of a declared incident (as the console words them). */
export function detectionFacts(a: {
  alertId: string;
  ruleId: string;
  ruleTitles: LocalizedText;
  level: AlertLevel;
  time: number;
  entities: { accounts: string[]; ips: string[]; hosts: string[] };
  services: string[];
  category: Category;
  grade: Grade;
}): DetectionFacts {
  return {
    alertId: a.alertId,
    ruleId: a.ruleId,
    ruleTitles: a.ruleTitles,
    level: a.level,
    firstSeenAt: iso(a.time),
    accounts: a.entities.accounts,
    ips: a.entities.ips,
    hosts: a.entities.hosts,
    services: a.services,
    category: a.category,
    grade: a.grade,
  };
}

/** The English text of a timeline note about alerts attached by detection (the console words its data). */
export function attachedText(shown: { id: string; ruleTitle: string; level: string }[], count: number): string {
  return count === 1
    ? `Alert attached by detection: "${shown[0]!.ruleTitle}" (${shown[0]!.level}, alert ${shown[0]!.id})`
    : `${count} alerts attached by detection: ${[...new Set(shown.map((s) => `"${s.ruleTitle}"`))].join(', ')}`;
}
