/**
 * Credential stuffing against the online-trading login, as raw login events from the trading
 * front end: one proxy address tries many customer accounts, a few succeed. Nothing is declared by
 * hand: the events go to POST /api/v1/events and detection must open the incident.
 */
import { regulatoryClocks } from './demo-obligations.js';
import { call, pause, type Scenario, type ScenarioContext } from './scenario-api.js';

const ATTACKER = '203.0.113.77';
const LOGSOURCE = { product: 'tocsin', service: 'trading_login' };

interface LoginEvent {
  id: string;
  '@timestamp': string;
  logsource: typeof LOGSOURCE;
  event: 'login';
  outcome: 'success' | 'failure';
  user: string;
  src_ip: string;
  device_id: string;
  user_agent: string;
  channel: 'web' | 'app';
  geo: string;
}

/** `n` failed logins over `accounts` accounts from the attacker, then `hits` successes; plus normal traffic. */
export function loginEvents(
  runId: string,
  start: number,
  accounts: number,
  failures: number,
  hits: number,
): LoginEvent[] {
  const out: LoginEvent[] = [];
  const at = (i: number, total: number) => new Date(start + Math.floor((i / total) * 60_000)).toISOString();
  const base = { logsource: LOGSOURCE, event: 'login' as const, user_agent: 'okhttp/4.9.3', channel: 'app' as const };
  for (let i = 0; i < failures; i++) {
    out.push({
      ...base,
      id: `${runId}-f${i}`,
      '@timestamp': at(i, failures),
      outcome: 'failure',
      user: `A${String(10_000_000 + (i % accounts))}`,
      src_ip: ATTACKER,
      device_id: `emu-${i % 7}`,
      geo: 'NL',
    });
  }
  for (let i = 0; i < hits; i++) {
    out.push({
      ...base,
      id: `${runId}-s${i}`,
      '@timestamp': at(failures + i, failures + hits),
      outcome: 'success',
      user: `A${String(10_000_000 + i * 13)}`,
      src_ip: ATTACKER,
      device_id: `emu-${i}`,
      geo: 'NL',
    });
  }
  // Ordinary customers signing in from their usual devices at the same time.
  for (let i = 0; i < 40; i++) {
    out.push({
      ...base,
      id: `${runId}-n${i}`,
      '@timestamp': at(i, 40),
      outcome: 'success',
      user: `B${String(20_000_000 + i)}`,
      src_ip: `198.51.100.${10 + i}`,
      device_id: `dev-${i}`,
      user_agent: 'Mozilla/5.0',
      channel: 'web',
      geo: 'CN',
    });
  }
  return out.sort((a, b) => a['@timestamp'].localeCompare(b['@timestamp']));
}

interface AlertView {
  id: string;
  ruleTitle: string;
  level: string;
  count: number;
  entities: unknown;
  incident: { key: string; title: string } | null;
}

export const credentialStuffing: Scenario = {
  description:
    'Credential stuffing on the online-trading login: raw login events from one proxy address across many accounts; detection opens the incident, which is graded III with customer data exposed (regulatory clocks).',
  async run(ctx: ScenarioContext) {
    const runId = `cs-${Date.now().toString(36)}`;
    const batch = loginEvents(runId, Date.now() - 60_000, 150, 400, 3);
    const before = new Set(
      (await call<{ items: AlertView[] }>(ctx, 'GET', '/api/v1/alerts?limit=200')).items.map((a) => a.id),
    );
    for (let i = 0; i < batch.length; i += 200) {
      const chunk = batch.slice(i, i + 200);
      const r = await call<{ accepted: number; duplicates: number; rejectedCount?: number }>(
        ctx,
        'POST',
        '/api/v1/events',
        chunk,
      );
      ctx.log(`sent ${chunk.length} login events (accepted ${r.accepted}, duplicates ${r.duplicates})`);
    }
    ctx.log(`  ${ATTACKER} tried 150 accounts 400 times in 60 s; 3 logins succeeded`);
    // Detection runs as the events arrive; alerts are stored a moment later (at scale, a correlation
    // fires on the worker that owns its partition: give a busy installation up to 30 s).
    let fresh: AlertView[] = [];
    for (let tries = 0; tries < 150 && !fresh.some((a) => a.incident); tries++) {
      await pause(200);
      fresh = (await call<{ items: AlertView[] }>(ctx, 'GET', '/api/v1/alerts?limit=200')).items.filter(
        (a) => !before.has(a.id),
      );
    }
    if (!fresh.length) {
      ctx.log(
        'no alert was raised: are the bundled rules loaded (TOCSIN_RULES_DIRS)? see the server log "detection rules loaded"',
      );
      throw new Error('the scenario raised no alert');
    }
    for (const a of fresh) ctx.log(`alert: [${a.level}] ${a.ruleTitle}${a.incident ? ` -> ${a.incident.key}` : ''}`);
    const incident = fresh.find((a) => a.incident)?.incident;
    if (incident) {
      ctx.log(`incident declared by detection: ${incident.key} ${incident.title}`);
      ctx.log(
        `  console / 控制台: ${new URL(`/incidents/${encodeURIComponent(incident.key)}`, ctx.baseUrl).toString()}`,
      );
    } else ctx.log('alerts raised, none declared an incident (below the level that declares one, or suppressed)');
    ctx.log(`  alert queue / 告警队列: ${new URL('/alerts', ctx.baseUrl).toString()}`);
    // Customer data exposed in the accounts taken over: graded III, the regulators' clocks start.
    if (incident)
      await regulatoryClocks(ctx, incident.key, 3).catch((err: Error) =>
        ctx.log(
          `regulatory clocks not shown (${err.message}): with a token of scopes read write admin the scenario sets the firm profile and grades the incident III (docs/obligations.md)`,
        ),
      );
    if (incident)
      ctx.log(
        'next, the customers / 下一步通知客户: tocsin demo --scenario customer-care (see README, "the customer part")',
      );
  },
};
