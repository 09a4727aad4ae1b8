/**
 * What an alert suggests: severity from the rule's level, a GB/T 20986-2023 category from its tags,
 * log source and title, and a grade from the level and trading impact. Also its fingerprint (for
 * deduplication) and correlation keys (for grouping into incidents). The mapping is documented in
 * docs/alerts.md; the commander can change category and grade at any time.
 */
import { createHash } from 'node:crypto';
import { CATEGORIES, type AlertLevel, type Category, type Grade } from '../../../shared/enums.js';
import type { Entities } from '../../../shared/alert-schemas.js';
import { canonicalJson } from '../../platform/canonical-json.js';
import { isDistinctiveAccount } from './entities.js';

/** 1 = most severe, the scale incidents use. */
export const LEVEL_SEVERITY: Record<AlertLevel, number> = { critical: 1, high: 2, medium: 3, low: 4, informational: 5 };
export const LEVEL_RANK: Record<AlertLevel, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };

const BASE_GRADE: Record<AlertLevel, Grade> = {
  critical: 'II',
  high: 'III',
  medium: 'IV',
  low: 'IV',
  informational: 'IV',
};
const ONE_UP: Record<Grade, Grade> = { I: 'I', II: 'I', III: 'II', IV: 'III' };

export interface TriageInput {
  ruleId: string;
  ruleTitle: string;
  level: AlertLevel;
  tags: string[];
  kind: 'detection' | 'correlation' | 'anomaly';
  logsources: { product?: string; category?: string; service?: string }[];
}

const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());

/** Trading is affected when the rule says so (tag `tocsin.trading` / `tocsin.impact.trading`) or its events come from a trading system. */
export function tradingImpact(t: Pick<TriageInput, 'tags' | 'logsources'>): boolean {
  const tags = lower(t.tags);
  if (tags.includes('tocsin.trading') || tags.includes('tocsin.impact.trading')) return true;
  return t.logsources.some((l) =>
    [l.product, l.service, l.category].some((v) => typeof v === 'string' && /trading|交易/i.test(v)),
  );
}

/**
 * Grade: critical → II, high → III, medium/low/informational → IV; trading impact raises a
 * critical, high or medium alert one grade (critical with trading impact → I).
 */
export function suggestGrade(t: Pick<TriageInput, 'level' | 'tags' | 'logsources'>): Grade {
  const base = BASE_GRADE[t.level];
  return LEVEL_RANK[t.level] >= LEVEL_RANK.medium && tradingImpact(t) ? ONE_UP[base] : base;
}

const ATTACK_TACTICS = new Set([
  'reconnaissance',
  'resource_development',
  'initial_access',
  'execution',
  'persistence',
  'privilege_escalation',
  'defense_evasion',
  'credential_access',
  'discovery',
  'lateral_movement',
  'command_and_control',
  'impact',
]);

/** Technique tags (attack.t1486, attack.t1110.004, ...) named by their base id. */
const techniques = (tags: string[]) =>
  new Set(tags.filter((t) => /^attack\.t\d{4}/.test(t)).map((t) => t.slice(7, 12)));

/**
 * Category, first rule that applies:
 * 1. an explicit tag `tocsin.category.<category>`;
 * 2. malicious_program: ransomware/malware words, T1486 (encrypted for impact), T1490 (inhibit recovery), log source category antivirus;
 * 3. data_security: tactics exfiltration or collection, data-theft/destruction/manipulation techniques, exfiltration/leak words;
 * 4. equipment_failure: tags tocsin.availability / tocsin.outage, log source category probe;
 * 5. information_content: T1491 (defacement);
 * 6. rule_violation: tags tocsin.violation / tocsin.policy;
 * 7. network_attack: any other ATT&CK tactic, DoS techniques T1498/T1499, brute-force/stuffing/scan/phishing words;
 * 8. abnormal_behaviour: anything else (an anomaly detector, or a rule without telling tags).
 */
export function suggestCategory(t: TriageInput): Category {
  const tags = lower(t.tags);
  const title = t.ruleTitle.toLowerCase();
  const tech = techniques(tags);
  const words = (ws: string[]) => ws.some((w) => title.includes(w) || tags.some((tag) => tag.includes(w)));
  const logCategories = t.logsources.map((l) => l.category?.toLowerCase());

  for (const tag of tags) {
    const m = /^tocsin\.category\.([a-z_]+)$/.exec(tag);
    if (m && (CATEGORIES as readonly string[]).includes(m[1]!)) return m[1] as Category;
  }
  if (
    words(['ransomware', 'malware', 'trojan', 'backdoor', 'webshell', 'coinminer', 'virus', '勒索', '病毒', '木马']) ||
    tech.has('t1486') ||
    tech.has('t1490') ||
    logCategories.includes('antivirus')
  ) {
    return 'malicious_program';
  }
  if (
    tags.includes('attack.exfiltration') ||
    tags.includes('attack.collection') ||
    [
      't1005',
      't1020',
      't1030',
      't1039',
      't1041',
      't1048',
      't1052',
      't1114',
      't1119',
      't1213',
      't1530',
      't1537',
      't1567',
      't1565',
      't1485',
    ].some((x) => tech.has(x)) ||
    words(['exfiltration', 'data leak', 'data_leak', 'bulk export', 'mass export', '泄露', '批量导出'])
  ) {
    return 'data_security';
  }
  if (tags.includes('tocsin.availability') || tags.includes('tocsin.outage') || logCategories.includes('probe'))
    return 'equipment_failure';
  if (tech.has('t1491')) return 'information_content';
  if (tags.includes('tocsin.violation') || tags.includes('tocsin.policy')) return 'rule_violation';
  if (
    tags.some((tag) => tag.startsWith('attack.') && ATTACK_TACTICS.has(tag.slice(7))) ||
    tech.has('t1498') ||
    tech.has('t1499') ||
    words([
      'brute force',
      'brute-force',
      'credential stuffing',
      'password spray',
      'ddos',
      'phishing',
      '撞库',
      '暴力破解',
      '钓鱼',
    ])
  ) {
    return 'network_attack';
  }
  return 'abnormal_behaviour';
}

/** Same rule + same entities (or, for a correlation, the same group-by values) = the same alert. */
export function fingerprintOf(ruleId: string, entities: Entities, group: Record<string, unknown> | undefined): string {
  const what =
    group && Object.keys(group).length > 0
      ? { group }
      : { accounts: [...entities.accounts].sort(), hosts: [...entities.hosts].sort(), ips: [...entities.ips].sort() };
  return createHash('sha256')
    .update(canonicalJson([ruleId, what]))
    .digest('hex')
    .slice(0, 40);
}

const MAX_KEYS = 10;

/**
 * Correlation keys: alerts of the same category that share a key within the grouping window go to
 * one incident. Keys are the category plus each key entity: for a correlation the entities of its
 * group-by values (else the raw values); otherwise its distinctive accounts and its IPs, or its
 * hosts when it names neither. An alert with none is keyed by its rule.
 */
export function correlationKeys(
  category: Category,
  ruleId: string,
  entities: Entities,
  group: { entities: Entities; raw: Record<string, unknown> } | undefined,
): string[] {
  const keyed = (e: Entities) => {
    const out = [...e.accounts.filter(isDistinctiveAccount).map((a) => `account:${a}`), ...e.ips.map((i) => `ip:${i}`)];
    return out.length ? out : e.hosts.map((h) => `host:${h}`);
  };
  let parts: string[] = [];
  if (group) {
    parts = keyed(group.entities);
    if (!parts.length)
      parts = Object.keys(group.raw)
        .sort()
        .map((k) => `group:${k}=${canonicalJson(group.raw[k])}`);
  } else {
    parts = keyed(entities);
  }
  if (!parts.length) parts = [`rule:${ruleId}`];
  return [...new Set(parts)].slice(0, MAX_KEYS).map((p) => `${category}|${p}`.slice(0, 500));
}
