/**
 * The Sigma condition language: a tokenizer and a recursive-descent parser producing an AST,
 * and its compilation over the rule's search identifiers.
 * Precedence, loosest first: or, and, not, `x of`, brackets.
 */
import { andClauses, orClauses } from './atoms.js';
import { SigmaError, type CompiledPredicate, type Matcher } from './types.js';

export type CondNode =
  | { t: 'id'; name: string }
  | { t: 'of'; count: number | 'all'; pattern: string }
  | { t: 'and' | 'or'; items: CondNode[] }
  | { t: 'not'; item: CondNode };

type Tok = { k: '(' | ')' | 'and' | 'or' | 'not' | 'of' | 'word'; v: string; at: number };

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(\()|(\))|(\|)|([^\s()|]+))/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    m = re.exec(src);
    if (!m || m[0].length === 0) break;
    const at = pos + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').length;
    pos = re.lastIndex;
    if (m[1]) out.push({ k: '(', v: '(', at });
    else if (m[2]) out.push({ k: ')', v: ')', at });
    else if (m[3])
      throw new SigmaError('aggregations in the condition (`| count() ...`) are obsolete; use a correlation rule');
    else if (m[4]) {
      const w = m[4];
      const lw = w.toLowerCase();
      if (lw === 'and' || lw === 'or' || lw === 'not' || lw === 'of') out.push({ k: lw, v: w, at });
      else if (lw === 'near') throw new SigmaError('the `near` operator is obsolete; use a temporal correlation rule');
      else out.push({ k: 'word', v: w, at });
    }
  }
  if (src.slice(pos).trim() !== '') throw new SigmaError(`cannot read the condition at "${src.slice(pos)}"`);
  return out;
}

/** Parses one condition string to an AST, or throws SigmaError naming the position. */
export function parseCondition(src: string): CondNode {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const fail = (why: string): never => {
    const t = toks[i];
    throw new SigmaError(`condition "${src}": ${why}${t ? ` at "${t.v}" (column ${t.at + 1})` : ' at the end'}`);
  };
  const expr = (): CondNode => {
    const items = [and()];
    while (peek()?.k === 'or') {
      i++;
      items.push(and());
    }
    return items.length === 1 ? items[0]! : { t: 'or', items };
  };
  const and = (): CondNode => {
    const items = [unary()];
    while (peek()?.k === 'and') {
      i++;
      items.push(unary());
    }
    return items.length === 1 ? items[0]! : { t: 'and', items };
  };
  const unary = (): CondNode => {
    if (peek()?.k === 'not') {
      i++;
      return { t: 'not', item: unary() };
    }
    return primary();
  };
  const primary = (): CondNode => {
    const t = peek();
    if (!t) return fail('expected a search identifier');
    if (t.k === '(') {
      i++;
      const e = expr();
      if (peek()?.k !== ')') fail("expected ')'");
      i++;
      return e;
    }
    if (t.k !== 'word') return fail('expected a search identifier');
    i++;
    if (peek()?.k === 'of') {
      const q = t.v.toLowerCase();
      let count: number | 'all';
      if (q === 'all') count = 'all';
      else if (q === 'any') count = 1;
      else if (/^[1-9]\d*$/.test(q)) count = Number(q);
      else return fail('expected 1, any or all before "of"');
      i++;
      const target = peek();
      if (target?.k !== 'word') return fail('expected an identifier pattern or "them" after "of"');
      i++;
      return { t: 'of', count, pattern: target.v };
    }
    return { t: 'id', name: t.v };
  };
  if (toks.length === 0) throw new SigmaError('empty condition');
  const ast = expr();
  if (i < toks.length) fail('unexpected token');
  return ast;
}

const patternRegex = (p: string) =>
  new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

/** Compiles an AST over compiled search identifiers. */
export function compileCondition(ast: CondNode, ids: ReadonlyMap<string, CompiledPredicate>): CompiledPredicate {
  switch (ast.t) {
    case 'id': {
      const p = ids.get(ast.name);
      if (!p) throw new SigmaError(`condition names "${ast.name}", which is not a search identifier of the rule`);
      return p;
    }
    case 'not': {
      const inner = compileCondition(ast.item, ids).match;
      return { match: (ctx) => !inner(ctx), clauses: [] };
    }
    case 'and':
    case 'or':
      return junction(
        ast.t,
        ast.items.map((x) => compileCondition(x, ids)),
      );
    case 'of': {
      const names = [...ids.keys()].filter((n) =>
        ast.pattern.toLowerCase() === 'them' ? !n.startsWith('_') : patternRegex(ast.pattern).test(n),
      );
      if (names.length === 0) throw new SigmaError(`"${ast.count} of ${ast.pattern}" matches no search identifier`);
      const parts = names.map((n) => ids.get(n)!);
      if (ast.count === 'all') return junction('and', parts);
      if (ast.count === 1) return junction('or', parts);
      const need = ast.count;
      if (need > parts.length)
        throw new SigmaError(`"${need} of ${ast.pattern}" needs more identifiers than the ${parts.length} it matches`);
      const ms = parts.map((x) => x.match);
      return {
        match: (ctx) => {
          let n = 0;
          for (const m of ms) if (m(ctx) && ++n >= need) return true;
          return false;
        },
        // At least one part holds.
        clauses: orClauses(parts.map((x) => x.clauses)),
      };
    }
  }
}

function junction(kind: 'and' | 'or', parts: CompiledPredicate[]): CompiledPredicate {
  const ms: Matcher[] = parts.map((p) => p.match);
  let match: Matcher;
  if (ms.length === 1) match = ms[0]!;
  else if (ms.length === 2) {
    const [a, b] = ms as [Matcher, Matcher];
    match = kind === 'and' ? (ctx) => a(ctx) && b(ctx) : (ctx) => a(ctx) || b(ctx);
  } else if (kind === 'and')
    match = (ctx) => {
      for (const m of ms) if (!m(ctx)) return false;
      return true;
    };
  else
    match = (ctx) => {
      for (const m of ms) if (m(ctx)) return true;
      return false;
    };
  return {
    match,
    clauses: kind === 'and' ? andClauses(parts.map((p) => p.clauses)) : orClauses(parts.map((p) => p.clauses)),
  };
}
