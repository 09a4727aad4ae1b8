/**
 * Regular expressions of rules, made safe. Sigma's regex flavour is a small PCRE subset (., ^, $,
 * quantifiers, classes, alternation, groups). A pattern is parsed here and:
 *  - refused when it nests unbounded quantifiers (`(a+)+`, exponential backtracking) or uses
 *    features outside the subset that cannot be bounded (back-references, look-arounds);
 *  - run by V8 on short subjects (fast), and by a linear-time Thompson NFA (Pike VM) on subjects
 *    long enough for polynomial backtracking to hurt — so no value can make a rule hang.
 * Subjects are capped at `maxSubject` characters.
 */
import { Parser, isWordCode, nested, requiredLiterals, unbounded, type CharTest, type Node } from './regex-parse.js';
import { SigmaError } from './types.js';

// Pike VM program.
const CHAR = 0,
  SPLIT = 1,
  JMP = 2,
  ASSERT = 3,
  MATCH = 4;
interface Inst {
  op: number;
  test?: CharTest;
  /** ASCII answers of `test`, precomputed. */
  ascii?: Uint8Array;
  x?: number;
  y?: number;
  kind?: string;
}
const MAX_PROGRAM = 20_000;

function emit(n: Node, prog: Inst[]): void {
  if (prog.length > MAX_PROGRAM) throw new SigmaError('regular expression is too large once repetitions are expanded');
  switch (n.t) {
    case 'char': {
      const ascii = new Uint8Array(128);
      for (let c = 0; c < 128; c++) ascii[c] = n.test(c) ? 1 : 0;
      prog.push({ op: CHAR, test: n.test, ascii });
      return;
    }
    case 'assert':
      prog.push({ op: ASSERT, kind: n.kind });
      return;
    case 'cat':
      for (const x of n.items) emit(x, prog);
      return;
    case 'alt': {
      const jumps: Inst[] = [];
      n.alts.forEach((a, k) => {
        if (k < n.alts.length - 1) {
          const split: Inst = { op: SPLIT, x: prog.length + 1 };
          prog.push(split);
          emit(a, prog);
          const j: Inst = { op: JMP };
          prog.push(j);
          jumps.push(j);
          split.y = prog.length;
        } else emit(a, prog);
      });
      for (const j of jumps) j.x = prog.length;
      return;
    }
    case 'rep': {
      for (let k = 0; k < n.min; k++) emit(n.node, prog);
      if (n.max === Infinity) {
        const split: Inst = { op: SPLIT, x: prog.length + 1 };
        const at = prog.length;
        prog.push(split);
        emit(n.node, prog);
        prog.push({ op: JMP, x: at });
        split.y = prog.length;
      } else {
        const splits: Inst[] = [];
        for (let k = n.min; k < n.max; k++) {
          const split: Inst = { op: SPLIT, x: prog.length + 1 };
          prog.push(split);
          splits.push(split);
          emit(n.node, prog);
        }
        for (const s of splits) s.y = prog.length;
      }
      return;
    }
  }
}

/** Linear-time search: does the program match anywhere in s? */
function pikeSearch(prog: Inst[], s: string, multiline: boolean): boolean {
  const n = s.length;
  const m = prog.length;
  let clist = new Int32Array(m);
  let nlist = new Int32Array(m);
  let cn = 0;
  let nn = 0;
  const mark = new Int32Array(m).fill(-1);
  const stack = new Int32Array(m * 2 + 2);
  let gen = 0;
  const add = (list: Int32Array, len: number, pc0: number, i: number): number => {
    let sp = 0;
    stack[sp++] = pc0;
    while (sp > 0) {
      const pc = stack[--sp]!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      const ins = prog[pc]!;
      switch (ins.op) {
        case MATCH:
          return -1;
        case JMP:
          stack[sp++] = ins.x!;
          break;
        case SPLIT:
          stack[sp++] = ins.y!;
          stack[sp++] = ins.x!;
          break;
        case ASSERT: {
          const prev = i > 0 ? s.charCodeAt(i - 1) : -1;
          const cur = i < n ? s.charCodeAt(i) : -1;
          let ok: boolean;
          if (ins.kind === '^') ok = i === 0 || (multiline && prev === 10);
          else if (ins.kind === '$') ok = i === n || (multiline && cur === 10);
          else {
            const wb = (prev >= 0 && isWordCode(prev)) !== (cur >= 0 && isWordCode(cur));
            ok = ins.kind === 'b' ? wb : !wb;
          }
          if (ok) stack[sp++] = pc + 1;
          break;
        }
        default:
          list[len++] = pc;
      }
    }
    return len;
  };
  for (let i = 0; i <= n; i++) {
    gen++;
    // Threads carried from the previous step were added to clist under the previous generation;
    // re-mark them so a new start thread does not duplicate them.
    for (let k = 0; k < cn; k++) mark[clist[k]!] = gen;
    const len = add(clist, cn, 0, i);
    if (len < 0) return true;
    cn = len;
    if (i === n) break;
    const c = s.charCodeAt(i);
    gen++;
    nn = 0;
    for (let k = 0; k < cn; k++) {
      const ins = prog[clist[k]!]!;
      if (c < 128 ? ins.ascii![c] === 1 : ins.test!(c)) {
        nn = add(nlist, nn, clist[k]! + 1, i + 1);
        if (nn < 0) return true;
      }
    }
    [clist, nlist] = [nlist, clist];
    cn = nn;
  }
  return false;
}

export interface RegexOptions {
  i?: boolean;
  m?: boolean;
  s?: boolean;
  maxSubject: number;
}

export interface SafeRegex {
  test: (subject: string) => boolean;
  /** A literal (lower-cased) that every match contains, for the prefilter; '' if none. */
  literal: string;
}

/** Compiles a rule's regular expression to a safe test, or throws SigmaError with the reason. */
export function compileSafeRegex(pattern: string, opts: RegexOptions): SafeRegex {
  let src = pattern;
  const flags = { i: !!opts.i, m: !!opts.m, s: !!opts.s };
  // PCRE inline flags at the very start, as SigmaHQ rules use them: (?i), (?s), (?im) ...
  const inline = /^\(\?([ims]+)\)/.exec(src);
  if (inline) {
    for (const f of inline[1]!) flags[f as 'i' | 'm' | 's'] = true;
    src = src.slice(inline[0].length);
  }
  if (src.length > 4096) throw new SigmaError('regular expression longer than 4096 characters');
  const ast = new Parser(src, flags).parse();
  const nest = nested(ast);
  if (nest === 'unbounded')
    throw new SigmaError(`regular expression /${pattern}/ nests unbounded quantifiers (catastrophic backtracking)`);
  let native: RegExp;
  try {
    native = new RegExp(
      src.replace(/\(\?P</g, '(?<').replace(/\\[AzZ]/g, (x) => (x === '\\A' ? '^' : '$')),
      `${flags.i ? 'i' : ''}${flags.m ? 'm' : ''}${flags.s ? 's' : ''}`,
    );
  } catch (e) {
    throw new SigmaError(`regular expression /${pattern}/: ${(e as Error).message}`);
  }
  const prog: Inst[] = [];
  emit(ast, prog);
  prog.push({ op: MATCH });
  // Backtracking cost grows like length^(k+1) with k unbounded quantifiers; keep V8 under ~1e7 steps.
  const k = unbounded(ast);
  const fastLimit =
    nest === 'bounded' ? -1 : k === 0 ? opts.maxSubject : Math.max(64, Math.floor(1e7 ** (1 / (k + 1))));
  const max = opts.maxSubject;
  const casedAll = requiredLiterals(ast);
  const cased = casedAll[0] ?? '';
  const literal = cased.toLowerCase();
  const test = (subject: string) => {
    const s = subject.length > max ? subject.slice(0, max) : subject;
    return s.length <= fastLimit ? native.test(s) : pikeSearch(prog, s, flags.m);
  };
  // The literals every match holds, checked first: most subjects are refused without running the pattern.
  if (casedAll.length === 0) return { test, literal };
  if (flags.i) {
    const lits = casedAll.map((l) => l.toLowerCase());
    return {
      test: (x) => {
        const lx = x.toLowerCase();
        for (let i = 0; i < lits.length; i++) if (!lx.includes(lits[i]!)) return false;
        return test(x);
      },
      literal,
    };
  }
  if (casedAll.length === 1) return { test: (x) => x.includes(cased) && test(x), literal };
  return {
    test: (x) => {
      for (let i = 0; i < casedAll.length; i++) if (!x.includes(casedAll[i]!)) return false;
      return test(x);
    },
    literal,
  };
}
