/**
 * One correlation partition while this worker owns it: a fresh correlator, rebuilt from what the stream
 * `P_corr` keeps of the partition's subject (an ordered consumer from its first message: deliver policy
 * all), fed in order, in runs of the messages that have arrived; watermarks advance its event time, a
 * wall-clock tick closes windows only time closes. Its matches go to `hand` only while `holds()` says
 * the partition is still ours. The correlator may live on the engine thread (`BodyCorrelator`: message
 * bodies in, matches out, asynchronously) or here (a `PartitionCorrelator`, wrapped by `bodyCorrelator`).
 *
 * Replaying history fires again the matches the previous owner already raised: those of messages up to
 * its checkpoint (`stage-two-checkpoint.ts`) are dropped here, and the few after it that it raised
 * before dying change nothing (alerts are idempotent by rule, fingerprint and event ids); those it never
 * raised are raised now — a group's count is neither lost nor doubled.
 */
import { DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { Nats } from '../../../platform/cluster/nats.js';
import type { RuleMatch } from '../detection.types.js';
import { corrStreamName, corrSubject, KIND_HEADER, type CorrelationFeed } from './corr-messages.js';
import { applyCorrBodies, type CorrBody } from './corr-format.js';

/** What a partition needs of `@tocsin/sigma`'s correlator, when it runs on this thread. */
export interface PartitionCorrelator {
  feed(feeds: CorrelationFeed[]): RuleMatch[];
  advance(eventTime: number): RuleMatch[];
  tick(now: number): RuleMatch[];
}

/** A partition's correlator wherever it runs: the bodies of its messages in order, the matches of each. */
export interface BodyCorrelator {
  apply(bodies: CorrBody[]): Promise<{ matches: RuleMatch[][]; errors: string[] }>;
  tick(now: number): Promise<RuleMatch[]>;
  /** Its state is no longer needed. */
  close(): void;
}

/** A correlator on this thread, as a BodyCorrelator. */
export function bodyCorrelator(c: PartitionCorrelator): BodyCorrelator {
  return {
    apply: async (bodies) => applyCorrBodies(c, bodies),
    tick: async (now) => c.tick(now),
    close() {},
  };
}

export interface PartitionDeps {
  nats: Nats;
  partition: number;
  correlator: () => PartitionCorrelator | BodyCorrelator;
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
  /** Stream sequence of the last message applied (its matches, if any, were handed over). */
  handedSeq(): number;
  /** True when the correlator was lost (its thread died): the run must start again from the stream. */
  failed(): boolean;
  tick(now: number): void;
  /** Stops reading at once; nothing more is handed over. */
  stop(): Promise<void>;
}

/** Messages applied to the correlator at a time, at most. */
const RUN = 256;

export async function startPartition(d: PartitionDeps): Promise<PartitionRun> {
  let stopped = false;
  let failed = false;
  const made = d.correlator();
  const correlator: BodyCorrelator = 'apply' in made ? made : bodyCorrelator(made);
  let pending = 0;
  let caughtUp = false;
  let seq = 0;
  const pass = (matches: RuleMatch[], at: number) => {
    if (!stopped && matches.length && at > d.raisedUpTo && d.holds()) d.hand(matches);
  };

  const stream = corrStreamName(d.nats.prefix);
  const consumer = await d.nats.js.consumers.get(stream, {
    filter_subjects: corrSubject(d.nats.prefix, d.partition), // one subject: filter_subject, which NATS 2.9 knows
    deliver_policy: DeliverPolicy.All,
  });
  // How much history there is to read before the partition is live: caught up once that many are read
  // (or the consumer reports nothing left), however busy the subject stays meanwhile.
  const info = await consumer.info(false);
  pending = info.num_pending;
  let history = pending;
  caughtUp = history === 0;
  const messages: ConsumerMessages = await consumer.consume({ max_messages: RUN });

  // Messages read and not yet applied; the applier takes all of them (up to RUN) at a time.
  const queue: JsMsg[] = [];
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let ended = false;
  const reader = (async () => {
    for await (const m of messages) {
      if (stopped) break;
      queue.push(m);
      poke();
    }
  })()
    .catch((err) => {
      if (!stopped) d.onError(err, `partition ${d.partition} consumer`);
    })
    .finally(() => {
      ended = true;
      poke();
    });

  const applier = (async () => {
    while (!stopped) {
      if (!queue.length) {
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      const run = queue.splice(0, RUN);
      const bodies: CorrBody[] = run.map((m) => ({ kind: m.headers?.get(KIND_HEADER), data: m.data }));
      let matches: RuleMatch[][];
      try {
        const applied = await correlator.apply(bodies);
        matches = applied.matches;
        for (const e of applied.errors) d.onError(new Error(e), `partition ${d.partition}`);
      } catch (err) {
        // The correlator is gone (its thread died): its state with it. Start over from the stream.
        if (!stopped) {
          failed = true;
          d.onError(err, `partition ${d.partition}`);
        }
        return;
      }
      if (stopped) return;
      for (let i = 0; i < run.length; i++) pass(matches[i] ?? [], run[i]!.seq);
      const last = run[run.length - 1]!;
      pending = last.info.pending;
      seq = last.seq;
      history -= run.length;
      if (history <= 0 || pending === 0) caughtUp = true;
    }
  })();

  return {
    partition: d.partition,
    pending: () => pending,
    caughtUp: () => caughtUp,
    handedSeq: () => seq,
    failed: () => failed,
    tick(now) {
      // Not while replaying: a pause in the replay must not let the wall clock close windows that the
      // history still to be read would have fed.
      if (stopped || !caughtUp || failed) return;
      correlator.tick(now).then(
        // As any match, only past the previous owner's checkpoint (the last message applied decides).
        (matches) => pass(matches, seq),
        (err: unknown) => {
          if (!stopped) d.onError(err, `partition ${d.partition} tick`);
        },
      );
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      poke();
      await messages.close().catch(() => {});
      await Promise.all([reader, applier]);
      correlator.close();
    },
  };
}
