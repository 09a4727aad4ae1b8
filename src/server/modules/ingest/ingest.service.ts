/**
 * Ingest: bodies of events (JSON array or NDJSON, optionally gzip) and syslog records become
 * normalized DetectionEvents handed to the sink in batches. Events carrying an `id` are idempotent:
 * an id seen for the same source within the retention window is counted as a duplicate, not re-sent.
 *
 * A request never holds the event loop for long, whatever it holds: its records are counted while the
 * body is inflated, before any is parsed (`readJsonBody`: 413 past TOCSIN_INGEST_MAX_EVENTS), room for
 * them is then held in detection (`admit`: 503 with Retry-After when it is behind), and they are parsed,
 * normalized and handed over a slice at a time, yielding to the event loop between slices.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { IngestRejection, IngestResult } from '../../../shared/ingest-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { IngestConfig } from '../../platform/config.js';
import { AppError, invalid, tooLarge } from '../../platform/errors.js';
import type { IngestSourceConfig } from '../../platform/ingest-sources.js';
import type { Clock } from '../../platform/ids.js';
import { readJsonBody } from '../../platform/json-body.js';
import type { DetectionEvent, EventAdmission } from '../detection/index.js';
import { claimIds, pruneIds, releaseIds } from './ingest.repository.js';
import { recordsOf, type JsonRecord } from './json-records.js';
import { normalizeEvent } from './normalize.js';

/**
 * Where normalized events go (the detection pipeline, or the event stream of the at-scale mode, in
 * compose.ts). Called in arrival order; may throw a 503 problem (detection is behind: send again later)
 * or a 413 one (a batch it can never hold). A sink that returns a Promise has the events once it
 * resolves (the event stream stored them): ingest awaits it before counting them accepted, and a
 * rejection is a failure like a throw. `admit`, when present, holds room for one request's events
 * before the first is handed over.
 */
export type EventSink = ((events: DetectionEvent[]) => void | Promise<void>) & {
  admit?: (count: number) => EventAdmission;
};

/** A record as ingest receives it, with the time to use when the event names none (default: arrival). */
export type IngestRecord = JsonRecord & { fallbackTime?: number };

const MAX_REJECTIONS = 1000;
/** Ids remembered per source at most, however many arrive within the window. */
const MAX_SEEN_PER_SOURCE = 1_000_000;
const PRUNE_EVERY_MS = 60_000;
/** Records parsed, normalized and handed over between two turns of the event loop, at most... */
const SLICE_RECORDS = 1000;
/** ...and for about this long at most (ms; looked at every 32 records): large records make a slice short. */
const SLICE_MS = 5;
const JSON_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/jsonlines',
]);

const builtin = (name: string, logsource: IngestSourceConfig['logsource'] = {}): IngestSourceConfig => ({
  name,
  logsource,
  format: 'json',
  timeFormat: 'auto',
  fieldMap: {},
});
/** Sources that exist without configuration; a configured source of the same name replaces one. */
const BUILTIN_SOURCES = [builtin('api'), builtin('file'), builtin('syslog', { product: 'linux', service: 'syslog' })];

const fmt = (n: number) => n.toLocaleString('en-US');
/** 413 for a request of more events than TOCSIN_INGEST_MAX_EVENTS allows. */
const tooManyEvents = (limit: number) =>
  tooLarge(
    `the request holds more than ${fmt(limit)} events, the most one request may carry (TOCSIN_INGEST_MAX_EVENTS); blank lines do not count; send smaller batches`,
    'too-many-events',
  );

export function createIngestService(deps: { store: Store; clock: Clock; config: IngestConfig; sink: EventSink }) {
  const { store, clock, config, sink } = deps;
  const sources = new Map<string, IngestSourceConfig>([...BUILTIN_SOURCES, ...config.sources].map((s) => [s.name, s]));
  const configured = new Set(config.sources.map((s) => s.name));
  const limits = { lineLimitBytes: config.lineLimitBytes, maxDepth: config.maxDepth };
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  const lastPrune = new Map<string, number>();

  function source(name: string): IngestSourceConfig {
    const s = sources.get(name);
    if (!s)
      throw invalid(
        `unknown ingest source "${name}"; known: ${[...sources.keys()].join(', ')} (configure sources in TOCSIN_SOURCES_FILE)`,
        [{ path: 'query.source', message: 'unknown source' }],
      );
    return s;
  }

  async function maybePrune(name: string, now: number): Promise<void> {
    if (now - (lastPrune.get(name) ?? 0) < PRUNE_EVERY_MS) return;
    lastPrune.set(name, now);
    await pruneIds(store.db, name, now - config.dedupWindowMs, MAX_SEEN_PER_SOURCE);
  }

  /**
   * Normalizes records of one source, drops ids already seen, and hands the rest to the sink, a slice
   * at a time with a turn of the event loop between slices. `count` is at least the number of records
   * (room is held in detection for that many before the first is handed over).
   */
  async function ingestRecords(
    sourceName: string,
    records: Iterable<IngestRecord>,
    count = Array.isArray(records) ? records.length : config.maxEvents,
  ): Promise<IngestResult> {
    const src = source(sourceName);
    const now = clock.now();
    const rejected: IngestRejection[] = [];
    let rejectedCount = 0;
    const reject = (line: number, reason: string) => {
      rejectedCount++;
      if (rejected.length < MAX_REJECTIONS) rejected.push({ line, reason });
    };
    const admission: EventAdmission = sink.admit?.(count) ?? { sink, release() {} };
    /** Ids of this request (a repeat within it is a duplicate too). */
    const ids = new Set<string>();
    let duplicates = 0;
    let accepted = 0;
    let seen = 0;
    let pruned = false;

    /** Claims the slice's ids and hands its fresh events over. */
    async function handOver(
      slice: { event: DetectionEvent; hasSourceId: boolean }[],
      sliceIds: string[],
    ): Promise<void> {
      let fresh = new Set<string>();
      if (sliceIds.length) {
        if (!pruned) {
          pruned = true;
          await maybePrune(src.name, now);
        }
        fresh = await claimIds(store, src.name, sliceIds, now);
        duplicates += sliceIds.length - fresh.size;
      }
      const events = slice.filter((n) => !n.hasSourceId || fresh.has(n.event.id)).map((n) => n.event);
      if (!events.length) return;
      try {
        await admission.sink(events);
      } catch (err) {
        // Not delivered: a re-send must not be taken for a duplicate.
        if (fresh.size) await releaseIds(store.db, src.name, [...fresh]);
        throw err;
      }
      accepted += events.length;
    }

    try {
      const iterator = records[Symbol.iterator]();
      for (let done = false; !done; ) {
        const slice: { event: DetectionEvent; hasSourceId: boolean }[] = [];
        const sliceIds: string[] = [];
        const started = performance.now();
        for (let n = 0; n < SLICE_RECORDS; n++) {
          if (n % 32 === 31 && performance.now() - started > SLICE_MS) break;
          const next = iterator.next();
          if (next.done) {
            done = true;
            break;
          }
          const r = next.value;
          // The count was taken from the bytes; the splitter must agree (a broken body may differ).
          if (++seen > count && seen > config.maxEvents) throw tooManyEvents(config.maxEvents);
          if ('reason' in r) {
            reject(r.line, r.reason);
            continue;
          }
          const e = normalizeEvent(r.value, src, r.fallbackTime ?? now);
          if ('reason' in e) {
            reject(r.line, e.reason);
            continue;
          }
          if (e.hasSourceId) {
            if (ids.has(e.event.id)) {
              duplicates++;
              continue;
            }
            ids.add(e.event.id);
            sliceIds.push(e.event.id);
          }
          slice.push(e);
        }
        await handOver(slice, sliceIds);
        if (!done) await nextTurn();
      }
    } finally {
      admission.release();
      totals.accepted += accepted;
      totals.duplicates += duplicates;
      totals.rejected += rejectedCount;
    }
    return { accepted, duplicates, rejected, rejectedCount };
  }

  return {
    ingestRecords,

    /** The source a syslog message goes to: the configured source named like its APP-NAME / TAG, else `syslog`. */
    syslogSourceFor(app: string | undefined): string {
      if (app) {
        for (const name of [app, app.toLowerCase()]) if (configured.has(name)) return name;
      }
      return 'syslog';
    },

    /** A request body of events: checks media type and encoding, splits it into records, ingests them. */
    async ingestBody(
      sourceName: string,
      body: Buffer | undefined,
      meta: { contentType?: string; contentEncoding?: string },
    ): Promise<IngestResult> {
      source(sourceName);
      const type = (meta.contentType ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_TYPES.has(type)) {
        throw new AppError(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          'send events as application/json (an array of objects) or application/x-ndjson (one object a line)',
        );
      }
      if (!body || body.length === 0)
        throw new AppError(
          400,
          'validation',
          'Invalid request',
          'the body is empty: send a JSON array of event objects or NDJSON',
        );
      const { data, records } = await readJsonBody(body, meta.contentEncoding, {
        maxBytes: config.bodyLimitBytes,
        maxRecords: config.maxEvents,
        shape: 'records',
        tooManyRecords: tooManyEvents,
      });
      return ingestRecords(sourceName, recordsOf(data, limits), records);
    },

    /** Counts since start: events handed to the sink, duplicates dropped, records rejected. */
    stats: () => ({ ...totals }),

    limits: { ...limits, bodyLimitBytes: config.bodyLimitBytes, maxEvents: config.maxEvents },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
