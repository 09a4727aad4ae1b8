/**
 * The `tocsin` command line as a user or a script meets it: real child processes on a temporary
 * TOCSIN_DATA_DIR, against a real server process where a command talks to one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Command } from 'commander';
import { buildCli } from '../../src/server/cli/main.js';
import { USER_ROLES } from '../../src/shared/enums.js';
import { PG_URL } from '../helpers/store.js';
import {
  ADMIN_EMAIL,
  api,
  BIN,
  buildOnce,
  childEnv,
  CLI,
  incidentBody,
  lines,
  ROOT,
  startServer,
  tempDir,
  tocsin,
  type ServerProcess,
} from './harness.js';

const dirs: string[] = [];
const freshDir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};
const dbFile = (dir: string) => path.join(dir, 'tocsin.db');

/** An error the way the CLI promises them: non-zero exit, nothing on stdout, one line on stderr. */
function expectOneLineError(r: { code: number; stdout: string; stderr: string }, ...mentions: (string | RegExp)[]) {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(lines(r.stderr), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^tocsin: /);
  for (const m of mentions) expect(r.stderr).toMatch(m);
}

beforeAll(buildOnce, 180_000);
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** `tocsin ARGS --help` run on the program in this process: its exit code and what it printed. */
async function helpOf(args: string[]): Promise<{ code: number; stdout: string }> {
  const program = buildCli();
  let stdout = '';
  const all = (cmd: Command): Command[] => [cmd, ...cmd.commands.flatMap(all)];
  for (const cmd of all(program))
    cmd.exitOverride().configureOutput({
      writeOut: (str) => {
        stdout += str;
      },
    });
  try {
    await program.parseAsync(['node', 'tocsin', ...args, '--help']);
    return { code: 0, stdout };
  } catch (err) {
    return { code: (err as { exitCode?: number }).exitCode ?? 1, stdout };
  }
}

describe('help', () => {
  // Every command the program has, as `tocsin --help` lists them (groups and their leaves).
  const program = buildCli();
  const leaves = (cmd: Command, prefix: string[] = []): string[] =>
    cmd.commands.flatMap((c) =>
      c.commands.length ? leaves(c, [...prefix, c.name()]) : [[...prefix, c.name()].join(' ')],
    );
  const COMMANDS = leaves(program);

  test('--help lists every command and the environment that configures them', async () => {
    const r = await tocsin(['--help'], { TOCSIN_DATA_DIR: freshDir() });
    expect(r.code).toBe(0);
    for (const c of [
      'serve',
      'migrate',
      'backup',
      'audit',
      'tokens',
      'users',
      'demo',
      'incidents',
      'alerts',
      'rules',
      'ingest',
      'detect',
      'sigma',
      'plans',
      'sandbox',
    ])
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    for (const v of ['TOCSIN_DATA_DIR', 'TOCSIN_DATABASE_URL', 'TOCSIN_PORT', 'TOCSIN_URL'])
      expect(r.stdout).toContain(v);
  });

  // In this process (the program `tocsin` builds, its output captured): a child process per command
  // cost a minute of the suite; the test above and the one below run the real command.
  test("every command's --help explains it", async () => {
    expect(COMMANDS.length).toBeGreaterThan(25);
    for (const c of COMMANDS) {
      const { code, stdout } = await helpOf(c.split(' '));
      expect(code, c).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: tocsin ${c} `));
      // A description line follows the usage line.
      expect(lines(stdout)[2]!.length, c).toBeGreaterThan(20);
    }
  });

  // Through the real entry points, which build dist/ first when it is stale (slow then, hence the timeout).
  test('bin/tocsin.mjs and `npx tocsin` in the repo run the CLI', async () => {
    const viaBin = await tocsin(['--help'], {}, { entry: BIN, timeoutMs: 150_000 });
    expect(viaBin.code, viaBin.stderr).toBe(0);
    expect(viaBin.stdout).toMatch(/^Usage: tocsin /);
    const { execFileSync } = await import('node:child_process');
    const version = execFileSync('npx', ['--no-install', 'tocsin', '--version'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.trim()).toBe(pkg.version);
  }, 180_000);

  test('--help and the commands that talk to a server load neither the store nor the schemas; a store command does, without the libraries only a server uses', async () => {
    // What a command loads, recorded by a module hook (module.register) in the spawned CLI.
    const dir = freshDir();
    const record = path.join(dir, 'loaded.txt');
    fs.writeFileSync(
      path.join(dir, 'hooks.mjs'),
      `import fs from 'node:fs';\nexport async function load(url, context, next) { fs.appendFileSync(${JSON.stringify(record)}, url + '\\n'); return next(url, context); }\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});\n`,
    );
    const loaded = async (args: string[], env: Record<string, string> = {}) => {
      fs.rmSync(record, { force: true });
      const { execFile } = await import('node:child_process');
      await new Promise<void>((resolve) =>
        execFile(
          process.execPath,
          ['--import', path.join(dir, 'register.mjs'), CLI, ...args],
          { cwd: ROOT, env: childEnv(env) },
          () => resolve(),
        ),
      );
      // The bundle's files (dist/cli), each standing for the modules it holds (dist/cli/contents.json).
      const bundle = `${pathToFileURL(path.join(ROOT, 'dist', 'cli')).href}/`;
      const contents = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'cli', 'contents.json'), 'utf8')) as Record<
        string,
        string[]
      >;
      return fs
        .readFileSync(record, 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((u) => (u.startsWith(bundle) ? (contents[u.slice(bundle.length)] ?? [u]) : [u]));
    };
    const heavy = (urls: string[]) =>
      urls.filter((u) =>
        /node_modules\/(kysely|zod|pg|better-sqlite3)\/|\/compose\.js$|\/platform\/config\.js$/.test(u),
      );
    const help = await loaded(['--help']);
    expect(help.length).toBeGreaterThan(10);
    expect(heavy(help)).toEqual([]);
    expect(
      heavy(
        await loaded(['incidents', 'list'], {
          TOCSIN_URL: 'http://127.0.0.1:9',
          TOCSIN_TOKEN: 'tocsin_not-a-real-token',
        }),
      ),
    ).toEqual([]);
    const data = freshDir();
    const store = heavy(await loaded(['migrate'], { TOCSIN_DATA_DIR: data }));
    expect(store.some((u) => u.endsWith('/platform/config.js'))).toBe(true);
    expect(store.some((u) => u.includes('node_modules/kysely/'))).toBe(true);
    expect(store.some((u) => u.includes('node_modules/better-sqlite3/'))).toBe(true);
    // A command on every service (compose) loads the mail, directory, upload, Markdown and cluster
    // libraries only when it uses them (platform/heavy-libs.ts, compose-cluster.ts): ~0.6 s of CPU a command.
    const verify = await loaded(['audit', 'verify'], { TOCSIN_DATA_DIR: data });
    expect(verify.some((u) => u.endsWith('/compose.js'))).toBe(true);
    const serverOnly =
      /node_modules\/(nodemailer|mailparser|smtp-server|ldapts|openid-client|@nats-io|file-type|sanitize-html|markdown-it|fastify|@fastify|saxes|yazl|yauzl|diff|ae-cvss-calculator)\//;
    expect([...new Set(verify.filter((u) => serverOnly.test(u)).map((u) => serverOnly.exec(u)![1]))]).toEqual([]);
  }, 60_000);
});

describe('store commands', () => {
  test('migrate creates the schema in an empty data dir, then finds it up to date', async () => {
    const dir = freshDir();
    const first = await tocsin(['migrate'], { TOCSIN_DATA_DIR: dir });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^applied: 0001_foundation/);
    const db = new Database(dbFile(dir), { readonly: true });
    const tables = db.prepare("select name from sqlite_master where type = 'table'").pluck().all();
    db.close();
    expect(tables).toEqual(expect.arrayContaining(['incidents', 'timeline_entries', 'audit_log', 'users']));
    const again = await tocsin(['migrate'], { TOCSIN_DATA_DIR: dir });
    expect(again).toMatchObject({ code: 0, stdout: 'the store is up to date\n' });
  });

  test('users create makes an account that users list shows; a duplicate or short password is refused', async () => {
    const env = { TOCSIN_DATA_DIR: freshDir() };
    const made = await tocsin(
      ['users', 'create', '--email', 'Li.Na@Example.com', '--name', '李娜', '--role', 'responder'],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^created li\.na@example\.com \(responder\); password: \S{12,}\n$/);
    const listed = await tocsin(['users', 'list'], env);
    expect(listed.stdout).toMatch(/^li\.na@example\.com +responder$/m);
    expectOneLineError(
      await tocsin(['users', 'create', '--email', 'li.na@example.com', '--name', 'x', '--role', 'auditor'], env),
      /already exists/,
    );
    expectOneLineError(
      await tocsin(
        ['users', 'create', '--email', 'b@example.com', '--name', 'x', '--role', 'auditor', '--password', 'short'],
        env,
      ),
      /at least 12/,
    );
  });

  test('bad configuration is one line listing every invalid variable, for any command', async () => {
    const bad = {
      TOCSIN_DATA_DIR: freshDir(),
      TOCSIN_PORT: 'abc',
      TOCSIN_LOG_LEVEL: 'loud',
      TOCSIN_PUBLIC_URL: 'not a url',
    };
    for (const r of await Promise.all([tocsin(['migrate'], bad), tocsin(['serve'], bad)])) {
      expectOneLineError(r, /invalid configuration/, /TOCSIN_PORT/, /TOCSIN_LOG_LEVEL/, /TOCSIN_PUBLIC_URL/);
      expect(r.code).toBe(2);
    }
  });

  test('usage mistakes are one line naming the help to read', async () => {
    const env = { TOCSIN_DATA_DIR: freshDir() };
    const [unknown, missing, badChoice] = await Promise.all([
      tocsin(['frobnicate'], env),
      tocsin(['tokens', 'create', '--email', 'a@example.com'], env),
      tocsin(['users', 'create', '--email', 'a@example.com', '--name', 'A', '--role', 'boss'], env),
    ]);
    expectOneLineError(unknown, /unknown command 'frobnicate'/, /tocsin --help/);
    expectOneLineError(missing, /--name/, /tocsin tokens create --help/);
    expectOneLineError(badChoice, /boss/, /incident_commander/);
  });

  test('commands that read a store refuse a data dir that holds none, instead of creating an empty one', async () => {
    const dir = path.join(freshDir(), 'typo');
    const commands = [
      ['audit', 'verify'],
      ['tokens', 'create', '--email', ADMIN_EMAIL, '--name', 'x'],
      ['backup', path.join(dir, '..', 'b.db')],
    ];
    for (const r of await Promise.all(commands.map((args) => tocsin(args, { TOCSIN_DATA_DIR: dir })))) {
      expectOneLineError(r, /no Tocsin store at .*typo/);
    }
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('backup of a PostgreSQL store points to pg_dump', async () => {
    const r = await tocsin(['backup', path.join(freshDir(), 'b.db')], {
      TOCSIN_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    expectOneLineError(r, /pg_dump/);
  });
});

describe('the demo and the audit chain', () => {
  const dir = freshDir();
  const env = { TOCSIN_DATA_DIR: dir };
  let first: Awaited<ReturnType<typeof tocsin>>;

  beforeAll(async () => {
    // With its year of history (issue 16, docs/demo-history.md): 15-30 s more on a small machine.
    first = await tocsin(['demo'], env, { timeoutMs: 150_000 });
  }, 180_000);

  test("demo fills an empty store: the firm's services, users of every role, incidents including a restricted one", async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('东海证券 Donghai Securities');
    expect(first.stdout).toMatch(/Administrator \/ 管理员: admin@tocsin\.local {2}password \/ 密码: \S+/);
    const db = new Database(dbFile(dir), { readonly: true });
    try {
      expect(db.prepare('select key from services order by key').pluck().all()).toEqual([
        'account-opening',
        'back-office',
        'bank-transfer',
        'market-data',
        'mobile-app',
        'online-trading',
      ]);
      expect(new Set(db.prepare('select role from users').pluck().all())).toEqual(new Set(USER_ROLES));
      const incidents = db
        .prepare("select key, status, restricted from incidents where tags not like '%history%' and drill = 0")
        .all() as {
        key: string;
        status: string;
        restricted: number;
      }[];
      expect(incidents.length).toBeGreaterThanOrEqual(4);
      expect(incidents.filter((i) => i.restricted === 1)).toHaveLength(1);
      expect(incidents.some((i) => i.status === 'closed') && incidents.some((i) => i.status !== 'closed')).toBe(true);
      for (const i of incidents) expect(first.stdout).toContain(i.key);
      // The year before today, counted in the summary.
      const past = db.prepare("select count(*) from incidents where tags like '%history%'").pluck().get() as number;
      expect(past).toBeGreaterThan(60);
      expect(first.stdout).toContain(`${past} past incidents / 起历史事件`);
      expect(db.prepare('select count(*) from timeline_entries').pluck().get()).toBeGreaterThan(10);
      // Probes of Tocsin's own endpoints stand in for the firm's, so the Services page is alive once it
      // runs: self targets, which follow whatever port the server is started on.
      expect(db.prepare('select kind, target from probes order by kind').all()).toEqual([
        { kind: 'http', target: 'self:/api/v1/health' },
        { kind: 'tcp', target: 'self' },
      ]);
      expect(first.stdout).toMatch(/probe \/ 拨测: online-trading .*-> self:\/api\/v1\/health/);
    } finally {
      db.close();
    }
  });

  test('demo --scenario customer-care names the sandbox settings the server needs before doing anything', async () => {
    expectOneLineError(
      await tocsin(['demo', '--scenario', 'customer-care'], env),
      /tocsin sandbox/,
      /TOCSIN_SMTP_URL=smtp:\/\/127\.0\.0\.1:7105/,
      /TOCSIN_NOTIFY_GATEWAY_URL=http:\/\/127\.0\.0\.1:7108/,
    );
  });

  test('a second demo run is refused with a clear message and changes nothing', async () => {
    const count = () => {
      const db = new Database(dbFile(dir), { readonly: true });
      const n = db.prepare('select count(*) from audit_log').pluck().get();
      db.close();
      return n;
    };
    const before = count();
    expectOneLineError(await tocsin(['demo'], env), /already holds incidents/, /empty store/, /TOCSIN_DATA_DIR/);
    expect(count()).toBe(before);
  });

  test('audit anchor records the head; verify --anchors shows newest entries cut off, which the chain alone cannot', async () => {
    const anchor = await tocsin(['audit', 'anchor'], env);
    expect(anchor.code, anchor.stderr).toBe(0);
    const head = JSON.parse(anchor.stdout) as { seq: number; hash: string };
    expect(head).toMatchObject({ seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const anchors = path.join(dir, 'anchors.ndjson');
    fs.writeFileSync(anchors, anchor.stdout);
    const ok = await tocsin(['audit', 'verify', '--anchors', anchors], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`1 anchor\\(s\\) match; head: entry ${head.seq}, hash ${head.hash}`));

    // Someone with file access deletes the newest two entries: every remaining link still holds.
    const db = new Database(dbFile(dir));
    // (with their ties to incidents, which point at them)
    db.prepare('delete from audit_incidents where seq > ?').run(head.seq - 2);
    db.prepare('delete from audit_log where seq > ?').run(head.seq - 2);
    db.close();
    expect((await tocsin(['audit', 'verify'], env)).code).toBe(0);
    const cut = await tocsin(['audit', 'verify', '--anchors', anchors], env);
    expect(cut.code).toBe(1);
    expectOneLineError(cut, new RegExp(`audit chain BROKEN at entry ${head.seq}\\b`), /cut off the end/);
    fs.writeFileSync(anchors, 'not json\n');
    expectOneLineError(await tocsin(['audit', 'verify', '--anchors', anchors], env), /line 1 is not an anchor/);
  });

  test('audit verify passes on the intact chain and names the first edited entry after a direct database edit', async () => {
    const ok = await tocsin(['audit', 'verify'], env);
    expect(ok.code, ok.stderr).toBe(0);
    const checked = Number(/audit chain intact: (\d+) entries verified/.exec(ok.stdout)?.[1]);
    expect(checked).toBeGreaterThan(20);

    // Tamper as someone with file access would: change what an entry says, leave its hash alone.
    const db = new Database(dbFile(dir));
    const edit = db.prepare("update audit_log set actor_label = 'someone-else' where seq = ?");
    edit.run(17);
    edit.run(Math.min(checked, 30));
    db.close();

    const broken = await tocsin(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expectOneLineError(broken, /audit chain BROKEN at entry 17\b/, /16 entries verified before it/);
  });
});

describe('against a running server', () => {
  const dir = freshDir();
  const env = { TOCSIN_DATA_DIR: dir };
  let server: ServerProcess;
  /** A read-write token for the tests whose subject is not the token itself. */
  let token: string;

  beforeAll(async () => {
    server = await startServer(dir);
    token = (await tocsin(['tokens', 'create', '--email', ADMIN_EMAIL, '--name', 'test-client'], env)).stdout.trim();
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });

  test('tokens create prints only the token, which then works as a Bearer token within its scopes', async () => {
    const rw = await tocsin(['tokens', 'create', '--email', ADMIN_EMAIL, '--name', 'siem-forwarder'], env);
    expect(rw).toMatchObject({ code: 0, stderr: '' });
    expect(rw.stdout).toMatch(/^tcs_[A-Za-z0-9_-]{20,}\n$/);
    const issued = rw.stdout.trim();

    const list = await api(server.url, issued, 'GET', '/api/v1/incidents');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ items: expect.any(Array), next: null });
    const created = await api(
      server.url,
      issued,
      'POST',
      '/api/v1/incidents',
      incidentBody('Created with a CLI token'),
    );
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^INC-\d{4}-\d{4,}$/);
    expect((await api(server.url, issued, 'GET', `/api/v1/incidents/${created.body.key}`)).body.title).toBe(
      'Created with a CLI token',
    );

    const ro = await tocsin(
      ['tokens', 'create', '--email', ADMIN_EMAIL, '--name', 'dashboard', '--scope', 'read'],
      env,
    );
    const readOnly = ro.stdout.trim();
    expect((await api(server.url, readOnly, 'GET', '/api/v1/incidents')).status).toBe(200);
    expect((await api(server.url, readOnly, 'POST', '/api/v1/incidents', incidentBody('nope'))).status).toBe(403);
    expect((await api(server.url, 'tcs_not-a-real-token', 'GET', '/api/v1/incidents')).status).toBe(401);

    expectOneLineError(
      await tocsin(['tokens', 'create', '--email', 'nobody@example.com', '--name', 'x'], env),
      /no user with email nobody@example\.com/,
    );
  }, 90_000); // several CLI processes, each loading the whole server (5-10 s each on a busy machine)

  test('backup while the server is writing is a consistent copy holding every write acknowledged before it began', async () => {
    let acked = 0;
    let stop = false;
    const writers = Array.from({ length: 2 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const r = await api(server.url, token, 'POST', '/api/v1/incidents', incidentBody(`backup load ${w}-${i}`));
        expect(r.status).toBe(201);
        acked++;
      }
    });
    while (acked < 30) await new Promise((r) => setTimeout(r, 10));

    const file = path.join(freshDir(), 'tocsin-backup.db');
    const ackedBefore = acked;
    const r = await tocsin(['backup', file], env);
    const ackedDuring = acked - ackedBefore;
    stop = true;
    await Promise.all(writers);

    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^backup written to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ bytes\\)\n$`),
    );
    expect(ackedDuring, 'the server kept acknowledging writes while the backup ran').toBeGreaterThan(0);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['tocsin-backup.db']);

    const copy = new Database(file, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('select count(*) from incidents').pluck().get()).toBeGreaterThanOrEqual(ackedBefore);
    } finally {
      copy.close();
    }
    // The copy is a store of its own, its audit chain whole.
    const verify = await tocsin(['audit', 'verify'], { TOCSIN_DATABASE_URL: `sqlite:${file}` });
    expect(verify.code, verify.stderr).toBe(0);

    const size = fs.statSync(file).size;
    expectOneLineError(await tocsin(['backup', file], env), /already exists/);
    expect(fs.statSync(file).size).toBe(size);
  }, 30_000);

  test('demo --scenario vendor-outage declares and works an incident through the API and prints a console link', async () => {
    const r = await tocsin(['demo', '--scenario', 'vendor-outage'], {
      ...env,
      TOCSIN_URL: server.url,
      TOCSIN_TOKEN: token,
    });
    expect(r.code, r.stderr).toBe(0);
    const key = /declared (INC-\d{4}-\d{4,})/.exec(r.stdout)?.[1];
    expect(key, r.stdout).toBeDefined();
    expect(r.stdout).toContain(`${server.url}/incidents/${key}`);

    const inc = await api(server.url, token, 'GET', `/api/v1/incidents/${key}`);
    expect(inc.body).toMatchObject({ status: 'recovered', grade: 'III', category: 'equipment_failure' });
    const timeline = await api(server.url, token, 'GET', `/api/v1/incidents/${key}/timeline?limit=200`);
    const kinds = (timeline.body.items as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['note', 'decision']));

    const [unknown, noToken, unreachable] = await Promise.all([
      tocsin(['demo', '--scenario', 'no-such-thing'], { ...env, TOCSIN_URL: server.url, TOCSIN_TOKEN: token }),
      tocsin(['demo', '--scenario', 'vendor-outage'], { ...env, TOCSIN_URL: server.url }),
      tocsin(['demo', '--scenario', 'vendor-outage'], {
        ...env,
        TOCSIN_URL: 'http://127.0.0.1:9',
        TOCSIN_TOKEN: token,
      }),
    ]);
    expectOneLineError(unknown, /no-such-thing/, /vendor-outage/);
    expectOneLineError(noToken, /API token/, /tokens create/);
    expectOneLineError(unreachable, /cannot reach Tocsin at http:\/\/127\.0\.0\.1:9/);
  }, 30_000);

  test('demo --scenario credential-stuffing sends raw login events; the bundled rules raise the alert and detection declares the incident', async () => {
    const events = (
      await tocsin(['tokens', 'create', '--email', ADMIN_EMAIL, '--name', 'scenario', '--scope', 'read', 'events'], env)
    ).stdout.trim();
    const r = await tocsin(['demo', '--scenario', 'credential-stuffing'], {
      ...env,
      TOCSIN_URL: server.url,
      TOCSIN_TOKEN: events,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/alert: \[high\] .*many accounts/i);
    const key = /incident declared by detection: (INC-\d{4}-\d{4,})/.exec(r.stdout)?.[1];
    expect(key, r.stdout).toBeDefined();
    expect(r.stdout).toContain(`${server.url}/incidents/${key}`);
    const inc = await api(server.url, token, 'GET', `/api/v1/incidents/${key}`);
    expect(inc.body).toMatchObject({ status: 'detected', category: 'network_attack' });
    const alerts = await api(server.url, token, 'GET', `/api/v1/incidents/${key}/alerts`);
    const entities = JSON.stringify(alerts.body.items);
    expect(entities).toContain('203.0.113.77');
  }, 30_000);
});

describe.skipIf(!PG_URL)('on PostgreSQL (TOCSIN_DATABASE_URL)', () => {
  const schema = `cli_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const url = new URL(PG_URL ?? 'postgres://unset');
  url.searchParams.set('schema', schema);
  const env = { TOCSIN_DATABASE_URL: url.toString(), TOCSIN_DATA_DIR: freshDir() };
  const sql = async (text: string) => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      return await c.query(text);
    } finally {
      await c.end();
    }
  };
  afterAll(() => sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));

  test('migrate, users create, tokens create and audit verify act on the PostgreSQL store', async () => {
    const migrated = await tocsin(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/^applied: 0001_foundation/);
    expect(
      (await tocsin(['users', 'create', '--email', 'ops@example.com', '--name', 'Ops', '--role', 'admin'], env)).code,
    ).toBe(0);
    const token = await tocsin(['tokens', 'create', '--email', 'ops@example.com', '--name', 'pg'], env);
    expect(token.stdout).toMatch(/^tcs_\S+\n$/);
    expect((await sql(`select count(*)::int as n from "${schema}".api_tokens`)).rows[0].n).toBe(1);

    const ok = await tocsin(['audit', 'verify'], env);
    expect(ok).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^audit chain intact: 2 entries verified; head: entry 2, hash [0-9a-f]{64}\n$/),
    });
    await sql(`update "${schema}".audit_log set after_json = replace(after_json, 'pg', 'pwned') where seq = 2`);
    expectOneLineError(await tocsin(['audit', 'verify'], env), /BROKEN at entry 2\b/);
    // Nothing was written to the SQLite data dir.
    expect(fs.readdirSync(env.TOCSIN_DATA_DIR)).toEqual([]);
  }, 90_000); // several CLI processes, each loading the whole server (5-10 s each on a busy machine)
});
