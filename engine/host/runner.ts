/**
 * Runs and calls: one request through the pipeline once. Source → lease (queue, isolate, context)
 * → compile → execute → settle → the outcome rule → RunResult, with console lines and heap
 * samples streamed as events on the way.
 */
import type { Clock } from '../common/clock.ts';
import { DEFAULT_TIMEOUT_MS, type ParsedRunRequest, type RunResult } from '../common/contract.ts';
import type { GuestRunRequest } from '../common/guest-abi.ts';
import type { RunEvent } from '../common/protocol.ts';
import type { InterruptRecorder } from './interrupt-stats.ts';
import { compile } from './pipeline/compile.ts';
import { Deadline } from './pipeline/deadline.ts';
import { execute } from './pipeline/execute.ts';
import type { Job, Jobs } from './pipeline/job.ts';
import { Lease } from './pipeline/lease.ts';
import { toLogEntry } from './pipeline/logs.ts';
import { decide, recordInterrupt, type Cause, type OutcomeContext } from './pipeline/outcome.ts';
import { heapSamplingProbe, type Probe } from './pipeline/probes.ts';
import { cpuProfileProbe, debuggerProbe } from './inspector/probes.ts';
import { RunRecord } from './pipeline/record.ts';
import { recordedResult } from './pipeline/values.ts';
import { defaultFilename, prepareSource } from './pipeline/source.ts';
import type { Pool } from './pool.ts';
import type { WrappedSource } from './wrap.ts';

export interface PipelineDeps {
  pool: Pool;
  jobs: Jobs;
  interrupts: InterruptRecorder;
  clock: Clock;
  emit: (event: RunEvent) => void;
  /** A request got its isolate (its deadline starts now; the client arms its guard). */
  onStarted?: (runId: string) => void;
  defaultMemoryLimitMb: number;
}

/** How long after the deadline the host's own timer interrupts: isolated-vm's cheaper timeout wins for sync loops. */
export const HOST_DEADLINE_MARGIN_MS = 1.5;

export class Runner {
  readonly #deps: PipelineDeps;

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
  }

  async run(runId: string, request: ParsedRunRequest, arrivedAt = this.#deps.clock.now()): Promise<RunResult> {
    const { clock, jobs } = this.#deps;
    const record = new RunRecord(runId, arrivedAt, clock);
    const ctx: OutcomeContext = {
      timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(request.cpuLimitMs !== undefined ? { cpuLimitMs: request.cpuLimitMs } : {}),
      memoryLimitMb: request.memoryLimitMb ?? this.#deps.defaultMemoryLimitMb,
      filename: request.filename ?? defaultFilename(request.language),
      subject: 'run',
    };
    const job = jobs.open(runId);
    try {
      const source = await prepareSource(request, job.queueSignal);
      if (!source.ok) return this.#finish(record, ctx, job.interrupted ? { kind: 'interrupted', interrupt: job.interrupted, by: 'host' } : { kind: 'notRun', error: source.error });
      ctx.wrapped = source.wrapped;
      record.bundle = source.bundle;
      return await this.#leased(job, request, ctx, record);
    } finally {
      jobs.close(job);
    }
  }

  async #leased(job: Job, request: ParsedRunRequest, ctx: OutcomeContext, record: RunRecord): Promise<RunResult> {
    const { pool, onStarted } = this.#deps;
    let lease: Lease;
    // A debugged or profiled run gets an isolate of its own with V8's inspector on.
    const inspected = request.debug !== undefined || request.profile !== undefined;
    const options = { memoryLimitMb: ctx.memoryLimitMb, reuseContext: request.reuseContext === true && !inspected, onAcquired: () => onStarted?.(job.id) };
    try {
      lease = inspected ? await Lease.openDedicated(pool, job, options) : await Lease.open(pool, job, options);
    } catch (error) {
      record.timing.queuedMs = record.queuedMs();
      return this.#finish(record, ctx, job.interrupted ? { kind: 'interrupted', interrupt: job.interrupted, by: 'host' } : refused(error));
    }
    record.timing.queuedMs = record.queuedMs();
    record.isolate = { index: lease.slot.index, contextReused: lease.context.runs > 0 };
    let failed = true;
    try {
      const guest = guestRequest(request, ctx.wrapped!, false);
      const cause = await this.#compileAndExecute(lease, job, request, guest, ctx, record);
      recordInterrupt(cause, this.#deps.interrupts, this.#deps.clock.now());
      const decision = decide(cause, ctx);
      if (decision.isolate === 'replace') lease.slot.replaceSoon();
      const cleared = await lease.context.clearTimers();
      record.handles = { outstanding: lease.context.ledger.counts(), clearedAtEnd: cleared > 0 ? { timer: cleared } : {} };
      failed = !decision.ok;
      const recorded = cause.kind === 'returned' ? cause.outcome.recorded : undefined;
      const instr = ctx.wrapped?.instrumentation;
      if (instr && request.record) record.recorded = recordedResult(instr, { recorded, hits: guest.record?.hits, error: decision.error }, request.record);
      return record.finish(decision);
    } finally {
      lease.close(failed);
    }
  }

  async #compileAndExecute(lease: Lease, job: Job, request: ParsedRunRequest, guest: GuestRunRequest, ctx: OutcomeContext, record: RunRecord): Promise<Cause> {
    const { clock, emit } = this.#deps;
    const deadline = new Deadline(clock, ctx.timeoutMs, () => job.interrupt('timeout'), HOST_DEADLINE_MARGIN_MS);
    try {
      const compileStart = clock.now();
      const compiled = await compile(lease.slot.isolate, ctx.wrapped!, ctx.filename);
      record.timing.compileMs = clock.now() - compileStart;
      if (!compiled.ok) return 'error' in compiled ? { kind: 'notRun', error: compiled.error } : { kind: 'isolateLost' };
      const streamLogs = request.stream?.logs === true;
      const settled = await execute(
        lease,
        job,
        {
          script: compiled.script,
          instantiate: true,
          request: guest,
          deadline,
          ...(request.cpuLimitMs !== undefined ? { cpuLimitMs: request.cpuLimitMs } : {}),
          // isolated-vm's own timeout would end a run paused at a breakpoint: only the (pausable) deadline bounds it.
          isolateTimeout: request.debug === undefined,
          probes: this.#probes(job.id, request, ctx.filename),
          source: { filename: ctx.filename, wrapped: ctx.wrapped! },
          onLog: (level, args, timeMs) => {
            const entry = toLogEntry(level, args, timeMs, ctx);
            record.logs.push(entry);
            if (streamLogs) emit({ type: 'log', runId: job.id, entry });
          },
        },
        clock,
      );
      compiled.script.release();
      record.settled(settled);
      return settled.cause;
    } finally {
      deadline.cancel();
    }
  }

  #probes(runId: string, request: ParsedRunRequest, filename: string): Probe[] {
    const { emit } = this.#deps;
    const probes: Probe[] = [];
    if (request.stream?.heap) probes.push(heapSamplingProbe(runId, request.stream.heapIntervalMs ?? 50, emit));
    if (request.debug) probes.push(debuggerProbe({ ...request.debug, filename, relay: (message) => emit({ type: 'inspector', runId, message }) }));
    if (request.profile) probes.push(cpuProfileProbe(request.profile));
    return probes;
  }

  #finish(record: RunRecord, ctx: OutcomeContext, cause: Cause): RunResult {
    recordInterrupt(cause, this.#deps.interrupts, this.#deps.clock.now());
    return record.finish(decide(cause, ctx));
  }
}

/** What the guest needs to run a request (call mode: which function, with which arguments). */
export function guestRequest(request: Pick<ParsedRunRequest, 'call'>, wrapped: WrappedSource, keepFunctions: boolean): GuestRunRequest {
  const call = request.call && wrapped.callToken ? { token: wrapped.callToken, name: request.call.name, argsJson: JSON.stringify(request.call.args ?? []) } : undefined;
  const instr = wrapped.instrumentation;
  const record = instr ? { record: { sites: instr.sites.length, hits: new SharedArrayBuffer(4 * (instr.statementLines.length + 1)) } } : {};
  return { ...(call ? { call } : {}), startMs: Date.now(), keepFunctions, ...record };
}

/** A request the pool would not take (queue full, host over its memory budget). */
export function refused(error: unknown): Cause {
  const e = error as Error;
  return { kind: 'notRun', error: { type: e.name ?? 'EngineBusyError', message: e.message ?? String(error) } };
}
