/**
 * Customer imports, in three steps: upload (the file read and its rows sealed in the store, the header
 * and a suggested mapping answered), check (the dry run: every bad row with its line and reasons, and
 * how many customers would be new, updated or unchanged) and commit (upserts by customer no. in
 * batches, each batch one transaction that also records the progress; files above `INLINE_ROWS` rows
 * run as a durable job that resumes after a restart where the last batch ended). One audit entry per
 * commit, with the counts.
 */
import type { CustomerImport, ImportMapping, ImportReport } from '../../../shared/customer-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, type FieldError, invalid, notFound } from '../../platform/errors.js';
import { type Clock, newId } from '../../platform/ids.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { type ImportRow, importById, insertImport, moveImport, updateImport } from './customer.repository.js';
import { toImport } from './customer.mapper.js';
import { judgeBatch } from './customer-batch.js';
import { type FileRow, readCustomerFile } from './customer-file.js';
import { type CustomerChange, problem, readRow } from './customer-rows.js';
import type { Sealer } from './customer-seal.js';
import { apply } from './customer-upsert.js';

/** Files of at most this many rows are committed within the request; larger ones by a job. */
export const INLINE_ROWS = 1000;
const BATCH = 500;
const JOB_KIND = 'customer.import';
const SAFETY_NET_MS = 10 * 60_000;

export interface ImportDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  jobs: JobRunner;
  box: SecretBox;
  sealer: Sealer;
}

type BadRow = ImportReport['badRows'][number];
interface Read {
  line: number;
  change: CustomerChange;
  bad: BadRow[];
}

const aad = (id: string) => `customer-import:${id}`;
const emptyReport = (): ImportReport => ({ new: 0, updated: 0, unchanged: 0, bad: 0, badRows: [] });

/** Every row through the mapping, with the problems only the whole file shows (repeated numbers). */
function readAll(rows: FileRow[], mapping: ImportMapping): Read[] {
  const firstNo = new Map<string, number>();
  const firstAccount = new Map<string, number>();
  return rows.map((r) => {
    const { change, problems } = readRow(r.cells, mapping);
    const no = change.customerNo;
    if (no) {
      const first = firstNo.get(no);
      if (first !== undefined) problems.push(problem('customerNo', 'duplicate_customer_no', { line: first }));
      else firstNo.set(no, r.line);
    }
    for (const a of change.accounts ?? []) {
      const first = firstAccount.get(a);
      if (first !== undefined) problems.push(problem('accounts', 'duplicate_account', { line: first }));
      else firstAccount.set(a, r.line);
    }
    return { line: r.line, change, bad: problems.map((p) => ({ line: r.line, ...p })) };
  });
}

export function createImportService(deps: ImportDeps) {
  const { store, audit, clock, jobs, box, sealer } = deps;
  const missing = (id: string) => notFound(`customer import ${id}`);

  async function load(db: Db, id: string): Promise<ImportRow> {
    const row = await importById(db, id);
    if (!row) throw missing(id);
    return row;
  }
  const rowsOf = (row: ImportRow) => box.open<FileRow[]>(row.rows_sealed, aad(row.id));

  /** Judges `reads` against the store; adds to `report`; applies the good ones when `write`. */
  async function judge(tx: Db, reads: Read[], report: ImportReport, write: boolean): Promise<void> {
    const good = reads.filter((r) => r.bad.length === 0);
    const judged = await judgeBatch(
      tx,
      sealer,
      good.map((r) => r.change),
    );
    const now = clock.now();
    for (const [i, j] of judged.entries()) {
      const line = good[i]!.line;
      if (j.problems.length || !j.merged) {
        good[i]!.bad.push(...j.problems.map((p) => ({ line, ...p })));
        continue;
      }
      const outcome = write
        ? (await apply(tx, sealer, j.existing, j.change.customerNo, j.merged, 'import', now)).outcome
        : j.outcome!;
      report[outcome === 'created' ? 'new' : outcome]++;
    }
    for (const r of reads)
      if (r.bad.length) {
        report.bad++;
        report.badRows.push(...r.bad);
      }
  }

  /** Commits from where the last batch ended; the last batch marks the import committed and audits it. */
  async function runCommit(id: string, actor: Actor): Promise<void> {
    const first = await load(store.db, id);
    if (first.state !== 'committing') return;
    const reads = readAll(rowsOf(first), JSON.parse(first.mapping!) as ImportMapping);
    let done = Number(first.rows_done);
    while (done < reads.length || done === 0) {
      const end = Math.min(done + BATCH, reads.length);
      const last = end >= reads.length;
      await store.transaction(async (tx) => {
        // Claims the batch first (and with it the import's row): a second runner of the same import
        // waits here, then finds the progress moved and stops.
        if (!(await moveImport(tx, id, { state: 'committing', rowsDone: done }, { rows_done: end })))
          throw conflict(`import ${id} moved on meanwhile`);
        const row = await load(tx, id);
        const report = done === 0 ? emptyReport() : (JSON.parse(row.report!) as ImportReport);
        await judge(tx, reads.slice(done, end), report, true);
        await updateImport(tx, id, {
          report: JSON.stringify(report),
          updated_at: clock.now(),
          ...(last ? { state: 'committed', rows_sealed: '' } : {}),
        });
        if (last)
          await audit.append(tx, actor, {
            action: 'customer.import_commit',
            targetType: 'customer_import',
            targetId: id,
            after: {
              fileName: row.file_name,
              rows: reads.length,
              new: report.new,
              updated: report.updated,
              unchanged: report.unchanged,
              bad: report.bad,
            },
          });
      });
      done = end;
      if (last) break;
    }
  }

  jobs.register<{ importId: string; actor: Actor }>(JOB_KIND, (job) =>
    runCommit(job.payload.importId, job.payload.actor),
  );

  return {
    async upload(p: Principal, fileName: string, bytes: Buffer): Promise<CustomerImport> {
      assertCan(p, 'customer.manage');
      const parsed = await readCustomerFile(fileName, bytes);
      const id = newId();
      const now = clock.now();
      const row: ImportRow = {
        id,
        file_name: fileName,
        encoding: parsed.encoding,
        header: JSON.stringify(parsed.header),
        row_count: parsed.rows.length,
        rows_sealed: box.seal(parsed.rows, aad(id)),
        mapping: null,
        state: 'uploaded',
        report: null,
        rows_done: 0,
        created_by: p.user.id,
        committed_by: null,
        created_at: now,
        updated_at: now,
      };
      return store.transaction(async (tx) => {
        await insertImport(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'customer.import_upload',
          targetType: 'customer_import',
          targetId: id,
          after: { fileName, encoding: parsed.encoding, rows: parsed.rows.length },
        });
        return toImport(row);
      });
    },

    async get(p: Principal, id: string): Promise<CustomerImport> {
      assertCan(p, 'customer.manage');
      return toImport(await load(store.db, id));
    },

    /** The dry run with `mapping`: stores nothing but the mapping and the report. */
    async check(p: Principal, id: string, mapping: ImportMapping): Promise<CustomerImport> {
      assertCan(p, 'customer.manage');
      const row = await load(store.db, id);
      if (row.state !== 'uploaded' && row.state !== 'checked')
        throw conflict(`import ${id} is ${row.state}: upload the file again to import it once more`);
      const width = (JSON.parse(row.header) as string[]).length;
      const errors: FieldError[] = Object.entries(mapping).flatMap(([field, col]) =>
        col !== null && col !== undefined && col >= width
          ? [{ path: `mapping.${field}`, message: `the file has ${width} columns`, code: 'too_big' as const }]
          : [],
      );
      if (mapping.customerNo === undefined || mapping.customerNo === null)
        errors.push({ path: 'mapping.customerNo', message: 'map the customer no. column', code: 'required' });
      if (errors.length) throw invalid('the mapping does not fit the file', errors);
      const reads = readAll(rowsOf(row), mapping);
      const report = emptyReport();
      for (let i = 0; i < reads.length; i += BATCH) await judge(store.db, reads.slice(i, i + BATCH), report, false);
      report.badRows.sort((a, b) => a.line - b.line);
      return store.transaction(async (tx) => {
        const now = clock.now();
        const set = {
          mapping: JSON.stringify(mapping),
          report: JSON.stringify(report),
          state: 'checked',
          updated_at: now,
        };
        if (!(await moveImport(tx, id, { state: row.state }, set)))
          throw conflict(`import ${id} changed meanwhile: open it again`);
        await audit.append(tx, actorOf(p), {
          action: 'customer.import_check',
          targetType: 'customer_import',
          targetId: id,
          after: { new: report.new, updated: report.updated, unchanged: report.unchanged, bad: report.bad },
        });
        return toImport({ ...row, ...set });
      });
    },

    /** Commits a checked import (good rows only): within the request for small files, else by a job. */
    async commit(p: Principal, id: string): Promise<CustomerImport> {
      assertCan(p, 'customer.manage');
      const actor = actorOf(p);
      const row = await store.transaction(async (tx) => {
        const r = await load(tx, id);
        if (r.state !== 'checked')
          throw conflict(
            r.state === 'uploaded' ? `run the dry run of import ${id} first` : `import ${id} is already ${r.state}`,
          );
        const moved = await moveImport(
          tx,
          id,
          { state: 'checked' },
          { state: 'committing', committed_by: p.user.id, updated_at: clock.now() },
        );
        if (!moved) throw conflict(`import ${id} is already being committed`);
        // A small file is committed below, within the request; its job is only the safety net should
        // this process die meanwhile (it finds the import committed and does nothing).
        const inline = Number(r.row_count) <= INLINE_ROWS;
        const runAt = clock.now() + (inline ? SAFETY_NET_MS : 0);
        await jobs.enqueue(tx, { kind: JOB_KIND, payload: { importId: id, actor }, key: id, runAt });
        return r;
      });
      if (Number(row.row_count) <= INLINE_ROWS) await runCommit(id, actor);
      return toImport(await load(store.db, id));
    },
  };
}
