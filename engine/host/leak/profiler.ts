/**
 * Leak profiles: a script (or one of its functions) run N times in ONE context, as a long-lived
 * program would, with timers and handles persisting across iterations. Every iteration is one
 * execution of the pipeline (its own deadline, the same outcome rule as a run); between
 * iterations the guest's captured `gc` forces a full collection (user code never sees `gc`), then
 * heap, external bytes and the handle ledger are sampled. The verdict comes from verdict.ts.
 *
 * A profile runs in an isolate of its own with V8's inspector on (lease.ts `openDedicated`), so
 * that a `leak` verdict (or a request to explain any profile) can go on to explain itself in the
 * same context: a few more iterations between heap snapshots (explainer.ts). The inspector session
 * exists only while explaining; the samples are taken as before.
 */
import { DEFAULT_TIMEOUT_MS, type ParsedRunRequest, type RunError } from '../../common/contract.ts';
import { DEFAULT_LEAK_ITERATIONS, type LeakExplanation, type LeakReport, type LeakRequest, type LeakSample } from '../../common/leak.ts';
import { compile } from '../pipeline/compile.ts';
import { Deadline } from '../pipeline/deadline.ts';
import { execute } from '../pipeline/execute.ts';
import type { Job } from '../pipeline/job.ts';
import { Lease } from '../pipeline/lease.ts';
import { decide, recordInterrupt, type Cause, type OutcomeContext } from '../pipeline/outcome.ts';
import { heapFigures } from '../pipeline/probes.ts';
import { defaultFilename, prepareSource } from '../pipeline/source.ts';
import { guestRequest, HOST_DEADLINE_MARGIN_MS, refused, type PipelineDeps } from '../runner.ts';
import type ivm from 'isolated-vm';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InspectorSession } from '../inspector/session.ts';
import { explain } from './explainer.ts';
import { computeVerdict, defaultWarmupIterations, type Verdict } from './verdict.ts';

/** Iterations between two of the explanation's snapshots: enough to count per run, few enough to stay quick. */
export function explainIterations(iterations: number): number {
  return Math.min(10, Math.max(3, Math.ceil(iterations / 8)));
}


type ParsedLeakRequest = LeakRequest & Pick<ParsedRunRequest, 'call'>;

interface Profile {
  job: Job;
  request: ParsedLeakRequest;
  ctx: OutcomeContext;
  iterations: number;
  samples: LeakSample[];
  stoppedBy?: RunError;
  explanation?: LeakExplanation;
}

export class LeakProfiler {
  readonly #deps: PipelineDeps;

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
  }

  async profile(runId: string, request: ParsedLeakRequest): Promise<LeakReport> {
    const startedAt = this.#deps.clock.now();
    const iterations = request.iterations ?? DEFAULT_LEAK_ITERATIONS;
    const ctx: OutcomeContext = {
      timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(request.cpuLimitMs !== undefined ? { cpuLimitMs: request.cpuLimitMs } : {}),
      memoryLimitMb: request.memoryLimitMb ?? this.#deps.defaultMemoryLimitMb,
      filename: request.filename ?? defaultFilename(request.language),
      subject: 'leak',
    };
    const job = this.#deps.jobs.open(runId);
    const profile: Profile = { job, request, ctx, iterations, samples: [] };
    try {
      const source = await prepareSource(request, job.queueSignal);
      if (source.ok) {
        ctx.wrapped = source.wrapped;
        await this.#leased(profile);
      } else {
        profile.stoppedBy = source.error;
      }
    } finally {
      this.#deps.jobs.close(job);
    }
    return report(runId, profile, this.#deps.clock.now() - startedAt);
  }

  async #leased(profile: Profile): Promise<void> {
    const { pool, onStarted } = this.#deps;
    const { job, ctx } = profile;
    let lease: Lease;
    try {
      const options = { memoryLimitMb: ctx.memoryLimitMb, reuseContext: false, onAcquired: () => onStarted?.(job.id) };
      lease = pool.dedicated ? await Lease.openDedicated(pool, job, options) : await Lease.open(pool, job, options);
    } catch (error) {
      this.#stop(profile, job.interrupted ? { kind: 'interrupted', interrupt: job.interrupted, by: 'host' } : refused(error));
      return;
    }
    try {
      const compiled = await compile(lease.slot.isolate, ctx.wrapped!, ctx.filename);
      if (!compiled.ok) return this.#stop(profile, 'error' in compiled ? { kind: 'notRun', error: compiled.error } : { kind: 'isolateLost' }, lease);
      await this.#iterate(profile, lease, compiled.script);
      const asked = profile.request.explain === true || profile.request.saveSnapshot === true;
      if (profile.stoppedBy === undefined && lease.dedicated && (asked || verdictOf(profile).verdict === 'leak')) {
        profile.explanation = await this.#explain(profile, lease, compiled.script);
      }
      compiled.script.release();
    } finally {
      await lease.context.clearTimers();
      lease.close(profile.stoppedBy !== undefined);
    }
  }

  async #iterate(profile: Profile, lease: Lease, script: ivm.Script): Promise<void> {
    const { emit } = this.#deps;
    const { job, iterations } = profile;
    for (let iteration = 1; iteration <= iterations; iteration++) {
      const ran = await this.#once(profile, lease, script, iteration);
      if ('cause' in ran) return this.#stop(profile, ran.cause, lease);
      let sample: LeakSample;
      try {
        sample = await this.#sample(lease, iteration, ran.ms);
      } catch (error) {
        // The forced GC is where isolated-vm finds a heap over its limit and disposes the isolate.
        if (lease.slot.isolate.isDisposed) return this.#stop(profile, { kind: 'isolateLost' }, lease);
        throw error;
      }
      profile.samples.push(sample);
      emit({ type: 'leakProgress', runId: job.id, sample, iterations });
    }
  }

  /** One iteration through the pipeline: its execution time, or why it failed. */
  async #once(profile: Profile, lease: Lease, script: ivm.Script, iteration: number): Promise<{ ms: number } | { cause: Cause }> {
    const { clock } = this.#deps;
    const { job, ctx, request } = profile;
    const deadline = new Deadline(clock, ctx.timeoutMs, () => job.interrupt('timeout'), HOST_DEADLINE_MARGIN_MS);
    const settled = await execute(
      lease,
      job,
      {
        script,
        // A whole-script profile re-runs the script each time; a function profile runs it once, then only calls.
        instantiate: !request.call || iteration === 1,
        request: guestRequest(request, ctx.wrapped!, true),
        deadline,
        ...(request.cpuLimitMs !== undefined ? { cpuLimitMs: request.cpuLimitMs } : {}),
        isolateTimeout: true,
        probes: [],
        onLog: () => {},
        source: { filename: ctx.filename, wrapped: ctx.wrapped! },
      },
      clock,
    );
    deadline.cancel();
    const cause = settled.cause;
    return cause.kind === 'returned' && cause.outcome.ok ? { ms: settled.executionMs } : { cause };
  }

  async #explain(profile: Profile, lease: Lease, script: ivm.Script): Promise<LeakExplanation> {
    const session = new InspectorSession(lease.slot.isolate);
    let iteration = profile.iterations;
    try {
      return await explain({
        session,
        context: lease.context,
        filename: profile.ctx.filename,
        wrapped: profile.ctx.wrapped!,
        clock: this.#deps.clock,
        // An iteration that fails while explaining ends the explanation, not the profile: its samples stand.
        iterate: async () => {
          const ran = await this.#once(profile, lease, script, ++iteration);
          if (!('cause' in ran)) return true;
          recordInterrupt(ran.cause, this.#deps.interrupts, this.#deps.clock.now());
          if (decide(ran.cause, profile.ctx).isolate === 'replace') lease.slot.replaceSoon();
          return false;
        },
        iterationsBetween: explainIterations(profile.iterations),
        // The host's temp directory, under a name of its own choosing: a request never names a path.
        ...(profile.request.saveSnapshot ? { saveSnapshotTo: join(tmpdir(), `isolab-${profile.job.id.replace(/[^\w-]/g, '_')}.heapsnapshot`) } : {}),
      });
    } finally {
      session.dispose();
    }
  }

  /** One full, synchronous collection, then what survived it: that is what the iteration kept. */
  async #sample(lease: Lease, iteration: number, ms: number): Promise<LeakSample> {
    const { clock } = this.#deps;
    const gcStart = clock.now();
    await lease.context.collectGarbage();
    const gcMs = clock.now() - gcStart;
    const heap = heapFigures(await lease.slot.isolate.getHeapStatistics());
    return { iteration, heapUsedBytes: heap.usedBytes, externalBytes: heap.externalBytes, handles: lease.context.ledger.counts(), ms, gcMs };
  }

  #stop(profile: Profile, cause: Cause, lease?: Lease): void {
    recordInterrupt(cause, this.#deps.interrupts, this.#deps.clock.now());
    const decision = decide(cause, profile.ctx);
    if (decision.isolate === 'replace') lease?.slot.replaceSoon();
    profile.stoppedBy = decision.error;
  }
}

function verdictOf(profile: Profile): Verdict {
  const { samples, stoppedBy, iterations, request, explanation } = profile;
  const warmup = Math.min(request.warmupIterations ?? defaultWarmupIterations(iterations), iterations - 1);
  const hitMemoryLimit = stoppedBy?.type === 'MemoryLimitError';
  const evidence = explanation && !explanation.incomplete ? { userBytesPerIteration: explanation.userBytesPerIteration, groups: explanation.groups.length } : undefined;
  return computeVerdict(samples, { warmupIterations: warmup, hitMemoryLimit, ...(evidence ? { snapshotEvidence: evidence } : {}) });
}

function report(runId: string, profile: Profile, totalMs: number): LeakReport {
  const { samples, stoppedBy, iterations, ctx, explanation } = profile;
  const hitMemoryLimit = stoppedBy?.type === 'MemoryLimitError';
  const verdict = verdictOf(profile);
  return {
    runId,
    verdict: verdict.verdict,
    slopeBytesPerIteration: verdict.slopeBytesPerIteration,
    confidence: verdict.confidence,
    reasons: hitMemoryLimit ? [`the heap reached the ${ctx.memoryLimitMb} MB memory limit after ${samples.length} runs`, ...verdict.reasons] : verdict.reasons,
    handleSlopes: verdict.handleSlopes,
    iterations,
    completed: samples.length,
    warmupIterations: verdict.warmupIterations,
    samples,
    ...(stoppedBy ? { stoppedBy } : {}),
    totalMs,
    ...(explanation ? { explanation } : {}),
  };
}
