/** Tests of a configuration file named by an environment variable: write a file, load the config, read its problems. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { ConfigError, loadConfig, type Config } from '../../src/server/platform/config.js';

/** A temporary folder (removed after the file's tests) and helpers for the file named by `envName` (files `<prefix>-N.yaml`). */
export function configFileFixture(envName: string, prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tocsin-${prefix}-`));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    dir,
    withFile(text: string): string {
      const file = path.join(dir, `${prefix}-${++n}.yaml`);
      fs.writeFileSync(file, text);
      return file;
    },
    load: (file: string, env: Record<string, string> = {}): Config =>
      loadConfig({ TOCSIN_DATA_DIR: dir, [envName]: file, ...env }),
    /** The problems a ConfigError lists; fails when `fn` does not throw one. */
    problems(fn: () => unknown): string[] {
      try {
        fn();
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
      throw new Error('expected a ConfigError');
    },
  };
}
