/**
 * One correlation partition while this worker owns it: a fresh correlator, rebuilt from what the stream
 * `P_corr` keeps of the partition's subject (an ordered consumer from its first message: deliver policy
 * all), fed in order; watermarks advance its event time, a wall-clock tick closes windows only time
 * closes. Its matches go to `hand` only while `holds()` says the partition is still ours.
 *
 * Replaying history fires again the matches the previous owner already raised: those of messages up to
 * its checkpoint (`stage-two-checkpoint.ts`) are dropped here, and the few after it that it raised
 * before dying change nothing (alerts are idempotent by rule, fingerprint and event ids); those it never
 * raised are raised now — a group's count is neither lost nor doubled.
 */
import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import type { Nats } from '../../../platform/cluster/nats.js';
import type { RuleMatch } from '../detection.types.js';
import { corrStreamName, corrSubject, decodeCorrMessage, type CorrelationFeed } from './corr-messages.js';

/** What a partition needs of `@tocsin/sigma`'s correlator. */
export interface PartitionCorrelator {
  feed(feeds: CorrelationFeed[]): RuleMatch[];
  advance(eventTime: number): RuleMatch[];
  tick(now: number): RuleMatch[];
}

export interface PartitionDeps {
  nats: Nats;
  partition: number;
  correlator: () => PartitionCorrelator;
  /** Matches of messages up to this stream sequence were raised before (checkpoint): rebuild only. */
  raisedUpTo: number;
  /** Still ours (renewed within the TTL): matches are handed over only then. */
  holds: () => boolean;
  hand: (matches: RuleMatch[]) => void;
  onError: (err: unknown, where: string) => void;
}

export interface PartitionRun {
  readonly partition: number;
  /** Messages of the partition's subject in the stream after the last one read (the lag). */
  pending(): number;
  /** True once the history the stream held at the start has been read. */
  caughtUp(): boolean;
  /** Stream sequence of the last message read (its matches, if any, were handed over). */
  handedSeq(): number;
  tick(now: number): void;
  /** Stops reading at once; nothing more is handed over. */
  stop(): Promise<void>;
}

export async function startPartition(d: PartitionDeps): Promise<PartitionRun> {
  let stopped = false;
  const correlator = d.correlator();
  let pending = 0;
  let caughtUp = false;
  let seq = 0;
  const pass = (matches: RuleMatch[]) => {
    if (!stopped && matches.length && seq > d.raisedUpTo && d.holds()) d.hand(matches);
  };

  const stream = corrStreamName(d.nats.prefix);
  const consumer = await d.nats.js.consumers.get(stream, {
    filter_subjects: corrSubject(d.nats.prefix, d.partition), // one subject: filter_subject, which NATS 2.9 knows
    deliver_policy: DeliverPolicy.All,
  });
  // How much history there is to read before the partition is live.
  const info = await consumer.info(false);
  pending = info.num_pending;
  caughtUp = pending === 0;
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 256 });

  const loop = (async () => {
    for await (const m of messages) {
      if (stopped) break;
      pending = m.info.pending;
      seq = m.seq;
      if (pending === 0) caughtUp = true;
      const msg = decodeCorrMessage(m);
      if (!msg) continue;
      try {
        pass(msg.kind === 'feeds' ? correlator.feed(msg.feeds) : correlator.advance(msg.maxTime));
      } catch (err) {
        d.onError(err, `partition ${d.partition}`);
      }
    }
  })().catch((err) => {
    if (!stopped) d.onError(err, `partition ${d.partition} consumer`);
  });

  return {
    partition: d.partition,
    pending: () => pending,
    caughtUp: () => caughtUp,
    handedSeq: () => seq,
    tick(now) {
      // Not while replaying: a pause in the replay must not let the wall clock close windows that the
      // history still to be read would have fed.
      if (stopped || !caughtUp) return;
      try {
        pass(correlator.tick(now));
      } catch (err) {
        d.onError(err, `partition ${d.partition} tick`);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await messages.close().catch(() => {});
      await loop;
    },
  };
}
