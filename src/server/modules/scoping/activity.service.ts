/**
 * The account-activity index: rows from ingested events (embedded mode: buffered off ingest's request
 * path and written in multi-row INSERTs every TOCSIN_ACTIVITY_FLUSH_MS; at scale: written by stage one
 * per batch of the event stream, `indexArrays`; off with TOCSIN_ACTIVITY_INDEX=false), from imported
 * extracts (CSV / NDJSON, audited), pruned after TOCSIN_ACTIVITY_RETENTION_DAYS by the run-once
 * scheduler `activity-retention`.
 */
import { ACTIVITY_COLUMNS, type ActivityArrays } from '../../../shared/activity-fields.js';
import type { ActivityImportResult } from '../../../shared/scoping-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { joinArrayLiterals } from '../../platform/db/pg-array.js';
import { activityOfEvent, activityRowsOf, type ActivityRow } from './activity-fields.js';
import { insertActivity, insertActivityArrays, pruneActivity } from './activity.repository.js';
import type { ScopingCustomers } from './scoping-ports.js';
import { parseExtract } from './activity-extract.js';
import { type ActivityWriter, startActivityWriter } from './activity-writer.js';

export interface ActivityConfig {
  /** Index ingested events (TOCSIN_ACTIVITY_INDEX). */
  index: boolean;
  /** How long rows are kept (TOCSIN_ACTIVITY_RETENTION_DAYS). */
  retentionMs: number;
  /** Buffered rows of ingested events are written at least this often (TOCSIN_ACTIVITY_FLUSH_MS, default 250). */
  flushMs?: number;
}

/** Buffered rows are written every `flushMs` (TOCSIN_ACTIVITY_FLUSH_MS) or once this many are pending… */
const FLUSH_ROWS = 5_000;
/** …and ingest waits for the write while this many are (a store slower than ingest slows ingest, not memory). */
const BUFFER_ROWS = 50_000;

const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/plain']);
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/json']);

export function createActivityService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  config: ActivityConfig;
  customers: ScopingCustomers;
  onError?: (err: unknown, where: string) => void;
}) {
  const { store, audit, clock, config } = deps;

  /** Fills in the customer numbers of the accounts the customer table knows. */
  async function withCustomers(rows: ActivityRow[]): Promise<ActivityRow[]> {
    const unknown = rows.filter((r) => !r.customer_no).map((r) => r.account_no);
    if (!unknown.length) return rows;
    const nos = await deps.customers.directory.customerNosOfAccounts(unknown, store.db);
    if (nos.size) for (const r of rows) if (!r.customer_no) r.customer_no = nos.get(r.account_no) ?? null;
    return rows;
  }

  // Buffered rows of ingested events, written by one flush at a time in arrival order.
  let pending: ActivityRow[] = [];
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();
  // The embedded store's writer thread, started with the first rows (undefined: not yet; null: none).
  let writer: ActivityWriter | null | undefined;
  async function write(rows: ActivityRow[]): Promise<void> {
    if (writer === undefined) writer = startActivityWriter(store);
    if (writer) {
      try {
        // The thread fills in the customer numbers as it inserts.
        return await writer.write(rows);
      } catch (err) {
        // The thread failed these rows or is gone: write on this thread from now on.
        deps.onError?.(err, 'activity writer thread');
        const failed = writer;
        writer = null;
        await failed.close().catch(() => {});
      }
    }
    // Machine writes: no audit entry, so no chain lock; the commit need not wait for the disk.
    const known = await withCustomers(rows);
    await store.transaction((tx) => insertActivity(store, tx, known), { audited: false, durability: 'relaxed' });
  }
  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const rows = pending;
    pending = [];
    if (rows.length) {
      writing = writing.then(async () => {
        try {
          await write(rows);
        } catch (err) {
          deps.onError?.(err, 'activity indexing');
        }
      });
    }
    return writing;
  }

  async function importRows(actor: Actor, file: string, rows: ActivityRow[], rejectedCount: number) {
    await store.transaction(async (tx) => {
      await insertActivity(store, tx, rows);
      await audit.append(tx, actor, {
        action: 'activity.import',
        targetType: 'account_activity',
        targetId: `extract:${file}`,
        after: { file, accepted: rows.length, rejected: rejectedCount },
      });
    });
  }

  return {
    /**
     * Indexes the events of one ingest batch that name an account. The rows are buffered and written
     * together (one multi-row INSERT per `flushMs` or FLUSH_ROWS, off ingest's request path); a caller
     * waits only when BUFFER_ROWS are pending (backpressure). Failures are reported, never thrown at ingest.
     */
    async indexEvents(events: { id: string; time: number; source: string; fields: Record<string, unknown> }[]) {
      if (!config.index || closed) return;
      for (const e of events) {
        const r = activityOfEvent(e);
        if (r) pending.push(r);
      }
      if (pending.length >= BUFFER_ROWS) return flush();
      if (pending.length >= FLUSH_ROWS) void flush();
      else if (pending.length && !timer) {
        timer = setTimeout(() => void flush(), config.flushMs ?? 250);
        timer.unref();
      }
    },

    /**
     * At scale: the account activity of one stage-one batch (extracted on the engine thread, each
     * message's rows as array literals), written at once in one relaxed transaction. Throws on failure:
     * stage one then hands the batch back.
     */
    async indexArrays(batches: readonly ActivityArrays[]): Promise<void> {
      if (!config.index || !batches.some((b) => b.rows)) return;
      // PostgreSQL takes the literals as they are and resolves the customer numbers in the insert
      // itself: no work per row here, no lookup round trip per batch.
      if (store.dialect === 'postgres') {
        const columns = Object.fromEntries(
          ACTIVITY_COLUMNS.map((c) => [c, joinArrayLiterals(batches.map((b) => b.columns[c]))]),
        ) as ActivityArrays['columns'];
        return store.transaction((tx) => insertActivityArrays(tx, columns), { audited: false, durability: 'relaxed' });
      }
      const known = await withCustomers(batches.flatMap(activityRowsOf));
      await store.transaction((tx) => insertActivity(store, tx, known), { audited: false, durability: 'relaxed' });
    },

    /** Writes what is buffered (scoping calls it before evaluating a definition; close() at shutdown). */
    flush,

    /** Writes what is buffered and indexes nothing more. */
    async close() {
      closed = true;
      await flush();
      await writer?.close();
      writer = null;
    },

    /** An extract from the CLI (`tocsin activity import FILE`) or the API. */
    async importExtract(
      actor: Actor,
      file: string,
      body: string,
      format: 'csv' | 'ndjson',
    ): Promise<ActivityImportResult> {
      const parsed = parseExtract(body, format, `extract:${file}`);
      await importRows(actor, file, await withCustomers(parsed.rows), parsed.rejectedCount);
      return { accepted: parsed.rows.length, rejectedCount: parsed.rejectedCount, rejected: parsed.rejected };
    },

    /** `POST /api/v1/activity/imports`: CSV (text/csv) or NDJSON (application/x-ndjson). */
    async importBody(p: Principal, file: string, body: Buffer | undefined, contentType: string | undefined) {
      assertCan(p, 'scoping.manage');
      const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
      const format = CSV_TYPES.has(type) ? 'csv' : NDJSON_TYPES.has(type) ? 'ndjson' : null;
      if (!format)
        throw new AppError(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          'send an extract as text/csv (a header row: time, account, customer, ip, device, action, outcome) or application/x-ndjson',
        );
      if (!body?.length) throw invalid('the extract is empty', [{ path: 'body', message: 'empty' }]);
      const parsed = parseExtract(body.toString('utf8'), format, `extract:${file}`);
      await importRows(actorOf(p), file, await withCustomers(parsed.rows), parsed.rejectedCount);
      return { accepted: parsed.rows.length, rejectedCount: parsed.rejectedCount, rejected: parsed.rejected };
    },

    /** Deletes rows past the retention; returns how many. */
    prune: () => pruneActivity(store.db, clock.now() - config.retentionMs),
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
