/**
 * The engine in the server (issue 14: "the same engine serves the console"): the firm's extracts are
 * uploaded one file at a time (sealed in the store, bound to their id, with their SHA-256), then an
 * assessment names its method, inputs and options; the engine runs on the inputs as the CLI does
 * (`assessFiles`, from private temporary files removed afterwards) and the per-customer results are
 * stored as an assessment run of the incident, to be reviewed and turned into proposed claims.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AssessAnswer, AssessBody, CompensationInput, INPUT_KINDS } from '../../../shared/compensation-schemas.js';
import { invalid } from '../../platform/errors.js';
import { iso, newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { assessFiles, OptionError } from './assessment/assess-files.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { type InputRow, inputById, insertInput } from './input.repository.js';
import type { createRunService } from './run.service.js';

type InputKind = (typeof INPUT_KINDS)[number];
const MAX_PROBLEMS = 200;
/** The inputs each method reads. */
const NEEDS: Record<AssessBody['method'], InputKind[]> = {
  'outage-price-diff': ['orders', 'prices'],
  'fraud-loss': ['items'],
  'delayed-funds': ['items'],
  'fee-refund': ['items'],
  fixed: ['items'],
};
/** The API's name of a CLI option (`outage-start` -> `outageStart`). */
const camel = (option: string) => option.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function createAssessService(
  deps: CompensationDeps,
  ctx: CompensationContext,
  runs: ReturnType<typeof createRunService>,
) {
  const { store, audit, clock, users, secretBox } = deps;

  async function view(r: InputRow): Promise<CompensationInput> {
    const names = r.created_by ? await users.namesOf([r.created_by]) : new Map<string, string>();
    return {
      id: r.id,
      kind: r.kind as InputKind,
      name: r.name,
      bytes: r.bytes,
      sha256: r.sha256,
      createdBy: r.created_by ? (names.get(r.created_by) ?? null) : null,
      createdAt: iso(r.created_at),
    };
  }

  return {
    /** Stores an uploaded extract of the incident `key`, sealed. */
    async upload(
      p: Principal,
      key: string,
      q: { kind: InputKind; name: string },
      body: Buffer | undefined,
    ): Promise<CompensationInput> {
      assertCan(p, 'compensation.assess');
      if (!body || body.length === 0)
        throw invalid('the body is empty: send the CSV file itself', [
          { path: 'body', message: 'a CSV file with a header row', code: 'required' },
        ]);
      const row = await store.transaction(async (tx) => {
        const ref = await ctx.visibleIncident(tx, p, key);
        const id = newId();
        const r: InputRow = {
          id,
          incident_id: ref.id,
          kind: q.kind,
          name: q.name,
          bytes: body.length,
          sha256: createHash('sha256').update(body).digest('hex'),
          content: secretBox.seal(body.toString('base64'), id),
          created_by: p.user.id,
          created_at: clock.now(),
        };
        await insertInput(tx, r);
        await audit.append(tx, actorOf(p), {
          action: 'compensation.input_upload',
          targetType: 'compensation_input',
          targetId: id,
          after: { kind: r.kind, name: r.name, bytes: r.bytes, sha256: r.sha256 },
          incidents: [ref.id],
        });
        return r;
      });
      return view(row);
    },

    /** Runs the engine on uploaded inputs and stores the results as an assessment run. */
    async assess(p: Principal, key: string, body: AssessBody): Promise<AssessAnswer> {
      assertCan(p, 'compensation.assess');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const needed = NEEDS[body.method];
      const inputs = new Map<InputKind, InputRow>();
      for (const kind of needed) {
        const id = body.inputs[kind];
        const row = id ? await inputById(store.db, id) : undefined;
        if (!row || row.incident_id !== ref.id || row.kind !== kind)
          throw invalid(
            id
              ? `no ${kind} upload ${id} of ${key}`
              : `method ${body.method} needs inputs.${kind} (the id of an uploaded ${kind} file)`,
            [{ path: `inputs.${kind}`, message: `an uploaded ${kind} file of this incident`, code: 'unknown_input' }],
          );
        inputs.set(kind, row);
      }
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tocsin-assess-'));
      try {
        const files: Record<string, string> = {};
        const nameOf = new Map<string, string>();
        for (const [kind, row] of inputs) {
          const file = path.join(dir, `${kind}.csv`);
          const bytes = Buffer.from(secretBox.open<string>(row.content, row.id), 'base64');
          await fs.writeFile(file, bytes, { mode: 0o600 });
          files[kind] = file;
          nameOf.set(file, row.name);
        }
        const problems: AssessAnswer['problems'] = [];
        let problemCount = 0;
        let run: Awaited<ReturnType<typeof assessFiles>>;
        try {
          run = await assessFiles({
            method: body.method,
            files,
            options: body.parameters,
            encoding: body.encoding,
            onProblem: (pr) => {
              problemCount++;
              if (problems.length < MAX_PROBLEMS)
                problems.push({ input: nameOf.get(pr.file) ?? pr.file, line: pr.line, reason: pr.reason });
            },
          });
        } catch (e) {
          if (!(e instanceof OptionError)) throw e;
          const field = e.option === 'file' ? 'inputs' : `parameters.${camel(e.option)}`;
          throw invalid(
            e.message.replace(/--([a-z-]+)/g, (_, o: string) => `parameters.${camel(o)}`),
            [{ path: field, message: e.message, code: 'invalid_value' }],
          );
        }
        const results = [...run.customers].map((c) => ({
          customer: c.customer,
          orders: c.items,
          loss: c.loss,
          compensation: c.compensation,
          basis: c.basis,
        }));
        const stored = await runs.create(p, key, {
          method: body.method,
          currency: 'CNY',
          parameters: {
            ...body.parameters,
            ...Object.fromEntries([...inputs].map(([kind, r]) => [`${kind}File`, r.name])),
            ...Object.fromEntries([...inputs].map(([kind, r]) => [`${kind}Sha256`, r.sha256])),
            skipped: run.summary.skipped,
          },
          results,
        });
        return { run: stored, skipped: run.summary.skipped, problems, problemCount };
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  };
}
