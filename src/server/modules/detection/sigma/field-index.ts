/**
 * The prefilter's index of one event field: the literals rules need in that field, by where they
 * must stand — the whole value (a hash lookup), its end or start (a trie walked from that end), or
 * anywhere (an Aho–Corasick scanner over this field's literals only). A lookup reports the rule
 * slots whose literal is there; it may over-report (never miss), the rules decide.
 */
import { LiteralScanner, window } from './literal-scanner.js';
import type { AtomKind } from './types.js';

/** A trie node over character codes; `slots` set where a literal ends. */
interface TrieNode {
  next: Map<number, TrieNode> | null;
  slots: Int32Array | null;
}

const newNode = (): TrieNode => ({ next: null, slots: null });

class Trie {
  readonly root = newNode();
  private readonly pending = new Map<TrieNode, number[]>();

  add(lit: string, slot: number, reverse: boolean): void {
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
    const list = this.pending.get(n) ?? [];
    list.push(slot);
    this.pending.set(n, list);
  }

  seal(): void {
    for (const [n, list] of this.pending) n.slots = Int32Array.from(new Set(list));
    this.pending.clear();
  }
}

/** Receives the rule slots a lookup found. */
export type SlotSink = (slots: Int32Array) => void;

export class FieldIndex {
  private readonly exact = new Map<string, number[]>();
  private exactSealed = new Map<string, Int32Array>();
  private readonly prefix = new Trie();
  private readonly suffix = new Trie();
  private hasPrefix = false;
  private hasSuffix = false;
  private readonly containsLits = new Map<string, number[]>();
  private scanner: LiteralScanner | null = null;
  private scanSlots: Int32Array[] = [];
  /** Literal ids already reported for the current value (scanner hits repeat). */
  private seen = new Uint32Array(0);
  private epoch = 0;
  private scanLits: string[] = [];
  private sink: SlotSink = () => {};
  private text = '';
  private readonly onHit = (id: number): void => {
    if (this.seen[id] === this.epoch) return;
    this.seen[id] = this.epoch;
    // A literal whose characters share scanner classes with others may be reported where it is not.
    if (this.scanner!.exact[id] === 0 && !this.text.includes(this.scanLits[id]!)) return;
    this.sink(this.scanSlots[id]!);
  };

  add(literal: string, kind: AtomKind, slot: number): void {
    switch (kind) {
      case 'exact':
        this.exact.set(literal, [...(this.exact.get(literal) ?? []), slot]);
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
    this.exactSealed = new Map([...this.exact].map(([k, v]) => [k, Int32Array.from(new Set(v))]));
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

  /** Reports to `sink` the slots of every literal found in `text` (lower-cased). */
  lookup(text: string, sink: SlotSink): void {
    const e = this.exactSealed.size ? this.exactSealed.get(text) : undefined;
    if (e !== undefined) sink(e);
    if (this.hasSuffix) {
      let n: TrieNode | undefined = this.suffix.root;
      for (let i = text.length - 1; i >= 0; i--) {
        n = n.next!.get(text.charCodeAt(i));
        if (n === undefined) break;
        if (n.slots !== null) sink(n.slots);
        if (n.next === null) break;
      }
    }
    if (this.hasPrefix) {
      let n: TrieNode | undefined = this.prefix.root;
      for (let i = 0; i < text.length; i++) {
        n = n.next!.get(text.charCodeAt(i));
        if (n === undefined) break;
        if (n.slots !== null) sink(n.slots);
        if (n.next === null) break;
      }
    }
    if (this.scanner !== null) {
      this.sink = sink;
      this.text = text;
      if (++this.epoch === 0xffffffff) {
        this.seen.fill(0);
        this.epoch = 1;
      }
      this.scanner.scan(text, this.onHit);
    }
  }
}
