/**
 * The syslog listener: UDP (a datagram is a message) and TCP (RFC 6587 octet counting or line feeds)
 * on one port. A message goes to the configured source named like its APP-NAME / TAG, else to the
 * `syslog` source. Garbage is counted and dropped; nothing a sender does stops the listener.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Logger } from '../../platform/logger.js';
import type { IngestRecord, IngestService } from './ingest.service.js';
import { createFrameDecoder } from './syslog-framing.js';
import { parseSyslogMessage, type SyslogMessage } from './syslog-message.js';

export interface SyslogStats {
  /** Frames and datagrams received. */
  received: number;
  /** Events handed to detection. */
  accepted: number;
  /** Frames over the size limit, skipped. */
  oversize: number;
  /** Frames that were binary garbage, or events their source refused. */
  invalid: number;
  /** Messages dropped because ingest or detection fell too far behind. */
  overloaded: number;
  /** TCP connections open now. */
  connections: number;
}

export interface SyslogListener {
  /** The port both UDP and TCP listen on. */
  port: number;
  stats(): SyslogStats;
  /** Resolves when every message received so far has been handed on. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

const MAX_PENDING = 50_000;
const MAX_CONNECTIONS = 1024;

export async function startSyslogListener(deps: {
  ingest: IngestService;
  host: string;
  port: number;
  logger?: Pick<Logger, 'warn' | 'error'>;
}): Promise<SyslogListener> {
  const { ingest, logger } = deps;
  const limits = { lineLimitBytes: ingest.limits.lineLimitBytes, maxDepth: ingest.limits.maxDepth };
  const stats: SyslogStats = { received: 0, accepted: 0, oversize: 0, invalid: 0, overloaded: 0, connections: 0 };
  let pending = new Map<string, IngestRecord[]>();
  let pendingCount = 0;
  let scheduled = false;
  let inFlight: Promise<void> = Promise.resolve();
  let seq = 0;

  async function flush(batch: Map<string, IngestRecord[]>): Promise<void> {
    for (const [source, records] of batch) {
      try {
        const r = await ingest.ingestRecords(source, records);
        stats.accepted += r.accepted;
        stats.invalid += r.rejectedCount;
      } catch (err) {
        // Detection is behind (503): syslog cannot be asked to send again, so these are dropped and counted.
        if ((err as { status?: number }).status === 503) stats.overloaded += records.length;
        else logger?.error({ err, source, count: records.length }, 'syslog: could not hand events on');
      }
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const batch = pending;
      const count = pendingCount;
      pending = new Map();
      inFlight = inFlight
        .then(() => flush(batch))
        .finally(() => {
          pendingCount -= count;
        });
    });
  }

  function onFrame(frame: Buffer): void {
    stats.received++;
    if (pendingCount >= MAX_PENDING) {
      stats.overloaded++;
      return;
    }
    let msg: SyslogMessage | null;
    try {
      msg = parseSyslogMessage(frame, limits);
    } catch {
      msg = null;
    }
    if (!msg) {
      stats.invalid++;
      return;
    }
    const source = ingest.syslogSourceFor(msg.app);
    const list = pending.get(source) ?? [];
    if (!list.length) pending.set(source, list);
    list.push({ line: ++seq, value: msg.fields, fallbackTime: msg.time });
    pendingCount++;
    schedule();
  }

  const onOversize = () => {
    stats.received++;
    stats.oversize++;
  };

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    stats.connections++;
    const decoder = createFrameDecoder({ maxFrameBytes: limits.lineLimitBytes, onFrame, onOversize });
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    socket.on('end', () => decoder.end());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      stats.connections--;
    });
  });
  tcp.maxConnections = MAX_CONNECTIONS;
  tcp.on('error', (err) => logger?.error({ err }, 'syslog: TCP listener error'));

  const makeUdp = () => {
    const socket = dgram.createSocket({ type: net.isIPv6(deps.host) ? 'udp6' : 'udp4' });
    socket.on('message', (msg) => (msg.length > limits.lineLimitBytes ? onOversize() : onFrame(msg)));
    return socket;
  };
  const { port, udp } = await listenBoth(tcp, makeUdp, deps.host, deps.port);
  // Bound errors after start (a full receive buffer, say) are logged, not thrown.
  udp.on('error', (err) => logger?.warn({ err }, 'syslog: UDP socket error'));

  async function flushed(): Promise<void> {
    while (scheduled || pendingCount > 0) {
      await new Promise((r) => setImmediate(r));
      await inFlight;
    }
  }

  return {
    port,
    stats: () => ({ ...stats }),
    flushed,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => tcp.close(() => r())),
        new Promise<void>((r) => udp.close(() => r())),
      ]);
      await flushed();
    },
  };
}

/** Listens with TCP and UDP on the same port; with port 0, on one the system picks free for both. */
async function listenBoth(
  tcp: net.Server,
  makeUdp: () => dgram.Socket,
  host: string,
  port: number,
): Promise<{ port: number; udp: dgram.Socket }> {
  for (let attempt = 0; ; attempt++) {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, host, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
    const bound = (tcp.address() as net.AddressInfo).port;
    const udp = makeUdp();
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(bound, host, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      return { port: bound, udp };
    } catch (err) {
      try {
        udp.close();
      } catch {
        /* it never bound */
      }
      await new Promise<void>((r) => tcp.close(() => r()));
      if (port !== 0 || attempt >= 5 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
}
