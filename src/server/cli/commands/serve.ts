/** `tocsin serve`: the server, until Ctrl-C or SIGTERM. */
import type { Command } from 'commander';
import { config } from '../context.js';
import { out } from '../table.js';

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'run the server on TOCSIN_HOST:TOCSIN_PORT: API, live stream and staff console, on embedded SQLite unless TOCSIN_DATABASE_URL is set; migrates the store and, when it has no users, creates the first administrator; stops on Ctrl-C or SIGTERM',
    )
    .action(async () => {
      const { serve } = await import('../../serve.js');
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
}
