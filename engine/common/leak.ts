/**
 * Leak profiling contract: a script (or one of its functions) run N times in one context, a full
 * GC between iterations, and a verdict fitted over what survives.
 */
import * as z from 'zod';
import { CallSpec, HandleCounts, Language, ModuleScope, RunError, RunLimits, MAX_SOURCE_CHARS } from './contract.ts';

export const DEFAULT_LEAK_ITERATIONS = 40;
export const MAX_LEAK_ITERATIONS = 10_000;

export const LeakRequest = RunLimits.extend({
  code: z.string().max(MAX_SOURCE_CHARS),
  language: Language.optional(),
  filename: z.string().max(1024).optional(),
  /** Call this top-level function each iteration instead of re-running the whole script. */
  call: CallSpec.optional(),
  iterations: z.number().int().min(3).max(MAX_LEAK_ITERATIONS).optional(),
  /** Iterations at the start that the fit ignores (caches filling up). Default: a fifth of them. */
  warmupIterations: z.number().int().min(0).max(MAX_LEAK_ITERATIONS).optional(),
  /** Module scripts: where imports resolve (set by the front end, never by a page; see RunRequest). */
  modules: ModuleScope.optional(),
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
