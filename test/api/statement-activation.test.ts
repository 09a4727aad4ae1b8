/** A plan's communication steps draft their statements on activation (issue 11). */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/shared/plan-schemas.js';
import { compose, type Services } from '../../src/server/compose.js';
import { lintPlanFile } from '../../src/server/modules/plan/plan-lint.js';
import { buildIncident, buildPrincipal, buildService, SYSTEM } from '../helpers/fixtures.js';
import { STORE_KINDS, testConfig } from '../helpers/store.js';

const T0 = Date.UTC(2026, 11, 3, 6, 0);

describe.each(STORE_KINDS)('statements drafted by plans (%s)', (kind) => {
  let s: Services;
  let drop: () => Promise<void>;
  const r = lintPlanFile(path.join(import.meta.dirname, '../../plans/account-takeover.yml'));
  // The bundled plan's first communication step is the holding statement.
  const plan = r.plan as Plan;

  beforeEach(async () => {
    const t = testConfig(kind);
    drop = t.drop;
    s = await compose(t.config, {
      clock: { now: () => T0 },
      runnablePlans: async () => [{ planId: plan.id, version: 1, document: plan }],
      activationPorts: { requestAction: async () => null, page: async () => {} },
    });
    await buildService(s, { key: 'online-trading' });
  });
  afterEach(async () => {
    await s.close();
    await drop();
  });

  it('drafts the holding statement at activation and links it from the step task, once', async () => {
    const incident = await buildIncident(s, {
      title: 'Credential stuffing on online trading',
      category: 'network_attack',
      grade: 'II',
      tags: ['attack.t1110.004'],
      services: ['online-trading'],
    });
    await s.jobs.runDue(T0);
    const p = await buildPrincipal(s);
    const { items } = await s.statements.listForIncident(p, incident.key, { limit: 50 });
    const holding = items.find((x) => x.kind === 'holding_statement')!;
    expect(holding).toMatchObject({
      state: 'draft',
      scenario: 'credential_stuffing',
      origin: { planId: plan.id, stepId: 'holding-statement' },
    });
    expect(holding.version.author.name).toBe('system (plans)');
    expect(holding.version.body.zh).toContain(incident.key);
    // Every communication step drafted its statement (the plan's own two as well).
    expect(items.map((x) => x.kind).sort()).toEqual(['customer_notice', 'holding_statement', 'regulator_report']);

    const tasks = await s.timeline.listTasks(p, incident.key, undefined, 50);
    const task = tasks.items.find((x: { title: string }) => x.title.startsWith('Review and publish the holding'))!;
    expect(JSON.stringify(task)).toContain(holding.id);

    // The same step asked again (a redelivered event) answers the same draft.
    const again = await s.store.transaction((tx) =>
      s.statements.draftForPlan(tx, SYSTEM, {
        incidentId: incident.id,
        planId: plan.id,
        stepId: 'holding-statement',
        kind: 'holding_statement',
      }),
    );
    expect(again.id).toBe(holding.id);
    expect((await s.statements.listForIncident(p, incident.key, { limit: 50 })).items).toHaveLength(3);
  });
});
