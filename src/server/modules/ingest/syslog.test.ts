/** Syslog: TCP framing, message parsing, and the listener over real UDP and TCP sockets with util-linux `logger`. */
import { execFile, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { tempDir } from '../../../../test/helpers/store.js';
import { startTestServer } from '../../../../test/helpers/server.js';
import { unavailable } from '../../platform/errors.js';
import type { DetectionEvent } from '../detection/index.js';
import { createFrameDecoder } from './syslog-framing.js';
import { startSyslogListener, type SyslogListener } from './syslog-listener.js';
import { parseStructuredData, parseSyslogMessage } from './syslog-message.js';

const limits = { lineLimitBytes: 1024, maxDepth: 8 };

function decode(chunks: (string | Buffer)[], max = 64) {
  const frames: string[] = [];
  let oversize = 0;
  const d = createFrameDecoder({
    maxFrameBytes: max,
    onFrame: (f) => frames.push(f.toString()),
    onOversize: () => oversize++,
  });
  for (const c of chunks) d.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  d.end();
  return { frames, oversize };
}

describe('TCP framing (RFC 6587)', () => {
  it('splits newline-terminated frames, however the bytes arrive', () => {
    const text = '<13>1 - h a - - - one\r\n<13>1 - h a - - - two\n\n<13>Oct 11 22:14:15 h su: three';
    const whole = decode([text]).frames;
    expect(whole).toEqual(['<13>1 - h a - - - one\r', '<13>1 - h a - - - two', '<13>Oct 11 22:14:15 h su: three']);
    expect(decode(text.split('').map((c) => c)).frames).toEqual(whole);
  });

  it('reads octet-counted frames, mixed with newline frames on one connection, split anywhere', () => {
    const a = '<13>1 - h a - - - with\nnewline inside';
    const stream = `${Buffer.byteLength(a)} ${a}<13>1 - h a - - - plain\n5 hello`;
    expect(decode([stream]).frames).toEqual([a, '<13>1 - h a - - - plain', 'hello']);
    for (let cut = 1; cut < stream.length; cut += 3) {
      expect(decode([stream.slice(0, cut), stream.slice(cut)]).frames, `cut at ${cut}`).toEqual([
        a,
        '<13>1 - h a - - - plain',
        'hello',
      ]);
    }
    // Digits not followed by a space are text, not a length.
    expect(decode(['12345678901234 not a length\n', '42abc\n']).frames).toEqual([
      '12345678901234 not a length',
      '42abc',
    ]);
  });

  it('skips oversize frames without buffering them and goes on with the next', () => {
    const long = 'x'.repeat(200);
    const r = decode([
      `${long.slice(0, 100)}`,
      `${long.slice(100)}\n<13>1 - h a - - - after\n`,
      `300 ${'y'.repeat(150)}`,
      `${'y'.repeat(150)}8 the next`,
    ]);
    expect(r).toEqual({ frames: ['<13>1 - h a - - - after', 'the next'], oversize: 2 });
    // A frame cut short by the connection's end is not a message.
    expect(decode(['20 only ten']).frames).toEqual([]);
  });
});

describe('syslog messages', () => {
  it('reads an RFC 5424 message: header, structured data with escapes, BOM, nil values', () => {
    const m = parseSyslogMessage(
      Buffer.from(
        '<165>1 2026-03-01T09:30:00.123+08:00 gw01.example.com trading 4711 LOGIN [auth@32473 user="zhang.san" note="a \\"quoted\\" \\] bracket"][origin ip="10.0.0.1"] \uFEFFlogin failed\n',
      ),
      limits,
    )!;
    expect(m.app).toBe('trading');
    expect(m.time).toBe(Date.UTC(2026, 2, 1, 1, 30, 0, 123));
    expect(m.fields).toEqual({
      message: 'login failed',
      syslog_format: 'rfc5424',
      hostname: 'gw01.example.com',
      app_name: 'trading',
      procid: '4711',
      msgid: 'LOGIN',
      facility: 'local4',
      severity: 'notice',
      sd: { 'auth@32473': { user: 'zhang.san', note: 'a "quoted" ] bracket' }, origin: { ip: '10.0.0.1' } },
    });
    const nil = parseSyslogMessage(Buffer.from('<14>1 - - - - - - just text'), limits)!;
    expect(nil).toEqual({
      app: undefined,
      time: undefined,
      fields: { message: 'just text', syslog_format: 'rfc5424', facility: 'user', severity: 'info' },
    });
  });

  it('reads an RFC 3164 message; its timestamp has no year or zone, so the arrival time stands', () => {
    const m = parseSyslogMessage(
      Buffer.from("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick on /dev/pts/8"),
      limits,
    )!;
    expect(m).toEqual({
      app: 'su',
      time: undefined,
      fields: {
        message: "'su root' failed for lonvick on /dev/pts/8",
        syslog_format: 'rfc3164',
        hostname: 'mymachine',
        app_name: 'su',
        procid: '123',
        facility: 'auth',
        severity: 'crit',
      },
    });
  });

  it('takes the fields of a JSON message (plain or @cee), the header filling only what it lacks', () => {
    const m = parseSyslogMessage(
      Buffer.from(
        '<13>1 2026-03-01T01:00:00Z h bank - - - @cee: {"event":"transfer","amount":500000,"hostname":"own"}',
      ),
      limits,
    )!;
    expect(m.fields).toMatchObject({
      event: 'transfer',
      amount: 500000,
      hostname: 'own',
      app_name: 'bank',
      syslog_format: 'rfc5424',
    });
    // Too deep to be an object here: kept as text.
    const deep = parseSyslogMessage(Buffer.from(`<13>1 - h a - - - ${'{"a":'.repeat(20)}1${'}'.repeat(20)}`), limits)!;
    expect(deep.fields.message).toMatch(/^\{"a":/);
  });

  it('keeps text without a syslog header as a message, drops binary garbage', () => {
    expect(parseSyslogMessage(Buffer.from('hello there'), limits)).toEqual({
      fields: { message: 'hello there', syslog_format: 'unknown' },
    });
    expect(parseSyslogMessage(Buffer.from('<999>1 nonsense'), limits)!.fields.syslog_format).toBe('unknown');
    expect(parseSyslogMessage(Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x13, 0x37]), limits)).toBeNull();
    expect(parseSyslogMessage(Buffer.from('   \n'), limits)).toBeNull();
    expect(parseStructuredData('[id a="unterminated', 0)).toBeNull();
    expect(parseStructuredData('[id a=unquoted]', 0)).toBeNull();
  });

  it('reads crafted long messages in linear time (nsyslog-parser alone takes seconds on these)', () => {
    const big = { lineLimitBytes: 70_000, maxDepth: 8 };
    // CPU time of this process, not wall time: other processes on a busy machine do not count. A linear
    // parse of these takes a few milliseconds, a quadratic one seconds; the bound sits far from both.
    const started = process.cpuUsage();
    for (const tail of [`[x${' '.repeat(65_000)}a`, '[x '.repeat(21_000), `[x${' '.repeat(65_000)}]`]) {
      parseSyslogMessage(Buffer.from(`<13>1 2024-01-01T00:00:00Z h a - - ${tail}`), big);
      parseSyslogMessage(Buffer.from(`<13>1  2024-01-01T00:00:00Z h a - - ${tail}`), big);
    }
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });
});

const hasLogger = spawnSync('logger', ['--help'], { encoding: 'utf8' }).stdout?.includes('--server') ?? false;
if (!hasLogger && process.env.CI)
  throw new Error('CI needs util-linux `logger` with --server (apt-get install bsdutils)');
if (!hasLogger)
  console.warn(
    '[tocsin tests] util-linux `logger` with --server is not installed: the real-client syslog tests are skipped.',
  );

const logger = (port: number, ...args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile('logger', ['--server', '127.0.0.1', '--port', String(port), ...args], (err) =>
      err ? reject(err) : resolve(),
    ),
  );

describe('the syslog listener on real sockets', () => {
  let t: TestApp;
  let listener: SyslogListener;
  const received: DetectionEvent[] = [];

  /** Waits for an event to arrive; the deadline only ends a test that would hang, it measures nothing. */
  async function waitFor(pred: (e: DetectionEvent) => boolean): Promise<DetectionEvent> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const hit = received.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline)
        throw new Error(`no such event; got ${JSON.stringify(received.map((e) => e.fields.message))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const byMessage = (text: string) => waitFor((e) => e.fields.message === text);

  beforeAll(async () => {
    const dir = tempDir();
    const sources = path.join(dir, 'sources.json');
    fs.writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          { name: 'trading-gw', logsource: { product: 'trading_gateway' }, fieldMap: { hostname: 'Computer' } },
        ],
      }),
    );
    t = await createTestApp(
      'sqlite',
      { TOCSIN_SOURCES_FILE: sources, TOCSIN_INGEST_LINE_LIMIT_BYTES: '4096' },
      { sink: (events) => void received.push(...events) },
    );
    listener = await startSyslogListener({ ingest: t.s.ingest, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await listener?.close();
    await t?.close();
  });

  it.skipIf(!hasLogger)(
    "takes logger's RFC 5424 and RFC 3164 messages over TCP (newline and octet-counted) and UDP",
    async () => {
      const port = listener.port;
      const sentFrom = Date.now();
      await logger(
        port,
        '--tcp',
        '--rfc5424',
        '--msgid',
        'ID9',
        '--sd-id',
        'zoo@32473',
        '--sd-param',
        'tiger="hungry"',
        'tcp 5424 登录失败',
      );
      await logger(port, '--tcp', '--rfc3164', 'tcp 3164');
      await logger(port, '--tcp', '--octet-count', '--rfc5424', 'tcp octet-counted');
      await logger(port, '--udp', '--rfc5424', 'udp 5424');
      await logger(port, '--udp', '--rfc3164', '-p', 'auth.warning', 'udp 3164');

      const tcp5424 = await byMessage('tcp 5424 登录失败');
      expect(tcp5424).toMatchObject({
        source: 'syslog',
        logsource: { product: 'linux', service: 'syslog' },
        fields: { syslog_format: 'rfc5424', msgid: 'ID9', facility: 'user', severity: 'notice' },
      });
      expect((tcp5424.fields.sd as Record<string, unknown>)['zoo@32473']).toEqual({ tiger: 'hungry' });
      // The time logger stamped: after the test sent it, before it arrived (1 s of slack for rounding).
      expect(tcp5424.time).toBeGreaterThanOrEqual(sentFrom - 1000);
      expect(tcp5424.time).toBeLessThanOrEqual(Date.now() + 1000);
      expect((await byMessage('tcp 3164')).fields.syslog_format).toBe('rfc3164');
      expect((await byMessage('tcp octet-counted')).fields.syslog_format).toBe('rfc5424');
      expect((await byMessage('udp 5424')).fields.syslog_format).toBe('rfc5424');
      expect((await byMessage('udp 3164')).fields).toMatchObject({
        syslog_format: 'rfc3164',
        facility: 'auth',
        severity: 'warn',
      });
    },
  );

  it.skipIf(!hasLogger)('sends a message to the configured source named like its APP-NAME', async () => {
    await logger(listener.port, '--tcp', '--rfc5424', '-t', 'trading-gw', '{"event":"order_rejected","account":"A-1"}');
    const e = await waitFor((x) => x.fields.event === 'order_rejected');
    expect(e).toMatchObject({
      source: 'trading-gw',
      logsource: { product: 'trading_gateway' },
      fields: { account: 'A-1', app_name: 'trading-gw', Computer: expect.any(String) },
    });
    expect(e.fields).not.toHaveProperty('hostname');
  });

  it('survives garbage and oversize frames on TCP and UDP, counting them, and keeps serving', async () => {
    const before = listener.stats();
    const sock = net.connect(listener.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write(Buffer.from([0x00, 0xff, 0x13, 0x0a])); // binary garbage line
    sock.write(`${'z'.repeat(5000)}\n`); // oversize line
    sock.write(`999999 ${'q'.repeat(100)}`); // oversize octet count: the rest of this connection is that frame
    sock.end();
    await new Promise((r) => sock.once('close', r));

    const sock2 = net.connect(listener.port, '127.0.0.1');
    await new Promise((r) => sock2.once('connect', r));
    sock2.write('<13>1 - h app - - - after garbage\n');
    sock2.destroy(); // a rude close
    const udp = dgram.createSocket('udp4');
    const send = (m: Buffer | string) => new Promise((r) => udp.send(m, listener.port, '127.0.0.1', r));
    await send(Buffer.alloc(5000, 0x41)); // oversize datagram
    await send(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]));
    await send('<13>1 - h app - - - udp after garbage');
    udp.close();

    await byMessage('after garbage');
    await byMessage('udp after garbage');
    await listener.flushed();
    const after = listener.stats();
    expect(after.oversize - before.oversize).toBe(3);
    expect(after.invalid - before.invalid).toBe(2);
    expect(after.received - before.received).toBeGreaterThanOrEqual(7);
    expect(after.accepted - before.accepted).toBe(2);
  });
});

describe('the syslog listener when detection is behind', () => {
  it('drops and counts what detection has no room for, without an error in the log, and takes messages again once it has', async () => {
    let behind = true;
    const received: DetectionEvent[] = [];
    const sink = Object.assign((events: DetectionEvent[]) => void received.push(...events), {
      admit: () => {
        if (behind) throw unavailable('detection is behind', 2);
        return { sink: (events: DetectionEvent[]) => void received.push(...events), release() {} };
      },
    });
    const t = await createTestApp('sqlite', {}, { sink });
    const errors: unknown[] = [];
    const listener = await startSyslogListener({
      ingest: t.s.ingest,
      host: '127.0.0.1',
      port: 0,
      logger: { warn: () => {}, error: (...args: unknown[]) => void errors.push(args) } as never,
    });
    try {
      const send = async (text: string) => {
        const sock = net.connect(listener.port, '127.0.0.1');
        await new Promise((r) => sock.once('connect', r));
        sock.end(text);
        await new Promise((r) => sock.once('close', r));
      };
      await send('<13>1 - h a - - - one\n<13>1 - h a - - - two\n');
      while (listener.stats().received < 2) await new Promise((r) => setImmediate(r));
      await listener.flushed();
      expect(listener.stats()).toMatchObject({ received: 2, accepted: 0, overloaded: 2 });
      expect(errors).toEqual([]);
      behind = false;
      await send('<13>1 - h a - - - three\n');
      while (listener.stats().received < 3) await new Promise((r) => setImmediate(r));
      await listener.flushed();
      expect(listener.stats()).toMatchObject({ received: 3, accepted: 1, overloaded: 2 });
      expect(received.map((e) => e.fields.message)).toEqual(['three']);
    } finally {
      await listener.close();
      await t.close();
    }
  });
});

describe('tocsin serve with TOCSIN_SYSLOG_PORT', () => {
  it.skipIf(!hasLogger)('listens for syslog beside HTTP and stops listening on shutdown', async () => {
    const server = await startTestServer({ env: { TOCSIN_SYSLOG_PORT: '0' } });
    const syslog = server.running.syslog!;
    const port = syslog.port;
    try {
      await logger(port, '--tcp', '--rfc5424', 'through serve');
      await logger(port, '--udp', '--rfc5424', 'through serve over udp');
      const deadline = Date.now() + 20_000; // ends a test that would hang; measures nothing
      while (syslog.stats().accepted < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(syslog.stats().accepted).toBe(2);
      expect(server.running.services.ingest.stats().accepted).toBe(2);
    } finally {
      await server.stop();
    }
    const refused = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(false);
      });
      c.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
