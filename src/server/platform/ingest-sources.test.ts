import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { configFileFixture } from '../../../test/helpers/config-file.js';

const { withFile, load, problems, dir } = configFileFixture('TOCSIN_SOURCES_FILE', 'sources');

describe('TOCSIN_SOURCES_FILE', () => {
  it('reads sources from YAML or JSON, with defaults', () => {
    const yaml = load(
      withFile(`
sources:
  - name: vpn
    logsource: { product: vpn, category: authentication }
    timeField: eventTime
    timeFormat: iso8601
    fieldMap: { clientAddress: src_ip, "user.name": TargetUserName }
  - name: flows
    format: goflow2
`),
    );
    expect(yaml.ingest.sources).toEqual([
      {
        name: 'vpn',
        logsource: { product: 'vpn', category: 'authentication' },
        format: 'json',
        timeField: 'eventTime',
        timeFormat: 'iso8601',
        fieldMap: { clientAddress: 'src_ip', 'user.name': 'TargetUserName' },
        services: [],
      },
      { name: 'flows', format: 'goflow2', timeFormat: 'auto', fieldMap: {}, services: [] },
    ]);
    const json = load(withFile(JSON.stringify({ sources: [{ name: 'fw', format: 'firewall' }] })));
    expect(json.ingest.sources.map((s) => s.format)).toEqual(['firewall']);
    expect(loadConfig({ TOCSIN_DATA_DIR: dir }).ingest.sources).toEqual([]);
  });

  it('reads the catalog services a source serves, and refuses what cannot be a catalog key', () => {
    const ok = load(withFile('sources:\n  - name: counter-login\n    services: [online-trading, mobile-app]\n'));
    expect(ok.ingest.sources[0]).toMatchObject({ name: 'counter-login', services: ['online-trading', 'mobile-app'] });
    const text = problems(() =>
      load(withFile('sources:\n  - name: gw\n    services: [Online Trading, online_trading]\n')),
    ).join('\n');
    expect(text).toContain('sources.0.services.0: a catalog service key');
    expect(text).toContain('sources.0.services.1: a catalog service key');
  });

  it('lists every problem at start, naming the file and the field', () => {
    const file = withFile(`
sources:
  - name: Bad Name
    format: netflow9
    timeFormat: julian
    colour: red
    fieldMap: { a: 1 }
  - name: twice
  - name: twice
    logsource: { product: "has spaces" }
`);
    const p = problems(() => load(file));
    expect(p.every((x) => x.startsWith(`TOCSIN_SOURCES_FILE (${file}): `))).toBe(true);
    const text = p.join('\n');
    for (const where of [
      'sources.0.name',
      'sources.0.format',
      'sources.0.timeFormat',
      'sources.0.fieldMap.a',
      'sources.2.logsource.product',
      'sources.2.name',
    ])
      expect(text).toContain(where);
    expect(text).toMatch(/colour/);
    expect(text).toMatch(/"twice" is configured twice/);
  });

  it('refuses a missing file, broken YAML, a YAML bomb and a huge file with one clear line each', () => {
    expect(problems(() => load(path.join(dir, 'nope.yaml')))[0]).toMatch(/cannot be read \(ENOENT\)/);
    expect(problems(() => load(withFile('sources: [ {name: a')))[0]).toMatch(/is not valid YAML or JSON/);
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    bomb.push('sources: []');
    expect(problems(() => load(withFile(bomb.join('\n'))))[0]).toMatch(
      /is not valid YAML or JSON: Excessive alias count/,
    );
    const huge = withFile(`sources: []\n#${'x'.repeat(1024 * 1024)}`);
    expect(problems(() => load(huge))[0]).toMatch(/the limit is 1048576/);
    expect(problems(() => load(withFile('- just\n- a list')))[0]).toMatch(/expected object/i);
  });

  it('configures the syslog listener and ingest limits from the environment', () => {
    const c = loadConfig({ TOCSIN_DATA_DIR: dir, TOCSIN_SYSLOG_PORT: '5514', TOCSIN_INGEST_LINE_LIMIT_BYTES: '4096' });
    expect(c.ingest).toMatchObject({
      syslog: { host: '127.0.0.1', port: 5514 },
      lineLimitBytes: 4096,
      bodyLimitBytes: 16 * 1024 * 1024,
      maxDepth: 32,
      dedupWindowMs: 24 * 3600_000,
    });
    expect(loadConfig({ TOCSIN_DATA_DIR: dir }).ingest.syslog).toBeNull();
    expect(problems(() => loadConfig({ TOCSIN_DATA_DIR: dir, TOCSIN_SYSLOG_PORT: '70000' }))).toEqual([
      'TOCSIN_SYSLOG_PORT: must be a port number 0–65535',
    ]);
  });

  it('takes the per-request event limit from TOCSIN_INGEST_MAX_EVENTS (default 100,000, at most 1,000,000)', () => {
    expect(loadConfig({ TOCSIN_DATA_DIR: dir }).ingest.maxEvents).toBe(100_000);
    expect(loadConfig({ TOCSIN_DATA_DIR: dir, TOCSIN_INGEST_MAX_EVENTS: '5000' }).ingest.maxEvents).toBe(5000);
    for (const bad of ['0', '1000001', 'lots', '1.5']) {
      expect(problems(() => loadConfig({ TOCSIN_DATA_DIR: dir, TOCSIN_INGEST_MAX_EVENTS: bad }))[0]).toMatch(
        /^TOCSIN_INGEST_MAX_EVENTS: /,
      );
    }
  });
});
