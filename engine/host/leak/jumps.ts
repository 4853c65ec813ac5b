/**
 * Separates one-off jumps from steady per-iteration growth in a heap series.
 *
 * Why: after a forced GC, V8's heap moves in two ways. Leaked objects make it climb a similar amount
 * every iteration. Engine internals (a hash table or string table doubling, code and feedback
 * caches, a new page) make it jump now and then and stay there. A rank-based slope over the raw
 * series still reads two 3 KB jumps in 40 runs as ≈ 150 B per run of "growth". Judging the
 * per-iteration differences instead shows them for what they are: a few outliers among steps of
 * ≈ 0. So we replace outlying differences by the typical one, fit the steady series, and judge
 * the jumps on their own (a leak that grows in bursts shows up as jumps that keep recurring).
 *
 * Only upward jumps are taken out. Sudden drops are memory being freed, and V8 produces sawtooth
 * series (a few hundred bytes more after each GC, then a drop of a few KB when some internal
 * buffer is trimmed): removing the drops would turn a bounded sawtooth into a steady climb.
 */
import { interquartileSpread, median, robustSpread, type Point } from './trend.ts';

export interface Jump {
  /** x of the point the jump lands on (the iteration whose sample went up or down). */
  x: number;
  /** Size of the jump above the typical per-iteration step, in bytes. */
  bytes: number;
}

export interface JumpSplit {
  /** The series rebuilt with every outlying difference replaced by the typical difference. */
  steady: Point[];
  jumps: Jump[];
  /** Median per-iteration difference. */
  typicalStep: number;
}

export interface JumpOptions {
  /** A difference is a jump when it is this many robust spreads away from the typical step. */
  spreads?: number;
  /** Jumps are rare by definition: if more differences than this share look "outlying", they are the pattern. */
  maxJumpFraction?: number;
  /**
   * Smallest spread assumed, in bytes. Heap figures after a GC often repeat to the byte, which
   * makes the measured spread 0 and would turn every 32 B wobble into a "jump".
   */
  minSpreadBytes?: number;
}

export function splitJumps(points: readonly Point[], options: JumpOptions = {}): JumpSplit {
  const spreads = options.spreads ?? 5;
  const minSpread = options.minSpreadBytes ?? 128;
  if (points.length < 3) return { steady: [...points], jumps: [], typicalStep: 0 };
  const rates: number[] = [];
  for (let i = 1; i < points.length; i++) {
    rates.push((points[i]!.y - points[i - 1]!.y) / (points[i]!.x - points[i - 1]!.x));
  }
  const typicalStep = median(rates);
  // MAD alone collapses to 0 when most differences are identical, and then a series that
  // alternates between two step sizes would be read as half jumps; the quartiles still see both.
  const limit = spreads * Math.max(robustSpread(rates), interquartileSpread(rates), minSpread);
  const outlying = rates.filter((rate) => rate - typicalStep > limit).length;
  if (outlying > (options.maxJumpFraction ?? 0.25) * rates.length) return { steady: [...points], jumps: [], typicalStep };
  const steady: Point[] = [{ ...points[0]! }];
  const jumps: Jump[] = [];
  for (let i = 1; i < points.length; i++) {
    const dx = points[i]!.x - points[i - 1]!.x;
    let rate = rates[i - 1]!;
    if (rate - typicalStep > limit) {
      jumps.push({ x: points[i]!.x, bytes: (rate - typicalStep) * dx });
      rate = typicalStep;
    }
    steady.push({ x: points[i]!.x, y: steady[i - 1]!.y + rate * dx });
  }
  return { steady, jumps, typicalStep };
}
