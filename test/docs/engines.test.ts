/**
 * Every installed package accepts the oldest Node.js Tocsin supports (20.19): a dependency that declares
 * `engines.node` >= 22 installs with a warning on Node 20 and may use what Node 20 lacks. Overrides in
 * package.json pin compatible versions (cookie 1.x, @nats-io/nuid 2.x) where a dependency moved on.
 */
import fs from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const OLDEST = '20.19.0';

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
}

describe('dependency engines', () => {
  it(`accept Node.js ${OLDEST}`, () => {
    const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const refused: string[] = [];
    let checked = 0;
    for (const [where, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!where || !range) continue;
      checked++;
      if (!semver.satisfies(OLDEST, range, { includePrerelease: true })) {
        refused.push(`${where.replace(/^.*node_modules\//, '')}@${entry.version}: node ${range}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(refused).toEqual([]);
  });
});
