/**
 * One run (or call, or leak profile) as the UI sees it: what was asked, the events streamed while
 * it executed, and its final result. Pure functions over plain data, so the reducer logic is
 * testable without React or a backend.
 *
 * The log, heap and leak arrays are append-only while a run executes and are shared between
 * successive session objects; `version` changes on every batch so views know to re-read them.
 */
import type { HeapSample, LogEntry, RunResult, Timing } from '../../../engine/common/contract.ts';
import type { LeakReport, LeakSample } from '../../../engine/common/leak.ts';
import type { RunEvent } from '../../../engine/common/protocol.ts';

export type RunKind = 'run' | 'call' | 'leak';

export interface RunSession {
  runId: string;
  kind: RunKind;
  script: string;
  /** What ran, in words: the script, or `add(2, 3)` for a call. */
  label: string;
  /** Date.now() when the request was sent. */
  startedAt: number;
  running: boolean;
  cancelRequested: boolean;
  logs: LogEntry[];
  heap: HeapSample[];
  leakSamples: LeakSample[];
  leakIterations: number;
  result?: RunResult;
  leak?: LeakReport;
  version: number;
}

export function newSession(init: { runId: string; kind: RunKind; script: string; label: string; startedAt: number; leakIterations?: number }): RunSession {
  return {
    ...init,
    running: true,
    cancelRequested: false,
    logs: [],
    heap: [],
    leakSamples: [],
    leakIterations: init.leakIterations ?? 0,
    version: 0,
  };
}

/** Folds a batch of streamed events into the session (events of other runs are ignored). */
export function applyEvents(session: RunSession, events: readonly RunEvent[]): RunSession {
  let { logs, heap, leakSamples, leakIterations } = session;
  let touched = false;
  for (const event of events) {
    if (event.runId !== session.runId) continue;
    // Results are authoritative; late events after the result would only duplicate lines.
    if (!session.running) continue;
    touched = true;
    switch (event.type) {
      case 'log':
        logs.push(event.entry);
        break;
      case 'heap':
        heap.push(event.sample);
        break;
      case 'leakProgress':
        if (!leakSamples.some((s) => s.iteration === event.sample.iteration)) leakSamples.push(event.sample);
        leakIterations = event.iterations;
        break;
      case 'restarted':
        // The run starts over on a new engine host: what streamed so far no longer counts.
        logs = [{ level: 'warn', text: `Restarted: ${event.reason}`, timeMs: 0 }];
        heap = [];
        leakSamples = [];
        break;
    }
  }
  return touched ? { ...session, logs, heap, leakSamples, leakIterations, version: session.version + 1 } : session;
}

export function finishRun(session: RunSession, result: RunResult): RunSession {
  if (!session.running && session.result) return session;
  // The result's log list is the complete, engine-bounded one (with its truncation marker).
  return { ...session, running: false, result, logs: result.logs, version: session.version + 1 };
}

export function finishLeak(session: RunSession, report: LeakReport): RunSession {
  if (!session.running && session.leak) return session;
  return { ...session, running: false, leak: report, leakSamples: report.samples, leakIterations: report.iterations, version: session.version + 1 };
}

/** A run whose request itself failed (connection lost, request refused) still ends with a result. */
export { failedRunResult as failedResult } from '../../../engine/common/contract.ts';

export interface HistoryEntry {
  runId: string;
  kind: RunKind;
  label: string;
  ok: boolean;
  errorType?: string;
  timing: Timing;
  finishedAt: number;
}

export const HISTORY_LENGTH = 20;

export function addToHistory(history: readonly HistoryEntry[], session: RunSession, finishedAt: number): HistoryEntry[] {
  if (!session.result || history.some((h) => h.runId === session.runId)) return [...history];
  const entry: HistoryEntry = {
    runId: session.runId,
    kind: session.kind,
    label: session.label,
    ok: session.result.ok,
    timing: session.result.timing,
    finishedAt,
    ...(session.result.error ? { errorType: session.result.error.type } : {}),
  };
  return [entry, ...history].slice(0, HISTORY_LENGTH);
}
