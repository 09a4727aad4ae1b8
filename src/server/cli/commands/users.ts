/** `tocsin users …`: user accounts, on the store (create, list here; passwords and sign-in locks in users-password.ts). */
import { Option, type Command } from 'commander';
import { USER_ROLES, type UserRole } from '../../../shared/enums.js';
import { CliError, cliActor, withServices } from '../context.js';
import { out } from '../table.js';
import { addUserPasswordCommands } from './users-password.js';

export function addUsersCommands(program: Command): void {
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
      const { randomToken } = await import('../../platform/crypto.js');
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
  addUserPasswordCommands(program);
}
