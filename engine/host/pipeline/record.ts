/** A RunResult being assembled as the run goes through the pipeline's stages. */
import type { Clock } from '../../common/clock.ts';
import type { HandleReport, HeapReport, LogEntry, RunResult } from '../../common/contract.ts';
import type { Decision } from './outcome.ts';
import type { Settled } from './execute.ts';
import type { RecordedResult } from './values.ts';

const ZERO_HEAP: HeapReport = { usedBytes: 0, totalBytes: 0, limitBytes: 0, externalBytes: 0 };

export class RunRecord {
  readonly runId: string;
  readonly logs: LogEntry[] = [];
  readonly timing = { queuedMs: 0, compileMs: 0, executionMs: 0, cpuMs: 0, totalMs: 0 };
  logsTruncated = false;
  heap: HeapReport = { ...ZERO_HEAP };
  handles: HandleReport | undefined;
  isolate: RunResult['isolate'];
  /** Module scripts: what was bundled. */
  bundle: RunResult['bundle'];
  cpuProfile: RunResult['cpuProfile'];
  pausedMs: number | undefined;
  /** Inline values and coverage of an instrumented run. */
  recorded: RecordedResult | undefined;
  readonly #arrivedAt: number;
  readonly #clock: Clock;

  constructor(runId: string, arrivedAt: number, clock: Clock) {
    this.runId = runId;
    this.#arrivedAt = arrivedAt;
    this.#clock = clock;
  }

  /** Time since the request arrived. */
  elapsed(): number {
    return this.#clock.now() - this.#arrivedAt;
  }

  /** Time spent waiting for an isolate: since the request arrived, less bundling a module script's imports. */
  queuedMs(): number {
    return this.elapsed() - (this.bundle?.ms ?? 0);
  }

  settled(settled: Settled): void {
    this.timing.executionMs = settled.executionMs;
    this.timing.cpuMs = settled.cpuMs;
    this.heap = settled.heap;
    if (settled.cause.kind === 'returned') this.logsTruncated = settled.cause.outcome.logsTruncated;
    this.cpuProfile = settled.findings.cpuProfile;
    this.pausedMs = settled.findings.pausedMs;
  }

  finish(decision: Decision): RunResult {
    this.timing.totalMs = this.elapsed();
    return {
      runId: this.runId,
      ok: decision.ok,
      ...(decision.ok ? (decision.value !== undefined ? { value: decision.value } : {}) : { error: decision.error! }),
      logs: this.logs,
      logsTruncated: this.logsTruncated,
      timing: this.timing,
      heap: this.heap,
      ...(this.handles ? { handles: this.handles } : {}),
      ...(this.cpuProfile ? { cpuProfile: this.cpuProfile } : {}),
      ...(this.pausedMs !== undefined ? { pausedMs: this.pausedMs } : {}),
      ...(this.isolate ? { isolate: this.isolate } : {}),
      ...(this.bundle ? { bundle: this.bundle } : {}),
      ...(this.recorded?.values ? { values: this.recorded.values } : {}),
      ...(this.recorded?.coverage ? { coverage: this.recorded.coverage } : {}),
    };
  }
}
