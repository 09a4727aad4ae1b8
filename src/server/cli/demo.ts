/** `tocsin demo`: fills an empty store with the fictional firm, its staff and a few incidents. */
import type { Services } from '../compose.js';
import type { Principal } from '../modules/auth/index.js';
import { randomToken } from '../platform/crypto.js';
import { relaxedWhile } from '../platform/db/relaxed-scope.js';
import { CliError } from './context.js';
import { DEMO_FIRM, DEMO_INCIDENTS, DEMO_SERVICES, DEMO_USERS } from './demo-data.js';
import { type DemoCustomers, loadDemoCustomers, printDemoCustomers } from './demo-customers.js';
import { loadDemoResponse, type DemoResponse } from './demo-response.js';
import { loadDemoStatus } from './demo-status.js';
import { type DemoHistory, type HistoryCast, loadDemoHistory, printDemoHistory } from './demo-history.js';

export interface DemoResult {
  services: { key: string; nameZh: string; nameEn: string }[];
  users: { email: string; name: string; role: string }[];
  password: string;
  incidents: { key: string; grade: string; status: string; title: string; restricted: boolean }[];
  /** Probes of Tocsin's own endpoints, standing in for the firm's (the Services page shows them live). */
  probes: { service: string; name: string; target: string }[];
  /** Connectors to `tocsin sandbox`, on-call, the bundled plans active. */
  response: DemoResponse;
  /** The public status site: services shown, the past announcements' slugs. */
  status: { url: string; components: number; announcements: string[] };
  /** Customers behind the scenario's accounts, owner pools per branch (issue 12). */
  customers: DemoCustomers;
  /** The year before today (issue 16), when loaded with `history: true`. */
  history: DemoHistory | null;
}

/** A clock the demo moves so that history lands at plausible past times. */
export function settableClock(start = Date.now()) {
  let t = start;
  return {
    now: () => t,
    set: (ms: number) => {
      t = ms;
    },
  };
}

/**
 * Loads the demo; `s` must be wired with `clock`. Refuses a store that already holds incidents. Its
 * thousands of transactions of made-up data commit without waiting for the disk and are made durable
 * once at the end (relaxed-scope.ts). On SQLite that took the history's ~3,400 commits' fsyncs (1.9 s)
 * off `tocsin demo`: 7.9-8.7 s -> 7.1-7.9 s, alternated.
 */
export function loadDemo(
  s: Services,
  clock: ReturnType<typeof settableClock>,
  password?: string,
  opts: { plansDir?: string; history?: boolean } = {},
): Promise<DemoResult> {
  return relaxedWhile(s.store, () => fillDemo(s, clock, password, opts));
}

async function fillDemo(
  s: Services,
  clock: ReturnType<typeof settableClock>,
  password: string | undefined,
  opts: { plansDir?: string; history?: boolean },
): Promise<DemoResult> {
  const plansDir = opts.plansDir ?? 'plans';
  if (await s.incidents.any()) {
    const where =
      s.config.database.kind === 'sqlite'
        ? `a fresh TOCSIN_DATA_DIR (this store is ${s.config.database.file})`
        : 'a fresh database or schema in TOCSIN_DATABASE_URL';
    throw new CliError(
      `the store already holds incidents, so the demo was not loaded; it fills an empty store only: use ${where}`,
    );
  }
  const realNow = Date.now();
  const cli = { id: null, label: 'cli:demo' };
  for (const svc of DEMO_SERVICES) {
    if (!(await s.catalog.byKey(svc.key))) await s.catalog.create(cli, svc);
  }
  const pass = password ?? `Demo-${randomToken(9)}`;
  const byEmail = new Map<string, Principal>();
  for (const u of DEMO_USERS) {
    const user = (await s.users.byEmail(u.email)) ?? (await s.users.create(cli, { ...u, password: pass }));
    byEmail.set(u.email, { user, via: 'cli', scopes: null, restrictedTo: null });
  }
  const as = (email: string) => byEmail.get(email)!;
  const commander = as(DEMO_USERS[0]!.email);
  const loaded: DemoResult['incidents'] = [];
  const declared: { id: string; detectedAt: number }[] = [];
  for (const d of DEMO_INCIDENTS) {
    const t0 = realNow - d.detectedMinutesAgo * 60_000;
    const at = (min: number) => clock.set(Math.min(t0 + min * 60_000, realNow));
    at(0);
    const inc = await s.incidents.create(commander, {
      title: d.title,
      summary: d.summary,
      category: d.category,
      grade: d.grade,
      services: d.services,
      tags: d.tags,
      restricted: d.restricted ?? false,
      detectedAt: new Date(t0).toISOString(),
      impact: {
        customersAffected: d.impact.customersAffected,
        fundsAtRisk:
          d.impact.fundsAtRiskYuan == null ? null : { amountMinor: d.impact.fundsAtRiskYuan * 100, currency: 'CNY' },
        recordsExposed: d.impact.recordsExposed,
        tradingInterrupted: d.impact.tradingInterrupted,
      },
    });
    declared.push({ id: inc.id, detectedAt: t0 });
    loaded.push({
      key: inc.key,
      grade: d.grade,
      status: d.path.at(-1)?.to ?? 'detected',
      title: d.title,
      restricted: d.restricted ?? false,
    });
    at(0.5);
    for (const p of d.participants) await s.incidents.addParticipant(commander, inc.key, as(p.email).user.id, p.role);
    // Every step at its own minute, in time order: a step never moves the clock back, so the timeline's
    // entries (ordered by sequence) read in time order too. A task is done in a step of its own.
    const taskIds = new Map<number, string>();
    const events = [
      ...d.path.map((p) => ({ after: p.after, run: () => s.incidents.transition(commander, inc.key, p.to, p.note) })),
      ...d.notes.map((n) => ({
        after: n.after,
        run: () => s.timeline.append(as(n.email), inc.key, { text: n.text, kind: n.kind }),
      })),
      ...d.tasks.map((t, i) => ({
        after: 1 + i * 0.1,
        run: async () => {
          const task = await s.timeline.createTask(commander, inc.key, {
            title: t.title,
            ownerUserId: t.ownerEmail ? as(t.ownerEmail).user.id : undefined,
            ownerRole: t.ownerRole,
            dueAt: new Date(t0 + t.dueAfter * 60_000).toISOString(),
          });
          taskIds.set(i, task.id);
        },
      })),
      ...d.tasks.flatMap((t, i) =>
        t.done
          ? [
              {
                after: Math.max(1.05 + i * 0.1, t.dueAfter - 1),
                run: () => s.timeline.updateTask(commander, inc.key, taskIds.get(i)!, { status: 'done' }),
              },
            ]
          : [],
      ),
    ].sort((a, b) => a.after - b.after);
    for (const e of events) {
      at(e.after);
      await e.run();
    }
  }
  // A year of history (the `tocsin demo` command's; off for the tests that need only today's incidents).
  const admin = { ...commander, user: { ...commander.user, role: 'admin' as const } };
  const history = opts.history
    ? await loadDemoHistory(s, clock, historyCast(as, admin), {
        now: realNow,
        live: new Set(declared.map((d) => d.id)),
      })
    : null;
  clock.set(Date.now());
  const probes = await demoProbes(s, commander);
  // The past incidents' events are delivered now, while no plan is active: history does not start plans.
  await s.jobs.runDue();
  const people = new Map([...byEmail].map(([email, p]) => [email, p.user.id]));
  const response = await loadDemoResponse(s, admin, people, { plansDir });
  const spokesperson = as('zhao.min@donghai-sec.example').user;
  const status = await loadDemoStatus(s, clock, { id: spokesperson.id, label: spokesperson.name }, declared);
  const customers = await loadDemoCustomers(s, admin, people);
  return {
    services: DEMO_SERVICES,
    users: DEMO_USERS,
    password: pass,
    incidents: loaded,
    probes,
    response,
    status,
    customers,
    history,
  };
}

function historyCast(as: (email: string) => Principal, admin: Principal): HistoryCast {
  const e = (name: string) => as(`${name}@donghai-sec.example`);
  const all = DEMO_USERS.map((u) => as(u.email));
  return {
    commander: e('chen.jie'),
    responders: [e('li.na'), e('wang.lei')],
    communications: e('zhao.min'),
    customerService: e('sun.li'),
    compliance: e('zhou.qiang'),
    compliance2: e('qian.fang'),
    executive: e('wu.hua'),
    admin,
    all,
  };
}

/**
 * Two probes for the Services page, aimed at Tocsin itself (the demo firm's own endpoints do not exist):
 * its health endpoint over HTTP and its port over TCP. They are `self` targets, which mean "this Tocsin's
 * own listener" wherever the server runs, so starting it on another port than the demo knew changes
 * nothing (no false "probe down"), and they need no loopback permission. They turn up once it runs.
 */
async function demoProbes(s: Services, commander: Principal): Promise<DemoResult['probes']> {
  const wanted = [
    {
      service: 'online-trading',
      name: '交易登录页 Login page (demo: Tocsin /api/v1/health)',
      kind: 'http' as const,
      target: 'self:/api/v1/health',
      expect: { status: [[200, 299]] as [number, number][], bodyContains: 'ok' },
    },
    {
      service: 'mobile-app',
      name: 'App 网关 App gateway (demo: Tocsin TCP port)',
      kind: 'tcp' as const,
      target: 'self',
      expect: {},
    },
  ];
  const made: DemoResult['probes'] = [];
  for (const w of wanted) {
    await s.probes.create(commander, w.service, {
      name: w.name,
      kind: w.kind,
      target: w.target,
      intervalS: 30,
      expect: w.expect,
      failuresToDown: 3,
      successesToUp: 2,
      enabled: true,
    });
    made.push({ service: w.service, name: w.name, target: w.target });
  }
  return made;
}

const demoFirmName = `${DEMO_FIRM.nameZh} ${DEMO_FIRM.nameEn}`;

/**
 * What the demo loaded, for a terminal, in both languages. Free text stays in the last column
 * so that double-width Chinese characters never push the columns after it out of line.
 */
export function printDemo(
  out: (line: string) => void,
  r: DemoResult,
  o: { passwordGiven: boolean; admin: { email: string; password: string | null } | null; url: string },
): void {
  const width = (xs: string[]) => Math.max(...xs.map((x) => x.length));
  out(`Demo loaded / 演示数据已载入: ${demoFirmName}`);
  out('');
  out(`  Services / 业务服务 (${r.services.length}): ${r.services.map((x) => x.nameZh).join('、')}`);
  for (const p of r.probes) out(`    probe / 拨测: ${p.service}  ${p.name}  -> ${p.target}`);
  out('');
  out(`  Incidents / 事件 (${r.incidents.length}):`);
  const kw = width(r.incidents.map((i) => i.key));
  const sw = width(r.incidents.map((i) => i.status));
  for (const i of r.incidents) {
    out(
      `    ${i.key.padEnd(kw)}  ${i.grade.padEnd(3)}  ${i.status.padEnd(sw)}  ${i.title}${i.restricted ? '  [restricted / 受限]' : ''}`,
    );
  }
  out('');
  out(
    `  Users / 用户 (${r.users.length}), password / 密码: ${o.passwordGiven ? 'as given with --password / 同 --password' : r.password}`,
  );
  const ew = width(r.users.map((u) => u.email));
  const rw = width(r.users.map((u) => u.role));
  for (const u of r.users) out(`    ${u.email.padEnd(ew)}  ${u.role.padEnd(rw)}  ${u.name}`);
  if (o.admin?.password) {
    out('');
    out(`  Administrator / 管理员: ${o.admin.email}  password / 密码: ${o.admin.password}`);
    out(
      '  (one-time: shown only now, a new one is chosen at the first sign-in / 一次性密码，仅显示一次，首次登录时须设置新密码)',
    );
  }
  out('');
  out(
    `  Response / 响应: ${r.response.plans.length} plans active / 个预案已生效 (${r.response.plans.map((x) => x.id).join(', ')})`,
  );
  out(`    on-call / 值班: ${r.response.schedules.join(', ')}; escalation / 升级: soc-escalation`);
  for (const c of r.response.connectors)
    out(`    connector / 连接器: ${c.name.padEnd(13)} ${c.kind.padEnd(13)} ${c.url}`);
  out('    The connectors point at the sandbox: run `tocsin sandbox` (ports 7100-7108) beside the server.');
  out('    连接器指向沙箱：请在服务器旁运行 `tocsin sandbox`（端口 7100-7108）。');
  out('');
  out(
    `  Status site / 状态页: ${r.status.url}  (${r.status.components} services shown / 个公开服务; past announcements / 历史公告 ${r.status.announcements.join(', ')})`,
  );
  out('');
  printDemoCustomers(out, r.customers);
  out('');
  if (r.history) {
    printDemoHistory(out, r.history);
    out('');
  }
  out(`Open the console / 打开控制台: ${o.url}`);
  out(
    '  Not running yet? Start it with `npm start`: with the same TOCSIN_* settings it listens there (it prints its address as it starts).',
  );
  out('  尚未启动？请运行 `npm start`：使用相同的 TOCSIN_* 设置时即在此地址监听（启动时会打印实际地址）。');
  out('');
  out('Then replay an attack / 然后重放一次攻击: tocsin demo --scenario credential-stuffing --token TOKEN');
  out('  (a token with the events scope: tocsin tokens create --email EMAIL --name demo --scope events)');
  out('Then the customers / 然后通知客户: tocsin demo --scenario customer-care');
  out(
    '  (the server and this command with TOCSIN_SMTP_URL=smtp://127.0.0.1:7105 TOCSIN_NOTIFY_GATEWAY_URL=http://127.0.0.1:7108',
  );
  out('   TOCSIN_NOTIFY_GATEWAY_SECRET=sandbox-notify-signing-secret TOCSIN_PROBE_ALLOW_LOOPBACK=true: see README)');
  out('Then compensation / 然后赔偿: tocsin demo --scenario compensation');
  out(
    '  (a market-data outage made right: losses assessed, claims offered and negotiated, approved by tier, the ledger checked)',
  );
  out('  （行情中断的赔偿：评估损失、报价与协商、分级审批、核对台账）');
}
