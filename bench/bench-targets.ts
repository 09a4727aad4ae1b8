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

/** BENCH_KEEP_DIR: seed into that directory and keep it afterwards (to look at the data or its query plans). */
export function sqliteTarget(): Target {
  const keep = process.env.BENCH_KEEP_DIR;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-bench-'));
  if (keep) fs.mkdirSync(keep, { recursive: true });
  return {
    store: 'sqlite',
    env: { TOCSIN_DATA_DIR: dir },
    cleanup: async () => {
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** BENCH_KEEP_SCHEMA: seed into that schema (which must not exist yet) and keep it afterwards. */
export function postgresTarget(url: string): Target {
  const keep = process.env.BENCH_KEEP_SCHEMA;
  const schema = keep ?? `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return {
    store: 'postgres',
    env: { TOCSIN_DATABASE_URL: u.toString() },
    cleanup: async () => {
      if (keep) return;
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
