/** `tocsin migrate`: pending migrations, then exit. */
import type { Command } from 'commander';
import { config } from '../context.js';
import { out } from '../table.js';

export function addMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit (serve also applies them on start)')
    .action(async () => {
      const { migrate, openStore } = await import('../../platform/db/connect.js');
      const store = await openStore((await config()).database);
      try {
        const applied = await migrate(store);
        out(applied.length ? `applied: ${applied.join(', ')}` : 'the store is up to date');
      } finally {
        await store.close();
      }
    });
}
