/**
 * Finds the upward level shifts in a heap series and takes them out, leaving the steady part.
 *
 * Why: after a forced GC, V8's heap moves in several ways that are not leaks. Internal tables
 * (hash tables, string tables, feedback and code caches) grow now and then and stay grown: a
 * level shift. Some retained copies come and go (a flattened string, a toggling buffer): a spike.
 * Some buffers fill a little per GC and get trimmed: a sawtooth. A leak instead climbs a similar
 * amount nearly every iteration. Taking out level shifts lets the verdict ask "is there growth
 * apart from a few steps?"; spikes and drops are left in, because removing one side of a spike or
 * a sawtooth's drops would turn a bounded series into a climbing one.
 */
import { interquartileSpread, median, robustSpread, type Point } from './trend.ts';

export interface Jump {
  /** x of the point the jump lands on (the iteration whose sample went up). */
  x: number;
  /** Size of the jump above the typical per-iteration step, in bytes. */
  bytes: number;
}

export interface JumpSplit {
  /** The series with every level shift taken out (later points lowered by its size). */
  steady: Point[];
  jumps: Jump[];
  /** Median per-iteration difference. */
  typicalStep: number;
}

export interface JumpOptions {
  /** A difference is a jump candidate when it is this many robust spreads above the typical step. */
  spreads?: number;
  /**
   * Smallest spread assumed, in bytes. Heap figures after a GC often repeat to the byte, which
   * makes the measured spread 0 and would turn every 32 B wobble into a "jump".
   */
  minSpreadBytes?: number;
  /** How many following points must stay up for a jump to count as a level shift (fewer at the end). */
  holdPoints?: number;
  /** Jumps are rare by definition: if more differences than this fraction look outlying, they are the pattern. */
  maxJumpFraction?: number;
}

export function splitJumps(points: readonly Point[], options: JumpOptions = {}): JumpSplit {
  const spreads = options.spreads ?? 5;
  const minSpread = options.minSpreadBytes ?? 128;
  const hold = options.holdPoints ?? 3;
  if (points.length < 3) return { steady: [...points], jumps: [], typicalStep: 0 };
  const rates: number[] = [];
  for (let i = 1; i < points.length; i++) {
    rates.push((points[i]!.y - points[i - 1]!.y) / (points[i]!.x - points[i - 1]!.x));
  }
  const typicalStep = median(rates);
  // MAD alone collapses to 0 when most differences are identical, and then a series that
  // alternates between two step sizes would be read as half jumps; the quartiles still see both.
  const limit = spreads * Math.max(robustSpread(rates), interquartileSpread(rates), minSpread);
  const candidates = rates.flatMap((rate, k) => (rate - typicalStep > limit ? [k + 1] : []));
  if (candidates.length > (options.maxJumpFraction ?? 0.25) * rates.length) return { steady: [...points], jumps: [], typicalStep };

  const jumps: Jump[] = [];
  for (const i of candidates) {
    const before = points[i - 1]!;
    const size = points[i]!.y - before.y - typicalStep * (points[i]!.x - before.x);
    const following = points.slice(i + 1, i + 1 + hold);
    // A level shift stays up; a spike comes back down. Without later points there is no telling,
    // and a lone last point is the kind of outlier the rank-based fit shrugs off anyway.
    const stays =
      following.length > 0 && following.every((p) => p.y - (before.y + typicalStep * (p.x - before.x)) >= size / 2);
    if (stays) jumps.push({ x: points[i]!.x, bytes: size });
  }
  let shift = 0;
  let next = 0;
  const steady = points.map((p) => {
    while (next < jumps.length && jumps[next]!.x <= p.x) shift += jumps[next++]!.bytes;
    return { x: p.x, y: p.y - shift };
  });
  return { steady, jumps, typicalStep };
}
