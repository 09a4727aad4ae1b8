/** React keys for list items that may repeat (the same event twice, two errors of one rule). */

/** Each item with its own key, `#2`, `#3` … added to a repeat: a key that follows the item, not its position. */
export function keyed<T>(items: readonly T[], keyOf: (item: T) => string): { key: string; item: T }[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const own = keyOf(item);
    const n = (seen.get(own) ?? 0) + 1;
    seen.set(own, n);
    return { key: n === 1 ? own : `${own}#${n}`, item };
  });
}
