/** `tocsin backup FILE`: an online copy of the SQLite store. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, existingStoreConfig } from '../context.js';
import { out } from '../table.js';

export function addBackupCommand(program: Command): void {
  program
    .command('backup')
    .description(
      'write a consistent copy of the SQLite store to FILE while the server keeps running (PostgreSQL: use pg_dump)',
    )
    .argument('<file>', 'destination file; must not exist yet')
    .action(async (file: string) => {
      const dest = path.resolve(file);
      if (fs.existsSync(dest)) throw new CliError(`${dest} already exists; choose a new file`);
      const cfg = await existingStoreConfig();
      if (cfg.database.kind !== 'sqlite')
        throw new CliError('backup copies the embedded SQLite store; back up PostgreSQL with pg_dump');
      // Copy beside the destination, then rename: an interrupted backup never leaves a half file at FILE.
      const partial = `${dest}.partial-${process.pid}`;
      const { backupSqlite, openStore } = await import('../../platform/db/connect.js');
      const store = await openStore(cfg.database);
      try {
        await backupSqlite(store, partial);
        fs.renameSync(partial, dest);
      } catch (err) {
        fs.rmSync(partial, { force: true });
        throw err;
      } finally {
        await store.close();
      }
      out(`backup written to ${dest} (${fs.statSync(dest).size} bytes)`);
    });
}
