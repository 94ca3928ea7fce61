// Percentiles of plain number lists (server times are kept as lists, not histograms).

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
}

export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, p50: at(0.5), p99: at(0.99) };
}

export function median(values: number[]): number {
  return percentiles(values).p50;
}
