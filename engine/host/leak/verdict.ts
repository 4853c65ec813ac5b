/**
 * The leak verdict: from heap-after-GC samples to `leak` / `stable` / `inconclusive`, a slope in
 * bytes per iteration, a confidence and the reasons in words. Pure (no Node): it could move to
 * engine/common once a front end needs to recompute verdicts itself.
 *
 * How it decides, and why:
 * - The first iterations are warm-up (caches filling, code being compiled) and are left out.
 * - Bytes are heap used after GC plus external (ArrayBuffer) bytes: a leak of either is a leak.
 * - The trend is a Theil–Sen slope with a Mann–Kendall test over the raw series: rank-based, so
 *   spikes (a buffer alive for one GC) and V8's sawtooth (internal buffers trimmed every few GCs)
 *   neither fake a leak nor hide one.
 * - Growth must persist: a series that climbs in its first half and is flat in its second is a
 *   cache that filled up (plateau), not a leak.
 * - Growth must come per run: V8's own tables grow in a few steps of a few KB between runs that
 *   change nothing (measured: ≈ 5 KB over 40 runs of a bounded LRU cache). Step-wise growth counts
 *   only when it adds up to 16 KB (or 0.2% of the heap); one or two level shifts never do.
 * - Steady growth must outgrow the heap's wander (2 KB, or 0.05% of the heap, in all) and a floor
 *   of 64 B per iteration: below that it is more likely engine bookkeeping than the user's code.
 * - Handle counts (timers, callbacks) are exact, so any sustained growth of any kind is a leak
 *   on its own, even with a flat heap.
 * - `leak` means it: growth in bytes that is only weakly supported (low confidence: few runs, a
 *   confidence interval reaching 0, a few steps that barely add up) is `inconclusive`, with how
 *   many more runs would decide, never a low-confidence `leak`.
 * - Heap snapshots outrank the fit: when the explanation's diff finds nothing from user code that
 *   survives, growth in bytes is the engine's, and the verdict says so.
 */
import type { Confidence, LeakSample, LeakVerdict } from '../../common/leak.ts';
import { formatBytes } from '../../common/leak-words.ts';
import { splitJumps, type Jump } from './jumps.ts';
import { median, robustSpread, trend, type Point, type Trend } from './trend.ts';

export { describeVerdict, formatBytes } from '../../common/leak-words.ts';

export interface VerdictOptions {
  /** Samples at the start that the fit ignores. Default: defaultWarmupIterations(samples.length). */
  warmupIterations?: number;
  /** The profile ended because the isolate hit its memory limit, which is a leak on its own. */
  hitMemoryLimit?: boolean;
  /** Steady growth below this many bytes per iteration is not called a leak. Default 64. */
  floorBytesPerIteration?: number;
  /** What the explanation's snapshot diff found surviving per iteration from user code, if one ran. */
  snapshotEvidence?: { userBytesPerIteration: number; groups: number };
}

export interface Verdict {
  verdict: LeakVerdict;
  slopeBytesPerIteration: number;
  confidence: Confidence;
  reasons: string[];
  /** Theil–Sen slope of outstanding handles per iteration, by kind, where non-zero. */
  handleSlopes: Record<string, number>;
  warmupIterations: number;
}

/** Fewer samples than this after warm-up and no verdict is given (a trend needs points). */
export const MIN_FIT_SAMPLES = 5;
export const DEFAULT_FLOOR_BYTES_PER_ITERATION = 64;
/** |z| of the Mann–Kendall test that counts as strong evidence (one-sided p ≈ 0.0013). */
const STRONG_Z = 3;
const WEAK_Z = 2;

/**
 * Runs after warm-up that growth in bytes needs before it is called a leak. A cache that fills
 * for its first dozen runs grows exactly like a leak while it fills (clean-warmup-cache-long
 * was called a leak at 9–15 iterations); only runs after it stopped can tell them apart.
 */
export const MIN_DECIDING_RUNS = 15;

/** About how many more runs would turn a weak finding into a verdict: as many again, at least up to MIN_DECIDING_RUNS. */
export function moreRunsToDecide(measured: number): number {
  return Math.max(MIN_DECIDING_RUNS - measured, measured);
}

/** A fifth of the iterations, at least 2: enough for lazy compilation and first-use caches. */
export function defaultWarmupIterations(iterations: number): number {
  return Math.max(2, Math.floor(iterations / 5));
}

type Finding = { verdict: LeakVerdict; confidence: Confidence; reasons: string[] };
type BytesFinding = Finding & { slope: number };

const CONFIDENCE_RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };
const strongest = (a: Confidence, b: Confidence): Confidence => (CONFIDENCE_RANK[a] >= CONFIDENCE_RANK[b] ? a : b);
const weakest = (a: Confidence, b: Confidence): Confidence => (CONFIDENCE_RANK[a] <= CONFIDENCE_RANK[b] ? a : b);

function perRun(bytes: number): string {
  return `≈ ${formatBytes(bytes)} per run`;
}

function runRange(points: readonly Point[]): string {
  return `runs ${points[0]!.x}–${points[points.length - 1]!.x}`;
}

function describeJumps(jumps: readonly Jump[]): string {
  const total = jumps.reduce((sum, j) => sum + j.bytes, 0);
  const shown = jumps
    .slice(0, 4)
    .map((j) => `${j.bytes >= 0 ? '+' : ''}${formatBytes(j.bytes)} at run ${j.x}`)
    .join(', ');
  return `${jumps.length} step${jumps.length === 1 ? '' : 's'} up (${shown}${jumps.length > 4 ? ', …' : ''}; ${formatBytes(total)} in all)`;
}

/** Running median over `window` points (shorter at the ends): removes spikes up to window/2 points wide. */
function runningMedian(points: readonly Point[], window: number): Point[] {
  const reach = Math.floor(window / 2);
  return points.map((p, i) => ({ x: p.x, y: median(points.slice(Math.max(0, i - reach), i + reach + 1).map((q) => q.y)) }));
}

/**
 * A leak adds to the heap in most runs, so the typical run-to-run difference shows the growth.
 * V8's own growth comes in a few steps between runs that change nothing, so the typical
 * difference is ≈ 0 although the overall trend points up. Spikes (a buffer alive for one or two
 * GCs, toggling in and out) would swamp the differences, so they are judged on a running median.
 * When the differences are still too noisy to tell (noise over twice the trend), the trend decides.
 */
function growsPerRun(points: readonly Point[], fit: Trend): boolean {
  const smooth = runningMedian(points, 5);
  const diffs = smooth.slice(1).map((p, i) => (p.y - smooth[i]!.y) / (p.x - smooth[i]!.x));
  return median(diffs) >= fit.slope / 4 || robustSpread(diffs) > 2 * fit.slope;
}

/** Growth in the later half must keep up with the whole; otherwise it levelled off. */
function persists(points: readonly Point[], whole: Trend, floor: number): boolean {
  const late = trend(points.slice(Math.floor(points.length / 2)));
  return late.slope >= 0.25 * whole.slope || (late.z >= STRONG_Z && late.slope >= floor);
}

/**
 * How far a V8 heap's after-GC figure wanders with no leak at all, in bytes over a whole profile:
 * internal buffers fill and get trimmed (a sawtooth of ≈ 800 B per GC and 3–4 KB drops on a
 * 10 MB heap of small objects). Steady growth must outgrow that in total, not only trend upwards.
 */
export function heapWanderBytes(heapUsedBytes: number): number {
  return Math.max(2048, 0.0005 * heapUsedBytes);
}

/**
 * Growth that comes only in a few level shifts must add up to this much before it is called a
 * leak: V8's own tables grow in steps of a few KB (we measured 4–5 KB over 40 runs of a bounded
 * LRU cache), while a leak that allocates in bursts soon adds up to far more.
 */
export function stepLeakBytes(heapUsedBytes: number): number {
  return Math.max(16 * 1024, 0.002 * heapUsedBytes);
}

interface ByteLimits {
  floor: number;
  wander: number;
  stepLeak: number;
}

function analyseBytes(points: Point[], limits: ByteLimits): BytesFinding {
  const { floor, wander, stepLeak } = limits;
  // The fit is over the raw series: Theil–Sen shrugs off spikes (up to ≈ 29% of the points).
  const fit = trend(points);
  const { steady, jumps } = splitJumps(points);
  const steadyFit = trend(steady);
  const range = runRange(points);
  const span = points[points.length - 1]!.x - points[0]!.x;
  const interval = `95% CI ${formatBytes(fit.low95)} to ${formatBytes(fit.high95)}`;
  const growing = fit.slope >= floor;
  const shifts = jumps.length > 0 ? describeJumps(jumps) : '';

  if (growing && fit.z >= STRONG_Z) {
    if (!persists(points, fit, floor)) {
      return {
        verdict: 'stable',
        confidence: 'medium',
        slope: trend(points.slice(Math.floor(points.length / 2))).slope,
        reasons: [`heap grew ${perRun(fit.slope)} early in ${range}, then levelled off (a cache filling up, not a leak)`],
      };
    }
    if (!growsPerRun(points, fit)) {
      // The growth came in a few runs, not in most of them. A leak that allocates in bursts keeps
      // stepping and soon adds up; V8's own tables step now and then by a few KB.
      const total = fit.slope * span;
      const oneOff = jumps.length > 0 && jumps.length <= 2 && !(steadyFit.slope >= floor && steadyFit.z >= WEAK_Z);
      if (!oneOff && total >= stepLeak) {
        return {
          verdict: 'leak',
          confidence: total >= 4 * stepLeak ? 'medium' : 'low',
          slope: fit.slope,
          reasons: [`heap + external grows in steps, ${perRun(fit.slope)} over ${range}${shifts ? `: ${shifts}` : ''}`],
        };
      }
      return {
        verdict: 'stable',
        confidence: 'medium',
        slope: oneOff ? steadyFit.slope : fit.slope,
        reasons: [
          oneOff
            ? `no growth per run over ${range} apart from ${shifts}`
            : `heap + external rose ${formatBytes(total)} over ${range} in a few runs rather than per run, below the ${formatBytes(stepLeak)} that step-wise growth needs to count as a leak`,
        ],
      };
    }
    if (fit.slope * span < wander) {
      return {
        verdict: 'inconclusive',
        confidence: 'low',
        slope: fit.slope,
        reasons: [
          `heap + external grows ${perRun(fit.slope)} over ${range}, but ${formatBytes(fit.slope * span)} in all is within the ${formatBytes(wander)} a heap of this size wanders by itself; run more iterations`,
        ],
      };
    }
    const confidence: Confidence =
      fit.z >= 4 && fit.low95 >= floor && fit.n >= 15 ? 'high' : fit.low95 > 0 && fit.n >= 8 ? 'medium' : 'low';
    return {
      verdict: 'leak',
      confidence,
      slope: fit.slope,
      reasons: [`heap + external grows ${perRun(fit.slope)} over ${range} (${interval}; trend z ${fit.z.toFixed(1)})`],
    };
  }

  if (growing && fit.z >= WEAK_Z && persists(points, fit, floor)) {
    return {
      verdict: 'inconclusive',
      confidence: 'low',
      slope: fit.slope,
      reasons: [`weak upward trend of ${perRun(fit.slope)} over ${range} (${interval}; trend z ${fit.z.toFixed(1)}); run more iterations`],
    };
  }

  let confidence: Confidence = fit.high95 < floor && fit.n >= 15 ? 'high' : fit.high95 < 4 * floor && fit.n >= 8 ? 'medium' : 'low';
  if (jumps.length > 0) confidence = weakest(confidence, 'medium');
  const why =
    fit.slope >= floor
      ? `heap + external drifts ${perRun(fit.slope)} over ${range} without a significant trend (trend z ${fit.z.toFixed(1)})`
      : fit.slope > 0
        ? `heap + external ${perRun(fit.slope)} over ${range}, below the ${formatBytes(floor)} per run floor (${interval})`
        : `heap + external does not grow over ${range} (${perRun(fit.slope)}; ${interval})`;
  return { verdict: 'stable', confidence, slope: fit.slope, reasons: [why, ...(shifts ? [`includes ${shifts}`] : [])] };
}

function handleKinds(samples: readonly LeakSample[]): string[] {
  const kinds = new Set<string>();
  for (const s of samples) for (const kind of Object.keys(s.handles)) kinds.add(kind);
  return [...kinds].sort();
}

function analyseHandles(samples: readonly LeakSample[]): Finding & { slopes: Record<string, number> } {
  const slopes: Record<string, number> = {};
  const reasons: string[] = [];
  let confidence: Confidence = 'low';
  let leaking = false;
  for (const kind of handleKinds(samples)) {
    const points = samples.map((s) => ({ x: s.iteration, y: s.handles[kind] ?? 0 }));
    const fit = trend(points);
    if (fit.slope !== 0) slopes[kind] = fit.slope;
    const first = points[0]!.y;
    const last = points[points.length - 1]!.y;
    const lateSlope = trend(points.slice(Math.floor(points.length / 2))).slope;
    // Counts are exact, so no noise floor: any sustained rise is the code leaving work behind.
    if (fit.slope > 0 && last - first >= 2 && lateSlope > 0) {
      leaking = true;
      const kindConfidence: Confidence = fit.z >= 4 ? 'high' : fit.z >= STRONG_Z ? 'medium' : 'low';
      confidence = strongest(confidence, kindConfidence);
      const perIteration = Math.round(fit.slope * 10) / 10;
      reasons.push(`${kind} handles grow by ${perIteration} per run (${first} → ${last} outstanding over ${runRange(points)})`);
    }
  }
  return { verdict: leaking ? 'leak' : 'stable', confidence, reasons, slopes };
}

export function computeVerdict(samples: readonly LeakSample[], options: VerdictOptions = {}): Verdict {
  const ordered = [...samples].sort((a, b) => a.iteration - b.iteration);
  const warmupIterations = Math.max(0, Math.min(options.warmupIterations ?? defaultWarmupIterations(ordered.length), ordered.length));
  const floor = options.floorBytesPerIteration ?? DEFAULT_FLOOR_BYTES_PER_ITERATION;
  const measured = ordered.slice(warmupIterations);
  const memoryReason = options.hitMemoryLimit ? [`hit the memory limit after ${ordered.length} runs`] : [];

  if (measured.length < MIN_FIT_SAMPLES) {
    return {
      verdict: options.hitMemoryLimit ? 'leak' : 'inconclusive',
      slopeBytesPerIteration: 0,
      confidence: options.hitMemoryLimit ? 'medium' : 'low',
      reasons: [...memoryReason, `only ${measured.length} run${measured.length === 1 ? '' : 's'} after ${warmupIterations} warm-up; a trend needs at least ${MIN_FIT_SAMPLES}`],
      handleSlopes: {},
      warmupIterations,
    };
  }

  const heapUsed = median(measured.map((s) => s.heapUsedBytes));
  const bytes = analyseBytes(
    measured.map((s) => ({ x: s.iteration, y: s.heapUsedBytes + s.externalBytes })),
    { floor, wander: heapWanderBytes(heapUsed), stepLeak: stepLeakBytes(heapUsed) },
  );
  const handles = analyseHandles(measured);
  const base = { slopeBytesPerIteration: bytes.slope, handleSlopes: handles.slopes, warmupIterations };
  // Until enough runs are in, a cache still filling looks exactly like a leak: say so instead of guessing.
  if (bytes.verdict === 'leak' && (bytes.confidence === 'low' || measured.length < MIN_DECIDING_RUNS)) {
    bytes.verdict = 'inconclusive';
    bytes.confidence = 'low';
    bytes.reasons = [...bytes.reasons, `the evidence is thin (${measured.length} runs after warm-up); about ${moreRunsToDecide(measured.length)} more runs would decide`];
  }
  const evidence = options.snapshotEvidence;
  if (evidence && bytes.verdict === 'leak' && evidence.userBytesPerIteration < floor) {
    bytes.verdict = handles.verdict === 'leak' ? 'stable' : 'inconclusive';
    bytes.confidence = 'low';
    bytes.reasons = [
      ...bytes.reasons,
      `but heap snapshots find ${evidence.userBytesPerIteration > 0 ? `only ${formatBytes(evidence.userBytesPerIteration)} per run` : 'nothing'} from user code surviving, so the growth is the engine's own`,
    ];
  }

  if (options.hitMemoryLimit || bytes.verdict === 'leak' || handles.verdict === 'leak') {
    const leaks = [bytes, handles].filter((f) => f.verdict === 'leak');
    let confidence = leaks.reduce<Confidence>((c, f) => strongest(c, f.confidence), 'low');
    if (options.hitMemoryLimit) confidence = strongest(confidence, 'medium');
    const reasons = [...memoryReason, ...leaks.flatMap((f) => f.reasons)];
    if (bytes.verdict !== 'leak') reasons.push(...bytes.reasons);
    return { ...base, verdict: 'leak', confidence, reasons };
  }
  return { ...base, verdict: bytes.verdict, confidence: bytes.confidence, reasons: bytes.reasons };
}
