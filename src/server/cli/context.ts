/**
 * Helpers shared by CLI commands: configuration, the store, one-line errors. Light to import: every
 * command's module imports it when the program is built (`--help` too), so the configuration's schema
 * and the store load only when a command asks for them.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Services } from '../compose.js';
import type { Config } from '../platform/config.js';
import { ConfigError } from '../platform/config-error.js';
import { AppError } from '../platform/errors.js';
import type { User } from '../../shared/user-schemas.js';
import { CliError } from './cli-error.js';

export { CliError };

/**
 * Who runs the CLI, for the audit log: the operating-system account (not $USER, which a script or a
 * service manager may leave unset or set to anything); $USER / $USERNAME only when the OS cannot say.
 */
export function osAccount(): string {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry for this uid (some containers)
  }
  return process.env.USER || process.env.USERNAME || 'unknown';
}

/** The audit actor of the store commands: no user, the operating-system account. */
export const cliActor = { id: null, label: `cli:${osAccount()}` };

export async function config(): Promise<Config> {
  const { loadConfig } = await import('../platform/config.js');
  return loadConfig();
}

/**
 * The configuration, for a command that only makes sense on a store that already exists.
 * Opening SQLite creates the file, so without this check a mistyped TOCSIN_DATA_DIR would
 * quietly make an empty store and, say, `audit verify` would call its empty chain intact.
 */
export async function existingStoreConfig(): Promise<Config> {
  const cfg = await config();
  if (cfg.database.kind === 'sqlite' && !fs.existsSync(cfg.database.file)) {
    throw new CliError(
      `no Tocsin store at ${cfg.database.file}; point TOCSIN_DATA_DIR (or TOCSIN_DATABASE_URL) at the server's store`,
    );
  }
  return cfg;
}

/** Runs `fn` with the store named by the environment, closing it afterwards. */
export async function withServices<T>(fn: (s: Services) => Promise<T>, opts: { existing?: boolean } = {}): Promise<T> {
  const cfg = await (opts.existing ? existingStoreConfig() : config());
  const { compose } = await import('../compose.js');
  const s = await compose(cfg);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/** Turns any error into one line on stderr and an exit code. */
export function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    process.stderr.write(`tocsin: invalid configuration: ${err.problems.join('; ')}\n`);
    return 2;
  }
  if (err instanceof CliError) {
    process.stderr.write(`tocsin: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof AppError) {
    const fields = err.errors?.length ? ` (${err.errors.map((e) => `${e.path}: ${e.message}`).join('; ')})` : '';
    process.stderr.write(`tocsin: ${err.message}${fields}\n`);
    return 1;
  }
  const sys = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (sys?.code === 'EADDRINUSE' || sys?.code === 'EACCES') {
    const why = sys.code === 'EADDRINUSE' ? 'is in use (another Tocsin?)' : 'needs privileges';
    process.stderr.write(
      `tocsin: cannot listen on ${sys.address ?? 'the host'}:${sys.port ?? '?'}: the port ${why}; choose another with TOCSIN_PORT\n`,
    );
    return 1;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`tocsin: ${msg.split('\n')[0]}\n`);
  return 1;
}

/** The account with this sign-in email; a one-line CLI error naming `tocsin users list` when there is none. */
export async function userByEmail(s: Services, email: string): Promise<User> {
  const user = await s.users.byEmail(email);
  if (!user) throw new CliError(`no user with email ${email} (list them with \`tocsin users list\`)`);
  return user;
}
