/** Where a bench runs: a fresh SQLite directory, or a fresh PostgreSQL schema dropped afterwards. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface Target {
  store: 'sqlite' | 'postgres';
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

export function sqliteTarget(): Target {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-bench-'));
  return {
    store: 'sqlite',
    env: { TOCSIN_DATA_DIR: dir },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresTarget(url: string): Target {
  const schema = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return {
    store: 'postgres',
    env: { TOCSIN_DATABASE_URL: u.toString() },
    cleanup: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
