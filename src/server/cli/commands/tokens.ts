/** `tocsin tokens create|list|revoke`: API tokens, on the store. */
import { Option, type Command } from 'commander';
import { TOKEN_SCOPES, type TokenScope } from '../../../shared/enums.js';
import type { Services } from '../../compose.js';
import { cliActor, userByEmail, withServices } from '../context.js';
import { out } from '../table.js';
import { listTokens } from '../tokens-list.js';

async function findUserId(s: Services, email: string): Promise<string> {
  return (await userByEmail(s, email)).id;
}

export function addTokensCommands(program: Command): void {
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
}
