/** The `tocsin` command line. Commands act on the store named by TOCSIN_DATA_DIR / TOCSIN_DATABASE_URL. */
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { TOKEN_SCOPES, USER_ROLES, type TokenScope, type UserRole } from '../../shared/enums.js';
import { compose } from '../compose.js';
import { backupSqlite, migrate, openStore } from '../platform/db/connect.js';
import { randomToken } from '../platform/crypto.js';
import { serve } from '../serve.js';
import { VERSION } from '../version.js';
import { CliError, config, reportError, withServices } from './context.js';
import { demoFirmName, loadDemo, settableClock } from './demo.js';
import { runScenario, SCENARIOS } from './scenario.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const cliActor = { id: null, label: `cli:${process.env.USER ?? 'unknown'}` };

async function findUserId(s: { store: { db: import('../platform/db/types.js').Db } }, email: string): Promise<string> {
  const row = await s.store.db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (!row) throw new CliError(`no user with email ${email}`);
  return row.id;
}

export function buildCli(): Command {
  const program = new Command('tocsin')
    .description('Tocsin 警钟 — incident response and crisis communication for securities firms.\n\nConfiguration comes from TOCSIN_* environment variables (see README).')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('serve')
    .description('run the server: API, live stream and staff console (embedded SQLite unless TOCSIN_DATABASE_URL is set)')
    .action(async () => {
      const running = await serve(config(), (email, password) => {
        if (password === null) return;
        // Shown once on the terminal, never written to the log.
        out('');
        out('┌─ First start: an administrator was created / 首次启动，已创建管理员 ─────────────');
        out(`│  email:    ${email}`);
        out(`│  password: ${password}`);
        out('│  This password is shown only now. Sign in and change it. / 此密码仅显示一次。');
        out('└──────────────────────────────────────────────────────────────────────────────');
        out('');
      });
      out(`Tocsin is running at ${running.url}  (store: ${running.services.config.database.kind})`);
      const stop = async () => {
        await running.stop();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .action(async () => {
      const store = await openStore(config().database);
      try {
        const applied = await migrate(store);
        out(applied.length ? `applied: ${applied.join(', ')}` : 'the store is up to date');
      } finally {
        await store.close();
      }
    });

  program
    .command('backup')
    .description('write a consistent online copy of the SQLite store to FILE (safe while the server runs)')
    .argument('<file>', 'destination file; must not exist')
    .action(async (file: string) => {
      const dest = path.resolve(file);
      if (fs.existsSync(dest)) throw new CliError(`${dest} already exists; choose a new file`);
      const store = await openStore(config().database);
      try {
        await backupSqlite(store, dest);
      } finally {
        await store.close();
      }
      out(`backup written to ${dest} (${fs.statSync(dest).size} bytes)`);
    });

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('check every link of the hash chain; exits 1 naming the first entry that does not verify')
    .action(async () => {
      const r = await withServices((s) => s.audit.verify());
      if (r.ok) out(`audit chain intact: ${r.checked} entries verified`);
      else throw new CliError(`audit chain BROKEN at entry ${r.firstBad!.seq}: ${r.firstBad!.reason} (${r.checked} entries verified before it)`);
    });
  audit
    .command('export')
    .description('write the whole audit log as NDJSON to stdout')
    .action(async () => {
      await withServices(async (s) => {
        for await (const e of s.audit.exportAll()) process.stdout.write(`${JSON.stringify(e)}\n`);
      });
    });

  const tokens = program.command('tokens').description('API tokens for machines and scripts');
  tokens
    .command('create')
    .description('create an API token for a user and print it (only the token) on stdout')
    .requiredOption('--email <email>', 'the user the token acts for')
    .requiredOption('--name <name>', 'what the token is for, e.g. "siem-forwarder"')
    .addOption(new Option('--scope <scope...>', 'scopes').choices([...TOKEN_SCOPES]).default(['read', 'write']))
    .action(async (o: { email: string; name: string; scope: TokenScope[] }) => {
      const created = await withServices(async (s) => s.tokens.create(cliActor, await findUserId(s, o.email), { name: o.name, scopes: o.scope }));
      out(created.token);
    });
  tokens
    .command('list')
    .description('list tokens (of one user with --email)')
    .option('--email <email>', 'only this user\'s tokens')
    .action(async (o: { email?: string }) => {
      await withServices(async (s) => {
        const { items } = await s.tokens.list(o.email ? await findUserId(s, o.email) : undefined, undefined, 200);
        for (const t of items) out(`${t.id}  ${t.prefix}…  ${t.name}  [${t.scopes.join(',')}]${t.revokedAt ? '  revoked' : ''}`);
      });
    });
  tokens
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>')
    .action(async (id: string) => {
      await withServices((s) => s.tokens.revoke(cliActor, id, undefined));
      out(`revoked ${id}`);
    });

  const users = program.command('users').description('user accounts');
  users
    .command('create')
    .description('create a user; prints a generated password unless --password is given')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .addOption(new Option('--role <role>').choices([...USER_ROLES]).makeOptionMandatory())
    .option('--password <password>', 'at least 12 characters')
    .action(async (o: { email: string; name: string; role: UserRole; password?: string }) => {
      if (o.password !== undefined && o.password.length < 12) throw new CliError('--password must be at least 12 characters');
      const password = o.password ?? randomToken(15);
      const u = await withServices((s) => s.users.create(cliActor, { email: o.email, name: o.name, role: o.role, password }));
      out(`created ${u.email} (${u.role})${o.password ? '' : `; password: ${password}`}`);
    });
  users
    .command('list')
    .description('list user accounts')
    .action(async () => {
      await withServices(async (s) => {
        const { items } = await s.users.list(undefined, 200);
        for (const u of items) out(`${u.email}  ${u.role}${u.disabled ? '  disabled' : ''}${u.mfaEnabled ? '  mfa' : ''}`);
      });
    });

  program
    .command('demo')
    .description(`fill an empty store with a fictional firm (${demoFirmName}); with --scenario, replay a scenario into a running Tocsin at TOCSIN_URL`)
    .addOption(new Option('--scenario <name>', 'scenario to replay through the API').choices(Object.keys(SCENARIOS)))
    .option('--password <password>', 'password for the demo users (default: generated and printed)')
    .option('--token <token>', 'API token for --scenario (default: TOCSIN_TOKEN)')
    .action(async (o: { scenario?: string; password?: string; token?: string }) => {
      if (o.scenario) {
        const token = o.token ?? process.env.TOCSIN_TOKEN;
        if (!token) throw new CliError('--scenario needs an API token: --token or TOCSIN_TOKEN (create one with `tocsin tokens create`)');
        const baseUrl = process.env.TOCSIN_URL ?? 'http://127.0.0.1:8080';
        await runScenario(o.scenario, { baseUrl, token, log: out });
        return;
      }
      const clock = settableClock();
      const s = await compose(config(), { clock });
      try {
        const first = await s.users.ensureFirstAdmin(s.config.admin);
        const r = await loadDemo(s, clock, o.password);
        out(`Demo loaded: ${demoFirmName}`);
        out(`  services: ${r.services}; incidents: ${r.incidents.join(', ')}`);
        out(`  users (password ${o.password ? 'as given' : r.password}):`);
        for (const u of r.users) out(`    ${u.email}  ${u.role}`);
        if (first?.password) out(`  administrator ${first.email} / ${first.password} (shown once)`);
        out(`Start the server with \`npm start\` and open ${s.config.publicUrl}`);
      } finally {
        await s.close();
      }
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}
