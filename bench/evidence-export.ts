/**
 * bench:evidence, case `export`: an evidence package of N small items (10,000 by default) made as the
 * API makes it — the items' custody read, each item streamed from the blob store into the ZIP and
 * re-hashed, manifest.pdf, SHA256SUMS, the signed manifest, the ZIP hashed into the blob store, then one
 * custody entry per item and the package's in one transaction. Embedded SQLite in a temporary data dir;
 * the items are added first (not timed).
 *   {"bench":"evidence","case":"export","items","bytes","elapsed_s","items_per_s"}
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { compose } from '../src/server/compose.js';
import type { Principal } from '../src/server/modules/auth/index.js';
import { loadConfig } from '../src/server/platform/config.js';

const round = (n: number, d = 3) => Number(n.toFixed(d));

export async function benchExport(items: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-bench-export-'));
  const s = await compose(
    loadConfig({
      TOCSIN_DATA_DIR: dir,
      TOCSIN_SECRET_KEY: randomBytes(32).toString('base64'),
      TOCSIN_LOG_LEVEL: 'silent',
      TOCSIN_PORT: '0',
    }),
    { sink: () => {} },
  );
  try {
    const user = await s.users.create(
      { id: null, label: 'bench' },
      { email: 'bench@bench.example', name: 'Bench', role: 'incident_commander', password: 'bench-password-0123' },
    );
    const p: Principal = { user, via: 'cli', scopes: null, restrictedTo: null };
    const { key } = await s.incidents.create(p, {
      title: 'Account takeover (bench)',
      summary: 'Benchmark incident: evidence for a police request.',
      category: 'network_attack',
      grade: 'III',
      services: [],
      tags: ['bench'],
      restricted: false,
    });
    const ids: string[] = [];
    const t0 = performance.now();
    for (let i = 0; i < items; i++) {
      const bytes = Buffer.from(`login log export ${i}\n${randomBytes(1500).toString('base64')}\n`);
      const r = await s.evidence.locker.addFile(
        { id: null, label: 'bench' },
        key,
        Readable.from([bytes]),
        `log-${i}.txt`,
        {
          description: `log export ${i}`,
          sourceSystem: 'siem',
        },
      );
      ids.push(r.id);
      if ((i + 1) % 2000 === 0)
        process.stderr.write(
          `bench:evidence: ${i + 1} of ${items} items added (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
        );
    }
    const start = process.hrtime.bigint();
    const pkg = await s.evidence.packages.create(
      p,
      key,
      { itemIds: ids, recipient: 'Public Security Bureau (bench)' },
      null,
    );
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    process.stdout.write(
      `${JSON.stringify({
        bench: 'evidence',
        case: 'export',
        items: pkg.itemCount,
        bytes: pkg.bytes,
        elapsed_s: round(elapsed),
        items_per_s: round(pkg.itemCount / elapsed, 1),
      })}\n`,
    );
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
