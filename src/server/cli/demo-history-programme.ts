/**
 * The security programme of the demo firm's year (demo-history.ts), through the real services at past
 * times: a scan of the estate every two months imported as CSV (a rescan closes what was fixed; what
 * stays open past its severity's SLA shows as a breach), a tabletop drill per quarter scored against the
 * CAC and CSRC clocks, the required courses with training records imported from CSV (a few people
 * lapsed), a phishing simulation, and the risk register the year's incidents fed, with treatments.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Services } from '../compose.js';
import { actorOf } from '../modules/auth/index.js';
import { COURSES } from './demo-history-data.js';
import { DAY, type HistoryCast, HOUR, MIN, type PastIncident, type Prng } from './demo-history-kit.js';
import type { HistoryCounts } from './demo-history-kit.js';
import { loadHistoryCustomers } from './demo-history-customers.js';

type At = (ms: number) => void;

export async function loadHistoryProgramme(
  s: Services,
  clock: { set: (ms: number) => void },
  cast: HistoryCast,
  r: Prng,
  past: PastIncident[],
  now: number,
  counts: HistoryCounts,
): Promise<void> {
  const at: At = (ms) => clock.set(Math.round(Math.min(ms, now - MIN)));
  Object.assign(counts, await loadHistoryCustomers(s, at, cast, r, past, now));
  Object.assign(counts, await scans(s, at, cast, r, now));
  counts.drills = await drills(s, at, cast, r, now);
  Object.assign(counts, await training(s, at, cast, r, now));
  counts.risks = await risks(s, at, cast, past, now);
}

/** Findings of the estate's scans: [asset, title, CVSS vector, first scan, last scan it is seen in (null: still)]. */
const FINDINGS: [string, string, string, number, number | null][] = [
  ['trade-gw-01', 'Apache Struts RCE (CVE-2023-50164)', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 0, 0],
  ['trade-gw-02', 'OpenSSH regreSSHion (CVE-2024-6387)', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 0, 1],
  ['app-api-01', 'Outdated TLS 1.0 enabled', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N', 0, 2],
  ['quote-srv-01', 'Redis without authentication', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 1, 1],
  ['bank-link-01', 'Weak SSH ciphers', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N', 1, null],
  ['kyc-web-01', 'jQuery XSS (CVE-2020-11023)', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:L/I:L/A:N', 2, 3],
  ['clearing-db-01', 'Oracle DB default account', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N', 2, null],
  ['trade-gw-01', 'Log4j JNDI lookup (CVE-2021-44228)', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 3, 3],
  ['app-api-02', 'Spring4Shell (CVE-2022-22965)', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 4, null],
  ['office-fs-01', 'SMBv1 enabled', 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 4, null],
  ['quote-srv-02', 'Nginx version disclosure', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 4, 5],
  ['mobile-cdn-01', 'HSTS header missing', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 5, null],
  ['kyc-web-02', 'Expired TLS certificate', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N', 5, null],
];

/** Six scans, two months apart, the last a fortnight ago; the CSV file of each, imported as a responder. */
async function scans(s: Services, at: At, cast: HistoryCast, r: Prng, now: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-demo-scan-'));
  try {
    for (let scan = 0; scan < 6; scan++) {
      at(now - (14 + (5 - scan) * 61) * DAY + r.between(1, 8) * HOUR);
      const rows = FINDINGS.filter(([, , , first, last]) => first <= scan && (last === null || last >= scan));
      const csv = [
        'asset,title,cvss_vector,finding_key,port',
        ...rows.map(([asset, title, vector]) => `${asset},"${title}",${vector},${title.replace(/\W+/g, '-')},443`),
      ].join('\n');
      const file = path.join(dir, `scan-${scan}.csv`);
      fs.writeFileSync(file, `${csv}\n`);
      await s.vulnerabilities.importFile(actorOf(cast.responders[0]!), {
        format: 'csv',
        scanner: 'quarterly-scan',
        scope: 'estate',
        fileName: `estate-scan-${scan + 1}.csv`,
        path: file,
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  at(now - 2 * DAY);
  const open = await s.vulnerabilities.findings.list(cast.admin, { sort: 'severity', limit: 500, offset: 0 });
  const pastSla = open.items.filter((f) => f.pastSla);
  // The SMB finding is being fixed; the default Oracle account is accepted for the quarter.
  for (const f of open.items) {
    if (f.title.startsWith('SMBv1') && f.status === 'open')
      await s.vulnerabilities.findings.transition(cast.responders[0]!, f.id, {
        to: 'in_remediation',
        reason: 'Change CHG-2291 scheduled / 变更已排期',
      });
  }
  return {
    vulnerabilities: open.items.length,
    vulnerabilitiesPastSla: pastSla.length,
  };
}

/**
 * A tabletop drill per quarter on a drill incident (grade II, so the CAC and CSRC clocks run): the team
 * acknowledges and contains, compliance drafts the CAC and CSRC reports — faster each quarter — and the
 * facilitator ends it; the drill incident is then closed.
 */
async function drills(s: Services, at: At, cast: HistoryCast, r: Prng, now: number): Promise<number> {
  const scenarios = [
    { title: '勒索软件加密清算服务器 Ransomware on the clearing servers', category: 'malicious_program' as const },
    { title: '客户数据泄露 Customer data leak', category: 'data_security' as const },
    { title: '交易系统 DDoS DDoS on trading', category: 'network_attack' as const },
    { title: '行情供应商中断 Market-data vendor outage', category: 'equipment_failure' as const },
  ];
  let done = 0;
  for (let q = 0; q < 4; q++) {
    const sc = scenarios[q]!;
    const start = now - (320 - q * 90) * DAY + 2 * HOUR;
    const quick = 1 - q * 0.2;
    at(start - 7 * DAY);
    const drill = await s.drills.create(cast.commander, {
      title: sc.title,
      kind: 'tabletop',
      scenario: {
        zh: `季度桌面演练：${sc.title.split(' ')[0]}。`,
        en: `Quarterly tabletop exercise: ${sc.title.split(' ').slice(1).join(' ')}.`,
      },
      scheduledAt: new Date(start).toISOString(),
      participants: cast.all.slice(0, 7).map((x) => x.user.id),
      grade: 'II',
      category: sc.category,
      useScript: false,
      injects: [
        {
          offsetMinutes: 10,
          title: { zh: '微博出现客户资金被盗传言', en: 'Weibo posts claim client funds were stolen' },
          text: { zh: '多位用户称账户资金异常。', en: 'Several users say their balances look wrong.' },
          channel: 'weibo',
        },
      ],
    } as never);
    at(start);
    const running = await s.drills.start(cast.commander, drill.id);
    const key = running.incidentKey!;
    await s.drills.release(cast.commander, drill.id, running.injects[0]!.id);
    at(start + r.between(3, 8) * quick * MIN);
    await s.incidents.transition(cast.commander, key, 'acknowledged', 'Drill: on it / 演练：已确认');
    // The regulator reports' drafts (the CSRC's within 30 minutes, the CAC's within 4 hours of a grade II):
    // both late in the first quarter, the CSRC's late in the second, both in time after.
    const csrcMin = [45, 36, 22, 12][q]! + r.between(0, 3);
    const cacMin = [250, 120, 60, 30][q]! + r.between(0, 10);
    for (const [minutes, obligation] of [
      [csrcMin, 'csrc-emergency'],
      [cacMin, 'cac-report'],
    ] as const) {
      at(start + minutes * MIN);
      await s.reports.create(cast.compliance, key, { obligation, stage: 'initial' });
    }
    at(start + Math.max(cacMin + 5, r.between(60, 140) * quick) * MIN);
    await s.incidents.transition(cast.commander, key, 'contained', 'Drill: contained / 演练：已控制');
    at(start + cacMin * MIN + 3 * HOUR);
    await s.drills.update(cast.commander, drill.id, {
      notes:
        'After-action: the CAC draft took longest; templates pre-filled next time. 复盘：网信办报告草稿耗时最长，下次预填模板。',
    });
    await s.drills.end(cast.commander, drill.id);
    // The after-action's item (source `drill`): done before the next quarter's drill, the last one still open.
    const item = await s.actionItems.create(cast.commander, {
      title: '预填监管报告模板 Pre-fill the regulator report templates',
      description: `After-action of the drill "${sc.title}".`,
      ownerId: cast.compliance.user.id,
      dueAt: new Date(start + 45 * DAY).toISOString(),
      priority: 'p2',
      source: { kind: 'drill', id: drill.id },
    });
    if (q < 3) {
      at(start + r.between(20, 40) * DAY);
      await s.actionItems.transition(cast.compliance, item.id, { to: 'done' });
      at(start + cacMin * MIN + 3 * HOUR);
    }
    await s.incidents.transition(cast.commander, key, 'recovered', 'Drill ended / 演练结束');
    at(start + cacMin * MIN + 3 * HOUR + 10 * MIN);
    await s.incidents.transition(cast.commander, key, 'closed', 'Drill closed / 演练关闭');
    done++;
  }
  return done;
}

/** Staff of the firm beyond the console's users (training records name them by e-mail and employee id). */
const STAFF = [
  ['gao.fei', '高飞', '信息技术部'],
  ['ma.lin', '马琳', '信息技术部'],
  ['he.ping', '何平', '运营管理部'],
  ['luo.xin', '罗欣', '运营管理部'],
  ['xu.tao', '徐涛', '经纪业务部'],
  ['lin.yan', '林燕', '经纪业务部'],
  ['tang.jun', '唐俊', '合规部'],
  ['feng.yi', '冯怡', '客户服务中心'],
] as const;

/** The required courses, the year's completions (two people lapsed), and a phishing simulation. */
async function training(s: Services, at: At, cast: HistoryCast, r: Prng, now: number) {
  at(now - 360 * DAY);
  await s.training.coverage.setRequired(cast.admin, {
    items: [
      { courseCode: COURSES[0]!.code, courseName: COURSES[0]!.name, periodMonths: 12, oncall: false },
      { courseCode: COURSES[1]!.code, courseName: COURSES[1]!.name, periodMonths: 12, oncall: false },
    ],
  });
  const people = [
    ...cast.all.map((p) => [p.user.email, p.user.name, departmentOf(p.user.role)] as const),
    ...STAFF.map(([id, name, dept]) => [`${id}@donghai-sec.example`, name, dept] as const),
  ];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const lines = ['email,name,department,course_code,course_name,completed_on,score'];
  people.forEach(([email, name, dept], i) => {
    for (const [c, course] of COURSES.entries()) {
      if (c === 2 && i % 3) continue;
      // Two people did the awareness course thirteen months ago and not since: lapsed.
      const lapsed = c === 1 && (i === 4 || i === 13);
      const done = lapsed ? now - 395 * DAY : now - r.int(20, 330) * DAY;
      lines.push(`${email},${name},${dept},${course.code},${course.name},${day(done)},${r.int(72, 100)}`);
    }
  });
  at(now - 3 * DAY);
  const records = await s.training.records.importAs(
    actorOf(cast.admin),
    'records',
    Buffer.from(`${lines.join('\n')}\n`),
  );
  const phishing = ['campaign,email,name,department,sent,clicked,reported'];
  people.forEach(([email, name, dept], i) => {
    const clicked = i % 5 === 2;
    phishing.push(`2026 Q3 钓鱼演练,${email},${name},${dept},1,${clicked ? 1 : 0},${!clicked && i % 2 ? 1 : 0}`);
  });
  at(now - 40 * DAY);
  const sim = await s.training.records.importAs(
    actorOf(cast.admin),
    'phishing',
    Buffer.from(`${phishing.join('\n')}\n`),
  );
  return { trainingRecords: records.added + records.updated, phishingResults: sim.added + sim.updated };
}

function departmentOf(role: string): string {
  return (
    (
      {
        incident_commander: '信息技术部',
        responder: '信息技术部',
        communications: '品牌与公共关系部',
        customer_service: '客户服务中心',
        compliance: '合规部',
        executive: '总经理办公室',
        auditor: '稽核审计部',
      } as Record<string, string>
    )[role] ?? '信息技术部'
  );
}

/**
 * The risk register: four risks the year's incidents and scans showed, each linked to its incidents and
 * treated by action items (source and treats `risk`), one treatment done, the others due.
 */
async function risks(s: Services, at: At, cast: HistoryCast, past: PastIncident[], now: number): Promise<number> {
  const keysOf = (pred: (p: PastIncident) => boolean) =>
    past
      .filter(pred)
      .slice(-5)
      .map((p) => p.key);
  const list = [
    {
      title: '行情供应商单点依赖 Single market-data vendor',
      category: 'third_party' as const,
      likelihood: 4,
      impact: 4,
      incidents: keysOf((p) => p.kind.services.includes('market-data')),
      treatment: '引入第二行情供应商 Contract a second quote vendor',
    },
    {
      title: '网上交易账户被撞库 Account takeover on web trading',
      category: 'cyber' as const,
      likelihood: 4,
      impact: 3,
      incidents: keysOf((p) => p.kind.category === 'network_attack'),
      treatment: '登录双因素认证推广 Roll out two-factor sign-in',
    },
    {
      title: '客户信息内部泄露 Insider leak of customer data',
      category: 'compliance' as const,
      likelihood: 2,
      impact: 5,
      incidents: keysOf((p) => p.kind.category === 'data_security'),
      treatment: '数据外发审批与 DLP Approval and DLP on outbound data',
    },
    {
      title: '互联网暴露面高危漏洞 Critical flaws on exposed hosts',
      category: 'technology' as const,
      likelihood: 3,
      impact: 4,
      incidents: keysOf((p) => p.kind.category === 'security_hazard'),
      treatment: '外网资产每月扫描 Monthly scans of exposed hosts',
    },
  ];
  at(now - 150 * DAY);
  let n = 0;
  for (const [i, x] of list.entries()) {
    const risk = await s.risks.create(cast.commander, {
      title: x.title,
      description: '',
      category: x.category,
      likelihood: x.likelihood,
      impact: x.impact,
      ownerId: cast.commander.user.id,
      status: 'treating',
      reviewOn: null,
      incidentKeys: x.incidents,
      vulnerabilityIds: [],
      residualLikelihood: Math.max(1, x.likelihood - 2),
      residualImpact: x.impact,
    });
    const item = await s.actionItems.create(cast.commander, {
      title: x.treatment,
      description: `Treats ${risk.key}.`,
      ownerId: cast.responders[i % 2]!.user.id,
      dueAt: new Date(now + (i === 0 ? -30 : i * 30) * DAY).toISOString(),
      priority: 'p2',
      source: { kind: 'risk', id: risk.id },
      treats: { kind: 'risk', id: risk.id },
    });
    if (i === 0) {
      at(now - 40 * DAY);
      await s.actionItems.transition(cast.responders[0]!, item.id, { to: 'done' });
      at(now - 150 * DAY);
    }
    n++;
  }
  return n;
}
