/**
 * Checking emergency plan documents (YAML) against `Plan` (src/shared/plan-schemas.ts), with the line
 * and column of each problem: YAML syntax errors come from the `yaml` parser; schema issues are placed on
 * the node their path names (an unknown field on its key, a missing field on the object that lacks it).
 */
import fs from 'node:fs';
import { type Document, isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { Plan } from '../../../shared/plan-schemas.js';

/** Largest plan file read (bytes). */
const MAX_PLAN_BYTES = 1024 * 1024;

export interface PlanProblem {
  line: number;
  column: number;
  reason: string;
}

export type PlanLintResult = { plan: Plan; problems: [] } | { plan: null; problems: PlanProblem[] };

/** Checks the YAML text of one plan; problems in the order they appear in the text. */
export function lintPlanText(text: string): PlanLintResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0)
    return {
      plan: null,
      problems: doc.errors.map((e) => ({ ...at(e.pos[0]), reason: `YAML syntax error: ${e.message.split('\n')[0]}` })),
    };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { plan: null, problems: [{ ...at(0), reason: `YAML: ${(err as Error).message.split('\n')[0]}` }] };
  }
  const parsed = Plan.safeParse(data);
  if (parsed.success) return { plan: parsed.data, problems: [] };
  const problems = parsed.error.issues
    .flatMap((issue) => placeIssue(doc, issue))
    .map((p) => ({ ...at(p.offset), reason: p.reason }));
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { plan: null, problems };
}

/** Reads and checks one plan file. */
export function lintPlanFile(file: string): PlanLintResult {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_PLAN_BYTES)
      return {
        plan: null,
        problems: [{ line: 1, column: 1, reason: `is ${size} bytes; the limit is ${MAX_PLAN_BYTES}` }],
      };
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const reason = `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    return { plan: null, problems: [{ line: 1, column: 1, reason }] };
  }
  return lintPlanText(text);
}

type Path = (string | number)[];

/** The deepest node of `path` present in the document, and whether it is the whole path. */
function nodeAt(doc: Document, path: Path): { node: Node | null; whole: boolean } {
  let node = doc.contents as Node | null;
  for (let i = 0; i < path.length; i++) {
    const next = node && (doc.getIn(path.slice(0, i + 1), true) as Node | undefined);
    if (!next || typeof next !== 'object') return { node, whole: false };
    node = next;
  }
  return { node, whole: true };
}

const start = (node: Node | null) => node?.range?.[0] ?? 0;
const where = (path: Path) => (path.length ? `${path.join('.')}: ` : '');

function placeIssue(doc: Document, issue: z.core.$ZodIssue): { offset: number; reason: string }[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const { node, whole } = nodeAt(doc, path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const pair = isMap(node) ? node.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
      return {
        offset: start((pair?.key as Node | undefined) ?? node),
        reason: `${where([...path, key])}unknown field`,
      };
    });
  }
  if (!whole && issue.code === 'invalid_type' && issue.input === undefined)
    return [{ offset: start(node), reason: `${where(path.slice(0, -1))}missing field "${String(path.at(-1))}"` }];
  return [{ offset: start(node), reason: `${where(path)}${issue.message}` }];
}
