/**
 * Leak profiling contract: a script (or one of its functions) run N times in one context, a full
 * GC between iterations, and a verdict fitted over what survives.
 */
import * as z from 'zod';
import { CallSpec, HandleCounts, Language, ModuleScope, RunError, RunLimits, SourceText } from './contract.ts';

export const DEFAULT_LEAK_ITERATIONS = 40;
export const MAX_LEAK_ITERATIONS = 10_000;

export const LeakRequest = RunLimits.extend({
  code: SourceText,
  language: Language.optional(),
  filename: z.string().max(1024).optional(),
  /** Call this top-level function each iteration instead of re-running the whole script. */
  call: CallSpec.optional(),
  iterations: z.number().int().min(3).max(MAX_LEAK_ITERATIONS).optional(),
  /** Iterations at the start that the fit ignores (caches filling up). Default: a fifth of them. */
  warmupIterations: z.number().int().min(0).max(MAX_LEAK_ITERATIONS).optional(),
  /** Module scripts: where imports resolve (set by the front end, never by a page; see RunRequest). */
  modules: ModuleScope.optional(),
  /** Explain the profile (heap-snapshot diff, retainer paths) even when its verdict is not `leak`. */
  explain: z.boolean().optional(),
  /** Keep the explanation's last heap snapshot as a `.heapsnapshot` file (Chrome DevTools loads it): `explanation.snapshotFile`. */
  saveSnapshot: z.boolean().optional(),
});
export type LeakRequest = z.input<typeof LeakRequest>;

/** What a page or an HTTP caller may ask: a LeakRequest without `modules` (see CallerRunRequest). */
export const CallerLeakRequest = LeakRequest.omit({ modules: true });

export const LeakSample = z.object({
  iteration: z.number().int(),
  /** Heap used after a forced full GC, in bytes. */
  heapUsedBytes: z.number(),
  /** ArrayBuffer and other off-heap bytes after the GC. */
  externalBytes: z.number(),
  /** Host handles still outstanding after the iteration, by kind. */
  handles: HandleCounts,
  /** Time the iteration took, in ms (without the GC). */
  ms: z.number(),
  /** Time the forced GC took, in ms. */
  gcMs: z.number(),
});
export type LeakSample = z.infer<typeof LeakSample>;

export const LeakVerdict = z.enum(['leak', 'stable', 'inconclusive']);
export type LeakVerdict = z.infer<typeof LeakVerdict>;

export const Confidence = z.enum(['low', 'medium', 'high']);
export type Confidence = z.infer<typeof Confidence>;

/** One step of a retainer path, as a person reads it ("globalThis.handlers (Map)", "closure onMessage (line 9)"). */
export const RetainerStep = z.object({
  label: z.string(),
  /** The user's line (1-based) the step is about, when it has one (a closure's definition). */
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type RetainerStep = z.infer<typeof RetainerStep>;

/** A user-source position that allocated bytes still alive at the end (V8's sampling heap profiler, by function). */
export const AllocationSite = z.object({
  line: z.number().int(),
  column: z.number().int(),
  bytes: z.number(),
  functionName: z.string().optional(),
});
export type AllocationSite = z.infer<typeof AllocationSite>;

/** Objects of one kind that survived (or host handles from one line that were never released). */
export const LeakGroup = z.object({
  /** 'closure', 'array', 'object', 'string', … or 'timer' / 'interval' for handles. */
  kind: z.string(),
  /** Constructor, function name or 'setInterval'. */
  name: z.string(),
  /** Where a closure was defined or a timer was created (user line). */
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  countPerIteration: z.number(),
  bytesPerIteration: z.number(),
  /** The shortest path from a root user code can name (globalThis first) to a member of the group. */
  retainerPath: z.array(RetainerStep),
  allocationSites: z.array(AllocationSite),
});
export type LeakGroup = z.infer<typeof LeakGroup>;

export const LeakExplanation = z.object({
  /** Largest first by bytes per iteration; growing handles before heap groups. */
  groups: z.array(LeakGroup),
  /** User lines (function by function) whose allocations were still alive at the last snapshot. */
  allocationSites: z.array(AllocationSite),
  /** Iterations run between two snapshots. */
  iterationsBetweenSnapshots: z.number().int(),
  /** Bytes that survived per iteration, all of them, and those held by user-visible objects. */
  survivingBytesPerIteration: z.number(),
  userBytesPerIteration: z.number(),
  /** Size of each snapshot taken, in characters of JSON. */
  snapshotBytes: z.array(z.number()),
  /** Time the explanation took (its iterations, snapshots and analysis), in ms. */
  ms: z.number(),
  /** Why the explanation is missing or partial (a snapshot over its time or size budget, the run failed). */
  incomplete: z.string().optional(),
  /** Where the engine host saved the last snapshot, when the request asked for it (`saveSnapshot`). */
  snapshotFile: z.string().optional(),
});
export type LeakExplanation = z.infer<typeof LeakExplanation>;

export const LeakReport = z.object({
  runId: z.string(),
  verdict: LeakVerdict,
  /** Robust (Theil–Sen) slope of heap-after-GC + external bytes per iteration, after warm-up. */
  slopeBytesPerIteration: z.number(),
  confidence: Confidence,
  /** What drove the verdict, in words ("heap grows ≈ 1.1 KB per run", "timer handles grow by 1 per run"). */
  reasons: z.array(z.string()),
  /** Slope of outstanding handles per iteration, by kind, where non-zero. */
  handleSlopes: z.record(z.string(), z.number()),
  iterations: z.number().int(),
  /** Iterations actually completed (fewer when the profile stopped early). */
  completed: z.number().int(),
  warmupIterations: z.number().int(),
  samples: z.array(LeakSample),
  /** Why the profile stopped early (memory limit, timeout, cancel, script error), if it did. */
  stoppedBy: RunError.optional(),
  totalMs: z.number(),
  /** What survives and who holds it: on a `leak` verdict, or when asked for (`explain`). */
  explanation: LeakExplanation.optional(),
});
export type LeakReport = z.infer<typeof LeakReport>;

/** The report of a profile that stopped before (or while) it could run: the samples so far, no verdict. */
export function failedLeakReport(runId: string, iterations: number, type: string, message: string, totalMs = 0, samples: LeakSample[] = []): LeakReport {
  return {
    runId,
    verdict: 'inconclusive',
    slopeBytesPerIteration: 0,
    confidence: 'low',
    reasons: [message],
    handleSlopes: {},
    iterations,
    completed: samples.length,
    warmupIterations: 0,
    samples,
    stoppedBy: { type, message },
    totalMs,
  };
}
