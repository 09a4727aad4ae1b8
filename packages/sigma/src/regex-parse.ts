/** Parser and static analysis of the Sigma regular-expression subset (see safe-regex.ts). */
import { SigmaError } from './types.js';

export type CharTest = (c: number) => boolean;
export type Node =
  | { t: 'alt'; alts: Node[] }
  | { t: 'cat'; items: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'char'; test: CharTest; lit?: number }
  | { t: 'assert'; kind: '^' | '$' | 'b' | 'B' };

export const isWordCode = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpaceCode = (c: number) =>
  (c >= 9 && c <= 13) ||
  c === 32 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
const isDigitCode = (c: number) => c >= 48 && c <= 57;

export class Parser {
  i = 0;
  groups = 0;
  constructor(
    readonly src: string,
    readonly flags: { i: boolean; s: boolean },
  ) {}
  fail(why: string): never {
    throw new SigmaError(`regular expression /${this.src}/: ${why}`);
  }
  parse(): Node {
    const n = this.alt();
    if (this.i < this.src.length) this.fail(`unbalanced ')' at ${this.i}`);
    return n;
  }
  alt(): Node {
    const alts = [this.cat()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.cat());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }
  cat(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') items.push(this.repeat());
    return { t: 'cat', items };
  }
  repeat(): Node {
    let node = this.atom();
    for (;;) {
      const c = this.src[this.i];
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
        if (!m) return node; // a literal '{', as JavaScript reads it
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (max < min) this.fail('quantifier range out of order');
        if (min > 1000 || (max !== Infinity && max > 1000)) this.fail('counted repetition above 1000');
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      if (this.src[this.i] === '?')
        this.i++; // lazy: same language, same answer for a test
      else if (this.src[this.i] === '+') this.fail('possessive quantifiers are not supported');
      if (node.t === 'assert') this.fail('quantifier on an anchor');
      node = { t: 'rep', node, min, max };
    }
  }
  atom(): Node {
    const c = this.src[this.i]!;
    this.i++;
    switch (c) {
      case '(': {
        if (this.src[this.i] === '?') {
          const rest = this.src.slice(this.i);
          const named = /^\?P?<([A-Za-z_]\w*)>/.exec(rest);
          if (rest.startsWith('?:')) this.i += 2;
          else if (named) this.i += named[0].length;
          else this.fail('look-arounds and inline flags inside the pattern are not supported');
        }
        this.groups++;
        const inner = this.alt();
        if (this.src[this.i] !== ')') this.fail("missing ')'");
        this.i++;
        return inner;
      }
      case '.':
        return {
          t: 'char',
          test: this.flags.s ? () => true : (x) => x !== 10 && x !== 13 && x !== 0x2028 && x !== 0x2029,
        };
      case '^':
        return { t: 'assert', kind: '^' };
      case '$':
        return { t: 'assert', kind: '$' };
      case '[':
        return this.cls();
      case '\\':
        return this.escape(false) as Node;
      case ')':
        return this.fail("unbalanced ')'");
      case '*':
      case '+':
      case '?':
        return this.fail(`nothing to repeat at ${this.i - 1}`);
      default:
        return this.literal(c.charCodeAt(0));
    }
  }
  literal(code: number): Node {
    return { t: 'char', test: this.caseTest((x) => x === code), lit: code };
  }
  caseTest(t: CharTest): CharTest {
    if (!this.flags.i) return t;
    return (x) => {
      if (t(x)) return true;
      const ch = String.fromCharCode(x);
      const lo = ch.toLowerCase().charCodeAt(0);
      const up = ch.toUpperCase().charCodeAt(0);
      return (lo !== x && t(lo)) || (up !== x && t(up));
    };
  }
  /** An escape; inside a class returns a CharTest (or a code point), else a Node. */
  escape(inClass: boolean): Node | CharTest | number {
    const c = this.src[this.i];
    if (c === undefined) this.fail('trailing backslash');
    this.i++;
    const cls = (t: CharTest): Node | CharTest => (inClass ? t : { t: 'char', test: t });
    switch (c) {
      case 'd':
        return cls(isDigitCode);
      case 'D':
        return cls((x) => !isDigitCode(x));
      case 'w':
        return cls(isWordCode);
      case 'W':
        return cls((x) => !isWordCode(x));
      case 's':
        return cls(isSpaceCode);
      case 'S':
        return cls((x) => !isSpaceCode(x));
      case 'b':
        return inClass ? 8 : { t: 'assert', kind: 'b' };
      case 'B':
        return inClass ? this.fail('\\B in a class') : { t: 'assert', kind: 'B' };
      case 'A':
        return inClass ? 65 : { t: 'assert', kind: '^' };
      case 'Z':
      case 'z':
        return inClass ? c.charCodeAt(0) : { t: 'assert', kind: '$' };
      case 't':
        return this.code(9, inClass);
      case 'n':
        return this.code(10, inClass);
      case 'r':
        return this.code(13, inClass);
      case 'f':
        return this.code(12, inClass);
      case 'v':
        return this.code(11, inClass);
      case '0':
        return this.code(0, inClass);
      case 'x':
      case 'u': {
        const len = c === 'x' ? 2 : 4;
        const hex = this.src.slice(this.i, this.i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return this.code(c.charCodeAt(0), inClass);
        this.i += len;
        return this.code(parseInt(hex, 16), inClass);
      }
      default:
        if (/[1-9]/.test(c)) this.fail('back-references are not supported');
        if (/[a-zA-Z]/.test(c) && !inClass && !'cpPk'.includes(c)) return this.code(c.charCodeAt(0), inClass);
        if ('cpPk'.includes(c)) this.fail(`\\${c} is not supported`);
        return this.code(c.charCodeAt(0), inClass);
    }
  }
  code(n: number, inClass: boolean): Node | number {
    return inClass ? n : this.literal(n);
  }
  cls(): Node {
    let negate = false;
    if (this.src[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const tests: CharTest[] = [];
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false;
      let lo: number | CharTest;
      if (this.src[this.i] === '\\') {
        this.i++;
        lo = this.escape(true) as number | CharTest;
      } else lo = this.src.charCodeAt(this.i++);
      if (
        typeof lo === 'number' &&
        this.src[this.i] === '-' &&
        this.src[this.i + 1] !== ']' &&
        this.i + 1 < this.src.length
      ) {
        this.i++;
        let hi: number | CharTest;
        if (this.src[this.i] === '\\') {
          this.i++;
          hi = this.escape(true) as number | CharTest;
        } else hi = this.src.charCodeAt(this.i++);
        if (typeof hi !== 'number') {
          const l = lo;
          tests.push(
            (x) => x === l,
            hi,
            (x) => x === 45,
          );
        } else {
          if (hi < lo) this.fail('character class range out of order');
          const [a, b] = [lo, hi];
          tests.push((x) => x >= a && x <= b);
        }
      } else if (typeof lo === 'number') {
        const l = lo;
        tests.push((x) => x === l);
      } else tests.push(lo);
    }
    if (this.src[this.i] !== ']') this.fail("missing ']'");
    this.i++;
    const any = this.caseTest((x) => tests.some((t) => t(x)));
    return { t: 'char', test: negate ? (x) => !any(x) : any };
  }
}

/** Can the node match strings of more than one length (so an enclosing repeat can backtrack)? */
function variable(n: Node): boolean {
  switch (n.t) {
    case 'char':
    case 'assert':
      return false;
    case 'rep':
      return n.min !== n.max || variable(n.node);
    case 'cat':
      return n.items.some(variable);
    case 'alt':
      return n.alts.some(variable) || n.alts.length > 1;
  }
}

/**
 * Exponential backtracking needs a repeat around a body of variable length that may run long:
 * 'unbounded' when the outer repeat is unbounded (`(a+)+`, `(.*x)*`: refused), 'bounded' when it
 * is counted (`(\w+\s?){2,20}`: only run by the linear-time engine).
 */
export function nested(n: Node): 'unbounded' | 'bounded' | null {
  switch (n.t) {
    case 'rep': {
      if (n.max > 1 && variable(n.node) && canBeLong(n.node))
        return n.max === Infinity ? 'unbounded' : (nested(n.node) ?? 'bounded');
      return nested(n.node);
    }
    case 'cat':
    case 'alt': {
      let worst: 'unbounded' | 'bounded' | null = null;
      for (const x of n.t === 'cat' ? n.items : n.alts) {
        const r = nested(x);
        if (r === 'unbounded') return r;
        worst = worst ?? r;
      }
      return worst;
    }
    default:
      return null;
  }
}
function canBeLong(n: Node): boolean {
  switch (n.t) {
    case 'rep':
      return n.max === Infinity || n.max > 1 || canBeLong(n.node);
    case 'cat':
      return n.items.some(canBeLong) || n.items.length > 1;
    case 'alt':
      return n.alts.some(canBeLong);
    default:
      return false;
  }
}
export function unbounded(n: Node): number {
  switch (n.t) {
    case 'rep':
      return (n.max === Infinity ? 1 : 0) + unbounded(n.node);
    case 'cat':
      return n.items.reduce((a, x) => a + unbounded(x), 0);
    case 'alt':
      return n.alts.reduce((a, x) => a + unbounded(x), 0);
    default:
      return 0;
  }
}

/** The runs of literal characters every match contains, longest first (none: empty). */
export function requiredLiterals(n: Node): string[] {
  const runs = new Set<string>();
  const consider = (s: string) => {
    if (s) runs.add(s);
  };
  const walk = (node: Node): void => {
    if (node.t === 'cat') {
      let run = '';
      for (const x of node.items) {
        if (x.t === 'char' && x.lit !== undefined) run += String.fromCharCode(x.lit);
        else {
          consider(run);
          run = '';
          if (x.t === 'cat' || (x.t === 'rep' && x.min >= 1)) walk(x);
          else if (x.t === 'assert') continue;
        }
      }
      consider(run);
    } else if (node.t === 'rep' && node.min >= 1) walk(node.node);
    else if (node.t === 'char' && node.lit !== undefined) consider(String.fromCharCode(node.lit));
  };
  walk(n);
  return [...runs].sort((a, b) => b.length - a.length);
}
