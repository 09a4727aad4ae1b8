/**
 * `tocsin demo --scenario investigation` (issue 15's "Done when"): the credential-stuffing incident
 * investigated through the API as three demo people. 王磊 Wang Lei (responder, the investigator) preserves
 * the alerts' events and the gateway's packet capture with their hashes, reads the attack timeline,
 * extracts the IOCs and adds the attack technique; 陈杰 Chen Jie (commander) turns the IOCs into detection
 * and a new event from the attacker's address comes back as an alert in the incident; 周强 Zhou Qiang
 * (compliance) registers the police's request and answers it with a signed evidence package, checked here as
 * the police would (`tocsin evidence check-package`); Wang Lei writes the investigation report, Chen Jie
 * approves it as the second investigator and publishes its public summary on the status site (after the
 * plan's holding statement, with 赵敏 Zhao Min, when the incident has no public announcement yet).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkPackage } from '../modules/evidence/index.js';
import { ApiCallError } from './api-client.js';
import { gatewayCapture } from './demo-pcap.js';
import { DEMO_FIRM } from './demo-data.js';
import { call, pause, type ScenarioContext } from './scenario-api.js';

const d = DEMO_FIRM.domain;
/** Who does what (demo users, demo-data.ts). */
export const INVESTIGATION_PEOPLE = {
  /** 王磊 Wang Lei, responder: the investigator. */
  investigator: `wang.lei@${d}`,
  /** 陈杰 Chen Jie, incident commander: detection rules; the second investigator. */
  commander: `chen.jie@${d}`,
  /** 周强 Zhou Qiang, compliance: requests from the police and regulators, the evidence package. */
  compliance: `zhou.qiang@${d}`,
  /** 赵敏 Zhao Min, communications: the holding statement, when it is not public yet. */
  comms: `zhao.min@${d}`,
} as const;
export type InvestigationPerson = keyof typeof INVESTIGATION_PEOPLE;

/** The attacker of scenario-credential-stuffing.ts and the trading login gateway it hit. */
const ATTACKER = '203.0.113.77';
const GATEWAY = '10.20.0.15';

export interface InvestigationContext {
  baseUrl: string;
  /** read + write for each person; the investigator's also `events` (the replayed attacker event), the commander's `admin` (detection rules). */
  tokens: Record<InvestigationPerson, string>;
  log: (line: string) => void;
  /** The incident (default: the newest open credential-stuffing one). */
  incidentKey?: string;
}

interface Incident {
  key: string;
  title: string;
  tags: string[];
}
interface EvidenceItem {
  id: string;
  fileName: string;
  kind: string;
  bytes: number;
  sha256: string;
  md5: string;
  mediaType: string;
  hashMismatch: boolean;
}
interface AlertView {
  id: string;
  ruleTitle: string;
  incident: { key: string } | null;
}

export interface InvestigationResult {
  incidentKey: string;
  evidence: EvidenceItem[];
  timeline: { items: number; firstCompromise: string | null; detection: string | null };
  /** The entity graph: how many entities, and the relations of the attacker's address. */
  graph: { nodes: number; attackerRelations: string[] };
  iocs: { type: string; value: string }[];
  stix: { type: string; id: string; objects: { type: string }[] };
  detectionRules: string[];
  /** The alert the replayed attacker event raised through the IOC rules. */
  comeback: AlertView | null;
  requestId: string;
  /** The signed package handed to the police, and what check-package found. */
  package: { id: string; items: number; sha256: string; ok: boolean; problems: number; fingerprint: string | null };
  /** The report: approved by whom, and the public page its summary went to (with the summary's English). */
  report: { approvedBy: string | null; path: string | null; summaryEn: string };
}

const as = (ctx: InvestigationContext, who: InvestigationPerson): ScenarioContext => ({
  baseUrl: ctx.baseUrl,
  token: ctx.tokens[who],
  log: ctx.log,
});

async function findIncident(ctx: InvestigationContext): Promise<Incident> {
  const me = as(ctx, 'investigator');
  if (ctx.incidentKey) return call<Incident>(me, 'GET', `/api/v1/incidents/${encodeURIComponent(ctx.incidentKey)}`);
  const { items } = await call<{ items: Incident[] }>(me, 'GET', '/api/v1/incidents?status=active&limit=50');
  const found = items.find((i) => i.tags.includes('account-takeover') || /credential|撞库/i.test(i.title));
  if (!found)
    throw new Error(
      'no open credential-stuffing incident: run `tocsin demo --scenario credential-stuffing` first (or give --incident KEY)',
    );
  return found;
}

/** A multipart upload of one evidence file with its fields (the API streams it to the locker). */
async function uploadEvidence(
  ctx: ScenarioContext,
  key: string,
  fields: Record<string, string>,
  file: { name: string; bytes: Buffer },
): Promise<EvidenceItem> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
  const res = await fetch(new URL(`/api/v1/incidents/${encodeURIComponent(key)}/evidence`, ctx.baseUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.token}` },
    body: form,
  });
  if (res.status !== 201) throw new Error(`evidence upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as EvidenceItem;
}

export async function runInvestigation(ctx: InvestigationContext): Promise<InvestigationResult> {
  const { log } = ctx;
  const investigator = as(ctx, 'investigator');
  const commander = as(ctx, 'commander');
  const incident = await findIncident(ctx);
  const key = incident.key;
  const inc = `/api/v1/incidents/${encodeURIComponent(key)}`;
  const link = (p: string) => new URL(p, ctx.baseUrl).toString();
  log(`incident / 事件: ${key} ${incident.title}`);

  // 1. Evidence: every alert with its events, and the gateway's capture, hashed on arrival.
  const { items: alerts } = await call<{ items: AlertView[] }>(
    investigator,
    'GET',
    `/api/v1/alerts?incident=${encodeURIComponent(key)}&limit=50`,
  );
  const evidence: EvidenceItem[] = [];
  for (const a of alerts) {
    const item = await call<EvidenceItem>(investigator, 'POST', `${inc}/evidence/alerts/${encodeURIComponent(a.id)}`);
    evidence.push(item);
    log(`preserved / 已保全 alert "${a.ruleTitle}" with its events: sha256 ${item.sha256}`);
  }
  const pcap = gatewayCapture(ATTACKER, GATEWAY, Date.now() - 120_000);
  const captured = await uploadEvidence(
    investigator,
    key,
    {
      description: '交易登录网关抓包（攻击源地址） / capture at the trading login gateway, attacker address',
      sourceSystem: 'gw-login-01',
      acquisitionMethod: `tcpdump -i eth0 -w gw-login-01.pcap host ${ATTACKER}`,
      acquirerSha256: createHash('sha256').update(pcap).digest('hex'),
    },
    { name: 'gw-login-01.pcap', bytes: pcap },
  );
  evidence.push(captured);
  log(
    `preserved / 已保全 ${captured.fileName} (${captured.bytes} bytes): sha256 ${captured.sha256}, md5 ${captured.md5}`,
  );
  log(`  evidence locker / 证据库: ${link(`/incidents/${encodeURIComponent(key)}/evidence`)}`);

  // 2. The attack on one time axis.
  const tl = await call<{
    items: unknown[];
    marks: { firstCompromise: string | null; detection: string | null };
  }>(investigator, 'GET', `${inc}/attack-timeline?entity=${encodeURIComponent(ATTACKER)}`);
  log(
    `attack timeline / 攻击时间线 for ${ATTACKER}: ${tl.items.length} items; first compromise ${tl.marks.firstCompromise}, detected ${tl.marks.detection}`,
  );

  // The entity graph: the attacker's address linked to the accounts it logged in to and its devices.
  const graph = await call<{
    nodes: { id: string; type: string; value: string }[];
    edges: { source: string; target: string; relation: string }[];
  }>(investigator, 'GET', `${inc}/graph`);
  const attackerNode = graph.nodes.find((n) => n.type === 'ip' && n.value === ATTACKER);
  const linked = attackerNode
    ? graph.edges.filter((e) => e.source === attackerNode.id || e.target === attackerNode.id)
    : [];
  log(
    `entity graph / 实体关系图: ${graph.nodes.length} entities, ${graph.edges.length} links; ${ATTACKER} has ${linked.length} links (${link(`/incidents/${encodeURIComponent(key)}/graph`)})`,
  );

  // 3. IOCs out (STIX 2.1) and the technique.
  await call(investigator, 'POST', `${inc}/iocs/extract`);
  const added = await call<{ id: string }>(investigator, 'POST', `${inc}/iocs`, {
    type: 'ipv4',
    value: ATTACKER,
    confidence: 90,
    tlp: 'green',
    description: 'Credential-stuffing source (residential proxy)',
  }).catch(() => null);
  if (added) log(`IOC ${ATTACKER} entered / 已录入`);
  const { items: iocs } = await call<{ items: { type: string; value: string }[] }>(investigator, 'GET', `${inc}/iocs`);
  const byType = new Map<string, number>();
  for (const i of iocs) byType.set(i.type, (byType.get(i.type) ?? 0) + 1);
  log(
    `IOCs / 入侵指标: ${[...byType].map(([type, n]) => `${n} ${type}`).join(', ')} (the attacker ${ATTACKER} among them)`,
  );
  const stix = await call<InvestigationResult['stix']>(investigator, 'GET', `${inc}/stix`);
  log(`STIX 2.1 bundle / STIX 2.1 数据包: ${stix.objects.length} objects (${link(`${inc}/stix`)})`);
  await call(investigator, 'POST', `${inc}/attack`, {
    techniqueId: 'T1078',
    note: '撞库得手后以合法账户登录 / valid accounts used after the stuffing succeeded',
  }).catch(() => undefined);

  // 4. IOCs back into detection: the attacker comes back, the alert lands in the incident.
  const rules = await call<{ rules: { id: string; title: string }[] }>(commander, 'POST', `${inc}/iocs/detection`, {
    types: ['ipv4', 'ipv6', 'domain', 'url', 'sha256', 'sha1', 'md5'],
  });
  for (const r of rules.rules) log(`detection rule / 检测规则: ${r.title}`);
  // The engine is rebuilt off the request: wait until the new rules are live.
  for (let tries = 0; tries < 100; tries++) {
    const st = await call<{ pending: boolean }>(commander, 'GET', '/api/v1/rules/errors');
    if (!st.pending) break;
    await pause(100);
  }
  const runId = `inv-${Date.now().toString(36)}`;
  await call(investigator, 'POST', '/api/v1/events', [
    {
      id: `${runId}-1`,
      '@timestamp': new Date().toISOString(),
      logsource: { product: 'proxy' },
      'c-ip': ATTACKER,
      'cs-uri-stem': '/api/login',
      'sc-status': 401,
    },
  ]);
  let comeback: AlertView | null = null;
  const ruleIds = new Set(rules.rules.map((r) => r.id));
  for (let tries = 0; tries < 100 && !comeback; tries++) {
    await pause(200);
    const { items } = await call<{ items: (AlertView & { ruleId: string })[] }>(
      investigator,
      'GET',
      `/api/v1/alerts?incident=${encodeURIComponent(key)}&limit=50`,
    );
    comeback = items.find((a) => ruleIds.has(a.ruleId)) ?? null;
  }
  log(
    comeback
      ? `the attacker came back / 攻击源再次出现: alert "${comeback.ruleTitle}" -> ${comeback.incident?.key}`
      : 'no alert from the IOC rules yet (the engine may still be rebuilding)',
  );

  // 5. The police ask for the evidence.
  const request = await call<{ id: string }>(as(ctx, 'compliance'), 'POST', '/api/v1/investigation-requests', {
    incidentKey: key,
    requesterKind: 'police',
    requesterName: '上海市公安局浦东分局网安支队 / Pudong public security bureau, cyber unit',
    reference: '沪公（浦）网安调字〔2026〕118号',
    requested:
      '受害账户登录日志、攻击源地址相关网络抓包及其哈希值 / login logs of the victims, the capture of the attacker address, with hashes',
    receivedAt: new Date().toISOString(),
    deadlineAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
  });
  log(`police request registered / 已登记公安调取请求: ${link('/investigation-requests')}`);

  // 6. Answered with a signed package, checked as the police would.
  const compliance = as(ctx, 'compliance');
  const pkg = await call<{ id: string; itemCount: number; sha256: string; bytes: number }>(
    compliance,
    'POST',
    `${inc}/evidence/packages`,
    {
      itemIds: evidence.map((e) => e.id),
      recipient: '上海市公安局浦东分局网安支队 / Pudong public security bureau, cyber unit',
      requestId: request.id,
      purpose: '依调取证据通知书提供 / provided under the notice to produce evidence',
    },
  );
  const zip = await fetch(new URL(`/api/v1/evidence-packages/${encodeURIComponent(pkg.id)}/content`, ctx.baseUrl), {
    headers: { authorization: `Bearer ${compliance.token}` },
  });
  if (!zip.ok) throw new Error(`package download: ${zip.status} ${await zip.text()}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'tocsin-package-'));
  let checked: Awaited<ReturnType<typeof checkPackage>>;
  try {
    const file = path.join(dir, `${pkg.id}.zip`);
    await writeFile(file, Buffer.from(await zip.arrayBuffer()));
    const keyPem = await call<{ publicKeyPem: string; fingerprint: string }>(compliance, 'GET', '/api/v1/signing-key');
    checked = await checkPackage(file, { publicKeyPem: keyPem.publicKeyPem }, (p) =>
      log(`  package problem: ${JSON.stringify(p)}`),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  log(
    `signed evidence package / 已签名证据包 ${pkg.id}: ${pkg.itemCount} items, sha256 ${pkg.sha256}; check-package: ${checked.ok ? 'OK' : 'FAILED'} (key ${checked.fingerprint})`,
  );
  await call(compliance, 'POST', `/api/v1/investigation-requests/${encodeURIComponent(request.id)}/answer`, {
    handedOver: [{ kind: 'document', description: '证据移交清单（签字） / signed hand-over list' }],
  });

  // 7. The report: written, approved by a second investigator, its summary published.
  const reportPath = `${inc}/investigation-report`;
  const summaryEn = `On ${new Date().toISOString().slice(0, 10)} an automated credential-stuffing attack from one proxy address tried customer passwords leaked elsewhere against our trading login; 3 logins succeeded. No funds left the accounts. The address is blocked, the accounts are locked and their owners informed; we have added device checks to the login.`;
  await call(investigator, 'PUT', reportPath, {
    sections: {
      summary: `Credential stuffing from **${ATTACKER}** against the online-trading login: 400 failed and 3 successful logins on 150 accounts within a minute.`,
      scope: 'The trading login gateway, the 150 accounts tried, the 60 minutes around the attack.',
      method: `Login events of the trading front end (Tocsin's account-activity index), the alerts' events preserved with SHA-256, a packet capture at gw-login-01 (tcpdump), Tocsin's attack timeline and entity graph; IOCs shared as STIX 2.1.`,
      rootCause:
        'Passwords reused from breaches elsewhere; the login had no device binding or rate limit per source address.',
      impact: '3 accounts signed in by the attacker; account data viewed, no order or transfer made.',
      recommendations:
        '- Rate-limit logins per address and device\n- Bind new devices by SMS code\n- Watch the IOC rules for a return',
    },
    publicSummary: {
      zh: '经调查：攻击者利用在其他网站泄露的密码，从单一代理地址对我司交易登录进行自动化撞库，3 个账户被登录，资金未受损失。该地址已封禁，相关账户已冻结并通知客户本人；我们已为登录增加设备校验。',
      en: summaryEn,
    },
  });
  await call(investigator, 'POST', `${reportPath}/submit`);
  const approved = await call<{ approved: { by: { name: string } | null } | null }>(
    commander,
    'POST',
    `${reportPath}/approve`,
  );
  log(`investigation report approved / 调查报告已批准 by ${approved.approved?.by?.name ?? '?'}`);
  const publish = () => call<{ published: { path: string } | null }>(commander, 'POST', `${reportPath}/publish`);
  let published: { published: { path: string } | null };
  try {
    published = await publish();
  } catch (err) {
    if (!(err instanceof ApiCallError && err.status === 409)) throw err;
    await publishHolding(ctx, key);
    published = await publish();
  }
  const publicPath = published.published?.path ?? null;
  log(`investigation findings published / 调查结论已公布: ${publicPath ? link(publicPath) : '(not published)'}`);

  return {
    incidentKey: key,
    evidence,
    timeline: { items: tl.items.length, firstCompromise: tl.marks.firstCompromise, detection: tl.marks.detection },
    graph: { nodes: graph.nodes.length, attackerRelations: [...new Set(linked.map((e) => e.relation))].sort() },
    iocs,
    stix,
    detectionRules: rules.rules.map((r) => r.id),
    comeback,
    requestId: request.id,
    package: {
      id: pkg.id,
      items: pkg.itemCount,
      sha256: pkg.sha256,
      ok: checked.ok,
      problems: checked.problems,
      fingerprint: checked.fingerprint,
    },
    report: { approvedBy: approved.approved?.by?.name ?? null, path: publicPath, summaryEn },
  };
}

/**
 * The incident's public announcement opened the way it is meant to be: the plan's holding statement
 * (drafted when the account-takeover plan started), approved at once by the commander and the
 * communications lead and published — before the findings can go on it.
 */
async function publishHolding(ctx: InvestigationContext, key: string): Promise<void> {
  const comms = as(ctx, 'comms');
  const commander = as(ctx, 'commander');
  const { items } = await call<{ items: { id: string; kind: string; state: string }[] }>(
    comms,
    'GET',
    `/api/v1/incidents/${encodeURIComponent(key)}/statements?limit=50`,
  );
  const holding = items.find((x) => x.kind === 'holding_statement' && x.state === 'draft');
  if (!holding)
    throw new Error(
      `${key} has no public announcement and no draft holding statement to open one: publish a statement first`,
    );
  await call(commander, 'POST', `/api/v1/statements/${holding.id}/emergency-approve`, { comment: '事实已核实' });
  await call(comms, 'POST', `/api/v1/statements/${holding.id}/emergency-approve`, { comment: 'OK to go' });
  await call(comms, 'POST', `/api/v1/statements/${holding.id}/publish`, {
    emergency: true,
    reason: 'The incident was not public yet; the findings follow',
  });
  ctx.log(`holding statement published / 已发布初步声明 (the announcement the findings go on)`);
}
