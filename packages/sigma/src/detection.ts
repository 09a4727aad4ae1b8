/** A rule's `detection` section compiled to one predicate (with its prefilter atoms). */
import { compileCondition, parseCondition } from './condition.js';
import { andClauses, orClauses } from './atoms.js';
import { compileItem } from './field-matchers.js';
import { SigmaError, type CompileOptions, type CompiledPredicate, type Matcher } from './types.js';

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A map of `field|modifiers: value` items, all of which must hold. */
function compileMap(map: Record<string, unknown>, opts: CompileOptions, where: string): CompiledPredicate {
  const entries = Object.entries(map);
  if (entries.length === 0) throw new SigmaError(`${where}: empty map`);
  const parts = entries.map(([key, value]) => {
    const [field = '', ...mods] = key.split('|');
    try {
      return compileItem(field.trim() === '' ? null : field, mods, value, opts);
    } catch (e) {
      if (e instanceof SigmaError) throw new SigmaError(`${where}: ${key}: ${e.message}`);
      throw e;
    }
  });
  return allOf(parts);
}

function allOf(parts: CompiledPredicate[]): CompiledPredicate {
  const ms = parts.map((p) => p.match);
  const match: Matcher =
    ms.length === 1
      ? ms[0]!
      : (ctx) => {
          for (const m of ms) if (!m(ctx)) return false;
          return true;
        };
  return { match, clauses: andClauses(parts.map((p) => p.clauses)) };
}

function anyOf(parts: CompiledPredicate[]): CompiledPredicate {
  const ms = parts.map((p) => p.match);
  const match: Matcher =
    ms.length === 1
      ? ms[0]!
      : (ctx) => {
          for (const m of ms) if (m(ctx)) return true;
          return false;
        };
  return { match, clauses: orClauses(parts.map((p) => p.clauses)) };
}

/** One search identifier: a map (AND), a list of maps (OR), or keywords (a list of values, OR). */
export function compileSearch(name: string, def: unknown, opts: CompileOptions): CompiledPredicate {
  if (isMap(def)) return compileMap(def, opts, name);
  if (Array.isArray(def)) {
    if (def.length === 0) throw new SigmaError(`${name}: empty list`);
    const keywords = def.filter((x) => !isMap(x));
    const maps = def.filter(isMap);
    const parts: CompiledPredicate[] = maps.map((m, i) => compileMap(m, opts, `${name}[${i}]`));
    if (keywords.length) {
      if (keywords.some((k) => Array.isArray(k) || k === null))
        throw new SigmaError(`${name}: keywords must be strings or numbers`);
      parts.push(compileItem(null, [], keywords, opts));
    }
    return anyOf(parts);
  }
  if (typeof def === 'string' || typeof def === 'number') return compileItem(null, [], [def], opts);
  throw new SigmaError(
    `${name}: a search identifier must be a map, a list or a keyword, not ${def === null ? 'null' : typeof def}`,
  );
}

/** Compiles a whole detection section (search identifiers + condition). */
export function compileDetection(detection: unknown, opts: CompileOptions): CompiledPredicate {
  if (!isMap(detection)) throw new SigmaError('detection must be a map');
  const ids = new Map<string, CompiledPredicate>();
  for (const [name, def] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    ids.set(name, compileSearch(name, def, opts));
  }
  const cond = detection.condition;
  const conds: string[] =
    typeof cond === 'string'
      ? [cond]
      : Array.isArray(cond) && cond.every((c) => typeof c === 'string') && cond.length > 0
        ? cond
        : [];
  if (conds.length === 0) throw new SigmaError('detection has no condition (a string or a list of strings)');
  const compiled = conds.map((c) => compileCondition(parseCondition(c), ids));
  return anyOf(compiled);
}

/** Compiles a filter's selections and condition (the filters spec), in their own namespace. */
export function compileFilterCondition(filter: Record<string, unknown>, opts: CompileOptions): CompiledPredicate {
  const ids = new Map<string, CompiledPredicate>();
  for (const [name, def] of Object.entries(filter)) {
    if (name === 'condition' || name === 'rules') continue;
    ids.set(name, compileSearch(name, def, opts));
  }
  if (typeof filter.condition !== 'string') throw new SigmaError('filter needs a condition (a string)');
  return compileCondition(parseCondition(filter.condition), ids);
}

/** `rule and filter`: the filter's condition is added to the rule's with AND (as pySigma does). */
export function withFilters(rule: CompiledPredicate, filters: CompiledPredicate[]): CompiledPredicate {
  if (filters.length === 0) return rule;
  return allOf([rule, ...filters].map((p, i) => (i === 0 ? p : { match: p.match, clauses: [] })));
}
