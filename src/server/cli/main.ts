/** The `tocsin` command line. Commands act on the store named by TOCSIN_DATA_DIR / TOCSIN_DATABASE_URL. */
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { TOKEN_SCOPES, USER_ROLES, type TokenScope, type UserRole } from '../../shared/enums.js';
import type { Services } from '../compose.js';
import { VERSION } from '../version.js';
import { CliError, config, existingStoreConfig, osAccount, reportError, withServices } from './context.js';
import { DEMO_FIRM } from './demo-data.js';
import { runScenario, SCENARIOS } from './scenario.js';
import { addIngestCommand } from './ingest.js';
import { addDetectCommands } from './detect.js';
import { addRulesCommands } from './rules.js';
import { addUserPasswordCommands } from './users.js';
import { addIncidentCommands } from './incidents.js';
import { addAlertCommands } from './alerts.js';
import { apiTarget, SERVER_HELP } from './api-client.js';
import { listTokens } from './tokens-list.js';

// The store, the server and their libraries load only in the command that needs them,
// so `tocsin --help` and usage errors answer at once.
const db = () => import('../platform/db/connect.js');

const out = (line: string) => process.stdout.write(`${line}\n`);
const cliActor = { id: null, label: `cli:${osAccount()}` };

const demoFirmName = `${DEMO_FIRM.nameZh} ${DEMO_FIRM.nameEn}`;

async function findUserId(s: Services, email: string): Promise<string> {
  // users.ts holds the look-up (and its error); imported here so this function moves as it is.
  const { userByEmail } = await import('./users.js');
  return (await userByEmail(s, email)).id;
}

const ENVIRONMENT = `
Environment (the store commands act on the store these name, whether or not a server runs on it):
  TOCSIN_DATA_DIR      data directory of the embedded SQLite store (default ./data)
  TOCSIN_DATABASE_URL  postgres://user@host/db to use PostgreSQL instead of SQLite
  TOCSIN_HOST, TOCSIN_PORT   where \`serve\` listens (default 127.0.0.1:8080)
  TOCSIN_PUBLIC_URL    the address people reach the console at (links, secure cookies)
  TOCSIN_LOG_LEVEL     fatal|error|warn|info|debug|trace|silent (default info)
  TOCSIN_ADMIN_EMAIL, TOCSIN_ADMIN_PASSWORD  first administrator, created on first start
  TOCSIN_REQUIRE_MFA   none|admins|all (default none)
  TOCSIN_INGEST_MAX_EVENTS   events in one POST /api/v1/events request (default 100000; more get 413)
  TOCSIN_URL, TOCSIN_TOKEN   the running server and API token for \`incidents\`, \`alerts\`, \`rules\`,
                       \`ingest\` and \`demo --scenario\`; without TOCSIN_URL the CLI connects where \`serve\`
                       listens: http://TOCSIN_HOST:TOCSIN_PORT (0.0.0.0 as 127.0.0.1, :: as ::1),
                       default http://127.0.0.1:8080

Examples:
  tocsin serve
  tocsin tokens create --email ops@example.com --name siem --scope read write
  tocsin audit verify
  tocsin backup /backups/tocsin-$(date +%F).db
  TOCSIN_PORT=9090 TOCSIN_TOKEN=tcs_... tocsin incidents list --status active`;

/**
 * Commander's own usage errors as one line, with the help to read. Commander shares one output
 * configuration among all commands, so the command in error is found from the arguments.
 */
function oneLineUsageErrors(program: Command): void {
  program.configureOutput({
    outputError: (str, write) => {
      const names = [program.name()];
      let cmd = program;
      for (const arg of process.argv.slice(2)) {
        const sub = arg.startsWith('-') ? undefined : cmd.commands.find((c) => c.name() === arg);
        if (!sub) break;
        names.push(sub.name());
        cmd = sub;
      }
      write(
        `tocsin: ${str
          .trim()
          .replace(/^error: /, '')
          .replace(/\s*\n\s*/g, ' ')} (see \`${names.join(' ')} --help\`)\n`,
      );
    },
  });
}

export function buildCli(): Command {
  const program = new Command('tocsin')
    .description('Tocsin 警钟 — incident response and crisis communication for securities firms.')
    .version(VERSION)
    .addHelpText('after', ENVIRONMENT);

  program
    .command('serve')
    .description(
      'run the server on TOCSIN_HOST:TOCSIN_PORT: API, live stream and staff console, on embedded SQLite unless TOCSIN_DATABASE_URL is set; migrates the store and, when it has no users, creates the first administrator; stops on Ctrl-C or SIGTERM',
    )
    .action(async () => {
      const { serve } = await import('../serve.js');
      const running = await serve(config(), (email, password) => {
        if (password === null) return;
        // Shown once on the terminal, never written to the log.
        out('');
        out('┌─ First start: an administrator was created / 首次启动，已创建管理员 ─────────────');
        out(`│  email:    ${email}`);
        out(`│  password: ${password}`);
        out(
          '│  One-time password, shown only now: the first sign-in asks for a new one. / 一次性密码，仅显示一次；首次登录时须设置新密码。',
        );
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
    .description('apply pending database migrations and exit (serve also applies them on start)')
    .action(async () => {
      const { migrate, openStore } = await db();
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
    .description(
      'write a consistent copy of the SQLite store to FILE while the server keeps running (PostgreSQL: use pg_dump)',
    )
    .argument('<file>', 'destination file; must not exist yet')
    .action(async (file: string) => {
      const dest = path.resolve(file);
      if (fs.existsSync(dest)) throw new CliError(`${dest} already exists; choose a new file`);
      const cfg = existingStoreConfig();
      if (cfg.database.kind !== 'sqlite')
        throw new CliError('backup copies the embedded SQLite store; back up PostgreSQL with pg_dump');
      // Copy beside the destination, then rename: an interrupted backup never leaves a half file at FILE.
      const partial = `${dest}.partial-${process.pid}`;
      const { backupSqlite, openStore } = await db();
      const store = await openStore(cfg.database);
      try {
        await backupSqlite(store, partial);
        fs.renameSync(partial, dest);
      } catch (err) {
        fs.rmSync(partial, { force: true });
        throw err;
      } finally {
        await store.close();
      }
      out(`backup written to ${dest} (${fs.statSync(dest).size} bytes)`);
    });

  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'check every link of the hash chain; exits 0 when intact, 1 naming the first entry that does not verify',
    )
    .option(
      '--anchors <file>',
      'also check the anchors in FILE (lines written by `tocsin audit anchor`): each anchored entry must still be there with its hash, so entries cut off the end or a rewritten chain show',
    )
    .action(async (o: { anchors?: string }) => {
      const anchors = o.anchors ? readAnchors(o.anchors) : [];
      const r = await withServices((s) => s.audit.verify({ anchors }), { existing: true });
      if (!r.ok)
        throw new CliError(
          `audit chain BROKEN at entry ${r.firstBad!.seq}: ${r.firstBad!.reason} (${r.checked} entries verified before it)`,
        );
      out(
        `audit chain intact: ${r.checked} entries verified${anchors.length ? `, ${anchors.length} anchor(s) match` : ''}${r.head ? `; head: entry ${r.head.seq}, hash ${r.head.hash}` : ''}`,
      );
    });
  audit
    .command('anchor')
    .description(
      "print the newest audit entry's number and hash as one JSON line, after verifying the chain: append it to a file kept elsewhere (other storage, a ticket, mail to compliance) and check against it later with `verify --anchors`",
    )
    .action(async () => {
      const r = await withServices((s) => s.audit.verify(), { existing: true });
      if (!r.ok)
        throw new CliError(
          `audit chain BROKEN at entry ${r.firstBad!.seq}: ${r.firstBad!.reason}; not anchoring a broken chain`,
        );
      if (!r.head) throw new CliError('the audit log is empty: nothing to anchor yet');
      process.stdout.write(`${JSON.stringify({ seq: r.head.seq, hash: r.head.hash, at: new Date().toISOString() })}\n`);
    });
  audit
    .command('export')
    .description('write the whole audit log, oldest first, as NDJSON (one JSON entry a line) to stdout')
    .action(async () => {
      await withServices(
        async (s) => {
          for await (const e of s.audit.exportAll()) process.stdout.write(`${JSON.stringify(e)}\n`);
        },
        { existing: true },
      );
    });

  const tokens = program.command('tokens').description('API tokens for machines and scripts');
  tokens
    .command('create')
    .description(
      'create an API token acting for a user and print it, and nothing else, on stdout (use it as `Authorization: Bearer TOKEN`; it is shown only once)',
    )
    .requiredOption('--email <email>', "the user the token acts for; it can do no more than this user's role allows")
    .requiredOption('--name <name>', 'what the token is for, e.g. "siem-forwarder"')
    .addOption(
      new Option('--scope <scope...>', 'what the token may do; one or more')
        .choices([...TOKEN_SCOPES])
        .default(['read', 'write']),
    )
    .action(async (o: { email: string; name: string; scope: TokenScope[] }) => {
      const created = await withServices(
        async (s) => s.tokens.create(cliActor, await findUserId(s, o.email), { name: o.name, scopes: o.scope }),
        { existing: true },
      );
      out(created.token);
    });
  tokens
    .command('list')
    .description(
      'list API tokens: id, prefix, owner, scopes, created, last used (updated at most once a minute), expires, state (active, revoked, expired), name; at most 200; never shows the secrets',
    )
    .option('--email <email>', "only this user's tokens")
    .option('--json', 'one JSON object a line')
    .action(async (o: { email?: string; json?: boolean }) => {
      await withServices(
        async (s) => listTokens(s, o.email ? await findUserId(s, o.email) : undefined, o.json === true, out),
        { existing: true },
      );
    });
  tokens
    .command('revoke')
    .description('revoke an API token; it stops working at once')
    .argument('<id>', 'the token id, as `tokens list` shows it')
    .action(async (id: string) => {
      await withServices((s) => s.tokens.revoke(cliActor, id, undefined), { existing: true });
      out(`revoked ${id}`);
    });

  const users = program.command('users').description('user accounts');
  users
    .command('create')
    .description(
      'create a local user account; prints a generated one-time password (changed at the first sign-in) unless --password is given',
    )
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'what the user may do').choices([...USER_ROLES]).makeOptionMandatory())
    .option(
      '--password <password>',
      'initial password, at least 12 characters (it shows in shell history; prefer the generated one)',
    )
    .action(async (o: { email: string; name: string; role: UserRole; password?: string }) => {
      if (o.password !== undefined && o.password.length < 12)
        throw new CliError('--password must be at least 12 characters');
      const { randomToken } = await import('../platform/crypto.js');
      const password = o.password ?? randomToken(15);
      const u = await withServices((s) =>
        s.users.create(cliActor, {
          email: o.email,
          name: o.name,
          role: o.role,
          password,
          mustChangePassword: o.password === undefined,
        }),
      );
      out(`created ${u.email} (${u.role})${o.password ? '' : `; password: ${password}`}`);
    });
  users
    .command('list')
    .description('list user accounts (email, role, disabled, mfa), at most 200')
    .action(async () => {
      await withServices(
        async (s) => {
          const { items } = await s.users.list(undefined, 200);
          const ew = Math.max(0, ...items.map((u) => u.email.length));
          const rw = Math.max(0, ...items.map((u) => u.role.length));
          for (const u of items)
            out(
              `${u.email.padEnd(ew)}  ${u.role.padEnd(rw)}${u.disabled ? '  disabled' : ''}${u.mfaEnabled ? '  mfa' : ''}`.trimEnd(),
            );
        },
        { existing: true },
      );
    });

  program
    .command('demo')
    .description(
      `fill an empty store with a fictional firm (${demoFirmName}): services, users of every role, past and open incidents, two probes of Tocsin itself; with --scenario, replay a scenario into a running Tocsin through its API`,
    )
    .addOption(
      new Option(
        '--scenario <name>',
        `scenario to replay through the API of a running Tocsin (${SERVER_HELP}): ${Object.entries(SCENARIOS)
          .map(([k, v]) => `${k} (${v.description})`)
          .join('; ')}`,
      ).choices(Object.keys(SCENARIOS)),
    )
    .option('--password <password>', 'password for the demo users (default: generated and printed)')
    .option(
      '--token <token>',
      'API token for --scenario, from `tocsin tokens create --scope read write events` (default: TOCSIN_TOKEN)',
    )
    .action(async (o: { scenario?: string; password?: string; token?: string }) => {
      if (o.scenario) {
        const target = apiTarget(
          o,
          `demo --scenario ${o.scenario}`,
          o.scenario === 'credential-stuffing' ? 'events' : 'write',
        );
        await runScenario(o.scenario, { ...target, log: out });
        return;
      }
      const [{ compose }, { loadDemo, printDemo, settableClock }] = await Promise.all([
        import('../compose.js'),
        import('./demo.js'),
      ]);
      const clock = settableClock();
      const s = await compose(config(), { clock });
      try {
        const first = await s.users.ensureFirstAdmin(s.config.admin);
        const r = await loadDemo(s, clock, o.password);
        printDemo(out, r, { passwordGiven: o.password !== undefined, admin: first, url: s.config.publicUrl });
      } finally {
        await s.close();
      }
    });

  addIngestCommand(program);
  addDetectCommands(program);
  addRulesCommands(program);
  addUserPasswordCommands(program);
  addIncidentCommands(program);
  addAlertCommands(program);
  oneLineUsageErrors(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // Output piped into `head` and closed early is not an error of the command.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/** Anchors from an NDJSON file (one {"seq", "hash"} a line); a bad line is a one-line error naming it. */
function readAnchors(file: string): { seq: number; hash: string }[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read the anchors file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      const a = JSON.parse(line) as { seq?: unknown; hash?: unknown };
      if (
        Number.isInteger(a.seq) &&
        (a.seq as number) > 0 &&
        typeof a.hash === 'string' &&
        /^[0-9a-f]{64}$/.test(a.hash)
      )
        return [{ seq: a.seq as number, hash: a.hash }];
    } catch {
      // reported below
    }
    throw new CliError(
      `${file} line ${i + 1} is not an anchor: expected {"seq": N, "hash": "<64 hex>"} as written by tocsin audit anchor`,
    );
  });
}
