/** Settings of an engine host process; EngineClient passes them on the host's command line. */
import * as z from 'zod';
import { MAX_MEMORY_LIMIT_MB, MIN_MEMORY_LIMIT_MB } from './contract.ts';

export const HostOptions = z.object({
  /** Warm isolates (default: the number of CPUs). */
  poolSize: z.number().int().min(1).max(64).optional(),
  /** Default heap limit of each isolate, in MiB. */
  memoryLimitMb: z.number().int().min(MIN_MEMORY_LIMIT_MB).max(MAX_MEMORY_LIMIT_MB).optional(),
  /** Runs that may wait for an isolate; past this, EngineBusyError. */
  maxQueue: z.number().int().min(0).max(1_000_000).default(10_000),
  /** Console lines kept per run before the truncation marker. */
  maxLogLines: z.number().int().min(1).default(100_000),
  /** Console bytes (encoded JSON) kept per run before the truncation marker. */
  maxLogBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
  /** Timers one context may have pending at once. */
  maxTimers: z.number().int().min(1).default(10_000),
  /** Recycle an isolate after this many runs. */
  recycleAfterRuns: z.number().int().min(1).default(5_000),
  /** Recycle an isolate after this many failed runs. */
  recycleAfterErrors: z.number().int().min(1).default(200),
  /** Soft RSS budget of the host, in MiB: past it new work is refused and idle isolates recycled; past 1.5× the host exits. */
  rssBudgetMb: z.number().int().min(64).default(4096),
  rssCheckIntervalMs: z.number().int().min(10).default(250),
});
export type HostOptions = z.input<typeof HostOptions>;
export type ParsedHostOptions = z.output<typeof HostOptions>;
