/**
 * `tocsin drill replay --scenario credential-stuffing` against a running server (docs/drills.md,
 * technical drills): the scenario's raw events go into detection, which raises the alert and declares
 * the incident, the bundled account-takeover plan starts on it, and each step is reported with its time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ADMIN_EMAIL, api, buildOnce, ROOT, startServer, tempDir, tocsin, type ServerProcess } from './harness.js';

beforeAll(buildOnce, 180_000);

describe('drill replay', () => {
  const dir = tempDir();
  const env = { TOCSIN_DATA_DIR: dir };
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer(dir);
    const imported = await tocsin(['plans', 'import', path.join(ROOT, 'plans'), '--activate'], env);
    expect(imported.code, imported.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('replays the scenario into detection and times detect, incident and plan', async () => {
    const token = (
      await tocsin(['tokens', 'create', '--email', ADMIN_EMAIL, '--name', 'drill', '--scope', 'read', 'events'], env)
    ).stdout.trim();
    const r = await tocsin(['drill', 'replay', '--scenario', 'credential-stuffing', '--json'], {
      ...env,
      TOCSIN_URL: server.url,
      TOCSIN_TOKEN: token,
    });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ scenario: 'credential-stuffing', incident: expect.stringMatching(/^INC-/) });
    expect(report.steps.map((s: { step: string }) => s.step)).toEqual(['detect', 'incident', 'plan']);
    for (const s of report.steps) expect(s.ms, JSON.stringify(s)).toEqual(expect.any(Number));
    expect(report.steps[2].planId).toBe('account-takeover');
    const plans = await api(server.url, token, 'GET', `/api/v1/incidents/${report.incident}/plans`);
    expect(plans.body.items[0]).toMatchObject({ planId: 'account-takeover' });

    const unknown = await tocsin(['drill', 'replay', '--scenario', 'nope'], {
      ...env,
      TOCSIN_URL: server.url,
      TOCSIN_TOKEN: token,
    });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no scenario "nope" to replay/);
  }, 90_000);

  // The attacks our own rules are tested with, moved to now: each runs its rules, an incident and its plan.
  test.each([
    ['ransomware', 'ransomware'],
    ['data-leak', 'customer-data-leak'],
  ])(
    'replays the %s scenario: its rules fire, an incident is declared and the %s plan starts',
    async (scenario, plan) => {
      const token = (
        await tocsin(
          ['tokens', 'create', '--email', ADMIN_EMAIL, '--name', `drill-${scenario}`, '--scope', 'read', 'events'],
          env,
        )
      ).stdout.trim();
      const r = await tocsin(['drill', 'replay', '--scenario', scenario, '--json'], {
        ...env,
        TOCSIN_URL: server.url,
        TOCSIN_TOKEN: token,
      });
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ scenario, incident: expect.stringMatching(/^INC-/) });
      expect(report.events).toBeGreaterThan(5);
      expect(report.steps[2].planId).toBe(plan);
      const incident = await api(server.url, token, 'GET', `/api/v1/incidents/${report.incident}`);
      expect(incident.status).toBe(200);
    },
    90_000,
  );
});
