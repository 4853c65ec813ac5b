/**
 * The engine's contract: requests, results and events, declared once as schemas with the types
 * inferred from them. The host channel (protocol.ts), Electron IPC and web mode's WebSocket all
 * carry these shapes, and every receiver parses what it gets.
 */
import * as z from 'zod';
import { LOG_LEVELS, type Encoded } from './guest-abi.ts';
import { CpuProfile, DebugOptions, ProfileOptions, StopReceipt } from './inspect.ts';
import { JSON_TOO_DEEP, jsonValueTooDeep, utf8ByteLength } from './input.ts';
import { unknownFieldsError } from './validation.ts';

/**
 * Largest source accepted, in bytes of UTF-8: the one rule for a file the CLI reads, a script the
 * workspace saves or an archive carries, and the `code` of any request (a 50 MB paste is refused
 * with a message).
 */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;
export const MAX_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MEMORY_LIMIT_MB = 128;
export const MIN_MEMORY_LIMIT_MB = 8;
export const MAX_MEMORY_LIMIT_MB = 4096;

const encodedValue = z.custom<Encoded>(() => true);

/**
 * An object that refuses fields it does not declare, naming them: a misspelled `timeoutMS: 200`
 * must not run with the default 10 s. Strictness lives in the contract, not in one transport, so
 * the JSON API, the WebSocket, Electron IPC and the host channel all refuse alike. (`extend`,
 * `omit` and `partial` keep it.)
 */
export function strictObject<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, { error: unknownFieldsError });
}

/** Source text, at most MAX_SOURCE_BYTES of UTF-8 (cheap for the common case: 3 bytes per unit at most). */
export const SourceText = z
  .string()
  .refine(
    (text) => text.length <= MAX_SOURCE_BYTES && (text.length * 3 <= MAX_SOURCE_BYTES || utf8ByteLength(text) <= MAX_SOURCE_BYTES),
    `source is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB (UTF-8)`,
  );

/** Limits of one run. Every field says its unit. */
export const RunLimits = strictObject({
  /** Wall-clock deadline of the whole run (sync code, awaited promises, timers), in ms. */
  timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional(),
  /** CPU time the run may use, in ms; unset means only the wall-clock deadline applies. */
  cpuLimitMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).optional(),
  /** Heap limit of the isolate that runs the code, in MiB. */
  memoryLimitMb: z.number().int().min(MIN_MEMORY_LIMIT_MB).max(MAX_MEMORY_LIMIT_MB).optional(),
});
export type RunLimits = z.infer<typeof RunLimits>;

export const Language = z.enum(['javascript', 'typescript']);
export type Language = z.infer<typeof Language>;

export const CallSpec = strictObject({
  /** Name of a function the script defines at top level. */
  name: z.string().min(1).max(256),
  /**
   * Arguments, as JSON values. Their depth is checked before `z.json()` walks them: it recurses,
   * and an array nested 2,000 deep already overflows the stack.
   */
  args: z
    .array(z.unknown())
    .max(1000)
    .refine((args) => !jsonValueTooDeep(args), JSON_TOO_DEEP)
    .pipe(z.array(z.json()))
    .default([]),
});
export type CallSpec = z.infer<typeof CallSpec>;

export const StreamOptions = strictObject({
  /** Send each console line as an event while the run executes. */
  logs: z.boolean().optional(),
  /** Send heap samples as events while the run executes. */
  heap: z.boolean().optional(),
  /** Heap sampling period, in ms (default 50). */
  heapIntervalMs: z.number().int().min(5).max(10_000).optional(),
});
export type StreamOptions = z.infer<typeof StreamOptions>;

/**
 * Where a script's imports come from. Set by the front end that knows the script's folder (the
 * IDE's backend from the workspace it serves, the CLI from the file's folder), never by a page or
 * an HTTP caller: the renderer channel table and the JSON API leave it out of their requests.
 */
export const ModuleScope = strictObject({
  /** Absolute folder the script lives in: its relative imports, and the `node_modules` lookup, start here. */
  dir: z.string().min(1).max(4096),
  /** Absolute confinement root (`dir` or one of its parents): nothing outside it is ever read, symlinks included. */
  root: z.string().min(1).max(4096),
});
export type ModuleScope = z.infer<typeof ModuleScope>;

/** What an instrumented run records (the source is rewritten before it runs; see README "Inline values"). */
export const RecordOptions = strictObject({
  /** Values of top-level expressions, console calls and `//?` expressions, by line (RunResult.values). */
  values: z.boolean().optional(),
  /** Which lines ran (RunResult.coverage). */
  coverage: z.boolean().optional(),
});
export type RecordOptions = z.infer<typeof RecordOptions>;

export const RunRequest = RunLimits.extend({
  code: SourceText,
  language: Language.optional(),
  /** Shown in stack traces. */
  filename: z.string().max(1024).optional(),
  /** Run in the isolate's long-lived context instead of a fresh one (faster; globals persist). */
  reuseContext: z.boolean().optional(),
  /** Run the script, then call one of its top-level functions. */
  call: CallSpec.optional(),
  stream: StreamOptions.optional(),
  /** Module scripts (import/export): where imports resolve. Without it only the sandbox's own `buffer` module can be imported. */
  modules: ModuleScope.optional(),
  /** Run with a debugger session: Chrome DevTools Protocol messages travel as `inspector` events and `inspect` requests. */
  debug: DebugOptions.optional(),
  /** Record a V8 CPU profile of the run (RunResult.cpuProfile). */
  profile: ProfileOptions.optional(),
  /** Record inline values and/or line coverage; runs that do not ask pay nothing. */
  record: RecordOptions.optional(),
});
export type RunRequest = z.input<typeof RunRequest>;
export type ParsedRunRequest = z.output<typeof RunRequest>;

/** What a page (renderer channel) or an HTTP caller may ask: a RunRequest without `modules`, which its front end fills in. */
export const CallerRunRequest = RunRequest.omit({ modules: true });

export const LogLevel = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevel>;

export const LogEntry = z.object({
  level: LogLevel,
  /** The line as console.log would print it. */
  text: z.string(),
  /** Milliseconds since the run started. */
  timeMs: z.number(),
  /** The arguments as encoded values (absent on the truncation marker). */
  args: z.array(encodedValue).optional(),
});
export type LogEntry = z.infer<typeof LogEntry>;

export const Timing = z.object({
  queuedMs: z.number(),
  compileMs: z.number(),
  executionMs: z.number(),
  cpuMs: z.number(),
  totalMs: z.number(),
});
export type Timing = z.infer<typeof Timing>;

export const HeapFigures = z.object({
  usedBytes: z.number(),
  totalBytes: z.number(),
  limitBytes: z.number(),
  externalBytes: z.number(),
});
export type HeapFigures = z.infer<typeof HeapFigures>;

/** After-run figures, plus the same figures taken just before the code started. */
export const HeapReport = HeapFigures.extend({ before: HeapFigures.optional() });
export type HeapReport = z.infer<typeof HeapReport>;

export const RunError = z.object({
  /** Class name: TimeoutError, MemoryLimitError, ... or the script's own SyntaxError, TypeError ... */
  type: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  /** 1-based line in the user's own source. */
  line: z.number().int().optional(),
  /** 1-based column in the user's own source. */
  column: z.number().int().optional(),
  /**
   * The file `line` and `column` are in, when it is not the run's own script: an imported file,
   * as a '/'-separated path relative to the module root (`util.js`, `node_modules/pkg/index.js`).
   */
  file: z.string().optional(),
  /** Node-style error code, when the error had one (ERR_OUT_OF_RANGE ...). */
  code: z.string().optional(),
  /** The thrown value itself, when it was not an Error. */
  value: encodedValue.optional(),
  /** A run stopped by timeout, CPU limit or Stop: where it was and what it was doing (line/column above are its innermost user frame). */
  stopped: StopReceipt.optional(),
});
export type RunError = z.infer<typeof RunError>;

/** Host resources by kind (timer, callback ...). */
export const HandleCounts = z.record(z.string(), z.number().int());
export type HandleCounts = z.infer<typeof HandleCounts>;

export const HandleReport = z.object({
  /** Still registered when the run ended (after end-of-run cleanup). */
  outstanding: HandleCounts,
  /** Left pending by the code and released by the engine when the run ended. */
  clearedAtEnd: HandleCounts,
});
export type HandleReport = z.infer<typeof HandleReport>;

/** Most inline values a run reports (one per recorded site, each its last value). */
export const MAX_INLINE_VALUES = 1_000;

export const InlineValue = z.object({
  /** 1-based line in the user's source the value belongs to. */
  line: z.number().int(),
  column: z.number().int().optional(),
  /** `expression`: a top-level expression statement; `log`: a console call's arguments; `probe`: an expression marked `//?`; `error`: what the run failed with, at its line. */
  kind: z.enum(['expression', 'log', 'probe', 'error']),
  /** One line of text (the console formatting), at most PREVIEW_CHARS characters. */
  preview: z.string(),
  /** Times the site ran (the value is the last one). */
  count: z.number().int(),
  /** The last value (a console call: its one argument, or an array of its arguments), for a value tree. */
  value: encodedValue.optional(),
});
export type InlineValue = z.infer<typeof InlineValue>;

export const Coverage = z.object({
  /** Lines where a counted statement starts (the lines that can be dimmed). */
  lines: z.array(z.number().int()),
  /** Those of them where a statement ran. */
  linesRun: z.array(z.number().int()),
});
export type Coverage = z.infer<typeof Coverage>;

export const RunResult = z.object({
  runId: z.string(),
  ok: z.boolean(),
  value: encodedValue.optional(),
  error: RunError.optional(),
  logs: z.array(LogEntry),
  /** True when the engine bounded the console output (a marker line says how much was dropped). */
  logsTruncated: z.boolean(),
  timing: Timing,
  heap: HeapReport,
  handles: HandleReport.optional(),
  /** Module scripts: what was bundled for the run (absent for scripts without imports). */
  bundle: z
    .object({
      /** Source files in the bundle (the script itself, imported workspace files, package files). */
      files: z.number().int(),
      /** Size of the bundled source, in bytes of UTF-8. */
      bytes: z.number().int(),
      /** Time spent bundling, or checking that the cached bundle is current, in ms. */
      ms: z.number(),
      /** True when the bundle came from the cache (no file had changed). */
      cached: z.boolean(),
    })
    .optional(),
  /** The V8 CPU profile of the run, when it asked for one. */
  cpuProfile: CpuProfile.optional(),
  /** Time spent paused in the debugger, in ms (not counted against the deadline). */
  pausedMs: z.number().optional(),
  /** Which isolate ran it and whether its context was reused. */
  isolate: z.object({ index: z.number().int(), contextReused: z.boolean() }).optional(),
  /** Inline values, by line (runs that asked with `record.values`). */
  values: z.array(InlineValue).optional(),
  /** Line coverage (runs that asked with `record.coverage`). */
  coverage: Coverage.optional(),
});
export type RunResult = z.infer<typeof RunResult>;

export const HeapSample = HeapFigures.extend({ timeMs: z.number() });
export type HeapSample = z.infer<typeof HeapSample>;

/** Interrupts counted by the engine host since it started (it alone decides outcomes). */
export const HostInterruptStats = z.object({
  timeouts: z.number().int(),
  cpuLimits: z.number().int(),
  cancels: z.number().int(),
  memoryLimits: z.number().int(),
  /** Interrupt requested (deadline passed, cancel arrived) to outcome decided, in ms. */
  latencyMs: z.object({ count: z.number().int(), p50: z.number(), p99: z.number(), max: z.number() }),
});
export type HostInterruptStats = z.infer<typeof HostInterruptStats>;

export const InterruptStats = HostInterruptStats.extend({
  /** Engine hosts replaced since the client started (counted by the client). */
  hostRestarts: z.number().int(),
});
export type InterruptStats = z.infer<typeof InterruptStats>;

export const PoolStatus = z.object({
  size: z.number().int(),
  busy: z.number().int(),
  queued: z.number().int(),
  maxQueue: z.number().int(),
  runs: z.number().int(),
  isolatesReplaced: z.number().int(),
  rssBytes: z.number(),
  /** The engine host's own V8 heap (committed, not the isolates'), in bytes. */
  hostHeapBytes: z.number(),
  rssBudgetBytes: z.number(),
  acceptingWork: z.boolean(),
  isolates: z.array(
    z.object({
      index: z.number().int(),
      busy: z.boolean(),
      runs: z.number().int(),
      errors: z.number().int(),
      memoryLimitMb: z.number().int(),
      heapUsedBytes: z.number(),
    }),
  ),
});
export type PoolStatus = z.infer<typeof PoolStatus>;

export const EngineStatus = z.object({
  state: z.enum(['starting', 'ready', 'restarting', 'closed']),
  pool: PoolStatus.optional(),
  interrupts: InterruptStats,
  versions: z.object({ node: z.string(), v8: z.string(), isolatedVm: z.string() }).optional(),
  hostPid: z.number().int().optional(),
});
export type EngineStatus = z.infer<typeof EngineStatus>;

/** The result of a run that never got to execute (refused, disconnected, host gone): one still comes back. */
export function failedRunResult(runId: string, type: string, message: string, totalMs = 0): RunResult {
  return {
    runId,
    ok: false,
    error: { type, message },
    logs: [],
    logsTruncated: false,
    timing: { queuedMs: 0, compileMs: 0, executionMs: 0, cpuMs: 0, totalMs },
    heap: { usedBytes: 0, totalBytes: 0, limitBytes: 0, externalBytes: 0 },
  };
}
