/**
 * Wires customer inquiries (issue 12): the help portal (public pages), the staff inbox and the
 * call-centre intake. Ports: the customer lookup (the customer module's, when wired; default: nobody
 * known), and the ongoing incidents customers may ask about — the status module's unresolved
 * announcements — with the media module's published FAQ.
 */
import type { Config } from './platform/config.js';
import type { Store } from './platform/db/connect.js';
import type { Db } from './platform/db/types.js';
import type { Clock } from './platform/ids.js';
import type { JobRunner } from './platform/jobs/job-runner.js';
import { loadSecretKeys, type SecretBox } from './platform/secret-box.js';
import type { AuditService } from './modules/audit/index.js';
import type { IncidentService } from './modules/incident/index.js';
import {
  createInquiries,
  createInquiryKeys,
  type CustomerLookup,
  DEFAULT_SLA,
  type InquiryEscalationPort,
  type InquirySla,
  inquiryPortalRoutes,
  NO_CUSTOMERS,
  type PortalTopics,
} from './modules/inquiry/index.js';
import type { PublicFacts } from './modules/media/index.js';
import type { StatusModule } from './modules/status/index.js';
import { createSubscribeThrottle, type SubscribeThrottlePolicy } from './modules/subscription/index.js';
import type { UserService } from './modules/user/index.js';

export interface InquiryOptions {
  /** The customer module's lookup by phone or email (default: nobody is known). */
  customers?: CustomerLookup;
  /** Hours to answer by channel and tier (default: DEFAULT_SLA). */
  inquirySla?: InquirySla;
  /** The help portal's budgets: questions per IP and per contact, checks per IP and per reference. */
  helpThrottle?: { ask?: SubscribeThrottlePolicy; check?: SubscribeThrottlePolicy };
}

const ASK_THROTTLE: SubscribeThrottlePolicy = { perIp: 20, perAddress: 5, windowMs: 3_600_000 };
const CHECK_THROTTLE: SubscribeThrottlePolicy = { perIp: 60, perAddress: 10, windowMs: 3_600_000 };

export function wireInquiries(
  core: {
    store: Store;
    config: Config;
    clock: Clock;
    jobs: JobRunner;
    audit: AuditService;
    users: UserService;
    incidents: IncidentService;
    secretBox: SecretBox;
    status: StatusModule;
    facts: PublicFacts;
    /** Overdue inquiries to the customer's owner (the owner module). */
    escalation: InquiryEscalationPort;
  },
  opts: InquiryOptions,
) {
  const { store, config, clock, secretBox, status, facts } = core;
  const keys = createInquiryKeys(() => {
    void secretBox.keyId;
    return loadSecretKeys({ ...config.secretKeys, dataDir: config.dataDir }, () => {});
  });
  const faqOf = async (ids: string[], db: Db = store.db) => (await facts.forIncidents(db, ids)).faq;
  const topics: PortalTopics = {
    async ongoing() {
      const { items } = await status.announcements.list(undefined, 100);
      const open = items.filter((a) => a.status !== 'resolved');
      const seen = new Set<string>();
      const unique = open.filter((a) => !seen.has(a.incidentId) && seen.add(a.incidentId));
      const faq = await faqOf(unique.map((a) => a.incidentId));
      return unique.map((a) => ({ incidentId: a.incidentId, title: a.title, faq: faq.get(a.incidentId) ?? [] }));
    },
    faqOf: async (db, incidentId) => (await faqOf([incidentId], db)).get(incidentId) ?? [],
  };
  const throttle = (prefix: string, policy: SubscribeThrottlePolicy) =>
    createSubscribeThrottle({ store, clock, policy, scope: { prefix, requests: 'help portal requests' } });
  const inquiries = createInquiries(
    {
      ...core,
      keys,
      customers: opts.customers ?? NO_CUSTOMERS,
      topics,
      sla: opts.inquirySla ?? DEFAULT_SLA,
    },
    {
      ask: throttle('help:', opts.helpThrottle?.ask ?? ASK_THROTTLE),
      check: throttle('help-check:', opts.helpThrottle?.check ?? CHECK_THROTTLE),
    },
    { jobs: core.jobs, mail: config.mail, messageDomain: new URL(config.publicUrl).hostname || 'tocsin.invalid' },
  );
  return {
    inquiries,
    helpRoutes: inquiryPortalRoutes({ portal: inquiries.portal, siteName: config.status.name }),
  };
}
