/**
 * A parser for the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text: one sample a
 * line, `name{label="value",...} value [timestamp]`, with `# HELP`/`# TYPE`/`# UNIT` comments,
 * OpenMetrics exemplars (` # {...} value`) and `# EOF`. Pure code; a bad line is reported and skipped.
 * Timestamps are milliseconds in the Prometheus format and (fractional) seconds in OpenMetrics.
 */

export interface ExposedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Epoch ms, when the line carried a timestamp. */
  time?: number;
}

export interface ExpositionResult {
  samples: ExposedSample[];
  /** The first problems (1-based line numbers); `errorCount` has them all. */
  errors: { line: number; reason: string }[];
  errorCount: number;
  /** More than `maxSamples` samples: the rest were not read. */
  truncated: boolean;
}

export type ExpositionFormat = 'prometheus' | 'openmetrics';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const MAX_ERRORS = 20;

/** The format a Content-Type names (anything but OpenMetrics is read as the Prometheus text format). */
export function formatOf(contentType: string | undefined): ExpositionFormat {
  return /^\s*application\/openmetrics-text\b/i.test(contentType ?? '') ? 'openmetrics' : 'prometheus';
}

/** A Prometheus/OpenMetrics float: decimal, exponent, hex is not allowed; NaN, +Inf, -Inf (any case). */
export function parseValue(s: string): number {
  const l = s.toLowerCase();
  if (l === 'nan') return Number.NaN;
  if (l === '+inf' || l === 'inf') return Infinity;
  if (l === '-inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) throw new Error(`"${s.slice(0, 40)}" is not a number`);
  return Number(s);
}

class Cursor {
  pos = 0;
  constructor(readonly s: string) {}
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  take(re: RegExp, what: string): string {
    const m = re.exec(this.s.slice(this.pos));
    if (!m) throw new Error(`expected ${what} at column ${this.pos + 1}`);
    this.pos += m[0].length;
    return m[0];
  }
  expect(ch: string): void {
    if (this.peek() !== ch) throw new Error(`expected "${ch}" at column ${this.pos + 1}`);
    this.pos++;
  }
  /** A double-quoted string with \\, \" and \n escapes. */
  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      if (this.done) throw new Error('unterminated label value');
      const c = this.s[this.pos++]!;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      if (e === 'n') out += '\n';
      else if (e === '\\' || e === '"') out += e;
      else throw new Error(`unknown escape "\\${e ?? ''}" in a label value`);
    }
  }
  word(): string {
    const start = this.pos;
    while (!this.done && this.peek() !== ' ' && this.peek() !== '\t') this.pos++;
    return this.s.slice(start, this.pos);
  }
}

function labelSet(c: Cursor): Record<string, string> {
  const labels: Record<string, string> = {};
  c.expect('{');
  c.skipSpaces();
  while (c.peek() !== '}') {
    const name = c.take(LABEL, 'a label name');
    c.skipSpaces();
    c.expect('=');
    c.skipSpaces();
    const value = c.quoted();
    if (Object.hasOwn(labels, name)) throw new Error(`label "${name}" given twice`);
    labels[name] = value;
    c.skipSpaces();
    if (c.peek() === ',') {
      c.pos++;
      c.skipSpaces();
    } else if (c.peek() !== '}') throw new Error(`expected "," or "}" at column ${c.pos + 1}`);
  }
  c.pos++;
  return labels;
}

function sampleLine(line: string, format: ExpositionFormat): ExposedSample {
  const c = new Cursor(line);
  const name = c.take(NAME, 'a metric name');
  c.skipSpaces();
  const labels = c.peek() === '{' ? labelSet(c) : {};
  c.skipSpaces();
  const value = parseValue(c.word());
  c.skipSpaces();
  let time: number | undefined;
  if (!c.done && c.peek() !== '#') {
    const ts = c.word();
    const n = format === 'openmetrics' ? Number(ts) * 1000 : Number(ts);
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(ts) || !Number.isFinite(n))
      throw new Error(`"${ts.slice(0, 40)}" is not a timestamp`);
    time = Math.round(n);
    c.skipSpaces();
  }
  // An OpenMetrics exemplar (" # {trace_id="..."} 1.0 [ts]") is read past, not kept.
  if (!c.done && c.peek() === '#') {
    if (format !== 'openmetrics') throw new Error('unexpected "#" after the value');
    c.pos++;
    c.skipSpaces();
    labelSet(c);
  } else if (!c.done) throw new Error(`unexpected text at column ${c.pos + 1}`);
  return time === undefined ? { name, labels, value } : { name, labels, value, time };
}

/** Parses an exposition body; never throws for bad content. */
export function parseExposition(
  text: string,
  opts: { format?: ExpositionFormat; maxSamples?: number } = {},
): ExpositionResult {
  const format = opts.format ?? 'prometheus';
  const max = opts.maxSamples ?? Infinity;
  const out: ExpositionResult = { samples: [], errors: [], errorCount: 0, truncated: false };
  const fail = (line: number, reason: string) => {
    out.errorCount++;
    if (out.errors.length < MAX_ERRORS) out.errors.push({ line, reason });
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      if (format === 'openmetrics' && trimmed === '# EOF') break;
      continue; // HELP, TYPE, UNIT and other comments carry no samples
    }
    if (out.samples.length >= max) {
      out.truncated = true;
      break;
    }
    try {
      out.samples.push(sampleLine(trimmed, format));
    } catch (err) {
      fail(i + 1, (err as Error).message);
    }
  }
  return out;
}
