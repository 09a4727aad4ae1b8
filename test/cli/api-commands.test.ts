/**
 * The CLI commands that talk to a running Tocsin, as a new user runs them: the built CLI in child
 * processes against a real server. Where the CLI finds the server (TOCSIN_URL, else TOCSIN_HOST /
 * TOCSIN_PORT as `serve` uses them), `incidents` and `alerts` (tables, --json, one-line errors: no token,
 * server down, 403 naming the scope, 404), `tokens list` (owner, dates, state; last use recorded), and
 * the audit actor of CLI changes (the OS account, also without $USER).
 */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RuleMatch } from '../../src/server/modules/detection/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { api, buildOnce, lines, tocsin, type CliResult } from './harness.js';
import { SYSTEM } from '../helpers/fixtures.js';

let server: TestServer;
let port: string;
/** read + write */
let token: string;
let readToken: string;
let adminEmail: string;

/** An error the way the CLI promises them: non-zero exit, nothing on stdout, one line on stderr. */
function oneLine(r: CliResult, ...mentions: RegExp[]) {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(lines(r.stderr), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^tocsin: /);
  for (const m of mentions) expect(r.stderr).toMatch(m);
}

beforeAll(async () => {
  await buildOnce();
  server = await startTestServer();
  port = new URL(server.url).port;
  const s = server.running.services;
  const admin = (await s.users.list(undefined, 10)).items[0]!;
  adminEmail = admin.email;
  token = (await s.tokens.create(SYSTEM, admin.id, { name: 'cli-rw', scopes: ['read', 'write'] })).token;
  readToken = (await s.tokens.create(SYSTEM, admin.id, { name: 'cli-ro', scopes: ['read'] })).token;
  await s.catalog.create(SYSTEM, {
    key: 'online-trading',
    nameZh: '网上交易',
    nameEn: 'Online trading',
    description: '',
  });
}, 180_000);
afterAll(() => server?.stop());

describe('where the CLI finds the server', () => {
  test('TOCSIN_PORT alone, as for `serve` (no TOCSIN_URL), and a wildcard TOCSIN_HOST is reached on loopback', async () => {
    for (const env of [
      { TOCSIN_PORT: port },
      { TOCSIN_HOST: '0.0.0.0', TOCSIN_PORT: port },
      { TOCSIN_HOST: '127.0.0.1', TOCSIN_PORT: port },
      { TOCSIN_URL: server.url },
    ]) {
      const r = await tocsin(['incidents', 'list'], { ...env, TOCSIN_TOKEN: token });
      expect(r.code, `${JSON.stringify(env)}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/^no incidents\n$|^KEY /);
    }
  });

  test('nothing set means http://127.0.0.1:8080; bad settings and a server that is down are one line', async () => {
    oneLine(
      await tocsin(['incidents', 'list'], { TOCSIN_TOKEN: token, TOCSIN_PORT: '9' }),
      /cannot reach Tocsin at http:\/\/127\.0\.0\.1:9 .*TOCSIN_URL, else http:\/\/TOCSIN_HOST:TOCSIN_PORT/,
    );
    oneLine(
      await tocsin(['alerts', 'list'], { TOCSIN_TOKEN: token, TOCSIN_HOST: '::', TOCSIN_PORT: '9' }),
      /cannot reach Tocsin at http:\/\/\[::1\]:9/,
    );
    oneLine(
      await tocsin(['incidents', 'list'], { TOCSIN_TOKEN: token, TOCSIN_PORT: 'eighty' }),
      /TOCSIN_PORT must be a port number/,
    );
    oneLine(
      await tocsin(['incidents', 'list'], { TOCSIN_TOKEN: token, TOCSIN_PORT: '0' }),
      /TOCSIN_PORT=0 .*set TOCSIN_URL/,
    );
    oneLine(
      await tocsin(['incidents', 'list'], { TOCSIN_TOKEN: token, TOCSIN_URL: 'localhost:8080' }),
      /TOCSIN_URL must start with http/,
    );
  });

  test('--help says so', async () => {
    const top = await tocsin(['--help'], {});
    expect(top.stdout).toMatch(
      /without TOCSIN_URL the CLI connects where `serve`\s+listens: http:\/\/TOCSIN_HOST:TOCSIN_PORT/,
    );
    for (const c of ['incidents', 'alerts', 'rules'])
      expect((await tocsin([c, '--help'], {})).stdout.replace(/\s+/g, ' ')).toContain(
        'TOCSIN_URL, else http://TOCSIN_HOST:TOCSIN_PORT',
      );
  });
});

describe('tocsin incidents', () => {
  let key = '';
  const env = () => ({ TOCSIN_PORT: port, TOCSIN_TOKEN: token });

  test('declare prints the key and the console link; list shows it as a table and as JSON lines', async () => {
    const d = await tocsin(
      [
        'incidents',
        'declare',
        '--title',
        '行情中断 Quotes stalled',
        '--category',
        'equipment_failure',
        '--grade',
        'III',
        '--service',
        'online-trading',
        '--summary',
        'No Level-2 updates for 60 s',
      ],
      env(),
    );
    expect(d.code, d.stderr).toBe(0);
    key = /^declared (INC-\d{4}-\d{4,}) \(grade III, detected\): 行情中断 Quotes stalled$/m.exec(d.stdout)?.[1] ?? '';
    expect(key, d.stdout).not.toBe('');
    expect(d.stdout).toContain(`console: ${server.url}/incidents/${key}`);

    const list = await tocsin(['incidents', 'list', '--status', 'active'], env());
    expect(list.code, list.stderr).toBe(0);
    const [header, ...rows] = lines(list.stdout);
    expect(header).toMatch(/^KEY +GRADE +STATUS +DETECTED \(UTC[^)]*\) +COMMANDER +TITLE$/);
    expect(rows).toEqual([
      expect.stringMatching(
        new RegExp(`^${key} +III +detected +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +- +行情中断 Quotes stalled$`),
      ),
    ]);

    const json = await tocsin(['incidents', 'list', '--json'], env());
    expect(lines(json.stdout).map((l) => JSON.parse(l).key)).toEqual([key]);
    expect((await tocsin(['incidents', 'list', '--grade', 'I'], env())).stdout).toBe('no incidents\n');
  });

  test('ack and transition move it through the lifecycle; show prints facts, tasks and the timeline in order', async () => {
    const ack = await tocsin(['incidents', 'ack', key.toLowerCase(), '--note', 'on it'], env());
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.stdout).toBe(`${key}: detected -> acknowledged (on it)\n`);
    const moved = await tocsin(['incidents', 'transition', key, 'contained'], env());
    expect(moved.stdout).toBe(`${key}: acknowledged -> contained\n`);

    const show = await tocsin(['incidents', 'show', key], env());
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`^${key}  行情中断 Quotes stalled\n`));
    expect(show.stdout).toMatch(/^ {2}status: +contained$/m);
    expect(show.stdout).toMatch(/^ {2}services: +online-trading$/m);
    expect(show.stdout).toMatch(/^ {2}acknowledged: +\d{4}-\d\d-\d\d \d\d:\d\d$/m);
    const timeline = show.stdout.slice(show.stdout.indexOf('Timeline ('));
    expect(timeline).toMatch(/status_change .*acknowledged[\s\S]*status_change .*contained/);

    const json = JSON.parse((await tocsin(['incidents', 'show', key, '--json'], env())).stdout);
    expect(json).toMatchObject({ key, status: 'contained', timeline: expect.any(Array), tasks: [] });
  });

  test('refusals are one line: illegal transition, unknown incident (404), read-only token (403 naming the scope), no token', async () => {
    oneLine(await tocsin(['incidents', 'transition', key, 'closed'], env()), /answered (409|422): .*contained.*closed/);
    oneLine(
      await tocsin(['incidents', 'show', 'INC-2099-9999'], env()),
      /GET \/api\/v1\/incidents\/INC-2099-9999 answered 404/,
    );
    oneLine(
      await tocsin(['incidents', 'declare', '--title', 'x', '--category', 'other', '--grade', 'IV'], {
        TOCSIN_PORT: port,
        TOCSIN_TOKEN: readToken,
      }),
      /answered 403: .*needs a token with the write scope/,
    );
    oneLine(
      await tocsin(['incidents', 'list'], { TOCSIN_PORT: port }),
      /incidents list needs an API token with the read scope: --token or TOCSIN_TOKEN .*tokens create/,
    );
    oneLine(
      await tocsin(['incidents', 'list'], { TOCSIN_PORT: port, TOCSIN_TOKEN: 'tcs_nope' }),
      /the server refused the API token .*401/,
    );
    oneLine(
      await tocsin(['incidents', 'transition', key, 'resolved'], env()),
      /'resolved'.*(acknowledged|allowed choices)/,
    );
  });
});

describe('tocsin alerts', () => {
  let id = '';
  const env = () => ({ TOCSIN_PORT: port, TOCSIN_TOKEN: token });

  beforeAll(async () => {
    const match: RuleMatch = {
      ruleId: 'cli-test-stuffing',
      ruleTitle: 'Credential stuffing on the trading login',
      level: 'high',
      tags: [],
      kind: 'correlation',
      time: Date.now(),
      events: [
        {
          id: 'cli-ev-1',
          time: Date.now(),
          source: 'api',
          logsource: { product: 'trading_gateway' },
          fields: { src_ip: '203.0.113.77', user: 'A10000001' },
        },
      ],
    };
    const [a] = await server.running.services.alerts.raise([match]);
    id = a!.alertId;
  });

  test('list shows the queue; show prints the alert and its events; ack acknowledges it', async () => {
    const list = await tocsin(['alerts', 'list', '--status', 'active'], env());
    expect(list.code, list.stderr).toBe(0);
    const [header, ...rows] = lines(list.stdout);
    expect(header).toMatch(/^ID +LEVEL +STATUS +COUNT +LAST SEEN \(UTC[^)]*\) +INCIDENT +RULE$/);
    expect(rows).toEqual([
      expect.stringMatching(
        new RegExp(`^${id} +high +open +1 +\\S+ \\S+ +(INC-\\S+|-) +Credential stuffing on the trading login$`),
      ),
    ]);

    const show = await tocsin(['alerts', 'show', id], env());
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^ {2}entities: +.*203\.0\.113\.77/m);
    expect(show.stdout).toMatch(/Events kept \(1 of 1\):\n {2}.*"src_ip":"203\.0\.113\.77"/);

    const ack = await tocsin(['alerts', 'ack', id], env());
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.stdout).toMatch(new RegExp(`^${id}: acknowledged  \\[high\\] Credential stuffing`));
    expect(JSON.parse((await tocsin(['alerts', 'show', id, '--json'], env())).stdout)).toMatchObject({
      id,
      status: 'acknowledged',
    });
  });

  test('refusals are one line', async () => {
    oneLine(await tocsin(['alerts', 'show', '0190aaaa-0000-7000-8000-000000000000'], env()), /answered 404/);
    oneLine(
      await tocsin(['alerts', 'ack', id], { TOCSIN_PORT: port, TOCSIN_TOKEN: readToken }),
      /answered 403: .*write scope/,
    );
    oneLine(await tocsin(['alerts', 'list', '--level', 'urgent'], env()), /urgent/);
  });
});

describe('tocsin tokens list and the audit actor', () => {
  test('shows owner, scopes, created, last used, expires and state; a token used is "last used" (at most one write a minute)', async () => {
    const dataEnv = { TOCSIN_DATA_DIR: server.running.services.config.dataDir };
    const made = await tocsin(
      ['tokens', 'create', '--email', adminEmail, '--name', 'dashboard', '--scope', 'read'],
      dataEnv,
    );
    const fresh = made.stdout.trim();
    let list = await tocsin(['tokens', 'list'], dataEnv);
    expect(list.code, list.stderr).toBe(0);
    const [header] = lines(list.stdout);
    expect(header).toMatch(/^ID +PREFIX +OWNER +SCOPES +CREATED \(UTC[^)]*\) +LAST USED +EXPIRES +STATE +NAME$/);
    const row = () => lines(list.stdout).find((l) => l.endsWith('  dashboard'))!;
    expect(row()).toMatch(
      new RegExp(
        `^\\S+ +tcs_\\S+… +${adminEmail.replace(/\./g, '\\.')} +read +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +never +never +active +dashboard$`,
      ),
    );

    expect((await api(server.url, fresh, 'GET', '/api/v1/incidents')).status).toBe(200);
    list = await tocsin(['tokens', 'list'], dataEnv);
    expect(row()).toMatch(/ read +\d{4}-\d\d-\d\d \d\d:\d\d +\d{4}-\d\d-\d\d \d\d:\d\d +never +active +dashboard$/);
    const used = JSON.parse(
      lines((await tocsin(['tokens', 'list', '--json'], dataEnv)).stdout).find((l) => l.includes('"dashboard"'))!,
    );
    expect(used).toMatchObject({
      name: 'dashboard',
      owner: { email: adminEmail },
      state: 'active',
      lastUsedAt: expect.any(String),
    });
    // Used again at once: not written again (a write per request would be a write per API call).
    expect((await api(server.url, fresh, 'GET', '/api/v1/incidents')).status).toBe(200);
    const again = JSON.parse(
      lines((await tocsin(['tokens', 'list', '--json'], dataEnv)).stdout).find((l) => l.includes('"dashboard"'))!,
    );
    expect(again.lastUsedAt).toBe(used.lastUsedAt);

    const revoked = await tocsin(['tokens', 'revoke', used.id], dataEnv);
    expect(revoked.code, revoked.stderr).toBe(0);
    list = await tocsin(['tokens', 'list'], dataEnv);
    expect(row()).toMatch(/ revoked +dashboard$/);
  }, 90_000); // several CLI processes, each loading the whole server (5-10 s each on a busy machine)

  test('CLI changes are audited as the OS account, also when $USER is unset', async () => {
    const dataEnv = { TOCSIN_DATA_DIR: server.running.services.config.dataDir, USER: undefined, LOGNAME: undefined };
    const r = await tocsin(['tokens', 'create', '--email', adminEmail, '--name', 'no-user-env'], dataEnv);
    expect(r.code, r.stderr).toBe(0);
    const { items } = await server.running.services.audit.list({ action: 'token.create' }, 50);
    const entry = items.find((e) => JSON.stringify(e.after).includes('no-user-env'))!;
    expect(entry.actor.label).toBe(`cli:${os.userInfo().username}`);
    expect(entry.actor.label).not.toBe('cli:unknown');
  });
});

describe('tocsin plans activate', () => {
  test('starts an active plan on an incident, shows it once running, and refuses an unknown plan in one line', async () => {
    const s = server.running.services;
    const fs = await import('node:fs');
    const source = fs.readFileSync('plans/ransomware.yml', 'utf8');
    const { plan, version } = await s.plans.importSource(SYSTEM, source, { file: 'ransomware.yml' });
    await s.plans.approve(SYSTEM, plan.id, version.version);
    await s.plans.activate(SYSTEM, plan.id, version.version);
    const declared = await api(server.url, token, 'POST', '/api/v1/incidents', {
      title: 'File server encrypted',
      category: 'other',
      grade: 'IV',
    });
    const key = (declared.body as { key: string }).key;
    const r = await tocsin(['plans', 'activate', key.toLowerCase(), 'ransomware', '--note', 'by hand'], {
      TOCSIN_URL: server.url,
      TOCSIN_TOKEN: token,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ransomware v${version.version} running on ${key}: `));
    expect(r.stdout).toMatch(/contain +0\/\d+ tasks done/);
    const again = await tocsin(['plans', 'activate', key, 'ransomware', '--json'], {
      TOCSIN_URL: server.url,
      TOCSIN_TOKEN: token,
    });
    expect(JSON.parse(again.stdout)).toMatchObject({ planId: 'ransomware', details: { note: 'by hand' } });
    oneLine(
      await tocsin(['plans', 'activate', key, 'no-such-plan'], { TOCSIN_URL: server.url, TOCSIN_TOKEN: token }),
      /no active plan "no-such-plan"/,
    );
  });
});
