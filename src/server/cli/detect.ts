/**
 * `tocsin detect` and `tocsin sigma regress`: Sigma rules over event files, offline, like the
 * established Sigma engines. Library: @tocsin/sigma (packages/sigma).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CompileError, LogsourceMapping, SigmaEngine } from '@tocsin/sigma';
import type { DetectionEvent, RuleMatch } from '../modules/detection/detection.types.js';
import { bundledPath } from '../platform/bundled.js';
import { CliError } from './context.js';

// The engine and its libraries load only when a command runs, so `tocsin --help` stays instant.
type Lib = typeof import('@tocsin/sigma');
const lib = (): Promise<Lib> => import('@tocsin/sigma');

const out = (line: string) => process.stdout.write(`${line}\n`);
const warn = (line: string) => process.stderr.write(`tocsin: ${line}\n`);

/** The rules the server would load: TOCSIN_RULES_DIRS, else the bundled rules/tocsin. */
function defaultRules(): string[] {
  const configured = (process.env.TOCSIN_RULES_DIRS ?? '').split(path.delimiter).filter(Boolean);
  if (configured.length) return configured;
  const dir = bundledPath('rules', 'tocsin');
  if (!dir) throw new CliError('the bundled rules (rules/tocsin) are missing; pass --rules DIR');
  return [dir];
}

function loadMapping(L: Lib, file: string | undefined): LogsourceMapping {
  const f = file ?? process.env.TOCSIN_MAPPING_FILE ?? bundledPath('rules', 'mappings', 'windows-thor.yml');
  if (!f) throw new CliError('the bundled mapping rules/mappings/windows-thor.yml is missing; pass --mapping FILE');
  let text: string;
  try {
    text = fs.readFileSync(f, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read mapping ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return L.parseMappingText(text);
  } catch (e) {
    throw new CliError(`mapping ${f}: ${(e as Error).message}`);
  }
}

async function loadPlaceholders(file: string | undefined): Promise<Record<string, string[]>> {
  if (!file) return {};
  const { default: YAML } = await import('yaml');
  let v: unknown;
  try {
    v = YAML.parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: 50 });
  } catch (e) {
    throw new CliError(`placeholders ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new CliError(`placeholders ${file}: expected a map of name: [values]`);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, (Array.isArray(x) ? x : [x]).map(String)]));
}

export interface EngineOpts {
  rules?: string[];
  mapping?: string;
  placeholders?: string;
  verbose?: boolean;
}

async function buildEngine(
  L: Lib,
  o: EngineOpts,
): Promise<{ engine: SigmaEngine; errors: CompileError[]; files: number }> {
  const rules = o.rules ?? defaultRules();
  const { sources, errors: readErrors } = L.readRuleSources(rules);
  if (sources.length === 0 && readErrors.length) throw new CliError(`${readErrors[0]!.file}: ${readErrors[0]!.reason}`);
  const engine = L.createSigmaEngine({
    rules: sources,
    mapping: loadMapping(L, o.mapping),
    placeholders: await loadPlaceholders(o.placeholders),
  });
  const errors = [...readErrors, ...engine.report.errors];
  if (engine.report.compiled === 0)
    throw new CliError(
      errors.length
        ? `no rule compiled; first error: ${errors[0]!.file}: ${errors[0]!.reason}`
        : `no rule files (.yml) under ${rules.join(', ')}`,
    );
  if (errors.length) {
    if (o.verbose)
      for (const e of errors) warn(`rule not compiled: ${e.file}${e.ruleId ? ` (${e.ruleId})` : ''}: ${e.reason}`);
    else
      warn(
        `${errors.length} rule(s) did not compile, ${engine.report.compiled} did (first: ${errors[0]!.file}: ${errors[0]!.reason}; --verbose lists all)`,
      );
  }
  return { engine, errors, files: sources.length };
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

function matchLine(m: RuleMatch): string {
  const ev = (e: DetectionEvent) => ({
    id: e.id,
    time: iso(e.time),
    source: e.source,
    logsource: e.logsource,
    fields: e.fields,
  });
  return JSON.stringify({
    rule_id: m.ruleId,
    rule_title: m.ruleTitle,
    level: m.level,
    kind: m.kind,
    tags: m.tags,
    time: iso(m.time),
    ...(m.group ? { group: m.group } : {}),
    events: m.events.map(ev),
  });
}

/** `tocsin detect`: every match of the rules over the event files, one JSON line each. */
export async function runDetect(o: EngineOpts & { events: string[] }): Promise<void> {
  for (const f of o.events) if (!fs.existsSync(f)) throw new CliError(`no such events file: ${f}`);
  const L = await lib();
  const { engine } = await buildEngine(L, o);
  let bad = 0;
  let n = 0;
  for (const file of o.events) {
    for await (const v of L.readEventFile(file)) {
      const where = `${file}:${v.line}`;
      const e =
        'error' in v ? undefined : L.toDetectionEvent(v.value, `${path.basename(file)}:${v.line}:${++n}`, 'file');
      if (!e) {
        bad++;
        if (o.verbose) warn(`skipped ${where}: ${'error' in v ? v.error : 'not a JSON object'}`);
        continue;
      }
      for (const m of engine.process([e])) out(matchLine(m));
    }
  }
  for (const m of engine.flush()) out(matchLine(m));
  if (bad) warn(`${bad} event(s) skipped as unreadable${o.verbose ? '' : ' (--verbose lists them)'}`);
}

/** `tocsin sigma regress`: the score on a regression_data tree, then one JSON line per failure; exit 1 on any. */
export async function runRegress(o: EngineOpts & { data: string }): Promise<void> {
  if (!fs.existsSync(o.data) || !fs.statSync(o.data).isDirectory()) throw new CliError(`no such directory: ${o.data}`);
  const L = await lib();
  const { engine, errors } = await buildEngine(L, o);
  const r = await L.runRegression(engine, o.data, errors);
  out(JSON.stringify({ folders: r.folders, passed: r.passed, failed: r.failed }));
  for (const f of r.failures) out(JSON.stringify(f));
  if (r.failed > 0) process.exitCode = 1;
}
