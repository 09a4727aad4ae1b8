/** Scenarios replayed into a running Tocsin through its public API, as a real event source would. */
import { CliError } from './context.js';
import { call, knownServices, pause, type Scenario, type ScenarioContext } from './scenario-api.js';
import { credentialStuffing } from './scenario-credential-stuffing.js';

export type { ScenarioContext };

export const SCENARIOS: Record<string, Scenario> = {
  'credential-stuffing': credentialStuffing,
  'vendor-outage': {
    description:
      'The market-data vendor feed goes silent during trading hours; monitoring declares an incident, the team fails over and recovers.',
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
      const note = (kind: 'note' | 'decision', text: string) => ({
        path: `${base}/timeline`,
        body: { kind, text },
        line: `${kind}: ${text}`,
      });
      const move = (to: string, text?: string) => ({
        path: `${base}/transitions`,
        body: text ? { to, note: text } : { to },
        line: `status -> ${to}${text ? `: ${text}` : ''}`,
      });
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
