/** `tocsin demo`: a fictional firm in an empty store, or `--scenario` replayed into a running Tocsin. */
import { Option, type Command } from 'commander';
import { apiTarget, SERVER_HELP } from '../api-client.js';
import { config } from '../context.js';
import { DEMO_FIRM } from '../demo-data.js';
import { runScenario, SCENARIOS } from '../scenario.js';
import { out } from '../table.js';
import { bundledPath } from '../../platform/bundled.js';

const demoFirmName = `${DEMO_FIRM.nameZh} ${DEMO_FIRM.nameEn}`;

/** Not a replay through one token: it runs as four demo people, with tokens it makes on the store. */
const CUSTOMER_CARE =
  'after credential-stuffing: scope the victims from the event data, approve and send the customer notice by SMS and email (to `tocsin sandbox`), assign owners, answer a question from /help — as four demo people, with short-lived tokens made on the store (same TOCSIN_* settings as the server)';
const COMPENSATION =
  'on the market-data outage (the newest open one from vendor-outage, declared when none): upload the orders and prices of the outage, assess the losses (outage-price-diff), review, propose and offer the claims, negotiate one (accepted on the portal with the code texted to the sandbox notify gateway), record the other acceptances, approve in bulk by tier, pay them in a batch (bank file, marked paid), print the ledger and check it reconciles — as six demo people, with short-lived tokens made on the store (same TOCSIN_* settings as the server)';
const INVESTIGATION =
  "after credential-stuffing: preserve the alerts' events and the gateway's packet capture as evidence with their hashes, read the attack timeline and the entity graph, extract the IOCs and share them as STIX 2.1, turn them into detection and see the attacker's next event land in the incident, answer the police's request with a signed evidence package checked as check-package does, write the investigation report, have it approved by a second investigator and publish its summary on the status site — as four demo people, with short-lived tokens made on the store";

export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      `fill an empty store with a fictional firm (${demoFirmName}): services, users of every role, past and open incidents, two probes of Tocsin itself; with --scenario, replay a scenario into a running Tocsin through its API`,
    )
    .addOption(
      new Option(
        '--scenario <name>',
        `scenario to replay through the API of a running Tocsin (${SERVER_HELP}): ${Object.entries(SCENARIOS)
          .map(([k, v]) => `${k} (${v.description})`)
          .join(
            '; ',
          )}; customer-care (${CUSTOMER_CARE}); compensation (${COMPENSATION}); investigation (${INVESTIGATION})`,
      ).choices([...Object.keys(SCENARIOS), 'customer-care', 'compensation', 'investigation']),
    )
    .option(
      '--incident <key>',
      'customer-care, compensation, investigation: the incident (default: the newest open credential-stuffing one; for compensation, the newest open market-data outage)',
    )
    .option('--password <password>', 'password for the demo users (default: generated and printed)')
    .option(
      '--token <token>',
      'API token for --scenario, from `tocsin tokens create --scope read write events` (default: TOCSIN_TOKEN)',
    )
    .action(async (o: { scenario?: string; password?: string; token?: string; incident?: string }) => {
      if (o.scenario === 'customer-care') {
        const { runCustomerCareDemo } = await import('../demo-customer-care.js');
        await runCustomerCareDemo(o, out);
        return;
      }
      if (o.scenario === 'investigation') {
        const { runInvestigationDemo } = await import('../demo-investigation.js');
        await runInvestigationDemo(o, out);
        return;
      }
      if (o.scenario === 'compensation') {
        const { runCompensationDemo } = await import('../demo-compensation.js');
        await runCompensationDemo(o, out);
        return;
      }
      if (o.scenario) {
        const target = apiTarget(
          o,
          `demo --scenario ${o.scenario}`,
          o.scenario === 'credential-stuffing' ? 'events' : 'write',
        );
        await runScenario(o.scenario, { ...target, log: out });
        return;
      }
      const [{ compose }, { loadDemo, printDemo, settableClock }] = await Promise.all([
        import('../../compose.js'),
        import('../demo.js'),
      ]);
      const clock = settableClock();
      const notices: string[] = [];
      const s = await compose(await config(), { clock, onNotice: (m) => notices.push(m) });
      try {
        const first = await s.users.ensureFirstAdmin(s.config.admin);
        const r = await loadDemo(s, clock, o.password, { plansDir: bundledPath('plans') ?? 'plans', history: true });
        printDemo(out, r, { passwordGiven: o.password !== undefined, admin: first, url: s.config.publicUrl });
        for (const n of notices) out(`Note / 注意: ${n}`);
      } finally {
        await s.close();
      }
    });
}
