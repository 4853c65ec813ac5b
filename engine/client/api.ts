/**
 * What front ends (CLI, web mode, Electron main, tests) see of the engine. EngineClient implements
 * it; front ends and their tests depend on this interface, not on the process machinery.
 */
import type { EngineStatus, RunRequest, RunResult } from '../common/contract.ts';
import type { LeakReport, LeakRequest } from '../common/leak.ts';
import type { RunEvent } from '../common/protocol.ts';

export interface RunOptions {
  /** Choose the run id yourself (so you can cancel before the result arrives). Must be unique. */
  runId?: string;
  /** Called with this run's events (console lines, heap samples, leak progress) as they happen. */
  onEvent?: (event: RunEvent) => void;
}

/** Engine-wide happenings a UI wants to show. */
export type EngineNotice =
  | { type: 'hostStarted'; pid: number }
  | { type: 'hostExited'; pid: number; reason: string; restarting: boolean };

export interface Engine {
  /** Runs code; always resolves with a RunResult (errors are in `result.error`), never rejects. */
  run(request: RunRequest, options?: RunOptions): Promise<RunResult>;
  /** Profiles a script for leaks; resolves with the report, even when the profile stopped early. */
  leak(request: LeakRequest, options?: RunOptions): Promise<LeakReport>;
  /** Stops a run or a leak profile with CancelledError. Returns false if the id is unknown. */
  cancel(runId: string): boolean;
  /**
   * Sends a Chrome DevTools Protocol message to a debugged run's session (its replies and
   * notifications come back as `inspector` events). Returns false if the id is unknown.
   */
  inspect(runId: string, message: string): boolean;
  status(): Promise<EngineStatus>;
  /** Subscribes to engine-wide notices; returns the unsubscribe function. */
  onNotice(listener: (notice: EngineNotice) => void): () => void;
  /** Subscribes to every run's events (what `RunOptions.onEvent` gets, for all runs). */
  onEvent(listener: (event: RunEvent) => void): () => void;
  close(): Promise<void>;
}
