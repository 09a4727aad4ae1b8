/**
 * Exact sums per customer: a customer's units (an integer at the method's scale) add up in a float64
 * array while the sum is a safe integer — for non-negative safe integers a float sum is exact exactly
 * when it stays at or below 2^53 - 1, so the check after the addition proves it — and in a BigInt from
 * the first addition that would pass it. Customers get a dense index in the order they first appear.
 */
const MAX = Number.MAX_SAFE_INTEGER;

export class CustomerTotals {
  private readonly index = new Map<string, number>();
  private ids: string[] = [];
  private counts = new Int32Array(1024);
  private sums = new Float64Array(1024);
  /** Sums past 2^53 - 1, by customer index (its `sums` entry is then -1). */
  private readonly big = new Map<number, bigint>();

  get size(): number {
    return this.ids.length;
  }

  /** The index of `customer`, made when new. */
  indexOf(customer: string): number {
    let i = this.index.get(customer);
    if (i === undefined) {
      i = this.ids.length;
      // A key cut out of a large chunk of text would keep the whole chunk alive: keep a copy.
      const own = customer.length > 12 ? Buffer.from(customer, 'utf8').toString('utf8') : customer;
      this.index.set(own, i);
      this.ids.push(own);
      if (i === this.counts.length) this.grow();
    }
    return i;
  }

  private grow(): void {
    const counts = new Int32Array(this.counts.length * 2);
    counts.set(this.counts);
    this.counts = counts;
    const sums = new Float64Array(this.sums.length * 2);
    sums.set(this.sums);
    this.sums = sums;
  }

  /** Adds one item of `units` (a safe integer >= 0, or a bigint) to customer `i`. */
  add(i: number, units: number | bigint): void {
    this.counts[i]!++;
    if (units === 0) return;
    const s = this.sums[i]!;
    if (typeof units === 'number' && s >= 0) {
      const t = s + units;
      if (t <= MAX) {
        this.sums[i] = t;
        return;
      }
    }
    const prev = s >= 0 ? BigInt(s) : this.big.get(i)!;
    this.big.set(i, prev + BigInt(units));
    this.sums[i] = -1;
  }

  /** Customer `i`'s id, item count and exact sum. */
  customer(i: number): { id: string; items: number; units: number | bigint } {
    const s = this.sums[i]!;
    return { id: this.ids[i]!, items: this.counts[i]!, units: s >= 0 ? s : this.big.get(i)! };
  }

  /** Customer indexes in the order of their ids (UTF-16 code units, as JavaScript sorts). */
  sortedIndexes(): Int32Array {
    // The default sort of strings (no comparator) is V8's fast path.
    const sorted = this.ids.slice().sort();
    const order = new Int32Array(sorted.length);
    for (let k = 0; k < sorted.length; k++) order[k] = this.index.get(sorted[k]!)!;
    return order;
  }
}
