/**
 * Aho–Corasick automaton compiled to a dense DFA: finds, in one pass over a string, which of many
 * literals occur in it. The prefilter runs it over an event's fields to pick candidate rules.
 */

/** Literals longer than this are cut to their last WINDOW characters (a substring still must occur). */
export const WINDOW = 12;

export class LiteralScanner {
  private readonly classOf = new Uint8Array(65536);
  private readonly classes: number;
  private readonly delta: Int32Array;
  private readonly out: number[][];
  private readonly dict: Int32Array;
  private readonly hasOut: Uint8Array;
  readonly states: number;

  /**
   * `literals` are matched as given (lower-case them first for case-insensitive use), except that
   * all non-ASCII characters count as one: the scanner may report a literal with non-ASCII
   * characters that is not there (a prefilter may over-report), never miss one, and its table
   * stays small.
   */
  constructor(literals: readonly string[]) {
    let nextClass = 1;
    let nonAscii = 0;
    for (const lit of literals) for (let i = 0; i < lit.length; i++) {
      const c = lit.charCodeAt(i);
      if (c >= 128) {
        if (nonAscii === 0) nonAscii = nextClass++;
      } else if (this.classOf[c] === 0) this.classOf[c] = nextClass++;
    }
    if (nonAscii) this.classOf.fill(nonAscii, 128);
    this.classes = nextClass;
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
    this.delta = delta;
    this.out = own;
    this.dict = dict;
    this.hasOut = new Uint8Array(n);
    for (let s = 0; s < n; s++) if (own[s]!.length || dict[s]! >= 0) this.hasOut[s] = 1;
  }

  /** Calls `hit(id)` for every occurrence of every literal in `text` (an id may repeat). */
  scan(text: string, hit: (id: number) => void): void {
    const { classOf, delta, classes: C, hasOut, out, dict } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = delta[s * C + classOf[text.charCodeAt(i)]!]!;
      if (hasOut[s] === 1) {
        for (let t = s; t >= 0; t = dict[t]!) {
          const ids = out[t]!;
          for (let k = 0; k < ids.length; k++) hit(ids[k]!);
        }
      }
    }
  }
}

/** The part of a literal the scanner looks for. */
export const window = (lit: string): string => (lit.length > WINDOW ? lit.slice(lit.length - WINDOW) : lit);
