/**
 * `tocsin rules list|enable|disable|upload|errors`: manage the detection rules of a running Tocsin
 * (api-client.ts: TOCSIN_URL or TOCSIN_HOST/PORT, TOCSIN_TOKEN) through its API, like the console does.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { RuleSetStatus, RuleSummary } from '../../../shared/rule-schemas.js';
import { ApiCallError, apiCall, apiTarget, SERVER_HELP, type ApiTarget } from '../api-client.js';
import { CliError } from '../context.js';
import { out } from '../table.js';

type Ctx = ApiTarget;

const ctxOf = (o: { token?: string }, needs: string): Ctx =>
  apiTarget(o, `rules ${needs}`, needs === 'list' || needs === 'errors' ? 'read' : 'admin');

/** Calls the API; a refused upload lists each rule that does not compile on a line of its own. */
async function call<T>(ctx: Ctx, method: string, urlPath: string, body?: unknown): Promise<T> {
  try {
    return await apiCall<T>(ctx, method, urlPath, body, { scope: method === 'GET' ? 'read' : 'admin' });
  } catch (err) {
    const p = err instanceof ApiCallError ? err.problem : null;
    if (err instanceof ApiCallError && err.status === 422 && urlPath === '/api/v1/rules' && p?.errors?.length) {
      throw new CliError(
        `${p.title ?? 'not stored'}: nothing was stored\n${p.errors.map((e) => `  ${e.path.replace(/^yaml\.?/, '') || '(file)'}: ${e.message}`).join('\n')}`,
      );
    }
    throw err;
  }
}

const summary = (r: RuleSummary) =>
  `${r.enabled ? 'on ' : 'off'} ${(r.level ?? '-').padEnd(13)} ${String(r.hits).padStart(7)}  ${r.id}  ${r.title}` +
  `${r.origin === 'uploaded' ? `  [uploaded ${r.file}]` : ''}${r.error ? `  (does not compile: ${r.error})` : ''}`;

export function addRulesCommands(program: Command): void {
  const rules = program
    .command('rules')
    .summary('detection rules of a running Tocsin through its API: list, enable, disable, upload, compile errors')
    .description(`detection rules of a running Tocsin (${SERVER_HELP}), through its API with TOCSIN_TOKEN`);
  const token = [
    '--token <token>',
    'API token (default: TOCSIN_TOKEN); reading needs the read scope, changing the admin scope',
  ] as const;

  rules
    .command('list')
    .description(
      'one line per rule: on/off, level, hits, id, title (and the compile error, if any); --json for JSON lines',
    )
    .option(...token)
    .option('-q, --query <words>', 'only rules whose title, id, name, tags or file contain these words')
    .option('--disabled', 'only disabled rules')
    .option('--uploaded', 'only uploaded rules')
    .option('--json', 'print each rule as a JSON line')
    .action(async (o: { token?: string; query?: string; disabled?: boolean; uploaded?: boolean; json?: boolean }) => {
      const ctx = ctxOf(o, 'list');
      let cursor: string | null = null;
      do {
        const q = new URLSearchParams({ limit: '200' });
        if (o.query) q.set('q', o.query);
        if (o.disabled) q.set('enabled', 'false');
        if (o.uploaded) q.set('origin', 'uploaded');
        if (cursor) q.set('cursor', cursor);
        const page: { items: RuleSummary[]; next: string | null } = await call(ctx, 'GET', `/api/v1/rules?${q}`);
        for (const r of page.items) out(o.json ? JSON.stringify(r) : summary(r));
        cursor = page.next;
      } while (cursor);
    });

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    rules
      .command(name)
      .description(`${name} rules by id (effective within seconds, kept across restarts)`)
      .argument('<id...>', 'rule ids, as `tocsin rules list` shows them')
      .option(...token)
      .action(async (ids: string[], o: { token?: string }) => {
        const ctx = ctxOf(o, name);
        for (const id of ids)
          out(summary(await call<RuleSummary>(ctx, 'PATCH', `/api/v1/rules/${encodeURIComponent(id)}`, { enabled })));
      });
  }

  rules
    .command('upload')
    .description(
      'upload a YAML file of Sigma rules, correlations or filters (each with an id); it is compiled with the current rules first and refused whole, with each reason, when something does not compile',
    )
    .argument('<file>', 'a .yml file (one or more documents)')
    .option(...token)
    .action(async (file: string, o: { token?: string }) => {
      const ctx = ctxOf(o, 'upload');
      let yaml: string;
      try {
        yaml = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      const res = await call<{ items: RuleSummary[] }>(ctx, 'POST', '/api/v1/rules', {
        fileName: path.basename(file),
        yaml,
      });
      for (const r of res.items) out(`uploaded ${r.id}  ${r.title}`);
    });

  rules
    .command('errors')
    .description('compile errors of the live rule set; exits 1 when there are any')
    .option(...token)
    .action(async (o: { token?: string }) => {
      const s = await call<RuleSetStatus>(ctxOf(o, 'errors'), 'GET', '/api/v1/rules/errors');
      out(
        `${s.compiled} compiled, ${s.disabled} disabled, ${s.errors.length} errors${s.pending ? ' (a change is being applied)' : ''}`,
      );
      for (const e of s.errors)
        out(`${e.file}${e.ruleId ? ` ${e.ruleId}` : ''}${e.title ? ` "${e.title}"` : ''}: ${e.reason}`);
      if (s.errors.length) process.exitCode = 1;
    });
}
