/**
 * What V8's inspector adds to a run: a debugger session (Chrome DevTools Protocol messages relayed
 * between a front end and the run's isolate), a CPU profile, and the receipt of where a stopped
 * run was. Positions are the user's own: 1-based lines and columns, as a thrown error's.
 */
import * as z from 'zod';
import { unknownFieldsError } from './validation.ts';

/** How long a run may stay paused in the debugger before it is ended. */
export const DEFAULT_DEBUG_IDLE_MS = 30 * 60_000;
export const DEFAULT_PROFILE_INTERVAL_US = 100;
/** The longest Chrome DevTools Protocol message a front end may send a run (an expression, a breakpoint condition). */
export const MAX_INSPECTOR_MESSAGE_CHARS = 1024 * 1024;

export const DebugOptions = z.strictObject({
  /**
   * Do not start the code until the front end sends `Runtime.runIfWaitingForDebugger` (after it has
   * enabled the Debugger domain and set its breakpoints), as Node's --inspect-brk does.
   */
  waitForDebugger: z.boolean().optional(),
  /** Pause on the first line of the user's code (--inspect-brk). */
  stopOnEntry: z.boolean().optional(),
  /** A run paused longer than this is ended (default 30 minutes), in ms. */
  idleLimitMs: z.number().int().min(1_000).max(24 * 3_600_000).optional(),
}, { error: unknownFieldsError });
export type DebugOptions = z.infer<typeof DebugOptions>;

export const ProfileOptions = z.strictObject({
  /** Sampling interval of the CPU profiler, in µs (default 100: about 1,000 samples for a 100 ms run). */
  samplingIntervalUs: z.number().int().min(10).max(100_000).optional(),
}, { error: unknownFieldsError });
export type ProfileOptions = z.infer<typeof ProfileOptions>;

/** A V8 CPU profile, as Chrome DevTools, VS Code and speedscope load it (a `.cpuprofile`). */
export const CpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number().int(),
      callFrame: z.object({
        functionName: z.string(),
        scriptId: z.string(),
        url: z.string(),
        /** 0-based, as V8 writes it. */
        lineNumber: z.number().int(),
        /** 0-based, as V8 writes it. */
        columnNumber: z.number().int(),
      }),
      hitCount: z.number().int().optional(),
      children: z.array(z.number().int()).optional(),
      positionTicks: z.array(z.object({ line: z.number().int(), ticks: z.number().int() })).optional(),
    }),
  ),
  /** µs */
  startTime: z.number(),
  /** µs */
  endTime: z.number(),
  samples: z.array(z.number().int()).optional(),
  timeDeltas: z.array(z.number()).optional(),
});
export type CpuProfile = z.infer<typeof CpuProfile>;

/** Something a stopped run was waiting on, with the user-source position that created it. */
export const Wait = z.object({
  kind: z.enum(['timer', 'interval', 'promise']),
  /** Module scripts: the imported file that created it (relative to the module root), when not the script itself. */
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  /** Timers: the delay they were set with, in ms. */
  delayMs: z.number().optional(),
});
export type Wait = z.infer<typeof Wait>;

/** Where a run was when it was stopped (timeout, CPU limit, Stop). */
export const StopReceipt = z.object({
  /** busy: running JavaScript (CPU time ≈ wall time, e.g. a loop); waiting: idle, awaiting something. */
  state: z.enum(['busy', 'waiting']),
  cpuMs: z.number(),
  wallMs: z.number(),
  /** The user frames it was executing, innermost first ("fn (line 3, column 9)"). */
  frames: z
    .array(
      z.object({
        functionName: z.string(),
        /** Module scripts: the imported file of the frame (relative to the module root), when not the script itself. */
        file: z.string().optional(),
        line: z.number().int(),
        column: z.number().int(),
      }),
    )
    .optional(),
  /** What a waiting run waited on. */
  waits: z.array(Wait).optional(),
});
export type StopReceipt = z.infer<typeof StopReceipt>;
