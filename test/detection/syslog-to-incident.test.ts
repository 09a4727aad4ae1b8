/**
 * End to end, as the "done when" says: a real syslog client (`logger`) over TCP into the
 * syslog port produces an alert and an incident that a signed-in console sees on its live stream.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { openSse } from '../helpers/sse.js';
import { tempDir } from '../helpers/store.js';

const hasLogger = spawnSync('logger', ['--help'], { encoding: 'utf8' }).stdout?.includes('--server') ?? false;
if (!hasLogger && process.env.CI)
  throw new Error('CI needs util-linux `logger` with --server (apt-get install bsdutils)');
if (!hasLogger)
  console.warn(
    '[tocsin tests] util-linux `logger` with --server is not installed: the syslog-to-incident test is skipped.',
  );

const RULE = `
title: SSH password guessing on a trading host
id: 5d1f8d2e-3c1b-4f7e-9a51-0c6a2f1b7e01
status: test
description: 测试规则 — failed SSH passwords reported over syslog
logsource:
  product: linux
  service: syslog
detection:
  selection:
    message|contains: 'Failed password for'
  condition: selection
level: high
tags:
  - attack.credential_access
  - attack.t1110
`;

describe.skipIf(!hasLogger)('syslog to incident', () => {
  let srv: TestServer;
  beforeAll(async () => {
    const rules = tempDir('tocsin-rules-');
    fs.writeFileSync(path.join(rules, 'ssh.yml'), RULE);
    srv = await startTestServer({ env: { TOCSIN_SYSLOG_PORT: '0', TOCSIN_RULES_DIRS: rules } });
  });
  afterAll(() => srv?.stop());

  it('turns one `logger --tcp --rfc5424` line into an alert and an incident pushed to the console', async () => {
    const login = await fetch(`${srv.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: srv.adminEmail, password: srv.adminPassword }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const stream = await openSse(`${srv.url}/api/v1/stream`, { cookie });
    try {
      const port = srv.running.syslog!.port;
      const sent = performance.now();
      await new Promise<void>((resolve, reject) =>
        execFile(
          'logger',
          [
            '--server',
            '127.0.0.1',
            '--port',
            String(port),
            '--tcp',
            '--rfc5424',
            '-t',
            'sshd',
            'Failed password for invalid user admin from 203.0.113.9 port 52311 ssh2',
          ],
          (err) => (err ? reject(err) : resolve()),
        ),
      );
      // Generous waits: they end a test that would hang on a busy machine, they measure nothing.
      const created = await stream.next((m) => m.event === 'incident.created', 20_000);
      const raised = await stream.next((m) => m.event === 'alert.raised', 20_000);
      // Not a timing assertion (bench:detect measures speed); recorded so a slow path shows in the output.
      console.info(
        `[syslog-to-incident] incident pushed ${(created.receivedAt - sent).toFixed(0)} ms after logger started`,
      );
      const incident = (created.data as { incident: { key: string; title: string; category: string; grade: string } })
        .incident;
      expect(incident.category).toBe('network_attack');
      expect(incident.title).toContain('SSH password guessing');
      expect((raised.data as { alert: { ruleTitle: string } }).alert).toMatchObject({
        ruleTitle: 'SSH password guessing on a trading host',
      });
      const alerts = await fetch(`${srv.url}/api/v1/incidents/${incident.key}/alerts`, { headers: { cookie } });
      expect(alerts.status).toBe(200);
      const body = (await alerts.json()) as { items: { events?: unknown[]; entities?: unknown }[] };
      expect(body.items).toHaveLength(1);
    } finally {
      stream.close();
    }
  });
});
