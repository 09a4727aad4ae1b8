/**
 * IOCs back into detection (issue 15, docs/iocs.md "Detection"): an incident's IOCs as a Sigma rule set
 * the engine runs on every event. One rule per family (addresses and domains, URLs, file hashes, e-mail
 * addresses and accounts), each tagged `tocsin.incident.<key>` so that intake puts its alerts into that
 * incident while it is open (alert/intake-grouping.ts). Pure: the YAML from the IOCs; the service uploads it.
 */
import { v5 as uuidv5 } from 'uuid';
import { stringify } from 'yaml';
import type { IocType } from '../../../shared/ioc-schemas.js';
import { ACCOUNT_FIELDS, IP_FIELDS } from '../../../shared/event-fields.js';
import { incidentTag } from '../alert/index.js';

/** Where events name a DNS name (Sysmon DNS and network, Zeek, ECS, proxies, TLS). */
export const DOMAIN_FIELDS = [
  'QueryName',
  'DestinationHostname',
  'domain',
  'fqdn',
  'query',
  'qname',
  'server_name',
  'sni',
  'dns.question.name',
  'url.domain',
  'destination.domain',
  'tls.client.server_name',
  'cs-host',
];
/** Where events name an e-mail address beside the account fields. */
const EMAIL_FIELDS = ['email', 'mail', 'sender', 'from', 'recipient', 'to', 'user.email', 'source.user.email'];

/** The families, one rule each. */
export const IOC_RULE_FAMILIES = ['network', 'url', 'file', 'identity'] as const;
export type IocRuleFamily = (typeof IOC_RULE_FAMILIES)[number];
export const FAMILY_OF: Record<IocType, IocRuleFamily> = {
  ipv4: 'network',
  ipv6: 'network',
  domain: 'network',
  url: 'url',
  sha256: 'file',
  sha1: 'file',
  md5: 'file',
  email: 'identity',
  account: 'identity',
};
const TITLES: Record<IocRuleFamily, [en: string, zh: string]> = {
  network: ['addresses and domains', '地址与域名'],
  url: ['URLs', '网址'],
  file: ['file hashes', '文件哈希'],
  identity: ['e-mail addresses and accounts', '邮箱与账户'],
};

/** Tocsin's namespace for the ids of generated rules (stable: a new generation replaces the old rules). */
const NAMESPACE = '5b0f9a52-8f0e-4c2e-9a4e-3c1b7d0f6a21';
export const iocRuleId = (incidentId: string, family: IocRuleFamily): string =>
  uuidv5(`ioc-rule:${incidentId}:${family}`, NAMESPACE);

/** A Sigma string matching `v` literally: wildcards and the escape character escaped. */
export const sigmaLiteral = (v: string): string => v.replace(/[\\*?]/g, (c) => `\\${c}`);

export interface IocForRule {
  type: IocType;
  value: string;
}

export interface IocRuleDoc {
  id: string;
  family: IocRuleFamily;
  values: number;
  yaml: string;
}

const anyOf = (fields: string[], values: string[], modifier = '') =>
  fields.map((f) => ({ [`${f}${modifier}`]: values.map(sigmaLiteral) }));

function detectionOf(family: IocRuleFamily, iocs: IocForRule[]): Record<string, unknown> {
  const of = (...types: IocType[]) => iocs.filter((i) => types.includes(i.type)).map((i) => i.value);
  switch (family) {
    case 'network': {
      const ips = of('ipv4', 'ipv6');
      const domains = of('domain');
      const d: Record<string, unknown> = {};
      if (ips.length) d.address = anyOf(IP_FIELDS, ips);
      if (domains.length) {
        d.domain = anyOf(DOMAIN_FIELDS, domains);
        d.subdomain = anyOf(
          DOMAIN_FIELDS,
          domains.map((x) => `.${x}`),
          '|endswith',
        );
      }
      const names = Object.keys(d);
      return { ...d, condition: names.length > 1 ? '1 of them' : names[0] };
    }
    case 'url':
      // URLs and hashes are specific enough to be looked for in any field (keywords: anywhere in a value).
      return { url: of('url').map((v) => `*${sigmaLiteral(v)}*`), condition: 'url' };
    case 'file':
      return { hash: of('sha256', 'sha1', 'md5').map((v) => `*${sigmaLiteral(v)}*`), condition: 'hash' };
    case 'identity': {
      const emails = of('email');
      const accounts = of('account');
      const d: Record<string, unknown> = {};
      if (emails.length) d.email = anyOf([...ACCOUNT_FIELDS, ...EMAIL_FIELDS], emails);
      // Trading cores' account ids are case-sensitive: compared as written.
      if (accounts.length) d.account = anyOf(ACCOUNT_FIELDS, accounts, '|cased');
      const names = Object.keys(d);
      return { ...d, condition: names.length > 1 ? '1 of them' : names[0] };
    }
  }
}

/**
 * The Sigma rules of an incident's IOCs: one document per family that has values, any log source
 * (`logsource: {}`), level `high`, tagged with the incident. Empty when there is nothing to match.
 */
export function iocRules(
  incident: { id: string; key: string; title: string },
  iocs: IocForRule[],
  level: 'medium' | 'high' | 'critical' = 'high',
): IocRuleDoc[] {
  const out: IocRuleDoc[] = [];
  for (const family of IOC_RULE_FAMILIES) {
    const mine = iocs.filter((i) => FAMILY_OF[i.type] === family);
    if (!mine.length) continue;
    const [en, zh] = TITLES[family];
    const id = iocRuleId(incident.id, family);
    const doc = {
      title: `IOC match (${en}) of ${incident.key}`,
      id,
      status: 'experimental',
      description: `${incident.key} 入侵指标命中（${zh}） — Events naming an indicator of compromise of ${incident.key} (${incident.title.slice(0, 200)}); generated by Tocsin from ${mine.length} IOC(s).`,
      author: 'Tocsin',
      tags: [incidentTag(incident.key), 'tocsin.ioc'],
      logsource: {},
      detection: detectionOf(family, mine),
      level,
    };
    out.push({ id, family, values: mine.length, yaml: stringify(doc, { lineWidth: 0 }) });
  }
  return out;
}
