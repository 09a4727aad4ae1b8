/**
 * The systemd units in deploy/ (docs/operations.md): systemd itself checks them where it is installed
 * (`systemd-analyze verify`), and they start the roles the topology names with the shared environment file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DEPLOY = path.resolve('deploy');
const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('deploy/ systemd units', () => {
  it('a web and a worker unit start `tocsin serve` in their role with the shared environment file', () => {
    const web = fs.readFileSync(path.join(DEPLOY, 'tocsin-web@.service'), 'utf8');
    const worker = fs.readFileSync(path.join(DEPLOY, 'tocsin-worker@.service'), 'utf8');
    expect(web).toMatch(/^ExecStart=.*tocsin\.mjs serve --role web$/m);
    expect(worker).toMatch(/^ExecStart=.*tocsin\.mjs serve --role worker$/m);
    for (const unit of [web, worker]) {
      expect(unit).toMatch(/^EnvironmentFile=\/etc\/tocsin\/tocsin\.env$/m);
      expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
      expect(unit).toMatch(/^Restart=always$/m);
    }
    const env = fs.readFileSync(path.join(DEPLOY, 'tocsin.env.example'), 'utf8');
    for (const v of ['TOCSIN_DATABASE_URL', 'TOCSIN_NATS_URL', 'TOCSIN_SECRET_KEY', 'TOCSIN_PAGING_KEY'])
      expect(env).toMatch(new RegExp(`^${v}=`, 'm'));
  });

  it.skipIf(!hasSystemd)('systemd-analyze verify finds nothing wrong in them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-units-'));
    for (const f of fs.readdirSync(DEPLOY).filter((f) => f.endsWith('.service')))
      fs.copyFileSync(path.join(DEPLOY, f), path.join(dir, f.replace('@.service', '@1.service')));
    const units = fs.readdirSync(dir).map((f) => path.join(dir, f));
    const r = spawnSync('systemd-analyze', ['verify', ...units], { encoding: 'utf8' });
    // Lines about the host (no /opt/tocsin, no such user) are the host's, not the units'.
    const problems = `${r.stdout}${r.stderr}`
      .split('\n')
      .filter(
        (l) => l.trim() && !/opt\/tocsin|Command .* is not executable|No such file|user tocsin|group tocsin/i.test(l),
      );
    expect(problems).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
