/**
 * Trade prices per security for `outage-price-diff`: times (microseconds since the epoch) and prices
 * (integers at `PRICE_SCALE` decimals) in arrays sorted by time, searched by bisection. Trades at the
 * same instant keep the order they were given in, so "the last trade at or before" an instant is the
 * last of them and "the first trade at or after" the first.
 */

/** Decimal places of prices: 6 (a price is an integer of millionths of a yuan). */
export const PRICE_DECIMALS = 6;

export class SecurityPrices {
  constructor(
    /** Position of the security in its index (0, 1, ...). */
    readonly id: number,
    readonly code: string,
    readonly times: Float64Array,
    readonly prices: Float64Array,
  ) {}

  /** The price of the last trade at or before `t`, or -1. */
  atOrBefore(t: number): number {
    const times = this.times;
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? -1 : this.prices[lo - 1]!;
  }

  /** The price of the first trade at or after `t`, or -1. */
  atOrAfter(t: number): number {
    const times = this.times;
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo === times.length ? -1 : this.prices[lo]!;
  }
}

/** Collects trades in any order, then `build()` sorts them per security. */
export class PriceIndexBuilder {
  private readonly raw = new Map<string, { times: number[]; prices: number[] }>();

  /** One trade: `security`, `time` (µs), `price` (integer at 6 decimals, > 0). */
  add(security: string, time: number, price: number): void {
    let r = this.raw.get(security);
    if (!r) {
      r = { times: [], prices: [] };
      this.raw.set(Buffer.from(security, 'utf8').toString('utf8'), r);
    }
    r.times.push(time);
    r.prices.push(price);
  }

  build(): PriceIndex {
    const out = new Map<string, SecurityPrices>();
    for (const [security, r] of this.raw) {
      const n = r.times.length;
      let sorted = true;
      for (let i = 1; i < n && sorted; i++) if (r.times[i]! < r.times[i - 1]!) sorted = false;
      const order = Int32Array.from({ length: n }, (_, i) => i);
      // Stable: equal times keep their order.
      if (!sorted) order.sort((a, b) => r.times[a]! - r.times[b]! || a - b);
      const times = new Float64Array(n);
      const prices = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        times[i] = r.times[order[i]!]!;
        prices[i] = r.prices[order[i]!]!;
      }
      out.set(security, new SecurityPrices(out.size, security, times, prices));
    }
    return new PriceIndex(out);
  }
}

/** FNV-1a of b[start, end). */
function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

export class PriceIndex {
  /** Open addressing by the UTF-8 bytes of the code: slot -> security id + 1 (0: empty). */
  private readonly slots: Int32Array;
  private readonly keys: Buffer[];
  private readonly list: SecurityPrices[];

  constructor(private readonly bySecurity: Map<string, SecurityPrices>) {
    this.list = [...bySecurity.values()];
    this.keys = this.list.map((s) => Buffer.from(s.code, 'utf8'));
    let size = 16;
    while (size < this.list.length * 4) size *= 2;
    this.slots = new Int32Array(size);
    this.keys.forEach((k, id) => {
      let slot = hashBytes(k, 0, k.length) & (size - 1);
      while (this.slots[slot] !== 0) slot = (slot + 1) & (size - 1);
      this.slots[slot] = id + 1;
    });
  }

  /** `get` of the security whose code is the bytes b[start, end), without making a string. */
  getBytes(b: Uint8Array, start: number, end: number): SecurityPrices | undefined {
    const mask = this.slots.length - 1;
    const len = end - start;
    for (let slot = hashBytes(b, start, end) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]! - 1;
      if (id < 0) return undefined;
      const k = this.keys[id]!;
      if (k.length !== len) continue;
      let i = 0;
      while (i < len && k[i] === b[start + i]) i++;
      if (i === len) return this.list[id];
    }
  }

  /** The trades of `security`, or undefined when there is no price at all for it. */
  get(security: string): SecurityPrices | undefined {
    return this.bySecurity.get(security);
  }

  get securities(): number {
    return this.bySecurity.size;
  }
}
