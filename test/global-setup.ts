/**
 * Once per `vitest run`, before any test file: a migrated SQLite store that `testConfig(kind, env,
 * { migrated: true })` copies instead of running every migration again (on SQLite each migration
 * statement is a commit of its own that waits for the disk: half a second a store), and one
 * PostgreSQL database per vitest worker (see `test/helpers/store.ts`, `PG_URL`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate, openStore } from '../src/server/platform/db/connect.js';
import { randomBytes } from 'node:crypto';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated SQLite store file to copy (test/helpers/store.ts). */
    sqliteTemplate: string;
    /**
     * Worker N of this run uses the PostgreSQL database `<prefix>_wN` (null: all use TOCSIN_TEST_DATABASE_URL's own).
     * Kysely's migrator reads the catalogue of every schema in its database, and fails when another
     * process drops a schema meanwhile: a database per worker keeps parallel test files apart.
     */
    pgWorkerDatabasePrefix: string | null;
  }
}

async function sqliteTemplate(dir: string): Promise<string> {
  const file = path.join(dir, 'tocsin.db');
  const store = await openStore({ kind: 'sqlite', file });
  try {
    await migrate(store);
    // Everything in the main file, so one file is the whole store.
    store.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    await store.close();
  }
  return file;
}

/** Creates this run's worker databases (`<database>_<run>_wN`); returns their prefix and how to drop them. */
async function workerDatabases(url: string, workers: number) {
  const prefix = `${new URL(url).pathname.slice(1)}_${randomBytes(3).toString('hex')}`;
  const names = Array.from({ length: workers }, (_, i) => `${prefix}_w${i + 1}`);
  const admin = async (statements: string[]) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      for (const q of statements) await c.query(q);
    } finally {
      await c.end();
    }
  };
  try {
    await admin(names.map((n) => `CREATE DATABASE "${n}"`));
  } catch (err) {
    console.warn(`[tocsin tests] no database per worker (${(err as Error).message}): the workers share one`);
    await admin(names.map((n) => `DROP DATABASE IF EXISTS "${n}"`)).catch(() => {});
    return { prefix: null, drop: async () => {} };
  }
  return { prefix, drop: () => admin(names.map((n) => `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`)) };
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-template-'));
  project.provide('sqliteTemplate', await sqliteTemplate(dir));
  const url = process.env.TOCSIN_TEST_DATABASE_URL;
  const databases = url ? await workerDatabases(url, Number(project.config.maxWorkers) || 1) : null;
  project.provide('pgWorkerDatabasePrefix', databases?.prefix ?? null);
  return async () => {
    await databases?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
