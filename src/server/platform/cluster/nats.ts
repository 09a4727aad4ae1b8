/** The NATS connection of the at-scale mode (TOCSIN_NATS_URL), with JetStream. */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';

export interface Nats {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Names streams (`<prefix>_<name>`), subjects (`<prefix>.<name>`) and buckets of this installation. */
  prefix: string;
  /** For /readyz (`readiness.add('nats', () => nats.ready())`): true while connected, else why not. */
  ready(): true | string;
  close(): Promise<void>;
}

/** Connects (failing with a one-line reason when the server cannot be reached or has no JetStream). */
export async function connectNats(at: { servers: string[]; prefix: string }, name: string): Promise<Nats> {
  let nc: NatsConnection;
  try {
    // No async stack traces: each request (every JetStream publish) would capture one, a tenth of a
    // busy worker's time; errors still say what failed.
    nc = await connect({
      servers: at.servers,
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      noAsyncTraces: true,
    });
  } catch (err) {
    throw new Error(`cannot reach NATS at ${at.servers.join(', ')}: ${(err as Error).message}`);
  }
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (err) {
    await nc.close();
    throw new Error(
      `NATS at ${at.servers.join(', ')} has no JetStream (start nats-server with -js): ${(err as Error).message}`,
    );
  }
  let down: string | null = null;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') down = `disconnected from ${s.server}; reconnecting`;
      else if (s.type === 'reconnect') down = null;
    }
  })().catch(() => {});
  return {
    nc,
    ready: () => (nc.isClosed() ? 'the NATS connection is closed' : (down ?? true)),
    js: jetstream(nc),
    jsm,
    prefix: at.prefix,
    close: async () => {
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
