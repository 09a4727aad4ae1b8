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

/** The wanted service keys that this Tocsin knows: a scenario must also run on a store without the demo's catalog. */
async function knownServices(ctx: ScenarioContext, wanted: string[]): Promise<string[]> {
  const known = new Set<string>();
  let cursor: string | null = null;
  do {
    const q: string = `/api/v1/services?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: { key: string }[]; next: string | null } = await call(ctx, 'GET', q);
    for (const s of page.items) known.add(s.key);
    cursor = page.next;
  } while (cursor);
  return wanted.filter((k) => known.has(k));
}

export const SCENARIOS: Record<string, Scenario> = {
  'vendor-outage': {
    description: 'The market-data vendor feed goes silent during trading hours; monitoring declares an incident, the team fails over and recovers.',
    async run(ctx) {
      const services = await knownServices(ctx, ['market-data', 'mobile-app']);
      const title = '行情供应商数据中断 / Market-data vendor feed silent';
      const inc = await call<{ key: string }>(ctx, 'POST', '/api/v1/incidents', {
        title,
        summary: 'No Level-2 quote updates from the primary vendor for 60 s during continuous trading.',
        category: 'equipment_failure',
        grade: 'III',
        services,
        tags: ['third-party', 'scenario'],
        impact: { customersAffected: null, fundsAtRisk: null, recordsExposed: null, tradingInterrupted: false },
      });
      ctx.log(`declared ${inc.key} (grade III): ${title}`);
      ctx.log(`  console / 控制台: ${new URL(`/incidents/${encodeURIComponent(inc.key)}`, ctx.baseUrl).toString()}`);
      const base = `/api/v1/incidents/${encodeURIComponent(inc.key)}`;
      const note = (kind: 'note' | 'decision', text: string) => ({ path: `${base}/timeline`, body: { kind, text }, line: `${kind}: ${text}` });
      const move = (to: string, text?: string) => ({ path: `${base}/transitions`, body: text ? { to, note: text } : { to }, line: `status -> ${to}${text ? `: ${text}` : ''}` });
      const steps = [
        note('note', 'Probe: last quote update 61 s ago on SSE/SZSE Level-2 channels.'),
        move('acknowledged'),
        note('decision', 'Fail over to the backup vendor feed.'),
        move('contained', 'Backup feed active; quotes flowing again'),
        move('recovered', 'Primary vendor restored; switched back'),
      ];
      for (const step of steps) {
        await pause(300);
        await call(ctx, 'POST', step.path, step.body);
        ctx.log(`  ${step.line}`);
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
