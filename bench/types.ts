/** One section of docs/PERFORMANCE.md, produced by one benchmark. */
export type BenchSection = {
  /** Section heading. */
  title: string;
  /** Markdown body: what was measured, how, and the numbers. */
  markdown: string;
  /** True when every target the issue sets for this section is met. */
  targetsMet: boolean;
};

/** A benchmark module: bench/<name>.bench.ts exports `run`. */
export type Bench = (options: { quick: boolean }) => Promise<BenchSection[]>;

/** p-th percentile (0–100) of a list of numbers, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
