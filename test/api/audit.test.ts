/** The audit chain over HTTP: every change leaves an entry; tampering is found; auditors browse, verify and export. */
import type { InjectOptions } from 'fastify';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/server/http/app.js';
import { DEFAULT_SESSION_POLICY } from '../../src/shared/session-policy-schemas.js';
import { createTestApp, PASSWORD, sessionOf, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert, buildIncident, buildToken, buildUser } from '../helpers/fixtures.js';
import { approvedNotice } from '../helpers/campaigns.js';
import { insertCustomer } from '../helpers/customers.js';
import { expectProblem } from '../helpers/problem.js';
import { countRows, STORE_KINDS } from '../helpers/store.js';
import { configFileFixture } from '../helpers/config-file.js';
import { fixtureKpiSource } from '../helpers/kpi-snapshots.js';
import fs from 'node:fs';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import { multipartBody, type UploadFile } from '../helpers/multipart.js';
const uploadedRule = (id: string) =>
  `title: Audit probe\nid: ${id}\nlogsource: {product: audit}\ndetection: {sel: {probe: yes}, condition: sel}\nlevel: low\n`;
const declare = (title = 'Bank-securities transfer failing') =>
  ({ title, category: 'equipment_failure', grade: 'II' }) as const;

const auditCount = (t: TestApp) => countRows(t.s.store, 'audit_log');

/** A directory whose SCIM client provisions users (docs/scim.md): its token is `scim:corp`, scope scim. */
const identityFiles = configFileFixture('TOCSIN_IDENTITY_FILE', 'identity');
const SCIM_DIRECTORY = `providers:
  - id: corp
    kind: oidc
    label: Firm SSO
    issuer: https://login.firm.test
    clientId: tocsin
    scim: true
    roles: [{ group: soc, role: responder }]
`;
const SCIM_PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface WriteCase {
  /** `METHOD url` as in the route table. */
  route: string;
  action: string;
  /** Builds the request (and whatever it needs) before the entries are counted. */
  prepare: () => Promise<{ session: Session | null; req: InjectOptions }>;
}

describe.each(STORE_KINDS)('audit chain (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let auditor: Session;
  let responder: Session;
  let n = 0;
  let scimToken = '';

  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
    t = await createTestApp(
      kind,
      { TOCSIN_IDENTITY_FILE: identityFiles.withFile(SCIM_DIRECTORY) },
      { kpiSource: fixtureKpiSource },
    );
    t.s.jobs.register('test.audit-dead', async () => {
      throw new Error('the far side answered 500');
    });
    admin = await t.login('admin');
    scimToken = (await buildToken(t.s, admin.userId, { name: 'scim:corp', scopes: ['scim'] })).token;
    auditor = await t.login('auditor');
    responder = await t.login('responder');
  });
  afterAll(async () => {
    await t.close();
    await sandbox.stop();
  });

  const newIncident = () => buildIncident(t.s, { by: admin, ...declare() });
  const newAlert = async () => (await buildAlert(t.s)).alertId;
  const window = () => ({
    ruleIds: ['audit-rule'],
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 3600_000).toISOString(),
    reason: 'Patch night',
  });
  const newUser = () => buildUser(t.s);
  const scheduleBody = (person: string) => ({
    name: `Audit ${++n}`,
    layers: [{ rotation: 'daily', participants: [person], handoffTime: '09:00', startDate: '2026-12-01' }],
  });
  const policyBody = (person: string) => ({
    name: `Audit ${++n}`,
    levels: [{ targets: [{ kind: 'person', personId: person }], waitMinutes: 5 }],
  });
  const newSchedule = async () =>
    (
      await t.as(admin, {
        method: 'POST',
        url: '/api/v1/oncall/schedules',
        payload: scheduleBody((await newUser()).id),
      })
    ).json().id as string;
  const newPolicy = async () =>
    (
      await t.as(admin, { method: 'POST', url: '/api/v1/oncall/policies', payload: policyBody((await newUser()).id) })
    ).json().id as string;

  const planSource = () =>
    fs.readFileSync('plans/ransomware.yml', 'utf8').replace('id: ransomware', `id: audit-plan-${++n}`);
  /** A stored plan's id and the version in `status` (draft, approved or active). */
  const newPlan = async (status: 'draft' | 'approved' | 'active') => {
    const res = await t.as(admin, { method: 'POST', url: '/api/v1/plans', payload: { source: planSource() } });
    const { plan, version } = res.json() as { plan: { id: string }; version: { version: number } };
    const step = (what: string) =>
      t.as(admin, { method: 'POST', url: `/api/v1/plans/${plan.id}/versions/${version.version}/${what}` });
    if (status !== 'draft') await step('approve');
    if (status === 'active') await step('activate');
    return { id: plan.id, version: version.version };
  };
  const newConnector = async () => {
    const name = `fw-${++n}`;
    await t.as(admin, {
      method: 'POST',
      url: '/api/v1/connectors',
      payload: {
        name,
        kind: 'firewall',
        config: { baseUrl: sandbox.urls.firewall },
        secrets: { apiKey: 'audit-key-12345678' },
      },
    });
    return name;
  };
  /** An action run on a new incident: awaiting approval (two people) or, run by the job runner, succeeded. */
  const newRun = async (state: 'awaiting_approval' | 'succeeded') => {
    const incident = await newIncident();
    const res = await t.as(responder, {
      method: 'POST',
      url: `/api/v1/incidents/${incident.key}/actions`,
      payload: {
        connector: await newConnector(),
        action: 'block_ip',
        parameters: { ip: `203.0.113.${(++n % 200) + 1}` },
        approval: state === 'succeeded' ? 'none' : 'two_person',
      },
    });
    const id = res.json().id as string;
    if (state === 'succeeded') await t.s.jobs.runDue();
    return id;
  };

  /** A Q&A pack (no status site needed to publish it) drafted by the admin, taken up to `state`. */
  const newStatement = async (state: 'draft' | 'in_review' | 'approved') => {
    const incident = await newIncident();
    const id = (
      await t.as(admin, {
        method: 'POST',
        url: `/api/v1/incidents/${incident.key}/statements`,
        payload: { kind: 'qa_pack' },
      })
    ).json().id as string;
    if (state !== 'draft') await t.as(admin, { method: 'POST', url: `/api/v1/statements/${id}/submit` });
    if (state === 'approved')
      await t.as(await t.login('communications'), {
        method: 'POST',
        url: `/api/v1/statements/${id}/reviews`,
        payload: { verdict: 'approve' },
      });
    return id;
  };
  const statementCase = (
    path: string,
    action: WriteCase['action'],
    state: 'draft' | 'in_review' | 'approved',
    payload?: Record<string, unknown>,
    role: 'admin' | 'communications' = 'admin',
  ): WriteCase => ({
    route: `POST /api/v1/statements/:id/${path}`,
    action,
    prepare: async () => ({
      session: role === 'admin' ? admin : await t.login(role),
      req: {
        method: 'POST',
        url: `/api/v1/statements/${await newStatement(state)}/${path}`,
        ...(payload ? { payload } : {}),
      },
    }),
  });

  const cases = (): WriteCase[] => [
    {
      route: 'POST /api/v1/incidents/:key/statements',
      action: 'statement.create',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: `/api/v1/incidents/${(await newIncident()).key}/statements`,
          payload: { kind: 'holding_statement' },
        },
      }),
    },
    statementCase('versions', 'statement.version', 'draft', {
      title: { zh: '题', en: 'T' },
      body: { zh: '文', en: 'B' },
    }),
    statementCase('submit', 'statement.submit', 'draft'),
    statementCase('reviews', 'statement.review', 'in_review', { verdict: 'approve' }, 'communications'),
    statementCase('emergency-approve', 'statement.emergency_approve', 'draft', {}, 'communications'),
    statementCase('publish', 'statement.publish', 'approved', {}),
    statementCase('withdraw', 'statement.withdraw', 'draft', { reason: 'duplicate' }),
    {
      route: 'POST /api/v1/session',
      action: 'session.login',
      prepare: async () => {
        const u = await newUser();
        return {
          session: null,
          req: { method: 'POST', url: '/api/v1/session', payload: { email: u.email, password: PASSWORD } },
        };
      },
    },
    {
      route: 'DELETE /api/v1/session',
      action: 'session.logout',
      prepare: async () => ({ session: await t.login('responder'), req: { method: 'DELETE', url: '/api/v1/session' } }),
    },
    {
      route: 'PUT /api/v1/settings/session-policy',
      action: 'session_policy.update',
      prepare: async () => ({
        session: admin,
        req: { method: 'PUT', url: '/api/v1/settings/session-policy', payload: DEFAULT_SESSION_POLICY },
      }),
    },
    {
      route: 'DELETE /api/v1/me/sessions',
      action: 'session.signed_out_everywhere',
      prepare: async () => ({
        session: await t.login('responder'),
        req: { method: 'DELETE', url: '/api/v1/me/sessions' },
      }),
    },
    {
      route: 'DELETE /api/v1/users/:id/sessions',
      action: 'session.signed_out_everywhere',
      prepare: async () => ({
        session: admin,
        req: { method: 'DELETE', url: `/api/v1/users/${(await newUser()).id}/sessions` },
      }),
    },
    {
      route: 'POST /api/v1/session/mfa',
      action: 'session.mfa_passed',
      prepare: async () => {
        const { email } = await newUser();
        const secret = await t.enrolTotp(sessionOf(await t.signIn(email)));
        const session = sessionOf(await t.signIn(email));
        return {
          session,
          req: {
            method: 'POST',
            url: '/api/v1/session/mfa',
            payload: {
              code: authenticator
                .clone({ epoch: Date.now() + 30_000 })
                .generate(secret) /* the enrolment code is spent */,
            },
          },
        };
      },
    },
    {
      route: 'POST /api/v1/me/mfa/enrol',
      action: 'user.mfa_enrol_started',
      prepare: async () => ({
        session: await t.login('responder'),
        req: { method: 'POST', url: '/api/v1/me/mfa/enrol' },
      }),
    },
    {
      route: 'POST /api/v1/me/mfa/verify',
      action: 'user.mfa_enabled',
      prepare: async () => {
        const s = await t.login('responder');
        const { secret } = (await t.as(s, { method: 'POST', url: '/api/v1/me/mfa/enrol' })).json() as {
          secret: string;
        };
        return {
          session: s,
          req: { method: 'POST', url: '/api/v1/me/mfa/verify', payload: { code: authenticator.generate(secret) } },
        };
      },
    },
    {
      route: 'POST /api/v1/tokens',
      action: 'token.create',
      prepare: async () => ({
        session: responder,
        req: { method: 'POST', url: '/api/v1/tokens', payload: { name: 'bot' } },
      }),
    },
    {
      route: 'DELETE /api/v1/tokens/:id',
      action: 'token.revoke',
      prepare: async () => {
        const { id } = await buildToken(t.s, responder.userId);
        return { session: responder, req: { method: 'DELETE', url: `/api/v1/tokens/${id}` } };
      },
    },
    {
      route: 'POST /api/v1/users',
      action: 'user.create',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: '/api/v1/users',
          payload: { email: `new${++n}@test.example`, name: 'New', role: 'compliance', password: PASSWORD },
        },
      }),
    },
    {
      route: 'PATCH /api/v1/users/:id',
      action: 'user.update',
      prepare: async () => ({
        session: admin,
        req: { method: 'PATCH', url: `/api/v1/users/${(await newUser()).id}`, payload: { role: 'communications' } },
      }),
    },
    {
      route: 'POST /api/v1/me/password',
      action: 'user.password_changed',
      prepare: async () => ({
        session: await t.login('responder'),
        req: {
          method: 'POST',
          url: '/api/v1/me/password',
          payload: { currentPassword: PASSWORD, newPassword: 'audit-meadow-copper-88' },
        },
      }),
    },
    {
      route: 'POST /api/v1/users/:id/password',
      action: 'user.password_reset',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: `/api/v1/users/${(await newUser()).id}/password`, payload: {} },
      }),
    },
    {
      route: 'POST /api/v1/users/:id/unlock',
      action: 'user.sign_in_unlocked',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: `/api/v1/users/${(await newUser()).id}/unlock` },
      }),
    },
    {
      route: 'POST /api/v1/services',
      action: 'service.create',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: '/api/v1/services',
          payload: { key: `svc-${++n}`, nameZh: '手机证券', nameEn: 'Mobile app' },
        },
      }),
    },
    {
      route: 'POST /api/v1/incidents',
      action: 'incident.create',
      prepare: async () => ({ session: admin, req: { method: 'POST', url: '/api/v1/incidents', payload: declare() } }),
    },
    {
      route: 'PATCH /api/v1/incidents/:key',
      action: 'incident.update',
      prepare: async () => ({
        session: admin,
        req: { method: 'PATCH', url: `/api/v1/incidents/${(await newIncident()).key}`, payload: { grade: 'I' } },
      }),
    },
    {
      route: 'POST /api/v1/incidents/:key/transitions',
      action: 'incident.transition',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: `/api/v1/incidents/${(await newIncident()).key}/transitions`,
          payload: { to: 'acknowledged' },
        },
      }),
    },
    {
      route: 'POST /api/v1/incidents/:key/participants',
      action: 'incident.participant_add',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: `/api/v1/incidents/${(await newIncident()).key}/participants`,
          payload: { userId: (await newUser()).id, role: 'scribe' },
        },
      }),
    },
    {
      route: 'DELETE /api/v1/incidents/:key/participants/:userId/:role',
      action: 'incident.participant_remove',
      prepare: async () => {
        const { key } = await newIncident();
        const u = await newUser();
        await t.as(admin, {
          method: 'POST',
          url: `/api/v1/incidents/${key}/participants`,
          payload: { userId: u.id, role: 'scribe' },
        });
        return {
          session: admin,
          req: { method: 'DELETE', url: `/api/v1/incidents/${key}/participants/${u.id}/scribe` },
        };
      },
    },
    {
      route: 'POST /api/v1/incidents/:key/timeline',
      action: 'timeline.append',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: `/api/v1/incidents/${(await newIncident()).key}/timeline`,
          payload: { text: 'Switched to standby link', kind: 'decision' },
        },
      }),
    },
    {
      route: 'POST /api/v1/incidents/:key/tasks',
      action: 'task.create',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: `/api/v1/incidents/${(await newIncident()).key}/tasks`,
          payload: { title: 'Call the bank' },
        },
      }),
    },
    {
      route: 'PATCH /api/v1/incidents/:key/tasks/:id',
      action: 'task.update',
      prepare: async () => {
        const { key } = await newIncident();
        const task = (
          await t.as(admin, {
            method: 'POST',
            url: `/api/v1/incidents/${key}/tasks`,
            payload: { title: 'Call the bank' },
          })
        ).json();
        return {
          session: admin,
          req: { method: 'PATCH', url: `/api/v1/incidents/${key}/tasks/${task.id}`, payload: { status: 'done' } },
        };
      },
    },
    {
      route: 'POST /api/v1/alerts/:id/acknowledge',
      action: 'alert.acknowledge',
      prepare: async () => ({
        session: responder,
        req: { method: 'POST', url: `/api/v1/alerts/${await newAlert()}/acknowledge` },
      }),
    },
    {
      route: 'POST /api/v1/alerts/:id/false-positive',
      action: 'alert.false_positive',
      prepare: async () => ({
        session: responder,
        req: {
          method: 'POST',
          url: `/api/v1/alerts/${await newAlert()}/false-positive`,
          payload: { reason: 'Backup job', suppress: { entity: null } },
        },
      }),
    },
    {
      route: 'POST /api/v1/alerts/:id/link',
      action: 'alert.link',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: `/api/v1/alerts/${await newAlert()}/link`,
          payload: { incidentKey: (await newIncident()).key },
        },
      }),
    },
    {
      route: 'POST /api/v1/suppressions',
      action: 'suppression.create',
      prepare: async () => ({
        session: responder,
        req: { method: 'POST', url: '/api/v1/suppressions', payload: { ruleId: 'audit-rule', reason: 'Noisy' } },
      }),
    },
    {
      route: 'DELETE /api/v1/suppressions/:id',
      action: 'suppression.delete',
      prepare: async () => {
        const id = (
          await t.as(responder, {
            method: 'POST',
            url: '/api/v1/suppressions',
            payload: { entity: { kind: 'host', value: 'lab-01' }, reason: 'Lab' },
          })
        ).json().id;
        return { session: responder, req: { method: 'DELETE', url: `/api/v1/suppressions/${id}` } };
      },
    },
    {
      route: 'POST /api/v1/maintenance-windows',
      action: 'maintenance.create',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: '/api/v1/maintenance-windows', payload: window() },
      }),
    },
    {
      route: 'DELETE /api/v1/maintenance-windows/:id',
      action: 'maintenance.delete',
      prepare: async () => {
        const id = (await t.as(admin, { method: 'POST', url: '/api/v1/maintenance-windows', payload: window() })).json()
          .id;
        return { session: admin, req: { method: 'DELETE', url: `/api/v1/maintenance-windows/${id}` } };
      },
    },
    {
      route: 'POST /api/v1/services/:key/probes',
      action: 'probe.create',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: `/api/v1/services/${await newService()}/probes`, payload: probe() },
      }),
    },
    {
      route: 'PATCH /api/v1/probes/:id',
      action: 'probe.update',
      prepare: async () => ({
        session: admin,
        req: { method: 'PATCH', url: `/api/v1/probes/${await newProbe()}`, payload: { enabled: false } },
      }),
    },
    {
      route: 'DELETE /api/v1/probes/:id',
      action: 'probe.delete',
      prepare: async () => ({ session: admin, req: { method: 'DELETE', url: `/api/v1/probes/${await newProbe()}` } }),
    },
    {
      route: 'POST /api/v1/probes/:id/run',
      action: 'probe.run',
      prepare: async () => ({ session: admin, req: { method: 'POST', url: `/api/v1/probes/${await newProbe()}/run` } }),
    },
    {
      route: 'PATCH /api/v1/rules/:id',
      action: 'rule.disable',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'PATCH',
          url: '/api/v1/rules/59c192dd-851b-4125-8b63-a057287c1451',
          payload: { enabled: false },
        },
      }),
    },
    {
      route: 'POST /api/v1/rules',
      action: 'rule.upload',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: '/api/v1/rules',
          payload: { fileName: 'audit.yml', yaml: uploadedRule(`audit-rule-${++n}`) },
        },
      }),
    },
    {
      route: 'DELETE /api/v1/rules/:id',
      action: 'rule.delete',
      prepare: async () => {
        const id = `audit-rule-${++n}`;
        await t.as(admin, {
          method: 'POST',
          url: '/api/v1/rules',
          payload: { fileName: 'audit.yml', yaml: uploadedRule(id) },
        });
        return { session: admin, req: { method: 'DELETE', url: `/api/v1/rules/${id}` } };
      },
    },
    {
      route: 'POST /api/v1/oncall/schedules',
      action: 'oncall.schedule_create',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: '/api/v1/oncall/schedules', payload: scheduleBody((await newUser()).id) },
      }),
    },
    {
      route: 'PUT /api/v1/oncall/schedules/:id',
      action: 'oncall.schedule_update',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'PUT',
          url: `/api/v1/oncall/schedules/${await newSchedule()}`,
          payload: scheduleBody((await newUser()).id),
        },
      }),
    },
    {
      route: 'DELETE /api/v1/oncall/schedules/:id',
      action: 'oncall.schedule_delete',
      prepare: async () => ({
        session: admin,
        req: { method: 'DELETE', url: `/api/v1/oncall/schedules/${await newSchedule()}` },
      }),
    },
    {
      route: 'POST /api/v1/oncall/schedules/:id/overrides',
      action: 'oncall.override_add',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: `/api/v1/oncall/schedules/${await newSchedule()}/overrides`,
          payload: { person: (await newUser()).id, from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' },
        },
      }),
    },
    {
      route: 'DELETE /api/v1/oncall/schedules/:id/overrides/:index',
      action: 'oncall.override_remove',
      prepare: async () => {
        const id = await newSchedule();
        await t.as(admin, {
          method: 'POST',
          url: `/api/v1/oncall/schedules/${id}/overrides`,
          payload: { person: (await newUser()).id, from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' },
        });
        return { session: admin, req: { method: 'DELETE', url: `/api/v1/oncall/schedules/${id}/overrides/0` } };
      },
    },
    {
      route: 'POST /api/v1/oncall/schedules/:id/feed-token',
      action: 'oncall.feed_token_reset',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: `/api/v1/oncall/schedules/${await newSchedule()}/feed-token` },
      }),
    },
    {
      route: 'POST /api/v1/oncall/policies',
      action: 'oncall.policy_create',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: '/api/v1/oncall/policies', payload: policyBody((await newUser()).id) },
      }),
    },
    {
      route: 'PUT /api/v1/oncall/policies/:id',
      action: 'oncall.policy_update',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'PUT',
          url: `/api/v1/oncall/policies/${await newPolicy()}`,
          payload: policyBody((await newUser()).id),
        },
      }),
    },
    {
      route: 'DELETE /api/v1/oncall/policies/:id',
      action: 'oncall.policy_delete',
      prepare: async () => ({
        session: admin,
        req: { method: 'DELETE', url: `/api/v1/oncall/policies/${await newPolicy()}` },
      }),
    },
    {
      route: 'POST /api/v1/incidents/:key/pages',
      action: 'page.create',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: `/api/v1/incidents/${(await newIncident()).key}/pages`,
          payload: { reason: 'audit', userIds: [(await newUser()).id] },
        },
      }),
    },
    {
      route: 'POST /api/v1/pages/:id/ack',
      action: 'page.ack',
      prepare: async () => {
        const page = await t.as(admin, {
          method: 'POST',
          url: `/api/v1/incidents/${(await newIncident()).key}/pages`,
          payload: { reason: 'audit', userIds: [(await newUser()).id] },
        });
        return { session: admin, req: { method: 'POST', url: `/api/v1/pages/${page.json().id}/ack` } };
      },
    },
    {
      route: 'PUT /api/v1/users/:id/contacts',
      action: 'user.contacts_update',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'PUT',
          url: `/api/v1/users/${(await newUser()).id}/contacts`,
          payload: { routes: [{ channel: 'mail', address: 'someone@test.example' }] },
        },
      }),
    },
    {
      route: 'POST /api/v1/complaints',
      action: 'complaint.create',
      prepare: async () => ({
        session: responder,
        req: { method: 'POST', url: '/api/v1/complaints', payload: { channel: 'phone', text: 'cannot log in' } },
      }),
    },
    {
      route: 'POST /api/v1/plans',
      action: 'plan.import',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: '/api/v1/plans', payload: { source: planSource() } },
      }),
    },
    ...(['approve', 'activate', 'retire'] as const).map((what) => ({
      route: `POST /api/v1/plans/:id/versions/:version/${what}`,
      action: `plan.${what}`,
      prepare: async () => {
        const plan = await newPlan(what === 'approve' ? 'draft' : what === 'activate' ? 'approved' : 'active');
        return {
          session: admin,
          req: { method: 'POST' as const, url: `/api/v1/plans/${plan.id}/versions/${plan.version}/${what}` },
        };
      },
    })),
    {
      route: 'POST /api/v1/plans/cacao',
      action: 'plan.import',
      prepare: async () => {
        const plan = await newPlan('draft');
        const cacao = (
          await t.as(admin, { method: 'GET', url: `/api/v1/plans/${plan.id}/cacao?version=${plan.version}` })
        ).json();
        const playbook = JSON.parse(JSON.stringify(cacao).replaceAll(plan.id, `audit-cacao-${++n}`));
        return { session: admin, req: { method: 'POST', url: '/api/v1/plans/cacao', payload: playbook } };
      },
    },
    {
      route: 'POST /api/v1/incidents/:key/plans',
      action: 'plan.activation',
      prepare: async () => {
        const plan = await newPlan('active');
        const incident = await newIncident();
        return {
          session: responder,
          req: { method: 'POST', url: `/api/v1/incidents/${incident.key}/plans`, payload: { planId: plan.id } },
        };
      },
    },
    {
      route: 'POST /api/v1/connectors',
      action: 'connector.create',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: '/api/v1/connectors',
          payload: {
            name: `edr-${++n}`,
            kind: 'edr',
            config: { baseUrl: sandbox.urls.edr },
            secrets: { apiKey: 'audit-key-12345678' },
          },
        },
      }),
    },
    {
      route: 'PATCH /api/v1/connectors/:name',
      action: 'connector.update',
      prepare: async () => ({
        session: admin,
        req: { method: 'PATCH', url: `/api/v1/connectors/${await newConnector()}`, payload: { enabled: false } },
      }),
    },
    {
      route: 'DELETE /api/v1/connectors/:name',
      action: 'connector.delete',
      prepare: async () => ({
        session: admin,
        req: { method: 'DELETE', url: `/api/v1/connectors/${await newConnector()}` },
      }),
    },
    {
      route: 'POST /api/v1/connectors/:name/test',
      action: 'connector.test',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: `/api/v1/connectors/${await newConnector()}/test` },
      }),
    },
    {
      route: 'POST /api/v1/incidents/:key/actions',
      action: 'action.request',
      prepare: async () => {
        const incident = await newIncident();
        return {
          session: responder,
          req: {
            method: 'POST',
            url: `/api/v1/incidents/${incident.key}/actions`,
            payload: {
              connector: await newConnector(),
              action: 'block_ip',
              parameters: { ip: '198.51.100.77' },
              approval: 'one_person',
            },
          },
        };
      },
    },
    {
      route: 'POST /api/v1/actions/:id/approve',
      action: 'action.approve',
      prepare: async () => ({
        session: admin,
        req: { method: 'POST', url: `/api/v1/actions/${await newRun('awaiting_approval')}/approve` },
      }),
    },
    {
      route: 'POST /api/v1/actions/:id/reject',
      action: 'action.reject',
      prepare: async () => ({
        session: admin,
        req: {
          method: 'POST',
          url: `/api/v1/actions/${await newRun('awaiting_approval')}/reject`,
          payload: { reason: 'wrong address' },
        },
      }),
    },
    {
      route: 'POST /api/v1/actions/:id/rollback',
      action: 'action.rollback',
      prepare: async () => ({
        session: responder,
        req: { method: 'POST', url: `/api/v1/actions/${await newRun('succeeded')}/rollback` },
      }),
    },
    {
      route: 'POST /api/v1/jobs/:id/retry',
      action: 'job.retry',
      prepare: async () => {
        const id = await t.s.store.transaction((tx) =>
          t.s.jobs.enqueue(tx, { kind: 'test.audit-dead', payload: {}, maxAttempts: 1 }),
        );
        await t.s.jobs.runDue();
        return { session: admin, req: { method: 'POST', url: `/api/v1/jobs/${id}/retry` } };
      },
    },
    ...issue11Cases(),
    ...customerCases(),
    ...ownerCases(),
    ...issue13Cases(),
    ...compensationCases(),
    ...issue15Cases(),
    ...riskTrainingCases(),
    ...drillCases(),
    write('POST /api/v1/management-reports', 'management_report.generate', async () => ({
      method: 'POST',
      url: '/api/v1/management-reports',
      payload: { kind: 'monthly', period: '2026-11', lang: 'zh' },
    })),
  ];
  /** A drill with a written scenario and one inject, planned by the admin and taken to `state`; its id and inject's. */
  const newDrill = async (state: 'scheduled' | 'running' = 'scheduled') => {
    const d = await post('/api/v1/drills', {
      title: `Audited drill ${++n}`,
      scenario: { zh: '演练', en: 'Drill' },
      scheduledAt: new Date().toISOString(),
      injects: [
        {
          offsetMinutes: 30,
          title: { zh: '注入', en: 'Inject' },
          text: { zh: '注入', en: 'Inject' },
          channel: 'weibo',
        },
      ],
    });
    if (state === 'running') await post(`/api/v1/drills/${d.id}/start`, {});
    const drill = (await t.as(admin, { method: 'GET', url: `/api/v1/drills/${d.id}` })).json();
    return { id: d.id, injectId: drill.injects[0].id as string };
  };
  const drillCases = (): WriteCase[] => [
    write('POST /api/v1/drills', 'drill.create', async () => ({
      method: 'POST',
      url: '/api/v1/drills',
      payload: { title: 'Audited', scenario: { zh: '演练', en: 'Drill' }, scheduledAt: new Date().toISOString() },
    })),
    write('PATCH /api/v1/drills/:id', 'drill.update', async () => ({
      method: 'PATCH',
      url: `/api/v1/drills/${(await newDrill()).id}`,
      payload: { notes: 'Lessons learned' },
    })),
    write('POST /api/v1/drills/:id/injects', 'drill.inject_add', async () => ({
      method: 'POST',
      url: `/api/v1/drills/${(await newDrill()).id}/injects`,
      payload: {
        injects: [
          {
            offsetMinutes: 5,
            title: { zh: '来电', en: 'Call' },
            text: { zh: '来电', en: 'Call' },
            channel: 'media_call',
          },
        ],
      },
    })),
    write('POST /api/v1/drills/:id/start', 'drill.start', async () => ({
      method: 'POST',
      url: `/api/v1/drills/${(await newDrill()).id}/start`,
    })),
    write('POST /api/v1/drills/:id/injects/:injectId/release', 'drill.inject_release', async () => {
      const d = await newDrill('running');
      return { method: 'POST', url: `/api/v1/drills/${d.id}/injects/${d.injectId}/release` };
    }),
    write('POST /api/v1/drills/:id/end', 'drill.end', async () => ({
      method: 'POST',
      url: `/api/v1/drills/${(await newDrill('running')).id}/end`,
    })),
    write('POST /api/v1/drills/:id/cancel', 'drill.cancel', async () => ({
      method: 'POST',
      url: `/api/v1/drills/${(await newDrill()).id}/cancel`,
    })),
  ];
  /** The status site, the media desk and subscriptions (issue 11). */
  const post = async (url: string, payload: Record<string, unknown>) =>
    (await t.as(admin, { method: 'POST', url, payload })).json() as { id: string; key?: string };
  const campaign = async (incidentId: string) => ({
    name: 'Audited campaign',
    statementId: await approvedNotice(t.s, incidentId),
    audience: { kind: 'customers', customerNos: ['AUDIT-1'] },
  });
  /** A campaign (draft) moved through `steps` (launch, pause). */
  const newCampaign = async (...steps: string[]) => {
    const inc = await newIncident();
    const { id } = await post(`/api/v1/incidents/${inc.key}/campaigns`, await campaign(inc.id));
    for (const step of steps) await post(`/api/v1/campaigns/${id}/${step}`, {});
    return id;
  };
  const newGroup = async () => {
    const key = `grp-${++n}`;
    await post('/api/v1/status/groups', { key, name: { zh: '交易', en: 'Trading' } });
    return key;
  };
  const maintenance = async () => ({
    title: { zh: '系统升级', en: 'Upgrade' },
    services: [await newService()],
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 3600_000).toISOString(),
  });
  const newMaintenance = async () => (await post('/api/v1/status/maintenances', await maintenance())).id;
  const newWebhook = async () =>
    (
      await post('/api/v1/status/subscribers/webhooks', {
        name: `hook-${++n}`,
        url: 'https://hooks.example.com/status',
        secret: 'audit-signing-secret-0123',
      })
    ).id;
  const fact = { claim: { zh: '客户资金被盗', en: 'Customer funds were stolen' }, verdict: 'false' };
  const inquiry = { outlet: 'Caixin', journalist: 'Li', contact: 'li@press.example', question: 'Were funds lost?' };
  const faq = { question: { zh: '资金安全吗？', en: 'Are funds safe?' }, answer: { zh: '安全。', en: 'Yes.' } };
  const write = (route: string, action: WriteCase['action'], req: () => Promise<InjectOptions>): WriteCase => ({
    route,
    action,
    prepare: async () => ({ session: admin, req: await req() }),
  });
  /** A SCIM client's request (no session: the provider's token). */
  const scimReq = (method: InjectOptions['method'], url: string, body?: unknown): InjectOptions => ({
    method,
    url: `/scim/v2${url}`,
    headers: {
      authorization: `Bearer ${scimToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  const scimCase = (route: string, action: WriteCase['action'], req: () => Promise<InjectOptions>): WriteCase => ({
    route,
    action,
    prepare: async () => ({ session: null, req: await req() }),
  });
  const scimUser = async () =>
    (await t.app.inject(scimReq('POST', '/Users', { userName: `scim-${++n}@firm.test` }))).json().id as string;
  const scimGroup = async () =>
    (await t.app.inject(scimReq('POST', '/Groups', { displayName: `group-${++n}` }))).json().id as string;
  const scimCases = (): WriteCase[] => [
    scimCase('POST /scim/v2/Users', 'scim.user_create', async () =>
      scimReq('POST', '/Users', { userName: `scim-${++n}@firm.test` }),
    ),
    scimCase('PUT /scim/v2/Users/:id', 'scim.user_update', async () =>
      scimReq('PUT', `/Users/${await scimUser()}`, { userName: `renamed-${++n}@firm.test`, active: false }),
    ),
    scimCase('PATCH /scim/v2/Users/:id', 'scim.user_update', async () =>
      scimReq('PATCH', `/Users/${await scimUser()}`, {
        schemas: [SCIM_PATCH],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      }),
    ),
    scimCase('DELETE /scim/v2/Users/:id', 'scim.user_delete', async () =>
      scimReq('DELETE', `/Users/${await scimUser()}`),
    ),
    scimCase('POST /scim/v2/Groups', 'scim.group_create', async () =>
      scimReq('POST', '/Groups', { displayName: `group-${++n}`, members: [{ value: await scimUser() }] }),
    ),
    scimCase('PUT /scim/v2/Groups/:id', 'scim.group_update', async () =>
      scimReq('PUT', `/Groups/${await scimGroup()}`, { displayName: 'soc', members: [{ value: await scimUser() }] }),
    ),
    scimCase('PATCH /scim/v2/Groups/:id', 'scim.group_update', async () =>
      scimReq('PATCH', `/Groups/${await scimGroup()}`, {
        schemas: [SCIM_PATCH],
        Operations: [{ op: 'add', path: 'members', value: [{ value: await scimUser() }] }],
      }),
    ),
    scimCase('DELETE /scim/v2/Groups/:id', 'scim.group_delete', async () =>
      scimReq('DELETE', `/Groups/${await scimGroup()}`),
    ),
  ];
  const customerInquiry = () => ({
    name: 'Audit',
    phone: '13800000000',
    question: `Audited ${++n}?`,
    channel: 'staff',
  });
  const issue11Cases = (): WriteCase[] => [
    write('PATCH /api/v1/status/components/:key', 'status.component_update', async () => ({
      method: 'PATCH',
      url: `/api/v1/status/components/${await newService()}`,
      payload: { position: 3 },
    })),
    write('PUT /api/v1/status/components/:key/override', 'status.override_set', async () => ({
      method: 'PUT',
      url: `/api/v1/status/components/${await newService()}/override`,
      payload: { state: 'degraded', reason: 'slow quotes' },
    })),
    write('DELETE /api/v1/status/components/:key/override', 'status.override_clear', async () => {
      const key = await newService();
      await t.as(admin, {
        method: 'PUT',
        url: `/api/v1/status/components/${key}/override`,
        payload: { state: 'degraded', reason: 'slow quotes' },
      });
      return { method: 'DELETE', url: `/api/v1/status/components/${key}/override` };
    }),
    write('POST /api/v1/status/groups', 'status.group_create', async () => ({
      method: 'POST',
      url: '/api/v1/status/groups',
      payload: { key: `grp-${++n}`, name: { zh: '交易', en: 'Trading' } },
    })),
    write('PATCH /api/v1/status/groups/:key', 'status.group_update', async () => ({
      method: 'PATCH',
      url: `/api/v1/status/groups/${await newGroup()}`,
      payload: { position: 2 },
    })),
    write('DELETE /api/v1/status/groups/:key', 'status.group_delete', async () => ({
      method: 'DELETE',
      url: `/api/v1/status/groups/${await newGroup()}`,
    })),
    write('POST /api/v1/status/maintenances', 'status.maintenance_create', async () => ({
      method: 'POST',
      url: '/api/v1/status/maintenances',
      payload: await maintenance(),
    })),
    write('PATCH /api/v1/status/maintenances/:id', 'status.maintenance_update', async () => ({
      method: 'PATCH',
      url: `/api/v1/status/maintenances/${await newMaintenance()}`,
      payload: { title: { zh: '系统升级（延长）', en: 'Upgrade (extended)' } },
    })),
    write('DELETE /api/v1/status/maintenances/:id', 'status.maintenance_delete', async () => ({
      method: 'DELETE',
      url: `/api/v1/status/maintenances/${await newMaintenance()}`,
    })),
    write('POST /api/v1/status/subscribers/webhooks', 'subscriber.webhook_create', async () => ({
      method: 'POST',
      url: '/api/v1/status/subscribers/webhooks',
      payload: { name: `hook-${++n}`, url: 'https://hooks.example.com/status', secret: 'audit-signing-secret-0123' },
    })),
    write('PATCH /api/v1/status/subscribers/webhooks/:id', 'subscriber.webhook_update', async () => ({
      method: 'PATCH',
      url: `/api/v1/status/subscribers/webhooks/${await newWebhook()}`,
      payload: { name: `renamed-${++n}` },
    })),
    write('DELETE /api/v1/status/subscribers/:id', 'subscriber.delete', async () => ({
      method: 'DELETE',
      url: `/api/v1/status/subscribers/${await newWebhook()}`,
    })),
    write('POST /api/v1/facts', 'fact.create', async () => ({ method: 'POST', url: '/api/v1/facts', payload: fact })),
    write('POST /api/v1/incidents/:key/facts', 'fact.create', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await newIncident()).key}/facts`,
      payload: fact,
    })),
    write('PATCH /api/v1/facts/:id', 'fact.update', async () => ({
      method: 'PATCH',
      url: `/api/v1/facts/${(await post('/api/v1/facts', fact)).id}`,
      payload: { verdict: 'unverified' },
    })),
    write('POST /api/v1/incidents/:key/media-inquiries', 'media_inquiry.create', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await newIncident()).key}/media-inquiries`,
      payload: inquiry,
    })),
    write('PATCH /api/v1/media-inquiries/:id', 'media_inquiry.update', async () => ({
      method: 'PATCH',
      url: `/api/v1/media-inquiries/${(await post(`/api/v1/incidents/${(await newIncident()).key}/media-inquiries`, inquiry)).id}`,
      payload: { status: 'closed' },
    })),
    write('POST /api/v1/incidents/:key/faq', 'faq.create', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await newIncident()).key}/faq`,
      payload: faq,
    })),
    write('PATCH /api/v1/incidents/:key/faq/:id', 'faq.update', async () => {
      const key = (await newIncident()).key;
      const id = (await post(`/api/v1/incidents/${key}/faq`, faq)).id;
      return { method: 'PATCH', url: `/api/v1/incidents/${key}/faq/${id}`, payload: { position: 2 } };
    }),
    write('POST /api/v1/inquiries', 'inquiry.create', async () => ({
      method: 'POST',
      url: '/api/v1/inquiries',
      payload: customerInquiry(),
    })),
    write('POST /api/v1/inquiries/:id/assign', 'inquiry.assign', async () => ({
      method: 'POST',
      url: `/api/v1/inquiries/${(await post('/api/v1/inquiries', customerInquiry())).id}/assign`,
      payload: { assigneeId: admin.userId },
    })),
    write('POST /api/v1/inquiries/:id/answer', 'inquiry.answer', async () => ({
      method: 'POST',
      url: `/api/v1/inquiries/${(await post('/api/v1/inquiries', customerInquiry())).id}/answer`,
      payload: { text: 'Answered' },
    })),
    write('POST /api/v1/inquiries/:id/notes', 'inquiry.note', async () => ({
      method: 'POST',
      url: `/api/v1/inquiries/${(await post('/api/v1/inquiries', customerInquiry())).id}/notes`,
      payload: { body: 'Called back' },
    })),
    write('POST /api/v1/inquiries/:id/close', 'inquiry.close', async () => ({
      method: 'POST',
      url: `/api/v1/inquiries/${(await post('/api/v1/inquiries', customerInquiry())).id}/close`,
    })),
    write('POST /api/v1/incidents/:key/campaigns', 'campaign.create', async () => {
      const inc = await newIncident();
      return { method: 'POST', url: `/api/v1/incidents/${inc.key}/campaigns`, payload: await campaign(inc.id) };
    }),
    write('POST /api/v1/campaigns/:id/launch', 'campaign.launch', async () => ({
      method: 'POST',
      url: `/api/v1/campaigns/${await newCampaign()}/launch`,
    })),
    write('POST /api/v1/campaigns/:id/pause', 'campaign.pause', async () => ({
      method: 'POST',
      url: `/api/v1/campaigns/${await newCampaign('launch')}/pause`,
    })),
    write('POST /api/v1/campaigns/:id/resume', 'campaign.resume', async () => ({
      method: 'POST',
      url: `/api/v1/campaigns/${await newCampaign('launch', 'pause')}/resume`,
    })),
    write('POST /api/v1/campaigns/:id/cancel', 'campaign.cancel', async () => ({
      method: 'POST',
      url: `/api/v1/campaigns/${await newCampaign()}/cancel`,
    })),
    write('POST /api/v1/incidents/:key/affected-sets', 'affected_set.create', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await newIncident()).key}/affected-sets`,
      payload: affectedSet(),
    })),
    write('PUT /api/v1/affected-sets/:id', 'affected_set.update', async () => ({
      method: 'PUT',
      url: `/api/v1/affected-sets/${(await post(`/api/v1/incidents/${(await newIncident()).key}/affected-sets`, affectedSet())).id}`,
      payload: { definition: { sources: [{ kind: 'list', accountNos: ['AUDIT-2'] }] } },
    })),
    write('POST /api/v1/affected-sets/:id/refresh', 'affected_set.refresh', async () => {
      // Activity that arrives after the set was made: the refresh finds a new member.
      const account = `AUDIT-R${++n}`;
      const definition = {
        sources: [{ kind: 'activity', accounts: [account], from: '2026-12-03T00:00:00Z', to: '2026-12-04T00:00:00Z' }],
      };
      const key = (await newIncident()).key;
      const id = (await post(`/api/v1/incidents/${key}/affected-sets`, { name: 'refreshed', definition })).id;
      await t.as(admin, {
        method: 'POST',
        url: '/api/v1/activity/imports?file=late.csv',
        headers: { 'content-type': 'text/csv' },
        payload: `time,account\n2026-12-03T09:00:00Z,${account}\n`,
      });
      return { method: 'POST', url: `/api/v1/affected-sets/${id}/refresh` };
    }),
    write('POST /api/v1/activity/imports', 'activity.import', async () => ({
      method: 'POST',
      url: '/api/v1/activity/imports?file=audit.csv',
      headers: { 'content-type': 'text/csv' },
      payload: 'time,account,ip\n2026-12-03T09:00:00Z,AUDIT-1,192.0.2.1\n',
    })),
  ];
  const affectedSet = () => ({
    name: `set ${++n}`,
    definition: { sources: [{ kind: 'list', accountNos: ['AUDIT-1'] }] },
  });
  /** Customer owners (issue 12): a customer of a new incident, owned by the admin through a branch pool. */
  const ownedCase = async () => {
    const pool = `audit-pool-${++n}`;
    await post('/api/v1/owner-pools', { kind: 'branch', name: pool, userIds: [admin.userId] });
    const customerId = await insertCustomer(t.s, `AUD-${++n}`, { branch: pool });
    const key = (await newIncident()).key!;
    await post(`/api/v1/incidents/${key}/owners/assign`, { customerIds: [customerId] });
    return `/api/v1/incidents/${key}/owners/${customerId}`;
  };
  const ownerCases = (): WriteCase[] => [
    write('POST /api/v1/owner-pools', 'owner_pool.set', async () => ({
      method: 'POST',
      url: '/api/v1/owner-pools',
      payload: { kind: 'tier', name: `audit-${++n}`, userIds: [admin.userId] },
    })),
    write('DELETE /api/v1/owner-pools/:id', 'owner_pool.set', async () => ({
      method: 'DELETE',
      url: `/api/v1/owner-pools/${(await post('/api/v1/owner-pools', { kind: 'tier', name: `audit-${++n}`, userIds: [admin.userId] })).id}`,
    })),
    write('POST /api/v1/incidents/:key/owners/assign', 'owner.assign', async () => {
      const pool = `audit-pool-${++n}`;
      await post('/api/v1/owner-pools', { kind: 'branch', name: pool, userIds: [admin.userId] });
      const customerId = await insertCustomer(t.s, `AUD-${++n}`, { branch: pool });
      return {
        method: 'POST',
        url: `/api/v1/incidents/${(await newIncident()).key}/owners/assign`,
        payload: { customerIds: [customerId] },
      };
    }),
    write('PATCH /api/v1/incidents/:key/owners/:id', 'owner.reassign', async () => ({
      method: 'PATCH',
      url: await ownedCase(),
      payload: { ownerId: (await buildUser(t.s)).id, reason: 'audit' },
    })),
    write('POST /api/v1/incidents/:key/owners/:id/contacts', 'owner.contact', async () => ({
      method: 'POST',
      url: `${await ownedCase()}/contacts`,
      payload: { channel: 'call', outcome: 'reached' },
    })),
    write('POST /api/v1/incidents/:key/owners/:id/callbacks', 'owner.callback', async () => ({
      method: 'POST',
      url: `${await ownedCase()}/callbacks`,
      payload: { at: new Date(Date.now() + 3600_000).toISOString() },
    })),
    write('POST /api/v1/incidents/:key/owners/:id/notes', 'owner.note', async () => ({
      method: 'POST',
      url: `${await ownedCase()}/notes`,
      payload: { kind: 'concern', text: 'audit' },
    })),
    write('POST /api/v1/incidents/:key/owners/:id/state', 'owner.state', async () => ({
      method: 'POST',
      url: `${await ownedCase()}/state`,
      payload: { state: 'resolved' },
    })),
    write('PATCH /api/v1/owner-items/:id', 'owner.item_update', async () => {
      const url = await ownedCase();
      const created = await t.as(admin, {
        method: 'POST',
        url: `${url}/notes`,
        payload: { kind: 'request', text: 'audit' },
      });
      return {
        method: 'PATCH',
        url: `/api/v1/owner-items/${created.json().activities[0].id}`,
        payload: { status: 'done' },
      };
    }),
  ];
  const newService = async () =>
    (
      await t.as(admin, {
        method: 'POST',
        url: '/api/v1/services',
        payload: { key: `probed-${++n}`, nameZh: '行情', nameEn: 'Market data' },
      })
    ).json().key as string;
  // A TCP probe of Tocsin itself, which does not listen here: created and run without waiting on anything.
  const probe = () => ({ name: `gateway ${++n}`, kind: 'tcp', target: 'self', intervalS: 60, timeoutMs: 500 });
  const newProbe = async () =>
    (
      await t.as(admin, { method: 'POST', url: `/api/v1/services/${await newService()}/probes`, payload: probe() })
    ).json().id as string;
  /** Customers (issue 12): CRM sync, reveal, the import wizard's steps. */
  const uploadCustomers = async () =>
    (
      await t.as(admin, {
        method: 'POST',
        url: '/api/v1/customers/imports?filename=audit.csv',
        headers: { 'content-type': 'text/csv' },
        payload: `客户号,姓名\nAUD${++n},审计\n`,
      })
    ).json() as { id: string; suggestedMapping: Record<string, number> };
  const checkedImport = async () => {
    const imp = await uploadCustomers();
    await t.as(admin, {
      method: 'POST',
      url: `/api/v1/customers/imports/${imp.id}/check`,
      payload: { mapping: imp.suggestedMapping },
    });
    return imp.id;
  };
  const customerCases = (): WriteCase[] => [
    write('PUT /api/v1/customers/:customerNo', 'customer.upsert', async () => ({
      method: 'PUT',
      url: `/api/v1/customers/AUD${++n}`,
      payload: { name: 'Audit' },
    })),
    write('POST /api/v1/customers/sync', 'customer.sync', async () => ({
      method: 'POST',
      url: '/api/v1/customers/sync',
      payload: { items: [{ customerNo: `AUD${++n}`, name: 'Audit' }] },
    })),
    write('POST /api/v1/customers/:customerNo/reveal', 'customer.reveal', async () => {
      const no = `AUD${++n}`;
      await t.as(admin, {
        method: 'PUT',
        url: `/api/v1/customers/${no}`,
        payload: { name: 'Audit', phone: '13812345678' },
      });
      return { method: 'POST', url: `/api/v1/customers/${no}/reveal`, payload: { reason: 'audit test' } };
    }),
    write('POST /api/v1/customers/imports', 'customer.import_upload', async () => ({
      method: 'POST',
      url: '/api/v1/customers/imports?filename=audit.csv',
      headers: { 'content-type': 'text/csv' },
      payload: `客户号,姓名\nAUD${++n},审计\n`,
    })),
    write('POST /api/v1/customers/imports/:id/check', 'customer.import_check', async () => {
      const imp = await uploadCustomers();
      return {
        method: 'POST',
        url: `/api/v1/customers/imports/${imp.id}/check`,
        payload: { mapping: imp.suggestedMapping },
      };
    }),
    write('POST /api/v1/customers/imports/:id/commit', 'customer.import_commit', async () => ({
      method: 'POST',
      url: `/api/v1/customers/imports/${await checkedImport()}/commit`,
    })),
  ];
  /** Regulators (issue 13): the firm profile, an incident's regulatory facts, regulator reports. */
  const newReport = async (by: Session = admin) => {
    const res = await t.as(by, {
      method: 'POST',
      url: `/api/v1/incidents/${(await newIncident()).key}/reports`,
      payload: { obligation: 'cac-report', stage: 'initial' },
    });
    return res.json().id as string;
  };
  /** A report in review, drafted by a compliance officer (the administrator may then approve it). */
  const reviewedReport = async () => {
    const officer = await t.login('compliance');
    const id = await newReport(officer);
    await t.as(officer, { method: 'POST', url: `/api/v1/reports/${id}/review` });
    return id;
  };
  /** Compensation (issue 14): one incident for all cases, a new customer per claim (one claim per customer and incident). */
  let compKey: string | undefined;
  const compIncident = async () => (compKey ??= (await newIncident()).key!);
  let compliance: Session | undefined;
  const complianceSession = async () => (compliance ??= await t.login('compliance'));
  const compCustomer = async () => {
    const no = `AUD-${++n}`;
    await insertCustomer(t.s, no);
    return no;
  };
  /** A claim opened by the admin and moved through `steps`. */
  const compClaim = async (...steps: [string, Record<string, unknown>][]) => {
    const key = await compIncident();
    const { id } = await post(`/api/v1/incidents/${key}/compensation/claims`, {
      customerNo: await compCustomer(),
      source: 'owner',
      claimedMinor: 10_000,
      description: 'audit',
    });
    for (const [step, body] of steps) await post(`/api/v1/compensation/claims/${id}/${step}`, body);
    return { id, key };
  };
  const assess: [string, Record<string, unknown>] = ['assess', {}];
  const offer: [string, Record<string, unknown>] = ['offer', { amountMinor: 9_000, reason: 'audit' }];
  const accept: [string, Record<string, unknown>] = ['accept', { channel: 'phone' }];
  /** A claim approved by a compliance officer (the admin opened it). */
  const approvedClaim = async () => {
    const c = await compClaim(assess, offer, accept);
    await t.as(await complianceSession(), { method: 'POST', url: `/api/v1/compensation/claims/${c.id}/approve` });
    return c;
  };
  /** A payout batch of one approved claim, its bank file taken to the bank (exported, in the store). */
  const exportedBatch = async () => {
    const c = await approvedClaim();
    const id = `AUD-B-${++n}`;
    await post(`/api/v1/incidents/${c.key}/compensation/batches`, { id, claimIds: [c.id] });
    await t.s.store.db
      .updateTable('compensation_payout_batches')
      .set({ state: 'exported' })
      .where('id', '=', id)
      .execute();
    return `/api/v1/incidents/${c.key}/compensation/batches/${id}`;
  };
  const compRun = async () => {
    const key = await compIncident();
    const { id } = await post(`/api/v1/incidents/${key}/compensation/runs`, {
      method: 'fixed',
      results: [{ customer: await compCustomer(), orders: 1, loss: '0.00', compensation: '50.00', basis: 'fixed' }],
    });
    return `/api/v1/incidents/${key}/compensation/runs/${id}`;
  };
  const claimStep = (
    step: string,
    action: WriteCase['action'],
    payload: Record<string, unknown>,
    ...before: [string, Record<string, unknown>][]
  ) =>
    write(`POST /api/v1/compensation/claims/:id/${step}`, action, async () => ({
      method: 'POST',
      url: `/api/v1/compensation/claims/${(await compClaim(...before)).id}/${step}`,
      payload,
    }));
  /** A multipart/form-data body (fields first, then the files as parts named `file`). */
  const multipart = async (
    url: string,
    fields: Record<string, string>,
    files: UploadFile[],
  ): Promise<InjectOptions> => {
    const { payload, contentType } = await multipartBody(fields, files);
    return { method: 'POST', url, headers: { 'content-type': contentType }, payload };
  };
  /** An incident opened by a critical alert whose event names an account (for IOC extraction, evidence). */
  const alertIncident = async () => {
    const out = await buildAlert(t.s, {
      level: 'critical',
      events: [
        {
          id: `aud-ev-${++n}`,
          time: Date.now(),
          source: 'api',
          logsource: { product: 'trading', service: 'auth' },
          fields: { user: `A1009${String(n).padStart(4, '0')}`, src_ip: '203.0.113.9' },
        },
      ],
    });
    return { key: out.incidentKey!, alertId: out.alertId };
  };
  const newIoc = async () => {
    const key = (await newIncident()).key;
    const { id } = await post(`/api/v1/incidents/${key}/iocs`, { type: 'domain', value: `aud-${++n}.example.com` });
    return `/api/v1/incidents/${key}/iocs/${id}`;
  };
  const newEvidence = async () => {
    const key = (await newIncident()).key;
    const res = await t.as(
      admin,
      await multipart(`/api/v1/incidents/${key}/evidence`, { description: 'audit' }, [
        { name: 'capture.pcap', bytes: Buffer.from(`pcap ${++n}`) },
      ]),
    );
    return `/api/v1/evidence/${(res.json() as { id: string }).id}`;
  };
  const newRequest = async () =>
    (
      await post('/api/v1/investigation-requests', {
        requesterKind: 'police',
        requesterName: '市公安局网安支队',
        requested: 'login logs',
        receivedAt: new Date().toISOString(),
      })
    ).id;
  /** Investigation (issue 15): evidence, IOCs, ATT&CK, requests from outside; compensation's files and portal. */
  const issue15Cases = (): WriteCase[] => [
    write('POST /api/v1/compensation/claims/:id/attachments', 'compensation.attachment_add', async () =>
      multipart(`/api/v1/compensation/claims/${(await compClaim()).id}/attachments`, {}, [
        { name: 'note.txt', bytes: Buffer.from('the customer brought a printout') },
      ]),
    ),
    write('PUT /api/v1/incidents/:key/compensation/portal', 'compensation.portal_filing', async () => ({
      method: 'PUT',
      url: `/api/v1/incidents/${await compIncident()}/compensation/portal`,
      payload: { open: true, titleZh: '交易故障', titleEn: 'Trading outage' },
    })),
    write('POST /api/v1/incidents/:key/evidence', 'evidence.add', async () =>
      multipart(`/api/v1/incidents/${(await newIncident()).key}/evidence`, { description: 'edge capture' }, [
        { name: 'capture.pcap', bytes: Buffer.from(`pcap ${++n}`) },
      ]),
    ),
    write('POST /api/v1/incidents/:key/evidence/alerts/:alertId', 'evidence.add', async () => {
      const a = await alertIncident();
      return { method: 'POST', url: `/api/v1/incidents/${a.key}/evidence/alerts/${a.alertId}` };
    }),
    write('POST /api/v1/incidents/:key/evidence/timeline', 'evidence.add', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await alertIncident()).key}/evidence/timeline`,
    })),
    write('POST /api/v1/incidents/:key/evidence/actions/:actionId', 'evidence.add', async () => {
      const id = await newRun('succeeded');
      const run = (await t.as(admin, { method: 'GET', url: `/api/v1/actions/${id}` })).json() as {
        incidentKey: string;
      };
      return { method: 'POST', url: `/api/v1/incidents/${run.incidentKey}/evidence/actions/${id}` };
    }),
    write('POST /api/v1/incidents/:key/evidence/packages', 'evidence.package_create', async () => {
      const item = await newEvidence();
      const key = (await t.as(admin, { method: 'GET', url: item })).json().incidentKey as string;
      return {
        method: 'POST',
        url: `/api/v1/incidents/${key}/evidence/packages`,
        payload: { itemIds: [item.split('/').pop()], recipient: 'Public Security Bureau' },
      };
    }),
    write('PUT /api/v1/evidence/:id/hold', 'evidence.hold', async () => ({
      method: 'PUT',
      url: `${await newEvidence()}/hold`,
      payload: { hold: true, reason: 'police request' },
    })),
    write('DELETE /api/v1/evidence/:id', 'evidence.delete', async () => ({
      method: 'DELETE',
      url: await newEvidence(),
    })),
    write('POST /api/v1/incidents/:key/iocs', 'ioc.create', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await newIncident()).key}/iocs`,
      payload: { type: 'domain', value: `aud-${++n}.example.net` },
    })),
    write('PATCH /api/v1/incidents/:key/iocs/:id', 'ioc.update', async () => ({
      method: 'PATCH',
      url: await newIoc(),
      payload: { confidence: 90 },
    })),
    write('POST /api/v1/incidents/:key/iocs/:id/revoke', 'ioc.revoke', async () => ({
      method: 'POST',
      url: `${await newIoc()}/revoke`,
      payload: { reason: 'false positive' },
    })),
    write('POST /api/v1/incidents/:key/iocs/extract', 'ioc.extract', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await alertIncident()).key}/iocs/extract`,
    })),
    write('POST /api/v1/incidents/:key/stix', 'ioc.import', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await newIncident()).key}/stix`,
      payload: {
        type: 'bundle',
        id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
        objects: [
          {
            type: 'indicator',
            spec_version: '2.1',
            id: 'indicator--a932fcc6-e032-476c-826f-cb970a5a1ade',
            created: '2026-11-01T00:00:00.000Z',
            modified: '2026-11-01T00:00:00.000Z',
            pattern: `[domain-name:value = 'aud-${++n}.example.org']`,
            pattern_type: 'stix',
            valid_from: '2026-11-01T00:00:00Z',
          },
        ],
      },
    })),
    write('POST /api/v1/incidents/:key/iocs/detection', 'rule.upload', async () => ({
      method: 'POST',
      url: `${(await newIoc()).replace(/\/[^/]+$/, '')}/detection`,
      payload: {},
    })),
    write('DELETE /api/v1/incidents/:key/iocs/detection', 'rule.delete', async () => {
      const url = `${(await newIoc()).replace(/\/[^/]+$/, '')}/detection`;
      await post(url, {});
      return { method: 'DELETE', url };
    }),
    write('POST /api/v1/incidents/:key/attack', 'investigation.technique_add', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await newIncident()).key}/attack`,
      payload: { techniqueId: 'T1110.004', note: 'credential stuffing' },
    })),
    write('DELETE /api/v1/incidents/:key/attack/:techniqueId', 'investigation.technique_remove', async () => {
      const key = (await newIncident()).key;
      await post(`/api/v1/incidents/${key}/attack`, { techniqueId: 'T1078' });
      return { method: 'DELETE', url: `/api/v1/incidents/${key}/attack/T1078` };
    }),
    write('POST /api/v1/investigation-requests', 'investigation.request_create', async () => ({
      method: 'POST',
      url: '/api/v1/investigation-requests',
      payload: {
        requesterKind: 'csrc_local',
        requesterName: '证监局',
        requested: 'the incident report',
        receivedAt: new Date().toISOString(),
      },
    })),
    write('PATCH /api/v1/investigation-requests/:id', 'investigation.request_update', async () => ({
      method: 'PATCH',
      url: `/api/v1/investigation-requests/${await newRequest()}`,
      payload: { requested: 'login logs and screenshots' },
    })),
    write('POST /api/v1/investigation-requests/:id/answer', 'investigation.request_answer', async () => ({
      method: 'POST',
      url: `/api/v1/investigation-requests/${await newRequest()}/answer`,
      payload: { handedOver: [{ kind: 'document', description: 'login logs, 2 pages' }] },
    })),
    ...investigationReportCases(),
    ...reviewCases(),
  ];
  /** A resolved incident of grade II (its review opened by itself) and the review's URL; `steps` taken on the review. */
  const newReview = async (...steps: ('item' | 'submit')[]) => {
    const inc = await newIncident();
    for (const to of ['acknowledged', 'contained', 'recovered'])
      await t.as(admin, { method: 'POST', url: `/api/v1/incidents/${inc.key}/transitions`, payload: { to } });
    const url = `/api/v1/incidents/${inc.key}/review`;
    for (const step of steps)
      if (step === 'item') await t.as(admin, { method: 'POST', url: `${url}/action-items`, payload: actionItem() });
      else await t.as(admin, { method: 'POST', url: `${url}/${step}` });
    return url;
  };
  const actionItem = () => ({
    title: 'Rate-limit the login API',
    ownerId: responder.userId,
    dueAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const newActionItem = async () =>
    (await t.as(admin, { method: 'POST', url: '/api/v1/action-items', payload: actionItem() })).json().id as string;
  const reviewCases = (): WriteCase[] => [
    write('POST /api/v1/action-items', 'action_item.create', async () => ({
      method: 'POST',
      url: '/api/v1/action-items',
      payload: actionItem(),
    })),
    write('PATCH /api/v1/action-items/:id', 'action_item.update', async () => ({
      method: 'PATCH',
      url: `/api/v1/action-items/${await newActionItem()}`,
      payload: { priority: 'p1' },
    })),
    write('POST /api/v1/action-items/:id/transitions', 'action_item.transition', async () => ({
      method: 'POST',
      url: `/api/v1/action-items/${await newActionItem()}/transitions`,
      payload: { to: 'cancelled', reason: 'Covered by the new gateway' },
    })),
    write('POST /api/v1/incidents/:key/review', 'review.open', async () => {
      const inc = await buildIncident(t.s, { by: admin, ...declare(), grade: 'IV' });
      for (const to of ['acknowledged', 'contained', 'recovered'])
        await t.as(admin, { method: 'POST', url: `/api/v1/incidents/${inc.key}/transitions`, payload: { to } });
      return { method: 'POST', url: `/api/v1/incidents/${inc.key}/review` };
    }),
    write('PUT /api/v1/incidents/:key/review', 'review.update', async () => ({
      method: 'PUT',
      url: await newReview(),
      payload: { sections: { wentWell: 'The plan started within a minute' } },
    })),
    write('POST /api/v1/incidents/:key/review/action-items', 'action_item.create', async () => ({
      method: 'POST',
      url: `${await newReview()}/action-items`,
      payload: actionItem(),
    })),
    write('POST /api/v1/incidents/:key/review/submit', 'review.submit', async () => ({
      method: 'POST',
      url: `${await newReview()}/submit`,
    })),
    write('POST /api/v1/incidents/:key/review/close', 'review.close', async () => ({
      method: 'POST',
      url: `${await newReview('submit')}/close`,
    })),
    ...vulnerabilityCases(),
  ];
  /** An incident whose investigation report the administrator wrote and moved through `steps`; its report URL. */
  const newInvestigationReport = async (...steps: ('submit' | 'approve' | 'announce')[]) => {
    const inc = await newIncident();
    const url = `/api/v1/incidents/${inc.key}/investigation-report`;
    await t.as(admin, {
      method: 'PUT',
      url,
      payload: { sections: { summary: 'Audited' }, publicSummary: { zh: '调查结论', en: 'Findings' } },
    });
    for (const step of steps)
      if (step === 'announce')
        await t.s.store.transaction((tx) =>
          t.s.status.publisher.publish(
            tx,
            { id: null, label: 'test' },
            {
              kind: 'holding_statement',
              incidentId: inc.id,
              statementId: `holding-${inc.id}`,
              title: { zh: '公告', en: 'Announcement' },
              body: { zh: '处理中', en: 'Working on it' },
              fields: {},
            },
          ),
        );
      else
        await t.as(step === 'approve' ? await complianceSession() : admin, { method: 'POST', url: `${url}/${step}` });
    return url;
  };
  /** A CSV of one finding on a fresh asset, imported by the administrator; the finding's id. */
  const vulnCsv = () => Buffer.from(`asset,title,severity\naudit-host-${++n},Audited weak password,high\n`);
  const newFinding = async () => {
    const req = await multipart('/api/v1/vulnerabilities/imports', { format: 'csv', scope: `audit-${++n}` }, [
      { name: 'f.csv', bytes: vulnCsv() },
    ]);
    await t.as(admin, req);
    const list = await t.as(admin, { method: 'GET', url: '/api/v1/vulnerabilities/findings?sort=first_seen&limit=1' });
    return (list.json() as { items: { id: string }[] }).items[0]!.id;
  };
  const vulnerabilityCases = (): WriteCase[] => [
    write('POST /api/v1/vulnerabilities/imports', 'vulnerability.import', () =>
      multipart('/api/v1/vulnerabilities/imports', { format: 'csv' }, [{ name: 'scan.csv', bytes: vulnCsv() }]),
    ),
    write('POST /api/v1/vulnerabilities/findings/:id/transition', 'vulnerability.transition', async () => ({
      method: 'POST',
      url: `/api/v1/vulnerabilities/findings/${await newFinding()}/transition`,
      payload: { to: 'in_remediation', reason: 'patch scheduled' },
    })),
    write('POST /api/v1/vulnerabilities/mappings', 'vulnerability.mapping_create', async () => ({
      method: 'POST',
      url: '/api/v1/vulnerabilities/mappings',
      payload: { pattern: 'trade-gw-*', serviceKey: await newService() },
    })),
    write('DELETE /api/v1/vulnerabilities/mappings/:id', 'vulnerability.mapping_delete', async () => {
      const { id } = await post('/api/v1/vulnerabilities/mappings', { pattern: 'x-*', serviceKey: await newService() });
      return { method: 'DELETE', url: `/api/v1/vulnerabilities/mappings/${id}` };
    }),
    write('PUT /api/v1/vulnerabilities/sla', 'vulnerability.sla_update', async () => ({
      method: 'PUT',
      url: '/api/v1/vulnerabilities/sla',
      payload: { critical: 5, high: 30, medium: 90, low: 180 },
    })),
    write('POST /api/v1/vulnerabilities/kev', 'vulnerability.kev_import', () =>
      multipart('/api/v1/vulnerabilities/kev', {}, [
        {
          name: 'kev.json',
          bytes: Buffer.from('{"vulnerabilities":[{"cveID":"CVE-2021-44228","dueDate":"2021-12-24"}]}'),
        },
      ]),
    ),
    write('POST /api/v1/vulnerabilities/epss', 'vulnerability.epss_import', () =>
      multipart('/api/v1/vulnerabilities/epss', {}, [
        { name: 'epss.csv', bytes: Buffer.from('cve,epss,percentile\nCVE-2021-44228,0.9,0.99\n') },
      ]),
    ),
  ];
  const investigationReportCases = (): WriteCase[] => [
    write('PUT /api/v1/incidents/:key/investigation-report', 'investigation_report.update', async () => ({
      method: 'PUT',
      url: `/api/v1/incidents/${(await newIncident()).key}/investigation-report`,
      payload: { sections: { rootCause: 'Password reuse' } },
    })),
    write('POST /api/v1/incidents/:key/investigation-report/submit', 'investigation_report.submit', async () => ({
      method: 'POST',
      url: `${await newInvestigationReport()}/submit`,
    })),
    {
      route: 'POST /api/v1/incidents/:key/investigation-report/approve',
      action: 'investigation_report.approve',
      prepare: async () => ({
        session: await complianceSession(),
        req: { method: 'POST', url: `${await newInvestigationReport('submit')}/approve` },
      }),
    },
    {
      route: 'POST /api/v1/incidents/:key/investigation-report/request-changes',
      action: 'investigation_report.request_changes',
      prepare: async () => ({
        session: await complianceSession(),
        req: {
          method: 'POST',
          url: `${await newInvestigationReport('submit')}/request-changes`,
          payload: { comment: 'Name the tools' },
        },
      }),
    },
    {
      route: 'POST /api/v1/incidents/:key/investigation-report/publish',
      action: 'investigation_report.publish',
      prepare: async () => ({
        session: await complianceSession(),
        req: { method: 'POST', url: `${await newInvestigationReport('submit', 'approve', 'announce')}/publish` },
      }),
    },
  ];
  const compensationCases = (): WriteCase[] => [
    write('POST /api/v1/incidents/:key/compensation/runs', 'compensation.run_create', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${await compIncident()}/compensation/runs`,
      payload: { method: 'fixed', results: [] },
    })),
    {
      route: 'POST /api/v1/incidents/:key/compensation/runs/:id/review',
      action: 'compensation.run_review',
      prepare: async () => ({
        session: await complianceSession(),
        req: { method: 'POST', url: `${await compRun()}/review` },
      }),
    },
    write('POST /api/v1/incidents/:key/compensation/runs/:id/offer', 'compensation.bulk_offer', async () => {
      const run = await compRun();
      await post(`${run}/propose`, {});
      await t.as(await complianceSession(), { method: 'POST', url: `${run}/review` });
      return { method: 'POST', url: `${run}/offer` };
    }),
    write('POST /api/v1/incidents/:key/compensation/runs/:id/propose', 'compensation.propose', async () => ({
      method: 'POST',
      url: `${await compRun()}/propose`,
    })),
    write('POST /api/v1/incidents/:key/compensation/inputs', 'compensation.input_upload', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${await compIncident()}/compensation/inputs?kind=items&name=audit.csv`,
      headers: { 'content-type': 'text/csv' },
      payload: 'customer\nAUDIT-1\n',
    })),
    write('POST /api/v1/incidents/:key/compensation/assess', 'compensation.run_create', async () => {
      const key = await compIncident();
      const input = await t.as(admin, {
        method: 'POST',
        url: `/api/v1/incidents/${key}/compensation/inputs?kind=items&name=audit.csv`,
        headers: { 'content-type': 'text/csv' },
        payload: 'customer\nAUDIT-1\n',
      });
      return {
        method: 'POST',
        url: `/api/v1/incidents/${key}/compensation/assess`,
        payload: { method: 'fixed', inputs: { items: input.json().id }, parameters: { amount: '50' } },
      };
    }),
    write('POST /api/v1/incidents/:key/compensation/claims', 'compensation.claim_create', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${await compIncident()}/compensation/claims`,
      payload: { customerNo: await compCustomer(), source: 'portal', claimedMinor: 100, description: 'audit' },
    })),
    write('POST /api/v1/incidents/:key/compensation/bulk-approve', 'compensation.bulk_approve', async () => {
      const c = await compClaim(assess, offer, accept);
      return {
        method: 'POST',
        url: `/api/v1/incidents/${c.key}/compensation/bulk-approve`,
        payload: { claimIds: [c.id] },
      };
    }),
    write('PUT /api/v1/compensation/policy', 'compensation.policy_update', async () => ({
      method: 'PUT',
      url: '/api/v1/compensation/policy',
      payload: {
        tiers: [
          { key: 'lead', capMinor: 500_000, roles: ['incident_commander', 'admin'], approvers: 1 },
          { key: 'compliance', capMinor: 10_000_000, roles: ['compliance', 'admin'], approvers: 1 },
          { key: 'second_approver', capMinor: null, roles: ['compliance', 'admin'], approvers: 2 },
        ],
        goodwill: { default: { kind: 'fee_waiver', amountMinor: 0 }, byCustomerTier: {} },
      },
    })),
    claimStep('assess', 'compensation.assess_start', {}),
    claimStep('offer', 'compensation.offer', { amountMinor: 8_000, reason: 'audit' }, assess),
    claimStep('counter', 'compensation.counter', { amountMinor: 12_000, reason: 'audit' }, assess, offer),
    claimStep('accept', 'compensation.accept', { channel: 'phone' }, assess, offer),
    claimStep('decline', 'compensation.decline', { by: 'firm', reason: 'no_evidence' }, assess),
    {
      route: 'POST /api/v1/compensation/claims/:id/approve',
      action: 'compensation.approve',
      prepare: async () => ({
        session: await complianceSession(),
        req: {
          method: 'POST',
          url: `/api/v1/compensation/claims/${(await compClaim(assess, offer, accept)).id}/approve`,
        },
      }),
    },
    write('POST /api/v1/incidents/:key/compensation/batches', 'compensation.payout_create', async () => {
      const c = await approvedClaim();
      return {
        method: 'POST',
        url: `/api/v1/incidents/${c.key}/compensation/batches`,
        payload: { id: `AUD-B-${++n}`, claimIds: [c.id] },
      };
    }),
    write('POST /api/v1/incidents/:key/compensation/batches/:id/paid', 'compensation.payout_paid', async () => ({
      method: 'POST',
      url: `${await exportedBatch()}/paid`,
      payload: { reference: `AUD-BANK-${++n}` },
    })),
    write('POST /api/v1/incidents/:key/compensation/batches/:id/return', 'compensation.payout_return', async () => ({
      method: 'POST',
      url: `${await exportedBatch()}/return`,
      headers: { 'content-type': 'text/csv' },
      payload: 'seq,result,bank_reference,reason\n1,failed,,account closed\n',
    })),
    claimStep('mediation', 'compensation.mediation_refer', { body: 'sac_mediation' }),
    claimStep('mediation/outcome', 'compensation.mediation_outcome', { outcome: 'withdrawn' }, [
      'mediation',
      { body: 'arbitration' },
    ]),
  ];
  const issue13Cases = (): WriteCase[] => [
    write('PUT /api/v1/firm-profile', 'firm.update', async () => ({
      method: 'PUT',
      url: '/api/v1/firm-profile',
      payload: {
        jurisdictions: ['CN'],
        ciiOperator: false,
        usBrokerDealer: null,
        listedUs: false,
        doraEntity: false,
        clientsTotal: null,
        csrcTargetMinutes: null,
      },
    })),
    write('PATCH /api/v1/incidents/:key/obligations/facts', 'obligation.facts', async () => ({
      method: 'PATCH',
      url: `/api/v1/incidents/${(await newIncident()).key}/obligations/facts`,
      payload: { personalInfoRecords: 1200 },
    })),
    write('POST /api/v1/incidents/:key/reports', 'report.create', async () => ({
      method: 'POST',
      url: `/api/v1/incidents/${(await newIncident()).key}/reports`,
      payload: { obligation: 'cac-report', stage: 'initial' },
    })),
    write('POST /api/v1/reports/:id/versions', 'report.version', async () => ({
      method: 'POST',
      url: `/api/v1/reports/${await newReport()}/versions`,
      payload: { fields: { cause: { zh: '撞库', en: 'Credential stuffing' } } },
    })),
    write('POST /api/v1/reports/:id/review', 'report.review_request', async () => ({
      method: 'POST',
      url: `/api/v1/reports/${await newReport()}/review`,
    })),
    write('POST /api/v1/reports/:id/approve', 'report.approve', async () => ({
      method: 'POST',
      url: `/api/v1/reports/${await reviewedReport()}/approve`,
    })),
    write('POST /api/v1/reports/:id/reject', 'report.reject', async () => ({
      method: 'POST',
      url: `/api/v1/reports/${await reviewedReport()}/reject`,
      payload: { reason: 'audit' },
    })),
    write('POST /api/v1/reports/:id/submission', 'report.submitted', async () => {
      const id = await reviewedReport();
      await t.as(admin, { method: 'POST', url: `/api/v1/reports/${id}/approve` });
      return {
        method: 'POST',
        url: `/api/v1/reports/${id}/submission?channel=portal&reference=AUD-${++n}&filename=receipt.pdf`,
        headers: { 'content-type': 'application/octet-stream' },
        payload: Buffer.from('%PDF-1.4 receipt'),
      };
    }),
  ];
  /** The risk register and training records (issue 16). */
  const riskBody = () => ({ title: `Audited risk ${++n}`, category: 'cyber', likelihood: 3, impact: 4 });
  const newRisk = async () =>
    (await t.as(admin, { method: 'POST', url: '/api/v1/risks', payload: riskBody() })).json().id as string;
  const trainingRecord = () => ({
    employeeId: `AUD${++n}`,
    department: 'Audit',
    courseCode: 'SEC-101',
    courseName: 'Security awareness',
    completedOn: '2026-11-30',
  });
  const riskTrainingCases = (): WriteCase[] => [
    write('POST /api/v1/risks', 'risk.create', async () => ({
      method: 'POST',
      url: '/api/v1/risks',
      payload: riskBody(),
    })),
    write('PATCH /api/v1/risks/:id', 'risk.update', async () => ({
      method: 'PATCH',
      url: `/api/v1/risks/${await newRisk()}`,
      payload: { version: 1, status: 'treating' },
    })),
    write('POST /api/v1/training/records', 'training.record_create', async () => ({
      method: 'POST',
      url: '/api/v1/training/records',
      payload: trainingRecord(),
    })),
    write('DELETE /api/v1/training/records/:id', 'training.record_delete', async () => {
      const r = await t.as(admin, { method: 'POST', url: '/api/v1/training/records', payload: trainingRecord() });
      return { method: 'DELETE', url: `/api/v1/training/records/${r.json().id}` };
    }),
    write('POST /api/v1/training/imports', 'training.import', async () => ({
      method: 'POST',
      url: '/api/v1/training/imports?kind=records',
      headers: { 'content-type': 'text/csv' },
      payload: Buffer.from(
        `employee_id,department,course_code,course_name,completed_on\nAUD${++n},Audit,SEC-101,Security awareness,2026-11-30\n`,
      ),
    })),
    write('PUT /api/v1/training/required-courses', 'training.required_update', async () => ({
      method: 'PUT',
      url: '/api/v1/training/required-courses',
      payload: { items: [{ courseCode: 'SEC-101', courseName: 'Security awareness', periodMonths: 12 }] },
    })),
  ];
  /** Writes that change no record: ingested events and metric samples flow to detection (thousands a second), not into the chain. */
  // Checking a plan's text stores nothing either.
  const UNAUDITED = new Set([
    'POST /api/v1/events',
    'POST /api/v1/metrics',
    'POST /api/v1/plans/lint',
    'POST /api/v1/statements/preview',
    // The notify gateway's delivery receipts: machine state of a message, signed, thousands a second.
    'POST /api/v1/campaign-receipts/:gatewayId',
    // Audited as session.login (and session.login_failed, session.directory_refused), but a sign-in needs a
    // directory: test/api/identity-ldap.test.ts checks those entries against a real slapd.
    'POST /api/v1/auth/ldap',
  ]);

  it('has a case for every state-changing route', () => {
    const writes = apiRoutes(t.s)
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !UNAUDITED.has(r));
    expect([...cases(), ...scimCases()].map((c) => c.route).sort()).toEqual(writes.sort());
  });

  // One request after another for some 200 routes: 17-25 s on PostgreSQL beside other files, past the default 30 s under load.
  it('appends an entry, with actor and time, for every state-changing route', { timeout: 120_000 }, async () => {
    for (const c of [...cases(), ...scimCases()]) {
      const { session, req } = await c.prepare();
      const before = await auditCount(t);
      const res = await t.as(session, req);
      expect(res.statusCode, `${c.route}: ${res.body}`).toBeLessThan(300);
      expect(await auditCount(t), c.route).toBeGreaterThan(before);
      const newest = (await t.s.audit.list({}, (await auditCount(t)) - before)).items;
      const entry = newest.find((e) => e.action === c.action);
      expect(
        entry,
        `${c.route} should append ${c.action}; got ${newest.map((e) => e.action).join(', ')}`,
      ).toBeDefined();
      expect(entry!.actor.label.length).toBeGreaterThan(0);
      expect(Math.abs(Date.parse(entry!.at) - Date.now())).toBeLessThan(60_000);
    }
    expect(await t.s.audit.verify()).toMatchObject({ ok: true, firstBad: null });
  });

  it('keeps who changed what from what to what', async () => {
    const { key } = await newIncident();
    await t.as(admin, { method: 'PATCH', url: `/api/v1/incidents/${key}`, payload: { title: 'Renamed', grade: 'I' } });
    const entry = (
      await t.as(auditor, { method: 'GET', url: `/api/v1/audit?targetId=${key}&action=incident.update` })
    ).json().items[0];
    expect(entry).toMatchObject({
      action: 'incident.update',
      targetType: 'incident',
      targetId: key,
      actor: { id: admin.userId },
      before: { title: 'Bank-securities transfer failing', grade: 'II' },
      after: { title: 'Renamed', grade: 'I', severity: 1 },
    });
  });

  it('appends nothing for a refused change', async () => {
    const { key } = await newIncident();
    const before = await auditCount(t);
    expectProblem(
      await t.as(admin, { method: 'POST', url: `/api/v1/incidents/${key}/transitions`, payload: { to: 'closed' } }),
      409,
    );
    expectProblem(
      await t.as(responder, {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: 'z@test.example', name: 'z', role: 'admin', password: PASSWORD },
      }),
      403,
    );
    expectProblem(
      await t.as(admin, { method: 'POST', url: '/api/v1/incidents', payload: { ...declare(), bogus: true } }),
      400,
    );
    expect(await auditCount(t)).toBe(before);
  });

  it('lets auditors verify and export the chain as NDJSON; responders get 403', async () => {
    const verify = await t.as(auditor, { method: 'GET', url: '/api/v1/audit/verify' });
    expect(verify.statusCode).toBe(200);
    const total = await auditCount(t);
    expect(verify.json()).toEqual({
      ok: true,
      checked: total,
      firstBad: null,
      head: { seq: total, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });

    const exp = await t.as(auditor, { method: 'GET', url: '/api/v1/audit/export' });
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(exp.headers['content-disposition']).toMatch(/^attachment; filename="tocsin-audit-.+\.ndjson"$/);
    expect(exp.body.endsWith('\n')).toBe(true);
    const lines = exp.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { seq: number; hash: string; prevHash: string; action: string });
    expect(lines).toHaveLength(total);
    lines.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(e.prevHash).toBe(i === 0 ? '0'.repeat(64) : lines[i - 1]!.hash);
      expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    const browse = await t.as(auditor, { method: 'GET', url: '/api/v1/audit?limit=5' });
    expect(browse.json().items.map((e: { seq: number }) => e.seq)).toEqual([
      total,
      total - 1,
      total - 2,
      total - 3,
      total - 4,
    ]);

    for (const url of ['/api/v1/audit', '/api/v1/audit/verify', '/api/v1/audit/export']) {
      expectProblem(await t.as(responder, { method: 'GET', url }), 403);
    }
  });

  // Reads of personal data are audited too: the access review (issue 17) lists every account and token.
  it('appends an entry for each view and export of the access review, none for a refused one', async () => {
    for (const [url, action] of [
      ['/api/v1/access-review', 'access_review.view'],
      ['/api/v1/access-review.csv', 'access_review.export'],
    ] as const) {
      const before = await auditCount(t);
      expect((await t.as(auditor, { method: 'GET', url })).statusCode).toBe(200);
      const entry = (await t.s.audit.list({}, 1)).items[0]!;
      expect(entry).toMatchObject({ action, targetType: 'access_review', actor: { id: auditor.userId } });
      expect(await auditCount(t)).toBe(before + 1);
      expectProblem(await t.as(responder, { method: 'GET', url }), 403);
      expect(await auditCount(t)).toBe(before + 1);
    }
    expect(await t.s.audit.verify()).toMatchObject({ ok: true });
  });
});

describe.each(STORE_KINDS)('audit tampering (%s)', (kind) => {
  let t: TestApp;
  let auditor: Session;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const ic = await t.login('incident_commander');
    auditor = await t.login('auditor');
    for (let i = 0; i < 4; i++) {
      const { key } = await buildIncident(t.s, { by: ic, ...declare(`Incident ${i}`) });
      await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${key}/timeline`, payload: { text: `note ${i}` } });
    }
    expect((await t.s.audit.verify()).ok).toBe(true);
  });
  afterAll(() => t.close());

  const db = () => t.s.store.db;

  it('names an entry edited directly in the store', async () => {
    const target = 6;
    const row = await db().selectFrom('audit_log').selectAll().where('seq', '=', target).executeTakeFirstOrThrow();
    await db()
      .updateTable('audit_log')
      .set({ after_json: (row.after_json ?? '{}').replace(/}$/, ',"x":1}') })
      .where('seq', '=', target)
      .execute();
    try {
      const r = await t.s.audit.verify();
      expect(r).toMatchObject({ ok: false, checked: target - 1, firstBad: { seq: target } });
      expect(r.firstBad!.reason).toMatch(/edited|hash/);
      const viaHttp = await t.as(auditor, { method: 'GET', url: '/api/v1/audit/verify' });
      expect(viaHttp.json()).toMatchObject({ ok: false, firstBad: { seq: target } });

      // Re-hashing the edited row does not help: the next entry's link no longer holds.
      const { hashRow } = await import('../../src/server/modules/audit/index.js');
      const edited = await db().selectFrom('audit_log').selectAll().where('seq', '=', target).executeTakeFirstOrThrow();
      const { hash: _old, ...rest } = edited;
      await db()
        .updateTable('audit_log')
        .set({ hash: hashRow(rest) })
        .where('seq', '=', target)
        .execute();
      expect((await t.s.audit.verify()).firstBad).toMatchObject({ seq: target + 1 });
    } finally {
      await db()
        .updateTable('audit_log')
        .set({ after_json: row.after_json, hash: row.hash })
        .where('seq', '=', target)
        .execute();
    }
    expect((await t.s.audit.verify()).ok).toBe(true);
  });

  it('notices an entry deleted from the middle of the chain', async () => {
    const target = 4;
    const row = await db().selectFrom('audit_log').selectAll().where('seq', '=', target).executeTakeFirstOrThrow();
    await db().deleteFrom('audit_log').where('seq', '=', target).execute();
    try {
      const r = await t.s.audit.verify();
      expect(r.ok).toBe(false);
      expect(r.checked).toBe(target - 1);
      expect(r.firstBad!.reason).toContain(`entry ${target} is missing`);
      expect((await t.as(auditor, { method: 'GET', url: '/api/v1/audit/verify' })).json().ok).toBe(false);
    } finally {
      await db().insertInto('audit_log').values(row).execute();
    }
    expect((await t.s.audit.verify()).ok).toBe(true);
  });

  it('notices an edited actor or a changed time', async () => {
    for (const patch of [{ actor_label: 'someone else' }, { at: 0 }, { action: 'incident.nothing' }]) {
      const row = await db().selectFrom('audit_log').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
      await db().updateTable('audit_log').set(patch).where('seq', '=', 3).execute();
      try {
        expect((await t.s.audit.verify()).firstBad, JSON.stringify(patch)).toMatchObject({ seq: 3 });
      } finally {
        await db()
          .updateTable('audit_log')
          .set({ actor_label: row.actor_label, at: row.at, action: row.action })
          .where('seq', '=', 3)
          .execute();
      }
    }
  });
});
