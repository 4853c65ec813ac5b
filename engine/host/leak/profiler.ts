/**
 * Leak profiles: a script (or one of its functions) run N times in ONE context, as a long-lived
 * program would, with timers and handles persisting across iterations. Between iterations the
 * guest's captured `gc` forces a full collection (user code never sees `gc`), then heap, external
 * bytes and the handle ledger are sampled. The verdict comes from verdict.ts.
 */
import { randomBytes } from 'node:crypto';
import type ivm from 'isolated-vm';
import { DEFAULT_TIMEOUT_MS, type RunError } from '../../common/contract.ts';
import { DEFAULT_LEAK_ITERATIONS, LeakRequest, type LeakReport, type LeakSample } from '../../common/leak.ts';
import type { GuestContext } from '../guest-context.ts';
import type { InterruptKind } from '../interrupt-stats.ts';
import type { IsolateSlot } from '../slot.ts';
import { compileError, defaultFilename, heapFigures, INTERRUPT_ERRORS, type RunnerDeps } from '../runner.ts';
import { positionFromStack, wrapSource, WRAPPER_LINE_OFFSET, TypeScriptError, type WrappedSource } from '../wrap.ts';
import { computeVerdict, defaultWarmupIterations } from './verdict.ts';

interface Outcome {
  ok: boolean;
  error?: { type: string; message: string; stack?: string; code?: string };
}

export class LeakProfiler {
  readonly #deps: RunnerDeps;
  readonly #active = new Map<string, (kind: InterruptKind) => void>();

  constructor(deps: RunnerDeps) {
    this.#deps = deps;
  }

  cancel(runId: string): boolean {
    const interrupt = this.#active.get(runId);
    if (!interrupt) return false;
    interrupt('cancel');
    return true;
  }

  async profile(runId: string, input: unknown): Promise<LeakReport> {
    const request = LeakRequest.parse(input);
    const { pool, interrupts, emit } = this.#deps;
    const startedAt = performance.now();
    const iterations = request.iterations ?? DEFAULT_LEAK_ITERATIONS;
    const warmup = Math.min(request.warmupIterations ?? defaultWarmupIterations(iterations), iterations - 1);
    const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const memoryLimitMb = request.memoryLimitMb ?? this.#deps.defaultMemoryLimitMb;
    const filename = request.filename ?? defaultFilename(request.language);
    const samples: LeakSample[] = [];
    let stoppedBy: RunError | undefined;

    const report = (): LeakReport => {
      const hitMemoryLimit = stoppedBy?.type === 'MemoryLimitError';
      const verdict = computeVerdict(samples, { warmupIterations: warmup, hitMemoryLimit });
      return {
        runId,
        verdict: verdict.verdict,
        slopeBytesPerIteration: verdict.slopeBytesPerIteration,
        confidence: verdict.confidence,
        reasons: hitMemoryLimit ? [`the heap reached the ${memoryLimitMb} MB memory limit after ${samples.length} runs`, ...verdict.reasons] : verdict.reasons,
        handleSlopes: verdict.handleSlopes,
        iterations,
        completed: samples.length,
        warmupIterations: verdict.warmupIterations,
        samples,
        ...(stoppedBy ? { stoppedBy } : {}),
        totalMs: performance.now() - startedAt,
      };
    };

    const callToken = request.call ? randomBytes(12).toString('hex') : undefined;
    let wrapped: WrappedSource;
    try {
      wrapped = wrapSource(request.code, { ...(request.language ? { language: request.language } : {}), ...(callToken ? { callToken } : {}) });
    } catch (error) {
      if (error instanceof TypeScriptError) {
        stoppedBy = { type: 'SyntaxError', message: error.message, ...(error.line ? { line: error.line, column: error.column ?? 1 } : {}) };
        return report();
      }
      throw error;
    }

    let interrupted: { kind: InterruptKind; at: number } | undefined;
    let slotForInterrupt: IsolateSlot | undefined;
    const queueAbort = new AbortController();
    this.#active.set(runId, (kind) => {
      if (interrupted) return;
      interrupted = { kind, at: performance.now() };
      if (slotForInterrupt) slotForInterrupt.replace();
      else queueAbort.abort(new Error('cancelled'));
    });

    let slot: IsolateSlot;
    try {
      slot = await pool.acquire(memoryLimitMb, queueAbort.signal);
    } catch (error) {
      this.#active.delete(runId);
      stoppedBy = interrupted
        ? { type: 'CancelledError', message: 'Leak profile was cancelled' }
        : { type: (error as Error).name, message: (error as Error).message };
      return report();
    }

    this.#deps.onStarted?.(runId);
    let context: GuestContext | undefined;
    const timers: NodeJS.Timeout[] = [];
    try {
      await slot.ensureMemoryLimit(memoryLimitMb);
      context = await slot.takeFreshContext();
      slotForInterrupt = slot;
      if (interrupted) slot.replace();
      const isolate = slot.isolate;
      let script: ivm.Script;
      try {
        script = await isolate.compileScript(wrapped.code, { filename, lineOffset: WRAPPER_LINE_OFFSET });
      } catch (error) {
        stoppedBy = compileError(error, filename, wrapped);
        return report();
      }
      const profileDeadline = performance.now() + timeoutMs * iterations;
      context.timerDeadline = profileDeadline;
      context.setLogSink(() => {});
      const call = request.call && callToken ? { token: callToken, name: request.call.name, argsJson: JSON.stringify(request.call.args ?? []) } : undefined;

      for (let iteration = 1; iteration <= iterations && !interrupted; iteration++) {
        const iterStart = performance.now();
        // A whole-script profile re-runs the script each time; a function profile runs the script once, then only calls.
        const fn = !call || iteration === 1 ? ((await script.run(context.context, { reference: true, timeout: timeoutMs })) as ivm.Reference) : undefined;
        const deadline = setTimeout(() => this.#active.get(runId)?.('timeout'), timeoutMs);
        timers.push(deadline);
        let outcomeJson: string | undefined;
        let runError: unknown;
        try {
          outcomeJson = await context.run(fn, call, Date.now(), timeoutMs, true);
        } catch (error) {
          runError = error;
        }
        clearTimeout(deadline);
        try {
          fn?.release();
        } catch {
          /* gone with a disposed isolate */
        }
        const ms = performance.now() - iterStart;
        if (!interrupted && runError !== undefined) {
          const message = String((runError as Error)?.message ?? runError);
          interrupted = { kind: /timed out/i.test(message) ? 'timeout' : 'memory', at: performance.now() };
          slot.replace();
        }
        if (interrupted) break;
        const outcome = JSON.parse(outcomeJson!) as Outcome;
        if (!outcome.ok) {
          const err = outcome.error!;
          stoppedBy = { type: err.type, message: err.message, ...(positionFromStack(err.stack, filename, wrapped) ?? {}) };
          break;
        }
        // One full, synchronous collection: what survives it is what the iteration kept.
        const gcStart = performance.now();
        await context.control('gc', timeoutMs);
        const gcMs = performance.now() - gcStart;
        const heap = heapFigures(await isolate.getHeapStatistics());
        const sample: LeakSample = {
          iteration,
          heapUsedBytes: heap.usedBytes,
          externalBytes: heap.externalBytes,
          handles: context.ledger.counts(),
          ms,
          gcMs,
        };
        samples.push(sample);
        emit({ type: 'leakProgress', runId, sample, iterations });
      }
      script.release();
      if (interrupted) {
        interrupts.record(interrupted.kind, performance.now() - interrupted.at);
        const spec = INTERRUPT_ERRORS[interrupted.kind];
        stoppedBy = { type: spec.type, message: spec.message({ ...request, timeoutMs, memoryLimitMb, code: '' }).replace(/^Run/, 'An iteration') };
        if (interrupted.kind === 'cancel') stoppedBy.message = 'Leak profile was cancelled';
      }
      return report();
    } catch (error) {
      const message = String((error as Error)?.message ?? error);
      if (/memory limit/i.test(message)) {
        interrupts.record('memory');
        slot.replace();
        stoppedBy = { type: 'MemoryLimitError', message: `An iteration exceeded the isolate's ${memoryLimitMb} MB memory limit` };
      } else if (interrupted) {
        stoppedBy = { type: INTERRUPT_ERRORS[interrupted.kind].type, message: message };
      } else {
        stoppedBy = { type: 'EngineError', message: `The engine could not profile the code: ${message}` };
      }
      return report();
    } finally {
      for (const t of timers) clearTimeout(t);
      this.#active.delete(runId);
      if (context) {
        await context.clearTimers();
        context.release();
      }
      slot.finishRun(stoppedBy !== undefined);
      slot.prepareNext();
      pool.release(slot);
    }
  }
}
