/**
 * Ingest: bodies of events (JSON array or NDJSON, optionally gzip) and syslog records become
 * normalized DetectionEvents handed to the sink in batches. Events carrying an `id` are idempotent:
 * an id seen for the same source within the retention window is counted as a duplicate, not re-sent.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { IngestRejection, IngestResult } from '../../../shared/ingest-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { IngestConfig } from '../../platform/config.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { IngestSourceConfig } from '../../platform/ingest-sources.js';
import type { Clock } from '../../platform/ids.js';
import type { DetectionEvent } from '../detection/index.js';
import { claimIds, pruneIds, releaseIds } from './ingest.repository.js';
import { splitRecords, type JsonRecord } from './json-records.js';
import { normalizeEvent } from './normalize.js';

/** Where normalized events go (the detection engine, in compose.ts). Called synchronously, in arrival order. */
export type EventSink = (events: DetectionEvent[]) => void;

/** A sink that only counts what it is given: the default until detection is wired in. */
export function countingSink(): EventSink & { readonly count: number } {
  let count = 0;
  const sink = (events: DetectionEvent[]) => {
    count += events.length;
  };
  return Object.defineProperty(sink, 'count', { get: () => count }) as EventSink & { readonly count: number };
}

/** A record as ingest receives it, with the time to use when the event names none (default: arrival). */
export type IngestRecord = JsonRecord & { fallbackTime?: number };

const gunzipAsync = promisify(gunzip);
const MAX_REJECTIONS = 1000;
/** Ids remembered per source at most, however many arrive within the window. */
const MAX_SEEN_PER_SOURCE = 1_000_000;
const PRUNE_EVERY_MS = 60_000;
const JSON_TYPES = new Set(['application/json', 'application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines']);

const builtin = (name: string, logsource: IngestSourceConfig['logsource'] = {}): IngestSourceConfig => ({ name, logsource, format: 'json', timeFormat: 'auto', fieldMap: {} });
/** Sources that exist without configuration; a configured source of the same name replaces one. */
const BUILTIN_SOURCES = [builtin('api'), builtin('file'), builtin('syslog', { product: 'linux', service: 'syslog' })];

const tooLarge = (limit: number) => new AppError(413, 'too-large', 'Payload too large', `the request body is larger than ${limit} bytes (after decompression too); send smaller batches`);

export function createIngestService(deps: { store: Store; clock: Clock; config: IngestConfig; sink: EventSink }) {
  const { store, clock, config, sink } = deps;
  const sources = new Map<string, IngestSourceConfig>([...BUILTIN_SOURCES, ...config.sources].map((s) => [s.name, s]));
  const configured = new Set(config.sources.map((s) => s.name));
  const limits = { lineLimitBytes: config.lineLimitBytes, maxDepth: config.maxDepth };
  const totals = { accepted: 0, duplicates: 0, rejected: 0 };
  const lastPrune = new Map<string, number>();

  function source(name: string): IngestSourceConfig {
    const s = sources.get(name);
    if (!s) throw invalid(`unknown ingest source "${name}"; known: ${[...sources.keys()].join(', ')} (configure sources in TOCSIN_SOURCES_FILE)`, [{ path: 'query.source', message: 'unknown source' }]);
    return s;
  }

  async function decode(body: Buffer, encoding: string | undefined): Promise<Buffer> {
    const enc = (encoding ?? '').trim().toLowerCase();
    if (enc === '' || enc === 'identity') return body;
    if (enc !== 'gzip' && enc !== 'x-gzip') {
      throw new AppError(415, 'unsupported-media-type', 'Unsupported media type', `Content-Encoding "${enc.slice(0, 40)}" is not supported; send gzip or no encoding`);
    }
    try {
      return await gunzipAsync(body, { maxOutputLength: config.bodyLimitBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw tooLarge(config.bodyLimitBytes);
      throw new AppError(400, 'malformed-body', 'Malformed body', 'the body is not valid gzip data');
    }
  }

  async function maybePrune(name: string, now: number): Promise<void> {
    if (now - (lastPrune.get(name) ?? 0) < PRUNE_EVERY_MS) return;
    lastPrune.set(name, now);
    await pruneIds(store.db, name, now - config.dedupWindowMs, MAX_SEEN_PER_SOURCE);
  }

  /** Normalizes records of one source, drops ids already seen, and hands the rest to the sink. */
  async function ingestRecords(sourceName: string, records: IngestRecord[]): Promise<IngestResult> {
    const src = source(sourceName);
    const now = clock.now();
    const rejected: IngestRejection[] = [];
    let rejectedCount = 0;
    const reject = (line: number, reason: string) => {
      rejectedCount++;
      if (rejected.length < MAX_REJECTIONS) rejected.push({ line, reason });
    };
    const normalized: { event: DetectionEvent; hasSourceId: boolean }[] = [];
    const ids = new Set<string>();
    let duplicates = 0;
    for (const r of records) {
      if ('reason' in r) {
        reject(r.line, r.reason);
        continue;
      }
      const n = normalizeEvent(r.value, src, r.fallbackTime ?? now);
      if ('reason' in n) {
        reject(r.line, n.reason);
        continue;
      }
      if (n.hasSourceId) {
        if (ids.has(n.event.id)) {
          duplicates++;
          continue;
        }
        ids.add(n.event.id);
      }
      normalized.push(n);
    }
    let fresh = new Set<string>();
    if (ids.size) {
      await maybePrune(src.name, now);
      fresh = await claimIds(store.db, src.name, [...ids], now);
      duplicates += ids.size - fresh.size;
    }
    const events = normalized.filter((n) => !n.hasSourceId || fresh.has(n.event.id)).map((n) => n.event);
    if (events.length) {
      try {
        sink(events);
      } catch (err) {
        // Not delivered: a re-send must not be taken for a duplicate.
        if (fresh.size) await releaseIds(store.db, src.name, [...fresh]);
        throw err;
      }
    }
    totals.accepted += events.length;
    totals.duplicates += duplicates;
    totals.rejected += rejectedCount;
    return { accepted: events.length, duplicates, rejected, rejectedCount };
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
    async ingestBody(sourceName: string, body: Buffer | undefined, meta: { contentType?: string; contentEncoding?: string }): Promise<IngestResult> {
      source(sourceName);
      const type = (meta.contentType ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_TYPES.has(type)) {
        throw new AppError(415, 'unsupported-media-type', 'Unsupported media type', 'send events as application/json (an array of objects) or application/x-ndjson (one object a line)');
      }
      if (!body || body.length === 0) throw new AppError(400, 'validation', 'Invalid request', 'the body is empty: send a JSON array of event objects or NDJSON');
      const data = await decode(body, meta.contentEncoding);
      return ingestRecords(sourceName, splitRecords(data, limits));
    },

    /** Counts since start: events handed to the sink, duplicates dropped, records rejected. */
    stats: () => ({ ...totals }),

    limits: { ...limits, bodyLimitBytes: config.bodyLimitBytes },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
