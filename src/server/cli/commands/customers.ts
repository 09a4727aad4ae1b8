/** `tocsin customers rekey`: customers' personal data re-sealed under the current secret key. */
import type { Command } from 'commander';
import { cliActor, withServices } from '../context.js';
import { out } from '../table.js';

export function addCustomersCommands(program: Command): void {
  const customers = program.command('customers').description("customers' personal data");
  customers
    .command('rekey')
    .description(
      "re-seal every customer's phone, email, ID number and bank card (and uploaded imports not yet committed) under the current TOCSIN_SECRET_KEY, in batches; run after rotating the key, with the old one still in TOCSIN_SECRET_KEYS_OLD",
    )
    .option('--batch <n>', 'customers per transaction', (v) => Number.parseInt(v, 10), 200)
    .action(async (o: { batch: number }) => {
      const r = await withServices((s) => s.customers.rekey(cliActor, { batch: o.batch }), { existing: true });
      out(`re-sealed ${r.resealed} of ${r.rows} customers`);
    });
}
