/**
 * A route: the rules that apply to events of one set of log sources, with the renames of each,
 * and a literal prefilter that picks, per event, the few rules worth evaluating.
 */
import { lowerText, allStrings, readKey } from './field-access.js';
import { LiteralScanner, window } from './literal-scanner.js';
import type { EngineRule } from './compile.js';
import type { EvalContext } from './types.js';

export interface RouteRule {
  rule: EngineRule;
  renames: ReadonlyMap<string, string> | null;
}

const ANY_FIELD = -1;

export class Route {
  private readonly scanner: LiteralScanner | null;
  /** Per literal: pairs of (field id, rule slot), flattened. */
  private readonly pairs: Int32Array[];
  private readonly keys: string[];
  private readonly scanAll: boolean;
  private readonly always: number[];
  private readonly seenLit: Uint32Array;
  private readonly seenSlot: Uint32Array;
  private scanEpoch = 0;
  private epoch = 0;
  private curKey = 0;
  private readonly cands: number[] = [];
  private readonly onLiteral: (id: number) => void;

  constructor(readonly rules: RouteRule[]) {
    const keyIds = new Map<string, number>();
    const litIds = new Map<string, number>();
    const pairLists: number[][] = [];
    const always: number[] = [];
    let scanAll = false;
    rules.forEach(({ rule, renames }, slot) => {
      const atoms = rule.detection.atoms;
      if (atoms === null || atoms.length === 0 || atoms.some((a) => a.literal.length === 0)) {
        always.push(slot);
        return;
      }
      for (const a of atoms) {
        let fieldId = ANY_FIELD;
        if (a.field === null) scanAll = true;
        else {
          const key = renames?.get(a.field) ?? a.field;
          fieldId = keyIds.get(key) ?? keyIds.size;
          keyIds.set(key, fieldId);
        }
        const lit = window(a.literal);
        let id = litIds.get(lit);
        if (id === undefined) {
          id = litIds.size;
          litIds.set(lit, id);
          pairLists.push([]);
        }
        pairLists[id]!.push(fieldId, slot);
      }
    });
    this.keys = [...keyIds.keys()];
    this.scanner = litIds.size ? new LiteralScanner([...litIds.keys()]) : null;
    this.pairs = pairLists.map((p) => Int32Array.from(p));
    this.always = always;
    this.scanAll = scanAll;
    this.seenLit = new Uint32Array(litIds.size);
    this.seenSlot = new Uint32Array(rules.length);
    this.onLiteral = (id) => {
      if (this.seenLit[id] === this.scanEpoch) return;
      this.seenLit[id] = this.scanEpoch;
      const p = this.pairs[id]!;
      const cur = this.curKey;
      for (let i = 0; i < p.length; i += 2) {
        const f = p[i]!;
        if (f === cur || (f === ANY_FIELD && cur === ANY_FIELD)) {
          const slot = p[i + 1]!;
          if (this.seenSlot[slot] !== this.epoch) {
            this.seenSlot[slot] = this.epoch;
            this.cands.push(slot);
          }
        }
      }
    };
  }

  private scanValue(ctx: EvalContext, key: string, v: unknown): void {
    if (Array.isArray(v)) {
      for (const x of v) this.scanValue(ctx, '', x);
      return;
    }
    const s = key ? lowerText(ctx, key, v) : typeof v === 'string' ? v.toLowerCase() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    if (s === undefined) return;
    this.scanEpoch++;
    this.scanner!.scan(s, this.onLiteral);
  }

  /** Rule slots to evaluate for this event, in rule order. The array is reused: copy to keep. */
  candidates(ctx: EvalContext): number[] {
    const c = this.cands;
    c.length = 0;
    this.epoch++;
    if (this.scanner) {
      for (let k = 0; k < this.keys.length; k++) {
        const key = this.keys[k]!;
        const v = readKey(ctx.fields, key);
        if (v === undefined || v === null) continue;
        this.curKey = k;
        this.scanValue(ctx, key, v);
      }
      if (this.scanAll) {
        this.curKey = ANY_FIELD;
        for (const s of allStrings(ctx)) {
          this.scanEpoch++;
          this.scanner.scan(s, this.onLiteral);
        }
      }
    }
    for (const s of this.always) c.push(s);
    if (c.length > 1) c.sort((a, b) => a - b);
    return c;
  }

  /** Figures for tests and benchmarks. */
  get stats(): { rules: number; always: number; states: number } {
    return { rules: this.rules.length, always: this.always.length, states: this.scanner?.states ?? 0 };
  }
}
