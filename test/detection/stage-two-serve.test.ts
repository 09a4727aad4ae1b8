/**
 * Stage two in a real server process with TOCSIN_NATS_URL (role all): it owns the correlation
 * partitions, raises the correlation's alert from feeds on `P_corr`, shows its lag per partition in
 * /metrics, and gives the partitions back when it stops.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import { createSigmaEngine, partitionOf, type CorrelationFeed, type DetectionEvent } from '@tocsin/sigma';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, type Nats } from '../../src/server/platform/cluster/nats.js';
import {
  corrMsgId,
  corrSubject,
  encodeFeeds,
  encodeWatermark,
} from '../../src/server/modules/detection/cluster/corr-messages.js';
import { ownersBucket } from '../../src/server/modules/detection/cluster/stage-two-ownership.js';
import { dropNatsPrefix, NATS_URL } from '../helpers/nats.js';
import { parseExposition, sampleValue } from '../helpers/prometheus.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/store.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const RULES = `title: Failed trading login
id: serve-failed-login
name: serve_failed_login
status: test
logsource:
  product: trading
  service: auth
detection:
  selection:
    outcome: failure
  condition: selection
level: low
---
title: 5 failed trading logins by the same user in 1 min
id: serve-failed-logins-5-in-1m
status: test
correlation:
  type: event_count
  rules:
    - serve_failed_login
  group-by:
    - user
  timespan: 1m
  condition:
    gte: 5
level: high
`;

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!NATS_URL)('stage two in a server process', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  let srv: TestServer;
  let pub: Nats;

  beforeAll(async () => {
    const rules = tempDir('tocsin-rules-');
    fs.writeFileSync(path.join(rules, 'failed-logins.yml'), RULES);
    srv = await startTestServer({
      env: {
        TOCSIN_NATS_URL: NATS_URL!,
        TOCSIN_NATS_PREFIX: prefix,
        TOCSIN_RULES_DIRS: rules,
        TOCSIN_CORRELATION_PARTITIONS: '4',
        TOCSIN_METRICS_TOKEN: METRICS_TOKEN,
      },
      serve: { probeScheduler: false },
    });
    pub = await connectNats({ servers: [NATS_URL!], prefix }, 'test-stage-one');
  });

  afterAll(async () => {
    await srv?.stop();
    await pub?.close();
    await dropNatsPrefix(prefix);
  });

  it('owns the partitions, raises the correlation from feeds on P_corr, reports its lag, and gives the partitions back on stop', async () => {
    const two = srv.running.stageTwo!.stageTwo;
    expect(two.owned()).toEqual([0, 1, 2, 3]); // the only worker

    // Stage one, as another process would run it: five failed logins of one user, in one batch.
    const stageOne = createSigmaEngine({ rules: [{ file: 'failed-logins.yml', text: RULES }] });
    const events: DetectionEvent[] = Array.from({ length: 5 }, (_, i) => ({
      id: `serve-ev-${i}`,
      time: Date.now() - 30_000 + i * 1000,
      source: 'api',
      logsource: { product: 'trading', service: 'auth' },
      fields: { user: 'zhang.wei', outcome: 'failure' },
    }));
    const { feeds, maxTime } = stageOne.evaluate(events);
    expect(feeds).toHaveLength(5);
    const by = new Map<number, CorrelationFeed[]>();
    for (const f of feeds) {
      const p = partitionOf(f.key, 4);
      by.set(p, [...(by.get(p) ?? []), f]);
    }
    for (const [p, fs] of by) {
      const m = encodeFeeds(fs, corrMsgId('b1', p, 'feeds'));
      await pub.js.publish(corrSubject(prefix, p), m.data, { headers: m.headers });
    }
    for (let p = 0; p < 4; p++) {
      const m = encodeWatermark(maxTime, corrMsgId('b1', p, 'watermark'));
      await pub.js.publish(corrSubject(prefix, p), m.data, { headers: m.headers });
    }

    const store = srv.running.services.store;
    const alerts = () =>
      store.db
        .selectFrom('alerts')
        .select(['rule_id', 'group_json', 'event_count'])
        .where('rule_id', '=', 'serve-failed-logins-5-in-1m')
        .execute();
    await until(async () => (await alerts()).length === 1, 10_000, 'the correlation alert');
    expect(await alerts()).toEqual([
      { rule_id: 'serve-failed-logins-5-in-1m', group_json: '{"user":"zhang.wei"}', event_count: 5 },
    ]);
    // The correlation's hit counts in the rule's hits (the rules page), though stage two, not the pipeline, fired it.
    await srv.running.services.rules.flushHits();
    const hits = await store.db
      .selectFrom('rule_hits')
      .select('hits')
      .where('rule_id', '=', 'serve-failed-logins-5-in-1m')
      .executeTakeFirst();
    expect(hits?.hits).toBe(1);

    // Lag per partition, read at the next tick: nothing left to read.
    await until(
      async () => {
        const res = await fetch(`${srv.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
        const samples = parseExposition(await res.text());
        return [0, 1, 2, 3].every((p) => sampleValue(samples, 'tocsin_consumer_lag', { consumer: `corr-${p}` }) === 0);
      },
      5000,
      'the lag of every partition in /metrics',
    );

    await srv.running.stop();
    expect(two.owned()).toEqual([]);
    // Given back for another worker to claim at once (not left to expire).
    const owners = await new Kvm(pub.js).open(ownersBucket(prefix));
    for (let p = 0; p < 4; p++) expect((await owners.get(`part.${p}`))?.operation).not.toBe('PUT');
  }, 30_000);
});
