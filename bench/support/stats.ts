// Small statistics for benchmark runs: medians across runs and percentiles within one.

/** The median of the values (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The nearest-rank percentile (`fraction` 0–1) of the values; NaN for none. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Median of each numeric field across runs of the same shape. */
export function medianOf<T extends Record<string, number>>(runs: readonly T[]): T {
  const first = runs[0];
  if (!first) throw new Error('medianOf needs at least one run');
  return Object.fromEntries(Object.keys(first).map((key) => [key, median(runs.map((run) => run[key]!))])) as T;
}

/** Sums the call counts whose key starts with one of the prefixes ("iotfleetwise:", "sts:AssumeRole"). */
export function callsMatching(calls: Record<string, number>, ...prefixes: string[]): number {
  return Object.entries(calls)
    .filter(([key]) => prefixes.length === 0 || prefixes.some((prefix) => key.startsWith(prefix)))
    .reduce((sum, [, count]) => sum + count, 0);
}
