/**
 * `tocsin drill replay --scenario credential-stuffing|ransomware|data-leak|ddos` (docs/drills.md, technical
 * drills): replays a bundled scenario's raw events (drill-scenarios.ts) into a running Tocsin's detection through its API and reports how
 * long each step of the chain took from the moment the events were sent: detect (the first alert
 * stored), incident (declared by detection), plan (the first plan activated on it).
 */
import type { Command } from 'commander';
import { apiCall, apiTarget, SERVER_HELP, type ApiTarget } from '../api-client.js';
import { CliError } from '../context.js';
import { isScenario, SCENARIOS, type Scenario, scenarioEvents } from '../drill-scenarios.js';
import { out } from '../table.js';
import { JSON_OPT } from './options.js';

interface AlertView {
  id: string;
  createdAt: string;
  incident: { key: string } | null;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` every 200 ms until it gives a value, for at most `ms`; null when it never did. */
async function until<T>(ms: number, read: () => Promise<T | null>): Promise<T | null> {
  for (const end = Date.now() + ms; Date.now() < end; await pause(200)) {
    const v = await read();
    if (v !== null) return v;
  }
  return null;
}

async function replay(t: ApiTarget, scenario: Scenario, waitMs: number) {
  const before = new Set(
    (await apiCall<{ items: AlertView[] }>(t, 'GET', '/api/v1/alerts?limit=200')).items.map((a) => a.id),
  );
  const sentAt = Date.now();
  const batch = scenarioEvents(scenario, sentAt);
  for (let i = 0; i < batch.length; i += 200)
    await apiCall(t, 'POST', '/api/v1/events', batch.slice(i, i + 200), { timeoutMs: 10_000 });
  const fresh = async () =>
    (await apiCall<{ items: AlertView[] }>(t, 'GET', '/api/v1/alerts?limit=200')).items.filter(
      (a) => !before.has(a.id),
    );
  const declared = await until(waitMs, async () => {
    const alerts = await fresh();
    return alerts.some((a) => a.incident) ? alerts : null;
  });
  const alerts = declared ?? (await fresh());
  const since = (iso: string | null | undefined) => (iso ? Math.max(0, Date.parse(iso) - sentAt) : null);
  const detect = alerts.length ? Math.min(...alerts.map((a) => Date.parse(a.createdAt))) : null;
  const key = alerts.find((a) => a.incident)?.incident?.key ?? null;
  let incidentAt: string | null = null;
  let planAt: string | null = null;
  let planId: string | null = null;
  if (key) {
    const path = `/api/v1/incidents/${encodeURIComponent(key)}`;
    incidentAt = (await apiCall<{ createdAt: string }>(t, 'GET', path)).createdAt;
    const activation = await until(waitMs, async () => {
      const items = (await apiCall<{ items: { planId: string; activatedAt: string }[] }>(t, 'GET', `${path}/plans`))
        .items;
      return items[0] ?? null;
    });
    planAt = activation?.activatedAt ?? null;
    planId = activation?.planId ?? null;
  }
  return {
    scenario,
    events: batch.length,
    incident: key,
    steps: [
      { step: 'detect', ms: detect === null ? null : Math.max(0, detect - sentAt) },
      { step: 'incident', ms: since(incidentAt) },
      { step: 'plan', ms: since(planAt), planId },
    ],
  };
}

export function addDrillCommands(program: Command): void {
  const drill = program.command('drill').description('drills (docs/drills.md)');
  drill
    .command('replay')
    .description(
      `technical drill: replay a bundled scenario's raw events into a running Tocsin's detection (${SERVER_HELP}) and report how long detect, incident and plan took from sending; a step not reached says so`,
    )
    .requiredOption('--scenario <name>', `the scenario: ${SCENARIOS.join(', ')}`)
    .option('--wait <seconds>', 'how long to wait for each step at most', '30')
    .option('--token <token>', 'API token with the read and events scopes (default: TOCSIN_TOKEN)')
    .option(...JSON_OPT)
    .action(async (o: { scenario: string; wait: string; token?: string; json?: boolean }) => {
      if (!isScenario(o.scenario))
        throw new CliError(`no scenario "${o.scenario}" to replay; there is: ${SCENARIOS.join(', ')}`);
      const wait = Number(o.wait);
      if (!Number.isFinite(wait) || wait <= 0) throw new CliError(`--wait must be a number of seconds, got ${o.wait}`);
      const t = apiTarget(o, 'drill replay', 'events');
      const r = await replay(t, o.scenario, wait * 1000);
      if (o.json) {
        out(JSON.stringify(r));
        return;
      }
      out(`replayed ${r.events} events of ${r.scenario}${r.incident ? ` -> ${r.incident}` : ''}`);
      for (const s of r.steps)
        out(
          `${s.step.padEnd(9)} ${s.ms === null ? 'not reached' : `${(s.ms / 1000).toFixed(2)} s`}${'planId' in s && s.planId ? ` (${s.planId})` : ''}`,
        );
      if (r.steps.some((s) => s.ms === null)) process.exitCode = 1;
    });
}
