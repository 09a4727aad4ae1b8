/**
 * Building a record of many fields without V8 turning it into a hash table. An object that gains more
 * than a dozen properties through computed keys (`out[k] = v`) is switched to dictionary mode: about
 * 3 KB for an event of 40 fields, written anew for every event, and slower to read. Here the keys are
 * gathered first; the first record of a given key sequence becomes a template held in fast mode
 * (JSON.parse builds fast objects), and every later one is a spread copy of it — one small object —
 * whose existing properties are then assigned. Same keys, same order, same values as the plain loop.
 */

interface Node {
  next: Map<string, Node> | null;
  template: Record<string, unknown> | null;
}

/** Key sequences remembered at most (each a template and its path); past it records are built the plain way. */
const MAX_SHAPES = 512;

export class ShapedRecords {
  private readonly root: Node = { next: null, template: null };
  private shapes = 0;
  private keys: string[] = [];
  private values: unknown[] = [];
  private n = 0;

  /** Adds a field to the record being gathered (a later value of the same key wins, as with `out[k] = v`). */
  put(key: string, value: unknown): void {
    this.keys[this.n] = key;
    this.values[this.n] = value;
    this.n++;
  }

  /** The record of the fields put since the last build. */
  build(): Record<string, unknown> {
    const n = this.n;
    this.n = 0;
    let node = this.root;
    for (let i = 0; i < n && node !== undefined; i++) node = node.next?.get(this.keys[i]!) as Node;
    let out: Record<string, unknown>;
    if (node?.template) out = { ...node.template };
    else {
      const template = this.remember(n);
      if (template === null) {
        out = {};
        for (let i = 0; i < n; i++) {
          const k = this.keys[i]!;
          // An own property, never the prototype (which `out.__proto__ = v` would set).
          if (k === '__proto__')
            Object.defineProperty(out, k, {
              value: this.values[i],
              enumerable: true,
              writable: true,
              configurable: true,
            });
          else out[k] = this.values[i];
        }
        this.release(n);
        return out;
      }
      out = { ...template };
    }
    for (let i = 0; i < n; i++) out[this.keys[i]!] = this.values[i];
    this.release(n);
    return out;
  }

  /** Drops the references to the values (the arrays are reused; the values belong to the record). */
  private release(n: number): void {
    for (let i = 0; i < n; i++) this.values[i] = undefined;
  }

  private remember(n: number): Record<string, unknown> | null {
    if (this.shapes >= MAX_SHAPES) return null;
    const seen = new Set<string>();
    const unique: string[] = [];
    for (let i = 0; i < n; i++) {
      const k = this.keys[i]!;
      if (k === '__proto__') return null;
      if (!seen.has(k)) {
        seen.add(k);
        unique.push(k);
      }
    }
    const template = JSON.parse(`{${unique.map((k) => `${JSON.stringify(k)}:null`).join(',')}}`) as Record<
      string,
      unknown
    >;
    let node = this.root;
    for (let i = 0; i < n; i++) {
      const k = this.keys[i]!;
      node.next ??= new Map();
      let child = node.next.get(k);
      if (child === undefined) {
        child = { next: null, template: null };
        node.next.set(k, child);
      }
      node = child;
    }
    node.template = template;
    this.shapes++;
    return template;
  }
}
