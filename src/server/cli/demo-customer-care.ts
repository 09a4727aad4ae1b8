/**
 * `tocsin demo --scenario customer-care`: the customer part of the credential-stuffing demo, run
 * against a running Tocsin as four demo people. Their API tokens are made on the store (as `tocsin
 * tokens create` does: the same TOCSIN_* settings as the server), expire within the hour and are
 * revoked when the scenario ends, whatever happens.
 */
import type { Config } from '../platform/config.js';
import { serverUrl } from './api-client.js';
import { CliError, cliActor, config, existingStoreConfig, userByEmail } from './context.js';
import { demoAskers } from './demo-customers.js';
import { DEMO_FIRM } from './demo-data.js';
import { type CareTokens, runCustomerCare } from './scenario-customer-care.js';

const PEOPLE: Record<keyof CareTokens, string> = {
  service: `sun.li@${DEMO_FIRM.domain}`,
  comms: `zhao.min@${DEMO_FIRM.domain}`,
  commander: `chen.jie@${DEMO_FIRM.domain}`,
  compliance: `zhou.qiang@${DEMO_FIRM.domain}`,
};

/** What the server needs to send the notice to the sandbox (checked on this process's settings, which it shares). */
function sandboxSettings(cfg: Config): void {
  const missing = [
    cfg.mail.smtpUrl ? null : 'TOCSIN_SMTP_URL=smtp://127.0.0.1:7105',
    cfg.notifyGateway ? null : 'TOCSIN_NOTIFY_GATEWAY_URL=http://127.0.0.1:7108',
    cfg.notifyGateway ? null : 'TOCSIN_NOTIFY_GATEWAY_SECRET=sandbox-notify-signing-secret',
    cfg.probes.allowLoopback ? null : 'TOCSIN_PROBE_ALLOW_LOOPBACK=true',
  ].filter((x): x is string => x !== null);
  if (missing.length)
    throw new CliError(
      `the customer notice goes out through \`tocsin sandbox\`: start the server (and run this) with ${missing.join(' ')}`,
    );
}

export async function runCustomerCareDemo(o: { incident?: string }, out: (line: string) => void): Promise<void> {
  sandboxSettings(await config());
  const cfg = await existingStoreConfig();
  const { compose } = await import('../compose.js');
  const s = await compose(cfg);
  const made: string[] = [];
  try {
    const tokens = {} as CareTokens;
    for (const [role, email] of Object.entries(PEOPLE) as [keyof CareTokens, string][]) {
      const user = await userByEmail(s, email).catch(() => {
        throw new CliError(`no demo user ${email}: load the demo first (\`tocsin demo\` on an empty store)`);
      });
      const t = await s.tokens.create(cliActor, user.id, {
        name: 'demo customer-care',
        scopes: ['read', 'write'],
        expiresAt: Date.now() + 3_600_000,
      });
      made.push(t.id);
      tokens[role] = t.token;
    }
    const gateway = cfg.notifyGateway ? new URL(cfg.notifyGateway.url) : null;
    await runCustomerCare({
      baseUrl: serverUrl(),
      tokens,
      log: out,
      incidentKey: o.incident,
      askers: demoAskers(),
      // The sandbox's gateway sends its delivery receipts when asked (a real one does by itself).
      flushReceipts:
        gateway && ['127.0.0.1', 'localhost'].includes(gateway.hostname)
          ? async () => {
              await fetch(new URL('/_sandbox/receipts/flush', gateway), {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: '{"status":"delivered"}',
              }).catch(() => null);
            }
          : undefined,
    });
  } finally {
    for (const id of made) await s.tokens.revoke(cliActor, id, undefined).catch(() => {});
    await s.close();
  }
}
