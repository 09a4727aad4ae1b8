/** `tocsin users reset-password` and `tocsin users unlock`: for an administrator locked out of the console. */
import type { Command } from 'commander';
import { cliActor, userByEmail, withServices } from '../context.js';
import { out } from '../table.js';

/** Adds the password and sign-in-lock commands to the `users` command group. */
export function addUserPasswordCommands(program: Command): void {
  const users =
    program.commands.find((c) => c.name() === 'users') ?? program.command('users').description('user accounts');
  users
    .command('reset-password')
    .description(
      'give a user a new one-time password, printed once, which they must change at their next sign-in; ends their sessions and clears their sign-in throttle (for an administrator locked out of the console)',
    )
    .requiredOption('--email <email>', "the user's sign-in email")
    .action(async (o: { email: string }) => {
      const r = await withServices(async (s) => s.credentials.reset(cliActor, (await userByEmail(s, o.email)).id), {
        existing: true,
      });
      out(`one-time password for ${r.user.email}: ${r.password}`);
      out(
        'It is shown only now; the next sign-in must choose a new password. / 一次性密码仅显示一次，下次登录时须设置新密码。',
      );
    });
  users
    .command('unlock')
    .description(
      "clear a user's sign-in throttle: every address they tried from starts afresh and passes the address-wide and account-wide budgets for an hour",
    )
    .requiredOption('--email <email>', "the user's sign-in email")
    .action(async (o: { email: string }) => {
      const { user, state } = await withServices(
        async (s) => {
          const user = await userByEmail(s, o.email);
          return { user, state: await s.credentials.unlock(cliActor, user.id) };
        },
        { existing: true },
      );
      out(`unlocked ${user.email} (${state.addresses.length} address(es) cleared)`);
    });
}
