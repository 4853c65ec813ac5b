/**
 * Robust trend statistics for short, noisy series (heap-after-GC per iteration): Theil–Sen slope,
 * Sen's confidence interval for it, and the Mann–Kendall trend test. Rank-based on purpose: a
 * handful of wild samples (a GC that freed an extra page, an internal table that doubled) must
 * not move the answer the way they move a least-squares fit. Pure: no Node, no DOM.
 */

export interface Point {
  x: number;
  y: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation scaled to estimate a normal standard deviation (×1.4826). */
export function robustSpread(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lower = Math.floor(pos);
  const upper = Math.ceil(pos);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (pos - lower);
}

/** Interquartile range scaled to estimate a normal standard deviation (÷1.349). */
export function interquartileSpread(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 1.349;
}

function pairwiseSlopes(points: readonly Point[]): number[] {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (dx !== 0) slopes.push((points[j]!.y - points[i]!.y) / dx);
    }
  }
  return slopes.sort((a, b) => a - b);
}

/** Mann–Kendall S statistic and its variance, with the correction for tied values. */
function kendall(points: readonly Point[]): { s: number; variance: number } {
  const n = points.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign((points[j]!.y - points[i]!.y) * (points[j]!.x - points[i]!.x));
  }
  // Heap figures repeat exactly (a GC often lands on the same byte count), so ties are the rule,
  // and ignoring them would overstate significance.
  const tieGroups = new Map<number, number>();
  for (const p of points) tieGroups.set(p.y, (tieGroups.get(p.y) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of tieGroups.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  return { s, variance };
}

export interface Trend {
  /** Theil–Sen slope: the median of all pairwise slopes. */
  slope: number;
  /** Sen's 95% confidence interval for the slope (rank-based, no normality assumed for the data). */
  low95: number;
  high95: number;
  /** Mann–Kendall z score (continuity-corrected); positive means rising, |z| ≥ 3 is strong evidence. */
  z: number;
  n: number;
}

const Z95 = 1.959964;

export function trend(points: readonly Point[]): Trend {
  const n = points.length;
  if (n < 2) return { slope: 0, low95: Number.NEGATIVE_INFINITY, high95: Number.POSITIVE_INFINITY, z: 0, n };
  const slopes = pairwiseSlopes(points);
  const slope = median(slopes);
  const { s, variance } = kendall(points);
  const sd = Math.sqrt(Math.max(variance, 0));
  const z = sd === 0 ? 0 : (s - Math.sign(s)) / sd;
  // Sen (1968) / Gilbert (1987): the interval's ends are order statistics of the pairwise slopes.
  const count = slopes.length;
  const c = Z95 * sd;
  const lowRank = Math.floor((count - c) / 2); // 1-based rank of the lower end
  const highRank = Math.ceil((count + c) / 2) + 1;
  const low95 = lowRank >= 1 ? slopes[lowRank - 1]! : Number.NEGATIVE_INFINITY;
  const high95 = highRank <= count ? slopes[highRank - 1]! : Number.POSITIVE_INFINITY;
  return { slope, low95, high95, z, n };
}
