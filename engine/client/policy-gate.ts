/**
 * The team policy at the engine boundary. EngineClient passes every run and leak request through
 * here before it reaches a host, so no front end (CLI, web mode, Electron, the JSON API) can get
 * around the policy's limits. Refusals come back as a failed RunResult / LeakReport with type
 * PolicyError; a lowered limit comes back as a warning line at the top of the run's console.
 */
import { failedRunResult, type RunRequest, type RunResult } from '../common/contract.ts';
import { DEFAULT_LEAK_ITERATIONS, failedLeakReport, type LeakReport, type LeakRequest } from '../common/leak.ts';
import { gateLimits, POLICY_ERROR, type ActivePolicy, type Gate } from '../common/policy.ts';

export type PolicyOutcome<T, R> = { request: T; finish: (result: R) => R } | { refused: R };

export function policeRun(input: RunRequest, runId: string, active: ActivePolicy | null): PolicyOutcome<RunRequest, RunResult> {
  const gate: Gate<RunRequest> = gateLimits(input, active);
  if (!gate.ok) return { refused: failedRunResult(runId, POLICY_ERROR, gate.message) };
  return { request: gate.request, finish: (result) => withNotes(result, gate.notes) };
}

export function policeLeak(input: LeakRequest, runId: string, active: ActivePolicy | null): PolicyOutcome<LeakRequest, LeakReport> {
  const gate: Gate<LeakRequest> = gateLimits(input, active);
  if (!gate.ok) return { refused: failedLeakReport(runId, input.iterations ?? DEFAULT_LEAK_ITERATIONS, POLICY_ERROR, gate.message) };
  // A leak report has no console: its notes go first among the reasons the report gives.
  return { request: gate.request, finish: (report) => (gate.notes.length ? { ...report, reasons: [...gate.notes.map(note), ...report.reasons] } : report) };
}

function note(text: string): string {
  return `Team policy: ${text}`;
}

function withNotes(result: RunResult, notes: string[]): RunResult {
  if (notes.length === 0) return result;
  return { ...result, logs: [...notes.map((text) => ({ level: 'warn' as const, text: note(text), timeMs: 0 })), ...result.logs] };
}
