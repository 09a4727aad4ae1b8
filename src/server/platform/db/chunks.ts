/** `xs` cut into runs of at most `n`: the rows of one INSERT or the values of one IN list (SQLite binds at most 32,766 parameters). */
export function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
