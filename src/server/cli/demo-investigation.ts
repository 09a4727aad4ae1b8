/**
 * `tocsin demo --scenario investigation`: the credential-stuffing incident investigated (issue 15), run
 * against a running Tocsin as four demo people. Their API tokens are made on the store (as `tocsin tokens
 * create` does), expire within the hour and are revoked when the scenario ends, whatever happens.
 */
import type { TokenScope } from '../../shared/enums.js';
import { serverUrl } from './api-client.js';
import { CliError, cliActor, existingStoreConfig, userByEmail } from './context.js';
import { INVESTIGATION_PEOPLE, type InvestigationPerson, runInvestigation } from './scenario-investigation.js';

export async function runInvestigationDemo(o: { incident?: string }, out: (line: string) => void): Promise<void> {
  const cfg = await existingStoreConfig();
  const { compose } = await import('../compose.js');
  const s = await compose(cfg);
  const made: string[] = [];
  try {
    const tokens = {} as Record<InvestigationPerson, string>;
    for (const [who, email] of Object.entries(INVESTIGATION_PEOPLE) as [InvestigationPerson, string][]) {
      const user = await userByEmail(s, email).catch(() => {
        throw new CliError(`no demo user ${email}: load the demo first (\`tocsin demo\` on an empty store)`);
      });
      // Detection rules need the admin scope (rule.manage); the replayed event the events scope.
      const scopes: TokenScope[] =
        who === 'investigator'
          ? ['read', 'write', 'events']
          : who === 'commander'
            ? ['read', 'write', 'admin']
            : ['read', 'write'];
      const t = await s.tokens.create(cliActor, user.id, {
        name: 'demo investigation',
        scopes,
        expiresAt: Date.now() + 3_600_000,
      });
      made.push(t.id);
      tokens[who] = t.token;
    }
    await runInvestigation({ baseUrl: serverUrl(), tokens, log: out, incidentKey: o.incident });
  } finally {
    for (const id of made) await s.tokens.revoke(cliActor, id, undefined).catch(() => {});
    await s.close();
  }
}
