/**
 * README.md as a new user follows it. Every shell command of its code blocks runs as written, in order,
 * in one shell (so variables carry from line to line), against the store and port the test chooses
 * (TOCSIN_DATA_DIR, TOCSIN_PORT), and must exit 0 with what a user would expect to see. Differences,
 * each for a stated reason:
 * - `npm ci` is not run: it would reinstall node_modules under the running suite; `npm test` is not
 *   run: it is this suite. `npm start` is started by the test (it runs until stopped) and waited for.
 * - The shell runs in a scratch folder (README's `events.ndjson` lands there, not in the repository),
 *   so `npx tocsin` is `node bin/tocsin.mjs` and `npm` is `npm --prefix <repo>`, which is what both
 *   mean in the repository.
 * And README's CLI table lists exactly the commands `tocsin --help` has.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli } from '../../src/server/cli/main.js';
import { buildOnce, childEnv, ROOT, tempDir } from './harness.js';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The shell code blocks' commands, continuation lines joined, blank lines dropped. */
function readmeCommands(): { block: number; command: string }[] {
  const out: { block: number; command: string }[] = [];
  const blocks = [...README.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  blocks.forEach((text, block) => {
    const joined = text.replace(/\\\n\s*/g, '');
    for (const line of joined.split('\n')) if (line.trim()) out.push({ block, command: line.trim() });
  });
  return out;
}

interface Step {
  /** Which README command this is about. */
  match: RegExp;
  /** `skip` with the reason, `server` (npm start), or a check of what the command printed. */
  run: { skip: string } | 'server' | ((stdout: string) => void);
}

const STEPS: Step[] = [
  { match: /^npm ci && npm start\b/, run: 'server' },
  { match: /^npm test\b/, run: { skip: 'npm test is this suite' } },
  {
    match: /^npm run demo\b/,
    run: (o) =>
      expect(o).toMatch(
        /Demo loaded \/ 演示数据已载入: 东海证券 Donghai Securities[\s\S]*Open the console \/ 打开控制台: http:\/\/127\.0\.0\.1:\d+/,
      ),
  },
  { match: /^npm start\b/, run: 'server' },
  {
    match: /^export TOCSIN_SMTP_URL=smtp:\/\/127\.0\.0\.1:7105 TOCSIN_NOTIFY_GATEWAY_URL=/,
    run: (o) => expect(o).toBe(''),
  },
  {
    match: /^npx tocsin demo --scenario customer-care\b/,
    run: {
      skip: 'needs `tocsin sandbox` on its fixed ports; test/api/demo-customers.test.ts runs the same scenario on the sandbox',
    },
  },
  {
    match: /^npx tocsin demo --scenario compensation\b/,
    run: (o) => expect(o).toMatch(/claims \/ 赔偿申请: 9 proposed, 9 offered[\s\S]*reconciles with the 9 claims/),
  },
  {
    match: /^npx tocsin demo --scenario investigation\b/,
    run: (o) =>
      expect(o).toMatch(
        /preserved \/ 已保全 gw-login-01\.pcap[\s\S]*the attacker came back \/ 攻击源再次出现: alert .* -> INC-\d{4}-\d{4,}[\s\S]*check-package: OK[\s\S]*调查结论已公布: http/,
      ),
  },
  {
    match: /^npx tocsin sandbox\b/,
    run: { skip: 'runs until Ctrl-C on fixed ports; test/cli/sandbox.test.ts starts and stops it' },
  },
  {
    match: /^export TOCSIN_TOKEN=\$\(npx tocsin tokens create .*--scope read write events\)$/,
    run: (o) => expect(o).toBe(''),
  },
  {
    match: /^npx tocsin demo --scenario credential-stuffing\b/,
    run: (o) => expect(o).toMatch(/incident declared by detection: INC-\d{4}-\d{4,}/),
  },
  {
    match: /^npx tocsin incidents list --status active\b/,
    run: (o) => expect(o).toMatch(/^KEY +GRADE +STATUS +DETECTED[^\n]*\nINC-\d{4}-\d{4,} +(I|II|III|IV) +/),
  },
  {
    match: /^npx tocsin alerts list\b/,
    run: (o) => expect(o).toMatch(/^ID +LEVEL +STATUS +COUNT[^\n]*\n\S+ +high +open +/),
  },
  { match: /^TOKEN=\$\(npx tocsin tokens create /, run: (o) => expect(o).toBe('') },
  {
    match: /^curl .*\/api\/v1\/incidents$/,
    run: (o) =>
      expect(JSON.parse(o)).toMatchObject({
        key: expect.stringMatching(/^INC-/),
        title: '撞库攻击 Credential stuffing',
        grade: 'II',
        status: 'detected',
      }),
  },
  { match: /^EVENTS_TOKEN=\$\(npx tocsin tokens create .*--scope events\)$/, run: (o) => expect(o).toBe('') },
  { match: /^printf .*> events\.ndjson$/, run: (o) => expect(o).toBe('') },
  {
    match: /^curl .*--data-binary @events\.ndjson .*\/api\/v1\/events/,
    run: (o) => expect(JSON.parse(o)).toMatchObject({ accepted: 1, duplicates: 0, rejectedCount: 0 }),
  },
];

const stepOf = (command: string) => {
  const found = STEPS.filter((s) => s.match.test(command));
  if (found.length !== 1)
    throw new Error(
      `README command without exactly one expectation in readme.test.ts (found ${found.length}): ${command}`,
    );
  return found[0]!;
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

const haveCurl = spawnSync('curl', ['--version']).status === 0;

describe('README', () => {
  const dirs: string[] = [];
  const servers: { stop: () => Promise<void> }[] = [];
  beforeAll(buildOnce, 180_000);
  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** `npm start` as written, in the repository, until it says where it runs. */
  async function npmStart(
    env: Record<string, string>,
  ): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // npm runs node in a child of its own: stop the whole process group.
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await exited;
    };
    servers.push({ stop });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start did not say where it runs within 150 s:\n${out}`)),
        150_000,
      );
      child.stdout!.on('data', () => {
        const m = /Tocsin is running at (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      void exited.then(() => reject(new Error(`npm start exited (code ${child.exitCode}):\n${out}`)));
    });
    return { url, output: () => out, stop };
  }

  /** Runs `commands` in one bash, as written, with the shims; returns each one's exit code and stdout. */
  function shell(commands: string[], env: Record<string, string>, work: string): { code: number; stdout: string }[] {
    const script = [
      `cd ${JSON.stringify(work)}`,
      `npx() { if [ "$1" = tocsin ]; then shift; node ${JSON.stringify(path.join(ROOT, 'bin', 'tocsin.mjs'))} "$@"; else command npx "$@"; fi; }`,
      `npm() { command npm --prefix ${JSON.stringify(ROOT)} "$@"; }`,
      ...commands.flatMap((c, i) => [c, `printf '\\n@@readme-step ${i} %d@@\\n' $?`]),
    ].join('\n');
    const r = spawnSync('bash', ['-c', script], {
      env: childEnv(env),
      encoding: 'utf8',
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const results: { code: number; stdout: string }[] = [];
    let rest = r.stdout;
    for (let i = 0; i < commands.length; i++) {
      const marker = new RegExp(`\\n@@readme-step ${i} (\\d+)@@\\n`);
      const m = marker.exec(rest);
      if (!m)
        throw new Error(
          `the shell stopped before README command ${i + 1} finished: ${commands[i]}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
        );
      results.push({ code: Number(m[1]), stdout: rest.slice(0, m.index).replace(/^\n/, '') });
      rest = rest.slice(m.index + m[0].length);
    }
    const failed = results.findIndex((x) => x.code !== 0);
    if (failed >= 0)
      throw new Error(
        `README command exited ${results[failed]!.code}: ${commands[failed]}\n${results[failed]!.stdout}\nstderr:\n${r.stderr}`,
      );
    return results;
  }

  test.skipIf(!haveCurl && !process.env.CI)(
    'every shell command of its code blocks runs as written and shows what it promises',
    async () => {
      const commands = readmeCommands();
      expect(commands.length).toBeGreaterThan(8);
      for (const c of commands) stepOf(c.command); // every command has an expectation

      // "Two commands" on a fresh machine: npm start on an empty store makes the first administrator.
      const first = tempDir('tocsin-readme-');
      dirs.push(first);
      const a = await npmStart({
        TOCSIN_DATA_DIR: first,
        TOCSIN_PORT: String(await freePort()),
        TOCSIN_HOST: '127.0.0.1',
      });
      expect(a.output()).toMatch(
        /First start: an administrator was created[\s\S]*email: +admin@tocsin\.local[\s\S]*password: +\S{12,}/,
      );
      expect((await fetch(`${a.url}/api/v1/health`)).status).toBe(200);
      await a.stop();

      // Everything after it, in order, on one store and port, as a user would in two terminals.
      const data = tempDir('tocsin-readme-');
      const work = tempDir('tocsin-readme-work-');
      dirs.push(data, work);
      const env = { TOCSIN_DATA_DIR: data, TOCSIN_PORT: String(await freePort()), TOCSIN_HOST: '127.0.0.1' };
      let batch: string[] = [];
      const runBatch = () => {
        const results = shell(batch, env, work);
        results.forEach((r, i) => {
          const step = stepOf(batch[i]!);
          try {
            (step.run as (o: string) => void)(r.stdout);
          } catch (err) {
            throw new Error(
              `README command printed what it should not: ${batch[i]}\n${r.stdout}\n${(err as Error).message}`,
            );
          }
        });
        batch = [];
      };
      for (const { block, command } of commands) {
        if (block === 0) continue; // "Two commands", done above
        const step = stepOf(command);
        if (typeof step.run === 'object') continue;
        if (step.run === 'server') {
          runBatch();
          const b = await npmStart(env);
          expect(b.url).toBe(`http://127.0.0.1:${env.TOCSIN_PORT}`);
          continue;
        }
        batch.push(command);
      }
      runBatch();
      expect(fs.readFileSync(path.join(work, 'events.ndjson'), 'utf8')).toMatch(/^\{"id":"gw-1"/);
    },
    400_000,
  );

  test('its CLI table lists exactly the commands `tocsin --help` has', () => {
    const leaves = (cmd: Command, prefix: string[] = []): string[] =>
      cmd.commands.flatMap((c) =>
        c.commands.length ? leaves(c, [...prefix, c.name()]) : [[...prefix, c.name()].join(' ')],
      );
    const program = buildCli();
    const fromHelp = new Set(leaves(program));
    const section = README.slice(
      README.indexOf('\n## CLI\n'),
      README.indexOf('\n## ', README.indexOf('\n## CLI\n') + 5),
    );
    const fromReadme = new Set<string>();
    for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
      const cell = row.split(/(?<!\\)\|/)[1]!;
      for (const [, span] of cell.matchAll(/`([^`]+)`/g)) {
        const words = span!.replace(/^tocsin /, '').replace(/\\\|/g, '|');
        const [group, ...rest] = words.split(' ');
        const sub = program.commands.find((c) => c.name() === group);
        if (!sub) {
          fromReadme.add(`unknown: ${group}`);
          continue;
        }
        if (!sub.commands.length) fromReadme.add(group!);
        else for (const alt of rest.join(' ').split('|')) fromReadme.add(`${group} ${alt.trim().split(' ')[0]}`);
      }
    }
    expect([...fromReadme].sort()).toEqual([...fromHelp].sort());
  });
});
