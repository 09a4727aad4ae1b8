// Derives the compact ATT&CK catalogue Tocsin ships (attack/enterprise-<version>.json) from MITRE's
// enterprise STIX bundle: techniques and sub-techniques that are neither revoked nor deprecated (id,
// name, tactics, platforms, url) and the tactics in the matrix's order, with zh-CN names of the tactics.
//
//   node scripts/attack-catalog.mjs /path/to/enterprise-attack-18.1-core.json [18.1]
//
// The licence (LICENSE.txt, beside the bundle) is copied next to the output.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The names the Chinese security community uses for the 14 enterprise tactics. */
const TACTIC_ZH = {
  reconnaissance: '侦察',
  'resource-development': '资源开发',
  'initial-access': '初始访问',
  execution: '执行',
  persistence: '持久化',
  'privilege-escalation': '权限提升',
  'defense-evasion': '防御规避',
  'credential-access': '凭证访问',
  discovery: '发现',
  'lateral-movement': '横向移动',
  collection: '收集',
  'command-and-control': '命令与控制',
  exfiltration: '数据渗出',
  impact: '影响',
};

const [, , source, version = '18.1'] = process.argv;
if (!source) {
  console.error('usage: node scripts/attack-catalog.mjs BUNDLE.json [VERSION]');
  process.exit(2);
}
const bundle = JSON.parse(fs.readFileSync(source, 'utf8'));
const attackRef = (o) => o.external_references?.find((r) => r.source_name === 'mitre-attack');
const live = (o) => !o.revoked && !o.x_mitre_deprecated;

const tacticsById = new Map(bundle.objects.filter((o) => o.type === 'x-mitre-tactic').map((o) => [o.id, o]));
const matrix = bundle.objects.find((o) => o.type === 'x-mitre-matrix');
const tactics = matrix.tactic_refs.map((ref, order) => {
  const t = tacticsById.get(ref);
  const ext = attackRef(t);
  const zh = TACTIC_ZH[t.x_mitre_shortname];
  if (!zh) throw new Error(`no zh-CN name for tactic ${t.x_mitre_shortname}`);
  return { id: ext.external_id, shortname: t.x_mitre_shortname, name: t.name, nameZh: zh, order, url: ext.url };
});

const techniques = bundle.objects
  .filter((o) => o.type === 'attack-pattern' && live(o))
  .map((o) => {
    const ext = attackRef(o);
    return {
      id: ext.external_id,
      name: o.name,
      tactics: (o.kill_chain_phases ?? []).filter((k) => k.kill_chain_name === 'mitre-attack').map((k) => k.phase_name),
      platforms: o.x_mitre_platforms ?? [],
      url: ext.url,
    };
  })
  .filter((t) => /^T\d{4}(\.\d{3})?$/.test(t.id))
  .sort((a, b) => a.id.localeCompare(b.id));

const out = {
  source: `MITRE ATT&CK Enterprise v${version} (STIX bundle ${path.basename(source)})`,
  domain: 'enterprise-attack',
  version,
  tactics,
  techniques,
};
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'attack');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `enterprise-${version}.json`);
fs.writeFileSync(file, `${JSON.stringify(out, null, 1)}\n`);
const licence = path.join(path.dirname(source), 'LICENSE.txt');
if (fs.existsSync(licence)) {
  const copy = path.join(dir, 'LICENSE.txt');
  fs.rmSync(copy, { force: true });
  fs.copyFileSync(licence, copy);
  fs.chmodSync(copy, 0o644);
}
console.log(`${file}: ${tactics.length} tactics, ${techniques.length} techniques`);
