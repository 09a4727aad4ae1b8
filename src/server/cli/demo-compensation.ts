/**
 * `tocsin demo --scenario compensation`: the market-data outage made right (issue 14), run against a
 * running Tocsin as six demo people. Their API tokens are made on the store (as `tocsin tokens create`
 * does: the same TOCSIN_* settings as the server), expire within the hour and are revoked when the
 * scenario ends, whatever happens.
 */
import { serverUrl } from './api-client.js';
import { CliError, cliActor, existingStoreConfig, userByEmail } from './context.js';
import { sandboxFilingCodeReader, sandboxSmsReader } from './portal-customer.js';
import { COMPENSATION_PEOPLE, type CompensationPerson, runCompensation } from './scenario-compensation.js';

export async function runCompensationDemo(o: { incident?: string }, out: (line: string) => void): Promise<void> {
  const cfg = await existingStoreConfig();
  const { compose } = await import('../compose.js');
  const s = await compose(cfg);
  const made: string[] = [];
  try {
    const tokens = {} as Record<CompensationPerson, string>;
    for (const [who, email] of Object.entries(COMPENSATION_PEOPLE) as [CompensationPerson, string][]) {
      const user = await userByEmail(s, email).catch(() => {
        throw new CliError(
          `no demo user ${email}: load the demo first (\`tocsin demo\` on an empty store; a store loaded by an older version lacks this user)`,
        );
      });
      const t = await s.tokens.create(cliActor, user.id, {
        name: 'demo compensation',
        scopes: ['read', 'write'],
        expiresAt: Date.now() + 3_600_000,
      });
      made.push(t.id);
      tokens[who] = t.token;
    }
    // The negotiating customer reads the portal's code from the notify gateway when it lists its texts
    // (`tocsin sandbox`); otherwise their owner records the acceptance given by phone.
    const readSms = cfg.notifyGateway ? sandboxSmsReader(cfg.notifyGateway.url) : undefined;
    const readFilingCode = cfg.notifyGateway ? sandboxFilingCodeReader(cfg.notifyGateway.url) : undefined;
    await runCompensation({ baseUrl: serverUrl(), tokens, log: out, incidentKey: o.incident, readSms, readFilingCode });
  } finally {
    for (const id of made) await s.tokens.revoke(cliActor, id, undefined).catch(() => {});
    await s.close();
  }
}
