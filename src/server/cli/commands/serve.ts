/** `tocsin serve`: the server in its role, until Ctrl-C or SIGTERM (a second one stops it at once). */
import { Option, type Command } from 'commander';
import { config } from '../context.js';
import { out } from '../table.js';

/** How long past TOCSIN_SHUTDOWN_TIMEOUT_S the whole stop may take (closing the store) before the process exits anyway. */
const STOP_GRACE_MS = 10_000;

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .summary('run the server: all in one process, or its web or worker part (--role)')
    .description(
      'run the server on TOCSIN_HOST:TOCSIN_PORT, on embedded SQLite unless TOCSIN_DATABASE_URL is set; migrates the store and, when it has no users, creates the first administrator. Role all (default): everything in one process. web: API, staff console, public pages, live streams, event ingest (HTTP and syslog). worker: detection, durable jobs, probes, metric scrapes and retention; its port serves only /healthz, /readyz, /metrics and /api/v1/health. Without TOCSIN_NATS_URL one server runs per store (a second is refused); with it, any number of web and worker processes share the store. Stops gracefully on Ctrl-C or SIGTERM (running jobs finish, at most TOCSIN_SHUTDOWN_TIMEOUT_S); a second signal stops at once',
    )
    .addOption(
      new Option('--role <role>', 'what this process runs (overrides TOCSIN_ROLE)').choices(['all', 'web', 'worker']),
    )
    .action(async (opts: { role?: 'all' | 'web' | 'worker' }) => {
      const { serve } = await import('../../serve.js');
      const base = await config();
      const cfg = opts.role ? { ...base, cluster: { ...base.cluster, role: opts.role } } : base;
      const running = await serve(cfg, (email, password) => {
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
      out(
        `Tocsin is running at ${running.url}  (role: ${running.role}, store: ${running.services.config.database.kind})`,
      );
      stopOnSignals(running, cfg.shutdownTimeoutMs);
    });
}

/**
 * SIGINT or SIGTERM: a graceful stop, then exit 0 (1 if it failed or took longer than
 * `shutdownTimeoutMs` plus a grace for closing the store). The same signal again: exit at once
 * (130 / 143), leaving running jobs to another runner once their leases end.
 */
export function stopOnSignals(running: { stop(): Promise<void> }, shutdownTimeoutMs: number): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      process.stderr.write(`tocsin: ${signal} again: stopping now, without waiting for running work\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    signalled = true;
    process.stderr.write(
      `tocsin: ${signal}: stopping (running jobs may take up to ${shutdownTimeoutMs / 1000} s; send it again to stop at once)\n`,
    );
    // However the stop goes, the process ends.
    setTimeout(() => {
      process.stderr.write('tocsin: the stop took too long; exiting\n');
      process.exit(1);
    }, shutdownTimeoutMs + STOP_GRACE_MS).unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`tocsin: stopping failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
