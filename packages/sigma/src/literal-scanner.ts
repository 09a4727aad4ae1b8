/**
 * Aho–Corasick automaton compiled to a dense DFA: finds, in one pass over a string, which of many
 * literals occur in it. The prefilter runs it over an event's fields to pick candidate rules.
 */
import { FOLDED, LOWER, UNSAFE } from './case-fold.js';

/** Literals longer than this are cut to their last WINDOW characters (a substring still must occur). */
export const WINDOW = 12;
/** Non-ASCII code units with a class of their own (the most used in the literals); the others share NA_BUCKETS classes. */
const NA_OWN = 32;
const NA_BUCKETS = 8;

export class LiteralScanner {
  private readonly classOf = new Uint8Array(65536);
  private readonly classes: number;
  private readonly delta: Int32Array;
  private readonly out: number[][];
  private readonly dict: Int32Array;
  readonly states: number;
  /** Per literal: 1 when the scanner reports it only where it is (no character class it uses is shared). */
  readonly exact: Uint8Array;

  /**
   * `literals` are matched as given (lower-case them first for case-insensitive use), except that
   * beyond the NA_OWN non-ASCII code units the literals use most, non-ASCII code units share
   * NA_BUCKETS classes (by code % NA_BUCKETS): the scanner may then report a literal that is not
   * there (a prefilter may over-report), never miss one, and its table stays small. Text such as
   * Chinese does not wake literals made of other scripts' or emoji code units that have classes
   * of their own.
   */
  constructor(literals: readonly string[]) {
    let nextClass = 1;
    const naUse = new Map<number, number>();
    for (const lit of literals) {
      const seen = new Set<number>();
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (c >= 128) seen.add(c);
        else if (this.classOf[c] === 0) this.classOf[c] = nextClass++;
      }
      for (const c of seen) naUse.set(c, (naUse.get(c) ?? 0) + 1);
    }
    const byUse = [...naUse].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c);
    if (byUse.length > NA_OWN) {
      const base = nextClass;
      nextClass += NA_BUCKETS;
      for (let c = 128; c < 65536; c++) this.classOf[c] = base + (c % NA_BUCKETS);
    }
    const shared = new Set(byUse.slice(NA_OWN));
    for (const c of byUse.slice(0, NA_OWN)) this.classOf[c] = nextClass++;
    // Upper case scans as lower case (case-fold.ts): values need not be lower-cased first.
    for (const c of FOLDED) this.classOf[c] = this.classOf[LOWER[c]!]!;
    this.classes = nextClass;
    this.exact = Uint8Array.from(literals, (lit) => {
      for (let i = 0; i < lit.length; i++) if (shared.has(lit.charCodeAt(i))) return 0;
      return 1;
    });
    const C = nextClass;
    // Trie.
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    literals.forEach((lit, id) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const cls = this.classOf[lit.charCodeAt(i)]!;
        let t = children[s]!.get(cls);
        if (t === undefined) {
          t = children.length;
          children.push(new Map());
          own.push([]);
          children[s]!.set(cls, t);
        }
        s = t;
      }
      own[s]!.push(id);
    });
    const n = children.length;
    this.states = n;
    const delta = new Int32Array(n * C);
    const fail = new Int32Array(n);
    const dict = new Int32Array(n).fill(-1);
    // Breadth-first: each state's transitions are its children, else its fail state's.
    const queue: number[] = [];
    for (let cls = 0; cls < C; cls++) {
      const t = children[0]!.get(cls);
      if (t !== undefined) {
        delta[cls] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      dict[s] = own[f]!.length ? f : dict[f]!;
      for (let cls = 0; cls < C; cls++) {
        const t = children[s]!.get(cls);
        if (t !== undefined) {
          fail[t] = delta[f * C + cls]!;
          delta[s * C + cls] = t;
          queue.push(t);
        } else delta[s * C + cls] = delta[f * C + cls]!;
      }
    }
    // States renumbered in breadth-first order: the shallow states, where a scan spends most of
    // its time, share a small, cache-friendly part of the table.
    const order = [0, ...queue];
    const id = new Int32Array(n);
    for (let k = 0; k < order.length; k++) id[order[k]!] = k;
    // Entries hold the next state's row offset (state * C), bitwise-negated when a literal ends there:
    // the scan does one load per character and tests the sign.
    const hasOut = (old: number) => own[old]!.length > 0 || dict[old]! >= 0;
    const bfsDelta = new Int32Array(n * C);
    const bfsDict = new Int32Array(n);
    const bfsOut: number[][] = new Array<number[]>(n);
    for (let k = 0; k < n; k++) {
      const old = order[k]!;
      for (let cls = 0; cls < C; cls++) {
        const t = delta[old * C + cls]!;
        bfsDelta[k * C + cls] = hasOut(t) ? ~(id[t]! * C) : id[t]! * C;
      }
      bfsDict[k] = dict[old]! >= 0 ? id[dict[old]!]! : -1;
      bfsOut[k] = own[old]!;
    }
    if (n * C >= 2 ** 31) throw new RangeError('literal scanner table too large');
    this.delta = bfsDelta;
    this.out = bfsOut;
    this.dict = bfsDict;
  }

  /**
   * Calls `hit(id)` for every occurrence of every literal in `text` (an id may repeat), which is
   * read as if lower-cased. With `fold`, gives up (false) at a code unit that does not lower-case
   * on its own (case-fold.ts UNSAFE): the caller scans the value lower-cased whole instead.
   */
  scan(text: string, hit: (id: number) => void, fold: boolean): boolean {
    const { classOf, delta, classes: C, out, dict } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (fold && c >= 0x130 && UNSAFE[c] === 1) return false;
      s = delta[s + classOf[c]!]!;
      if (s < 0) {
        s = ~s;
        for (let t = s / C; t >= 0; t = dict[t]!) {
          const ids = out[t]!;
          for (let k = 0; k < ids.length; k++) hit(ids[k]!);
        }
      }
    }
    return true;
  }
}

/** The part of a literal the scanner looks for. */
export const window = (lit: string): string => (lit.length > WINDOW ? lit.slice(lit.length - WINDOW) : lit);
