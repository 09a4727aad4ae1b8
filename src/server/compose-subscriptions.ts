/**
 * Wires the subscribers of the public status site (issue 11): the public subscribe / confirm /
 * unsubscribe service, the staff side, and the jobs that mail and post to subscribers on the outbox
 * event `announcement.published`. Called by compose.ts once the response modules exist (it reuses
 * their secret box: addresses and webhook secrets are sealed with the connectors' key).
 */
import type { Config } from './platform/config.js';
import type { Store } from './platform/db/connect.js';
import type { Clock } from './platform/ids.js';
import type { JobRunner } from './platform/jobs/job-runner.js';
import type { Outbox } from './platform/jobs/outbox.js';
import { createOutboundGuard } from './platform/outbound-guard.js';
import { loadSecretKeys, type SecretBox } from './platform/secret-box.js';
import type { AuditService } from './modules/audit/index.js';
import {
  createMailer,
  createSubscribeThrottle,
  createSubscriptionAdmin,
  createSubscriptionKeys,
  createSubscriptionService,
  wireSubscriptionJobs,
} from './modules/subscription/index.js';
import type { DomainEvents, ResponseOptions } from './compose-response.js';

export function wireSubscriptions(
  core: {
    store: Store;
    config: Config;
    clock: Clock;
    jobs: JobRunner;
    outbox: Outbox<DomainEvents>;
    audit: AuditService;
    secretBox: SecretBox;
  },
  opts: ResponseOptions,
) {
  const { store, config, clock, jobs, outbox, audit, secretBox } = core;
  // The same keys as the secret box (TOCSIN_SECRET_KEY or <data dir>/secret.key): opening the box first
  // makes the key file when it is missing, with the box's own notice.
  const keys = createSubscriptionKeys(() => {
    void secretBox.keyId;
    return loadSecretKeys({ ...config.secretKeys, dataDir: config.dataDir }, () => {});
  });
  const guard = createOutboundGuard({
    denyCidrs: config.probes.denyCidrs,
    allowCidrs: config.probes.allowCidrs,
    allowLoopback: config.probes.allowLoopback,
  });
  const subscriptions = createSubscriptionService({
    store,
    audit,
    clock,
    jobs,
    secretBox,
    keys,
    throttle: createSubscribeThrottle({ store, clock, policy: opts.subscribeThrottle }),
  });
  const subscriptionAdmin = createSubscriptionAdmin({ store, audit, clock, secretBox, guard });
  wireSubscriptionJobs({
    store,
    clock,
    jobs,
    outbox,
    secretBox,
    keys,
    reader: opts.announcements ?? { get: async () => null },
    mailer: config.mail.smtpUrl ? createMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from }) : null,
    guard,
    siteUrl: config.status.baseUrl,
  });
  return { subscriptions, subscriptionAdmin };
}
