/**
 * A route: the rules that apply to events of one set of log sources, with the renames of each,
 * and a literal prefilter that picks, per event, the few rules worth evaluating.
 *
 * The prefilter is indexed by (event field, literal): each rule has up to MAX_CLAUSES clauses, each
 * naming literals one of which must stand in a given field (anywhere, at its start or end, or as
 * the whole value); a rule is a candidate when all its clauses are met. Only the fields some rule
 * reads are looked at, each through its own small index (field-index.ts), which reports
 * (rule slot, clause) pairs coded as slot * 4 + clause. Keyword atoms (any field) go through one
 * scanner over every string of the event.
 */
import { allStrings, readKey } from './field-access.js';
import { FieldIndex, type SlotSink } from './field-index.js';
import { MAX_CLAUSES } from './atoms.js';
import type { EngineRule } from './compile.js';
import type { EvalContext } from './types.js';

export interface RouteRule {
  rule: EngineRule;
  renames: ReadonlyMap<string, string> | null;
}

/** Candidates this many or fewer are sorted in place by insertion (most events have a handful). */
const INSERTION_SORT_MAX = 32;

/**
 * Sorts rule slots ascending. A short list by insertion: Array.prototype.sort copies the array into
 * a work array on every call, garbage an engine thread makes once per event otherwise.
 */
export function sortSlots(c: number[]): void {
  const n = c.length;
  if (n > INSERTION_SORT_MAX) {
    c.sort((a, b) => a - b);
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = c[i]!;
    let j = i - 1;
    while (j >= 0 && c[j]! > x) {
      c[j + 1] = c[j]!;
      j--;
    }
    c[j + 1] = x;
  }
}

export class Route {
  /** Event field names looked at, and their indexes (same order). */
  private readonly keys: string[];
  private readonly indexes: FieldIndex[];
  /** Keyword atoms: looked up in every string of the event. */
  private readonly anyField: FieldIndex | null;
  private readonly always: number[];
  /** Per rule slot: the epoch its clause mask belongs to, and the clauses met so far (all its clauses: `full`, in addSlots). */
  private readonly maskEpoch: Uint32Array;
  private readonly mask: Uint8Array;
  private epoch = 0;
  private readonly cands: number[] = [];
  private readonly addSlots: SlotSink;
  /** false: every rule is a candidate (for tests comparing against the prefilter). */
  private readonly prefilter: boolean;

  constructor(
    readonly rules: RouteRule[],
    options: { prefilter?: boolean } = {},
  ) {
    this.prefilter = options.prefilter ?? true;
    const full = new Uint8Array(rules.length);
    const byKey = new Map<string, FieldIndex>();
    let anyField: FieldIndex | null = null;
    const always: number[] = [];
    rules.forEach(({ rule, renames }, slot) => {
      const clauses = rule.detection.clauses
        .filter((c) => c.length > 0 && c.every((a) => a.literal.length > 0))
        .slice(0, MAX_CLAUSES);
      if (!this.prefilter || clauses.length === 0) {
        always.push(slot);
        return;
      }
      full[slot] = (1 << clauses.length) - 1;
      clauses.forEach((atoms, ci) => {
        for (const a of atoms) {
          let index: FieldIndex;
          if (a.field === null) index = anyField ??= new FieldIndex();
          else {
            const key = renames?.get(a.field) ?? a.field;
            index = byKey.get(key) ?? new FieldIndex();
            byKey.set(key, index);
          }
          // Keyword atoms are substrings of some value (a string test may be anchored in that value).
          index.add(a.literal, a.field === null ? 'contains' : (a.kind ?? 'contains'), slot * 4 + ci);
        }
      });
    });
    for (const ix of byKey.values()) ix.seal();
    this.anyField = anyField as FieldIndex | null; // assigned in the callback above
    this.anyField?.seal();
    this.keys = [...byKey.keys()];
    this.indexes = [...byKey.values()];
    this.always = always;
    this.maskEpoch = new Uint32Array(rules.length);
    this.mask = new Uint8Array(rules.length);
    const cands = this.cands;
    const maskEpoch = this.maskEpoch;
    const mask = this.mask;
    this.addSlots = (codes) => {
      const ep = this.epoch;
      for (let i = 0; i < codes.length; i++) {
        const code = codes[i]!;
        const s = code >> 2;
        const bit = 1 << (code & 3);
        let m = maskEpoch[s] === ep ? mask[s]! : 0;
        if ((m & bit) !== 0) continue;
        maskEpoch[s] = ep;
        m |= bit;
        mask[s] = m;
        if (m === full[s]) cands.push(s);
      }
    };
  }

  /** Looks a field value up as it is (the index lower-cases); list elements one by one. */
  private lookupValue(v: unknown, index: FieldIndex): void {
    if (typeof v === 'string') index.lookup(v, this.addSlots);
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
      index.lookup(String(v), this.addSlots);
    else if (Array.isArray(v)) {
      // The matchers test list elements, not nested lists.
      for (const x of v) if (!Array.isArray(x)) this.lookupValue(x, index);
    }
  }

  /** Rule slots to evaluate for this event, in rule order. The array is reused: copy to keep. */
  candidates(ctx: EvalContext): number[] {
    const c = this.cands;
    c.length = 0;
    if (++this.epoch === 0xffffffff) {
      this.maskEpoch.fill(0);
      this.epoch = 1;
    }
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const v = readKey(ctx.fields, key);
      if (v === undefined || v === null) continue;
      this.lookupValue(v, this.indexes[k]!);
    }
    if (this.anyField !== null) for (const s of allStrings(ctx)) this.anyField.lookup(s, this.addSlots);
    const always = this.always;
    for (let i = 0; i < always.length; i++) c.push(always[i]!);
    sortSlots(c);
    return c;
  }

  /** Figures for tests and benchmarks. */
  get stats(): { rules: number; always: number; fields: number; states: number } {
    return {
      rules: this.rules.length,
      always: this.always.length,
      fields: this.keys.length,
      states: this.indexes.reduce((a, ix) => a + ix.states, this.anyField?.states ?? 0),
    };
  }
}
