/**
 * The prefilter's index of one event field: the literals rules need in that field, by where they
 * must stand — its start or the whole value (a trie walked from the start), its end (a trie walked
 * from the end), or anywhere (an Aho–Corasick scanner over this field's literals only). A lookup
 * reports the rule slots whose literal is there; it may over-report (never miss), the rules decide.
 * Literals are lower-case; values are read as they are and lower-cased a code unit at a time
 * (case-fold.ts), or lower-cased whole when they hold a code unit that cannot be.
 */
import { LOWER, UNSAFE } from './case-fold.js';
import { LiteralScanner, window } from './literal-scanner.js';
import type { AtomKind } from './types.js';

/** A trie node over character codes; `slots` set where a literal ends, `whole` where a whole-value literal ends. */
interface TrieNode {
  next: Map<number, TrieNode> | null;
  slots: Int32Array | null;
  whole: Int32Array | null;
}

const newNode = (): TrieNode => ({ next: null, slots: null, whole: null });

class Trie {
  readonly root = newNode();
  private readonly pending = new Map<TrieNode, number[]>();
  private readonly pendingWhole = new Map<TrieNode, number[]>();

  add(lit: string, slot: number, reverse: boolean, whole = false): void {
    let n = this.root;
    for (let k = 0; k < lit.length; k++) {
      const c = lit.charCodeAt(reverse ? lit.length - 1 - k : k);
      n.next ??= new Map();
      let t = n.next.get(c);
      if (t === undefined) {
        t = newNode();
        n.next.set(c, t);
      }
      n = t;
    }
    const into = whole ? this.pendingWhole : this.pending;
    const list = into.get(n) ?? [];
    list.push(slot);
    into.set(n, list);
  }

  seal(): void {
    for (const [n, list] of this.pending) n.slots = Int32Array.from(new Set(list));
    for (const [n, list] of this.pendingWhole) n.whole = Int32Array.from(new Set(list));
    this.pending.clear();
    this.pendingWhole.clear();
  }
}

/** Receives the rule slots a lookup found. */
export type SlotSink = (slots: Int32Array) => void;

/** Values remembered per field at most; a field whose values repeat less than half the time stops remembering. */
const MEMO_SIZE = 4096;
const EMPTY = new Int32Array(0);

export class FieldIndex {
  private readonly prefix = new Trie();
  private readonly suffix = new Trie();
  private hasPrefix = false;
  private hasSuffix = false;
  private readonly containsLits = new Map<string, number[]>();
  private scanner: LiteralScanner | null = null;
  private scanSlots: Int32Array[] = [];
  private scanLits: string[] = [];
  /** Literal ids already reported for the current value (scanner hits repeat). */
  private seen = new Uint32Array(0);
  private epoch = 0;
  private sink: SlotSink = () => {};
  /** The value being looked up, and its lower-cased form once needed. */
  private text = '';
  private lowered: string | null = null;
  /**
   * What lookups of recent values found (many fields — Image, Company, ParentImage ... — take few
   * distinct values): a repeated value costs one hash lookup. Null once it stopped paying.
   */
  private memo: Map<string, Int32Array> | null = new Map();
  private memoHits = 0;
  private found: number[] = [];
  private outer: SlotSink = () => {};
  private readonly collect: SlotSink = (slots) => {
    for (let i = 0; i < slots.length; i++) this.found.push(slots[i]!);
    this.outer(slots);
  };
  private readonly onHit = (id: number): void => {
    if (this.seen[id] === this.epoch) return;
    this.seen[id] = this.epoch;
    // A literal whose characters share scanner classes with others may be reported where it is not.
    if (this.scanner!.exact[id] === 0 && !this.lowerCased().includes(this.scanLits[id]!)) return;
    this.sink(this.scanSlots[id]!);
  };

  add(literal: string, kind: AtomKind, slot: number): void {
    switch (kind) {
      case 'exact':
        this.prefix.add(literal, slot, false, true);
        this.hasPrefix = true;
        return;
      case 'prefix':
        this.prefix.add(literal, slot, false);
        this.hasPrefix = true;
        return;
      case 'suffix':
        this.suffix.add(literal, slot, true);
        this.hasSuffix = true;
        return;
      default: {
        const w = window(literal);
        this.containsLits.set(w, [...(this.containsLits.get(w) ?? []), slot]);
      }
    }
  }

  /** Builds the lookup structures once every literal is added. */
  seal(): void {
    this.prefix.seal();
    this.suffix.seal();
    if (this.containsLits.size) {
      const lits = [...this.containsLits.keys()];
      this.scanner = new LiteralScanner(lits);
      this.scanLits = lits;
      this.scanSlots = lits.map((l) => Int32Array.from(new Set(this.containsLits.get(l)!)));
      this.seen = new Uint32Array(lits.length);
    }
  }

  /** States of the contains scanner (figures for tests and benchmarks). */
  get states(): number {
    return this.scanner?.states ?? 0;
  }

  /** Reports to `sink` the slots of every literal found in `value` (as it is: lower-casing is done here). */
  lookup(value: string, sink: SlotSink): void {
    const memo = this.memo;
    if (memo !== null) {
      const known = memo.get(value);
      if (known !== undefined) {
        this.memoHits++;
        if (known.length) sink(known);
        return;
      }
      if (memo.size >= MEMO_SIZE) {
        if (this.memoHits < MEMO_SIZE) this.memo = null;
        else memo.clear();
        this.memoHits = 0;
      }
    }
    this.text = value;
    this.lowered = null;
    if (++this.epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    if (this.memo !== null) {
      this.found.length = 0;
      this.outer = sink;
      this.sink = this.collect;
    } else this.sink = sink;
    // Code unit by code unit; a value that cannot be lower-cased so is looked up lower-cased whole
    // (what was reported before giving up was right: it stands before the first such code unit).
    if (!this.walk(value, true)) this.walk(this.lowerCased(), false);
    if (this.memo !== null) this.memo.set(value, this.found.length ? Int32Array.from(this.found) : EMPTY);
  }

  /** The text being looked up, lower-cased once per lookup and only when needed. */
  private lowerCased(): string {
    if (this.lowered === null) this.lowered = this.text.toLowerCase();
    return this.lowered;
  }

  /** `fold`: lower-case each code unit, and give up (false) at one that cannot be. */
  private walk(text: string, fold: boolean): boolean {
    const sink = this.sink;
    const end = text.length - 1;
    if (this.hasSuffix) {
      let n: TrieNode | undefined = this.suffix.root;
      for (let i = end; i >= 0; i--) {
        let c = text.charCodeAt(i);
        if (fold) {
          if (UNSAFE[c] === 1) return false;
          c = LOWER[c]!;
        }
        n = n.next!.get(c);
        if (n === undefined) break;
        if (n.slots !== null) sink(n.slots);
        if (n.next === null) break;
      }
    }
    if (this.hasPrefix) {
      let n: TrieNode | undefined = this.prefix.root;
      for (let i = 0; i <= end; i++) {
        let c = text.charCodeAt(i);
        if (fold) {
          if (UNSAFE[c] === 1) return false;
          c = LOWER[c]!;
        }
        n = n.next!.get(c);
        if (n === undefined) break;
        if (n.slots !== null) sink(n.slots);
        if (i === end && n.whole !== null) sink(n.whole);
        if (n.next === null) break;
      }
    }
    if (this.scanner !== null && !this.scanner.scan(text, this.onHit, fold)) return false;
    return true;
  }
}
