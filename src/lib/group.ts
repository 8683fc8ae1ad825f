/** Rows grouped by a key, in their order (one array per key, appended to, never copied). */
export function groupBy<T, K>(rows: Iterable<T>, by: (row: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = by(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}
