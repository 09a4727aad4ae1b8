/**
 * Exact sums per customer: a customer's units (an integer at the method's scale) add up in a float64
 * array while the sum is a safe integer — for non-negative safe integers a float sum is exact exactly
 * when it stays at or below 2^53 - 1, so the check after the addition proves it — and in a BigInt from
 * the first addition that would pass it. Customers get a dense index in the order they first appear,
 * found by the UTF-8 bytes of their id (an open-addressing table over one byte arena), so the hot path
 * of the CSV reader needs no string of the id; the strings are made once, for the results.
 */
const MAX = Number.MAX_SAFE_INTEGER;

/** FNV-1a of b[start, end). */
function hashBytes(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

export class CustomerTotals {
  private n = 0;
  private arena = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private offs = new Int32Array(1024);
  private lens = new Int32Array(1024);
  private hashes = new Uint32Array(1024);
  private counts = new Int32Array(1024);
  private sums = new Float64Array(1024);
  /** slot -> customer index + 1 (0: empty); at most half full. */
  private slots = new Int32Array(4096);
  /** Sums past 2^53 - 1, by customer index (its `sums` entry is then -1). */
  private readonly big = new Map<number, bigint>();
  private scratch = Buffer.allocUnsafe(256);

  get size(): number {
    return this.n;
  }

  /** The index of the customer whose id is `customer`, made when new. */
  indexOf(customer: string): number {
    if (customer.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(customer.length * 3);
    return this.indexOfBytes(this.scratch, 0, this.scratch.write(customer, 0, 'utf8'));
  }

  /** The index of the customer whose id is the UTF-8 bytes b[start, end), made when new. */
  indexOfBytes(b: Uint8Array, start: number, end: number): number {
    const h = hashBytes(b, start, end);
    const len = end - start;
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const i = this.slots[slot]! - 1;
      if (i < 0) break;
      if (this.hashes[i] === h && this.lens[i] === len) {
        const o = this.offs[i]!;
        let k = 0;
        while (k < len && this.arena[o + k] === b[start + k]) k++;
        if (k === len) return i;
      }
      slot = (slot + 1) & mask;
    }
    const i = this.n++;
    if (i === this.counts.length) this.grow();
    if (this.used + len > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + len));
      this.arena.copy(bigger, 0, 0, this.used);
      this.arena = bigger;
    }
    for (let k = 0; k < len; k++) this.arena[this.used + k] = b[start + k]!;
    this.offs[i] = this.used;
    this.lens[i] = len;
    this.hashes[i] = h;
    this.used += len;
    this.slots[slot] = i + 1;
    if (this.n * 2 > this.slots.length) this.rehash();
    return i;
  }

  private grow(): void {
    const size = this.counts.length * 2;
    const more = <T extends Int32Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.offs = more(this.offs, (n) => new Int32Array(n));
    this.lens = more(this.lens, (n) => new Int32Array(n));
    this.hashes = more(this.hashes, (n) => new Uint32Array(n));
    this.counts = more(this.counts, (n) => new Int32Array(n));
    this.sums = more(this.sums, (n) => new Float64Array(n));
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < this.n; i++) {
      let slot = this.hashes[i]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = i + 1;
    }
    this.slots = slots;
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
  customer(i: number, ids: readonly string[]): { id: string; items: number; units: number | bigint } {
    const s = this.sums[i]!;
    return { id: ids[i]!, items: this.counts[i]!, units: s >= 0 ? s : this.big.get(i)! };
  }

  /** The customers' ids (strings), by index. */
  ids(): string[] {
    const ids = new Array<string>(this.n);
    for (let i = 0; i < this.n; i++) ids[i] = this.arena.toString('utf8', this.offs[i]!, this.offs[i]! + this.lens[i]!);
    return ids;
  }

  /** Customer indexes in the order of their ids (UTF-16 code units, as JavaScript sorts), and the ids. */
  sorted(): { order: Int32Array; ids: string[] } {
    const ids = this.ids();
    const order = Int32Array.from({ length: ids.length }, (_, i) => i);
    order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
    return { order, ids };
  }
}
