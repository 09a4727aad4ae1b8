/**
 * The demo firm's response set-up (issue 9): connectors pointing at `tocsin sandbox` on its default
 * ports (firewall, trading core, EDR; email through its SMTP server and a WeCom group robot), on-call
 * schedules and an escalation policy named as the bundled plans name them, every demo user reachable by
 * email and the robot, and the bundled plans approved and active. Then the credential-stuffing scenario
 * starts the account-takeover plan by itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Services } from '../compose.js';
import type { Principal } from '../modules/auth/index.js';
import { DEFAULT_SANDBOX_PORT_BASE, SANDBOX_OFFSETS } from '../sandbox/ports.js';
import { SANDBOX_KEYS } from '../sandbox/sandbox-keys.js';

export interface DemoResponse {
  connectors: { name: string; kind: string; url: string }[];
  schedules: string[];
  plans: { id: string; version: number }[];
}

const DAY = 86_400_000;
/** A date in Asia/Shanghai, YYYY-MM-DD. */
const shanghaiDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

export async function loadDemoResponse(
  s: Services,
  admin: Principal,
  people: Map<string, string>,
  opts: { plansDir: string; portBase?: number },
): Promise<DemoResponse> {
  const base = opts.portBase ?? DEFAULT_SANDBOX_PORT_BASE;
  const at = (name: keyof typeof SANDBOX_OFFSETS) => `http://127.0.0.1:${base + SANDBOX_OFFSETS[name]}`;
  const connectors = [
    {
      name: 'firewall',
      kind: 'firewall',
      config: { baseUrl: at('firewall') },
      secrets: { apiKey: 'demo-firewall-key' },
    },
    {
      name: 'trading-core',
      kind: 'trading-core',
      config: { baseUrl: at('trading') },
      secrets: { apiKey: 'demo-trading-key' },
    },
    { name: 'edr', kind: 'edr', config: { baseUrl: at('edr') }, secrets: { apiKey: 'demo-edr-key' } },
    {
      name: 'mail',
      kind: 'email',
      config: { host: '127.0.0.1', port: base + SANDBOX_OFFSETS.smtp, tls: 'none', from: 'tocsin@donghai-sec.example' },
      secrets: {},
    },
    { name: 'wecom-soc', kind: 'wecom', config: { baseUrl: at('robots') }, secrets: { key: SANDBOX_KEYS.wecomKey } },
  ];
  for (const c of connectors) await s.connectors.create(admin, c);

  const id = (email: string) => people.get(email)!;
  const start = shanghaiDate(Date.now() - 30 * DAY);
  const soc = await s.oncallAdmin.createSchedule(admin, {
    name: 'soc-on-call',
    layers: [
      {
        rotation: 'daily',
        participants: [id('wang.lei@donghai-sec.example'), id('li.na@donghai-sec.example')],
        handoffTime: '09:00',
        startDate: start,
      },
    ],
  });
  const commanders = await s.oncallAdmin.createSchedule(admin, {
    name: 'incident-commanders',
    layers: [
      {
        rotation: 'weekly',
        participants: [id('chen.jie@donghai-sec.example')],
        handoffTime: '09:00',
        startDate: start,
      },
    ],
  });
  await s.oncallAdmin.createPolicy(admin, {
    name: 'soc-escalation',
    levels: [
      { targets: [{ kind: 'schedule', scheduleId: soc.id }], waitMinutes: 5 },
      { targets: [{ kind: 'schedule', scheduleId: commanders.id }], waitMinutes: 10 },
    ],
    repeat: 1,
  });
  for (const [email, userId] of people)
    await s.paging.setContacts(admin, userId, {
      routes: [
        { channel: 'mail', address: email },
        { channel: 'wecom-soc', address: '' },
      ],
    });

  const plans: DemoResponse['plans'] = [];
  const system = { id: null, label: 'cli:demo' };
  for (const file of fs
    .readdirSync(opts.plansDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const source = fs.readFileSync(path.join(opts.plansDir, file), 'utf8');
    const { plan, version } = await s.plans.importSource(system, source, { file });
    if (version.status === 'draft') await s.plans.approve(system, plan.id, version.version);
    if (version.status !== 'active') await s.plans.activate(system, plan.id, version.version);
    plans.push({ id: plan.id, version: version.version });
  }
  return {
    connectors: connectors.map((c) => ({
      name: c.name,
      kind: c.kind,
      url: String(c.config.baseUrl ?? `smtp://127.0.0.1:${c.config.port}`),
    })),
    schedules: [soc.name, commanders.name],
    plans,
  };
}
