/**
 * One detection item (`Field|mod1|mod2: value(s)`, or a keyword list) compiled to a matcher and
 * its prefilter atoms. Modifier semantics follow the Sigma v2.1 modifiers appendix and pySigma.
 */
import { eventKey, readField, readKey, allStrings, timePart } from './field-access.js';
import { andClauses, clausesOf } from './atoms.js';
import { compileSafeRegex } from './safe-regex.js';
import { plan, transform, type Plan } from './modifier-plan.js';
import {
  compileStringTest,
  expandPlaceholders,
  hasPlaceholders,
  parseSigmaString,
  requiredAtom,
  type SigmaStr,
} from './sigma-string.js';
import {
  SigmaError,
  type Atom,
  type AtomKind,
  type CompileOptions,
  type CompiledPredicate,
  type Matcher,
} from './types.js';
import { cidrTest, compareTest, stringValueTest, toNumber, type ValueTest } from './value-tests.js';

/** Applies a value test to a field value; lists in events match when any element matches. */
function fieldMatcher(field: string, test: ValueTest): Matcher {
  return (ctx) => {
    const key = eventKey(ctx, field);
    const v = readKey(ctx.fields, key);
    if (v === undefined) return false;
    if (Array.isArray(v)) {
      for (const x of v) if (test(x, ctx, '')) return true;
      return false;
    }
    return test(v, ctx, key);
  };
}

interface ValueCompiled {
  test: ValueTest;
  /** Literals, one of which must occur (where `kind` says) for this value to match; null when none is required. */
  literals: { literal: string; kind: AtomKind }[] | null;
  /** Matches when the field is absent (null values). */
  matchesMissing: boolean;
}

function compileStringValue(raw: string, p: Plan, opts: CompileOptions): ValueCompiled {
  let vals: SigmaStr[] = [parseSigmaString(raw, p.expand)];
  for (const m of p.transforms) vals = transform(vals, m);
  if (p.expand) vals = vals.flatMap((s) => expandPlaceholders(s, opts.placeholders));
  else if (vals.some(hasPlaceholders)) throw new SigmaError('placeholder without expand');
  const tests = vals.map((s) => compileStringTest(s, p.cased));
  const lits = vals.map(requiredAtom);
  return {
    test: stringValueTest(tests, p.cased),
    literals: lits.every((l) => l.literal.length > 0) ? lits : null,
    matchesMissing: false,
  };
}

function compileValue(value: unknown, p: Plan, opts: CompileOptions): ValueCompiled {
  switch (p.kind) {
    case 'plain':
      if (value === null) {
        if (p.transforms.length) throw new SigmaError('string modifiers cannot apply to null');
        return { test: (v) => v === null, literals: null, matchesMissing: true };
      }
      if (typeof value === 'boolean' && p.transforms.length === 0) {
        const s = String(value);
        return {
          test: (v) => v === value || (typeof v === 'string' && v.toLowerCase() === s),
          literals: null,
          matchesMissing: false,
        };
      }
      if (typeof value === 'number' && p.transforms.length === 0 && !p.expand) {
        const s = String(value);
        return {
          test: (v) => (typeof v === 'number' ? v === value : typeof v === 'string' && v.trim() === s),
          literals: [{ literal: s, kind: 'contains' }],
          matchesMissing: false,
        };
      }
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        if (value === '' && p.transforms.length === 0)
          return { test: (v) => v === '' || v === null, literals: null, matchesMissing: false };
        return compileStringValue(String(value), p, opts);
      }
      throw new SigmaError(`value ${JSON.stringify(value)} is not a string, number, boolean or null`);
    case 're': {
      if (typeof value !== 'string')
        throw new SigmaError(`regular expression ${JSON.stringify(value)} is not a string`);
      const { test: re, literal } = compileSafeRegex(value, { ...p.reFlags, maxSubject: opts.maxRegexSubject });
      return {
        test: (v) => (typeof v === 'string' ? re(v) : typeof v === 'number' ? re(String(v)) : false),
        literals: literal.length >= 1 ? [{ literal, kind: 'contains' }] : null,
        matchesMissing: false,
      };
    }
    case 'cidr':
      return { test: cidrTest(value), literals: null, matchesMissing: false };
    case 'compare':
    case 'time': {
      const n = typeof value === 'number' ? value : toNumber(value);
      if (n === undefined)
        throw new SigmaError(`${p.compare ?? p.timePart} needs a number, not ${JSON.stringify(value)}`);
      const cmp = compareTest(p.compare ?? 'eq', n);
      const part = p.timePart;
      if (part)
        return {
          test: (v) => {
            const x = timePart(v, part);
            return x !== undefined && cmp(x);
          },
          literals: null,
          matchesMissing: false,
        };
      return {
        test: (v) => {
          const x = toNumber(v);
          return x !== undefined && cmp(x);
        },
        literals: null,
        matchesMissing: false,
      };
    }
    case 'fieldref': {
      if (typeof value !== 'string' || /[*?]/.test(value))
        throw new SigmaError('fieldref needs a field name without wildcards');
      const other = value;
      const { start, end } = p.fieldrefMode;
      const cased = p.cased;
      return {
        test: (v, ctx) => {
          const o = readField(ctx, other);
          const a = typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
          const b = typeof o === 'string' || typeof o === 'number' ? String(o) : undefined;
          if (a === undefined || b === undefined) return false;
          const x = cased ? a : a.toLowerCase();
          const y = cased ? b : b.toLowerCase();
          if (start && end) return x.includes(y);
          if (start) return x.endsWith(y);
          if (end) return x.startsWith(y);
          return x === y;
        },
        literals: null,
        matchesMissing: false,
      };
    }
    default:
      throw new SigmaError(`modifier kind ${p.kind} has no values`);
  }
}

/**
 * Compiles `field|modifiers: values`. `field` null is a keyword search (values matched, as
 * substrings, against every string value of the event).
 */
export function compileItem(
  field: string | null,
  mods: string[],
  rawValue: unknown,
  opts: CompileOptions,
): CompiledPredicate {
  const p = plan(mods);
  const values = Array.isArray(rawValue) ? rawValue : [rawValue];
  if (values.length === 0) throw new SigmaError(`${field ?? 'keywords'}: empty value list`);
  if (p.kind === 'exists') {
    if (field === null) throw new SigmaError('exists needs a field');
    if (values.length !== 1 || typeof values[0] !== 'boolean') throw new SigmaError('exists needs true or false');
    const want = values[0];
    const f = field;
    return { match: (ctx) => (readField(ctx, f) !== undefined) === want, clauses: [] };
  }
  if (field === null) {
    if (p.kind !== 'plain') throw new SigmaError(`keyword searches cannot use "${p.kind}"`);
    // Keywords are substring searches.
    const kp: Plan = {
      ...p,
      transforms: p.transforms.includes('contains') ? p.transforms : [...p.transforms, 'contains'],
    };
    const compiled = values.map((v) => {
      if (v === null || typeof v === 'object') throw new SigmaError('keywords must be strings or numbers');
      return compileStringValue(String(v), kp, opts);
    });
    const one =
      (c: ValueCompiled): Matcher =>
      (ctx) => {
        for (const s of allStrings(ctx)) if (c.test(s, ctx, '')) return true;
        return false;
      };
    const ms = compiled.map(one);
    const match = combine(ms, p.all);
    return {
      match: p.negate ? (ctx) => !match(ctx) : match,
      clauses: p.negate ? [] : clausesOfValues(compiled, null, p.all),
    };
  }
  const compiled = values.map((v) => {
    if (Array.isArray(v) || (v !== null && typeof v === 'object'))
      throw new SigmaError(`${field}: a value cannot be a list or map`);
    return compileValue(v, p, opts);
  });
  const f = field;
  const ms = compiled.map((c): Matcher => {
    const fm = fieldMatcher(f, c.test);
    if (!c.matchesMissing) return fm;
    return (ctx) => readField(ctx, f) === undefined || fm(ctx);
  });
  const match = ms.length > 4 && !p.all ? fastAny(compiled, f, ms) : combine(ms, p.all);
  return {
    match: p.negate ? (ctx) => !match(ctx) : match,
    clauses: p.negate ? [] : clausesOfValues(compiled, f, p.all),
  };
}

/** OR over many values: read and lower-case the field once, then try each value test. */
function fastAny(compiled: ValueCompiled[], field: string, ms: Matcher[]): Matcher {
  if (compiled.some((c) => c.matchesMissing)) return combine(ms, false);
  const tests = compiled.map((c) => c.test);
  return (ctx) => {
    const key = eventKey(ctx, field);
    const v = readKey(ctx.fields, key);
    if (v === undefined) return false;
    if (Array.isArray(v)) {
      for (const x of v) for (const t of tests) if (t(x, ctx, '')) return true;
      return false;
    }
    for (const t of tests) if (t(v, ctx, key)) return true;
    return false;
  };
}

function combine(ms: Matcher[], all: boolean): Matcher {
  if (ms.length === 1) return ms[0]!;
  if (all)
    return (ctx) => {
      for (const m of ms) if (!m(ctx)) return false;
      return true;
    };
  return (ctx) => {
    for (const m of ms) if (m(ctx)) return true;
    return false;
  };
}

/** The prefilter clauses of an item: with `all`, one per value (each must match); else one, any value. */
function clausesOfValues(compiled: ValueCompiled[], field: string | null, all: boolean): Atom[][] {
  const clause = (c: ValueCompiled): Atom[] | null =>
    c.literals ? c.literals.map(({ literal, kind }) => ({ field, literal, kind })) : null;
  if (all) return andClauses(compiled.map((c) => clausesOf(clause(c))));
  const out: Atom[] = [];
  for (const c of compiled) {
    const cl = clause(c);
    if (!cl) return [];
    out.push(...cl);
  }
  return [out];
}
