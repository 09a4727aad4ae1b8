import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from './metrics-file.js';
import { configFileFixture } from '../../../test/helpers/config-file.js';

const { withFile, load, problems, dir } = configFileFixture('TOCSIN_METRICS_FILE', 'metrics');

describe('TOCSIN_METRICS_FILE', () => {
  it('reads targets and detectors, with defaults', () => {
    const c = load(
      withFile(`
targets:
  - name: trading-gw
    url: http://10.0.0.5:9100/metrics
    interval: 30s
    timeout: 5s
    labels: { service: online-trading }
  - name: app
    url: https://app.example/metrics
detectors:
  - id: rejects
    title_zh: 订单拒绝率异常
    title_en: Order rejections
    metric: trading_order_rejects_total
    kind: ewma
`),
    );
    expect(c.metrics.targets).toEqual([
      {
        name: 'trading-gw',
        url: 'http://10.0.0.5:9100/metrics',
        interval: 30_000,
        timeout: 5000,
        labels: { service: 'online-trading' },
      },
      { name: 'app', url: 'https://app.example/metrics', interval: 15_000, timeout: 10_000, labels: {} },
    ]);
    expect(c.metrics.detectors[0]).toMatchObject({
      id: 'rejects',
      kind: 'ewma',
      alpha: 0.1,
      k: 3,
      warmup: 30,
      fire_after: 3,
      clear_after: 5,
      direction: 'both',
      seasonality: 'none',
      level: 'medium',
      match: {},
      tags: [],
    });
    expect(c.metrics.retentionMs).toBe(8 * 86_400_000);
    expect(load(withFile('{}'), { TOCSIN_METRICS_RETENTION_DAYS: '2' }).metrics).toMatchObject({
      targets: [],
      detectors: [],
      retentionMs: 2 * 86_400_000,
    });
  });

  it('lists every problem, one line each, naming the file and the field', () => {
    const file = withFile(`
targets:
  - { name: a, url: "file:///etc/passwd" }
  - { name: a, url: "http://x/metrics", interval: 5 minutes }
detectors:
  - { id: d, title_zh: 甲, title_en: A, metric: "bad-name", kind: holt }
`);
    const p = problems(() => load(file));
    expect(p).toEqual([
      expect.stringMatching(
        /^TOCSIN_METRICS_FILE \(.*metrics-\d+\.yaml\): targets\.0\.url: an http:\/\/ or https:\/\/ URL$/,
      ),
      expect.stringMatching(/targets\.1\.interval: a duration such as "15s"/),
      expect.stringMatching(/detectors\.0\.metric: a Prometheus metric name/),
      expect.stringMatching(/detectors\.0\.kind: /),
    ]);
    for (const line of p) expect(line).not.toMatch(/\n/);
    expect(
      problems(() => load(withFile('targets:\n  - { name: a, url: "http://x" }\n  - { name: a, url: "http://y" }\n'))),
    ).toEqual([expect.stringMatching(/targets\.1\.name: "a" is configured twice/)]);
    expect(problems(() => load(path.join(dir, 'missing.yaml')))[0]).toMatch(/cannot be read \(ENOENT\)/);
    expect(problems(() => load(withFile('targets: [\n')))[0]).toMatch(/is not valid YAML or JSON/);
    expect(problems(() => load(withFile('{}'), { TOCSIN_METRICS_RETENTION_DAYS: '0' }))[0]).toMatch(
      /^TOCSIN_METRICS_RETENTION_DAYS: /,
    );
  });

  it('reads durations', () => {
    expect([
      parseDuration('15s'),
      parseDuration('500ms'),
      parseDuration('2m'),
      parseDuration('1h'),
      parseDuration(250),
    ]).toEqual([15_000, 500, 120_000, 3_600_000, 250]);
    expect(parseDuration('soon')).toBeNaN();
  });
});
