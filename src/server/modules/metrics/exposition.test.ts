/** The exposition parser on real-world Prometheus and OpenMetrics text, and on broken lines. */
import { describe, expect, it } from 'vitest';
import { formatOf, parseExposition } from './exposition.js';

const PROMETHEUS = `# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# A histogram, which has a pretty complex representation in the text format:
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320
trailing_comma{a="1",} 2
go_gc{quantile="0.5" , job = "x"} NaN
`;

describe('Prometheus text format', () => {
  it('reads every sample of the format reference example, with labels, escapes and timestamps', () => {
    const r = parseExposition(PROMETHEUS);
    expect(r.errors).toEqual([]);
    expect(r.samples).toHaveLength(11);
    expect(r.samples[0]).toEqual({
      name: 'http_requests_total',
      labels: { method: 'post', code: '200' },
      value: 1027,
      time: 1395066363000,
    });
    expect(r.samples[2]!.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(r.samples[2]!.value).toBe(1.458255915e9);
    expect(r.samples[3]).toEqual({ name: 'metric_without_timestamp_and_labels', labels: {}, value: 12.47 });
    expect(r.samples[4]).toMatchObject({ value: Infinity, time: -3982045 });
    expect(r.samples[6]).toMatchObject({ labels: { le: '+Inf' }, value: 144320 });
    expect(r.samples[9]).toEqual({ name: 'trailing_comma', labels: { a: '1' }, value: 2 });
    expect(r.samples[10]!.labels).toEqual({ quantile: '0.5', job: 'x' });
    expect(r.samples[10]!.value).toBeNaN();
  });

  it('reports a bad line by number and keeps the rest', () => {
    const r = parseExposition(
      [
        'ok_one 1',
        'bad{a="1" 2',
        '9starts_with_digit 1',
        'no_value',
        'ok_two{a="x"} 2',
        'x{a="\\q"} 1',
        'y 1 notatime',
        'z{a="1",a="2"} 1',
        'exemplar 1 # {t="1"} 2',
      ].join('\n'),
    );
    expect(r.samples.map((s) => s.name)).toEqual(['ok_one', 'ok_two']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 6, 7, 8, 9]);
    expect(r.errorCount).toBe(7);
    expect(r.errors[0]!.reason).toMatch(/expected "," or "}"/);
  });

  it('stops at maxSamples and says so', () => {
    const text = Array.from({ length: 10 }, (_, i) => `m${i} ${i}`).join('\n');
    const r = parseExposition(text, { maxSamples: 4 });
    expect(r.samples).toHaveLength(4);
    expect(r.truncated).toBe(true);
  });
});

describe('OpenMetrics text format', () => {
  it('reads seconds timestamps, skips exemplars and stops at # EOF', () => {
    const text = [
      '# TYPE acme_http_router_request_seconds summary',
      '# UNIT acme_http_router_request_seconds seconds',
      'acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32 1520879607.789',
      'foo_bucket{le="0.1"} 8 # {id="abc"} 0.043 1520879607.7',
      '# EOF',
      'after_eof 1',
    ].join('\n');
    const r = parseExposition(text, { format: formatOf('application/openmetrics-text; version=1.0.0; charset=utf-8') });
    expect(r.errors).toEqual([]);
    expect(r.samples).toEqual([
      {
        name: 'acme_http_router_request_seconds_sum',
        labels: { path: '/api/v1', method: 'GET' },
        value: 9036.32,
        time: 1520879607789,
      },
      { name: 'foo_bucket', labels: { le: '0.1' }, value: 8 },
    ]);
  });

  it('reads CRLF line ends and anything but OpenMetrics as the Prometheus format', () => {
    expect(formatOf('text/plain; version=0.0.4')).toBe('prometheus');
    expect(formatOf(undefined)).toBe('prometheus');
    expect(parseExposition('a 1\r\nb 2\r\n').samples.map((s) => s.value)).toEqual([1, 2]);
  });
});
