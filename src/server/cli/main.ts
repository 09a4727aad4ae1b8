/**
 * The `tocsin` command line: the program, its help and usage errors. Each command (or group) is defined
 * in commands/ and registered here, in the order `--help` lists them. Commands act on the store named
 * by TOCSIN_DATA_DIR / TOCSIN_DATABASE_URL, or on a running Tocsin through its API (api-client.ts).
 * The store, the server and their libraries load only in the command that needs them, so
 * `tocsin --help` and usage errors answer at once.
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { addAlertsCommands } from './commands/alerts.js';
import { addAuditCommands } from './commands/audit.js';
import { addBackupCommand } from './commands/backup.js';
import { addDemoCommand } from './commands/demo.js';
import { addDetectCommand } from './commands/detect.js';
import { addIncidentsCommands } from './commands/incidents.js';
import { addIngestCommand } from './commands/ingest.js';
import { addMigrateCommand } from './commands/migrate.js';
import { addObligationsCommands } from './commands/obligations.js';
import { addPlansCommands } from './commands/plans.js';
import { addActivityCommands } from './commands/activity.js';
import { addRulesCommands } from './commands/rules.js';
import { addSandboxCommand } from './commands/sandbox.js';
import { addServeCommand } from './commands/serve.js';
import { addSigmaCommands } from './commands/sigma.js';
import { addTokensCommands } from './commands/tokens.js';
import { addUsersCommands } from './commands/users.js';
import { addCustomersCommands } from './commands/customers.js';
import { addCompensationCommands } from './commands/compensation.js';
import { addEvidenceCommands } from './commands/evidence.js';
import { addVulnsCommands } from './commands/vulns.js';
import { addTrainingCommands } from './commands/training.js';
import { addDrillCommands } from './commands/drill.js';
import { addReportCommands } from './commands/report.js';
import { addAccessReviewCommand } from './commands/access-review.js';
import { reportError } from './context.js';

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
  TOCSIN_ROLE          what \`serve\` runs: all (default), web or worker (\`serve --role\` overrides it)
  TOCSIN_NATS_URL      nats://host:4222 (NATS with JetStream): several processes share one store; without
                       it a second \`serve\` on the same store is refused
  TOCSIN_SHUTDOWN_TIMEOUT_S  how long a stopping \`serve\` waits for running jobs (default 25)
  TOCSIN_METRICS_TOKEN bearer token for GET /metrics (required on a port that serves the API)
  TOCSIN_URL, TOCSIN_TOKEN   the running server and API token for \`incidents\`, \`alerts\`, \`rules\`,
                       \`ingest\` and \`demo --scenario\`; without TOCSIN_URL the CLI connects where \`serve\`
                       listens: http://TOCSIN_HOST:TOCSIN_PORT (0.0.0.0 as 127.0.0.1, :: as ::1),
                       default http://127.0.0.1:8080

Examples:
  tocsin serve
  tocsin tokens create --email ops@example.com --name siem --scope read write
  tocsin audit verify
  tocsin evidence add INC-2026-0001 ./capture.pcap --description 'gateway capture'
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
  for (const add of [
    addServeCommand,
    addMigrateCommand,
    addBackupCommand,
    addAuditCommands,
    addTokensCommands,
    addUsersCommands,
    addCustomersCommands,
    addDemoCommand,
    addIngestCommand,
    addDetectCommand,
    addSigmaCommands,
    addRulesCommands,
    addIncidentsCommands,
    addAlertsCommands,
    addPlansCommands,
    addObligationsCommands,
    addActivityCommands,
    addCompensationCommands,
    addEvidenceCommands,
    addSandboxCommand,
    addVulnsCommands,
    addTrainingCommands,
    addDrillCommands,
    addReportCommands,
    addAccessReviewCommand,
  ])
    add(program);
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
