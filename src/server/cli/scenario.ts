/** Scenarios replayed into a running Tocsin through its public API, as a real event source would. */
import { CliError } from './context.js';

export interface ScenarioContext {
  baseUrl: string;
  token: string;
  log: (line: string) => void;
}

interface Scenario {
  description: string;
  run(ctx: ScenarioContext): Promise<void>;
}

async function call<T>(ctx: ScenarioContext, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path, ctx.baseUrl), {
      method,
      headers: { authorization: `Bearer ${ctx.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new CliError(`cannot reach Tocsin at ${ctx.baseUrl} (${(err as Error).message}); is it running? set TOCSIN_URL`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text;
    try {
      const p = JSON.parse(text) as { title?: string; detail?: string };
      detail = p.detail ?? p.title ?? text;
    } catch {
      /* not problem+json */
    }
    throw new CliError(`${method} ${path} answered ${res.status}: ${detail}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const SCENARIOS: Record<string, Scenario> = {
  'vendor-outage': {
    description: 'The market-data vendor feed goes silent during trading hours; monitoring declares an incident, the team fails over and recovers.',
    async run(ctx) {
      const inc = await call<{ key: string }>(ctx, 'POST', '/api/v1/incidents', {
        title: '行情供应商数据中断 / Market-data vendor feed silent',
        summary: 'No Level-2 quote updates from the primary vendor for 60 s during continuous trading.',
        category: 'equipment_failure',
        grade: 'III',
        services: ['market-data'],
        tags: ['third-party', 'scenario'],
        impact: { customersAffected: null, fundsAtRisk: null, recordsExposed: null, tradingInterrupted: false },
      });
      ctx.log(`declared ${inc.key}`);
      ctx.log(`  ${new URL(`/incidents/${inc.key}`, ctx.baseUrl).toString()}`);
      const steps: [string, unknown][] = [
        ['timeline', { kind: 'note', text: 'Probe: last quote update 61 s ago on SSE/SZSE Level-2 channels.' }],
        ['transition', { to: 'acknowledged' }],
        ['timeline', { kind: 'decision', text: 'Fail over to the backup vendor feed.' }],
        ['transition', { to: 'contained', note: 'Backup feed active; quotes flowing again' }],
        ['transition', { to: 'recovered', note: 'Primary vendor restored; switched back' }],
      ];
      for (const [kind, body] of steps) {
        await pause(300);
        await call(ctx, 'POST', `/api/v1/incidents/${inc.key}/${kind === 'timeline' ? 'timeline' : 'transitions'}`, body);
        ctx.log(`  ${kind === 'timeline' ? 'timeline' : 'status'}: ${JSON.stringify(body)}`);
      }
      ctx.log(`done: ${inc.key} is recovered`);
    },
  },
};

export async function runScenario(name: string, ctx: ScenarioContext): Promise<void> {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new CliError(`unknown scenario "${name}"; available: ${Object.keys(SCENARIOS).join(', ')}`);
  await scenario.run(ctx);
}
