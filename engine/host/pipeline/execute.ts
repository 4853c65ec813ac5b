/**
 * The middle stages of the pipeline, for one execution in a leased context: instantiate the
 * compiled wrapper, arm the deadline, the CPU limit and any probes, execute, settle. Settling
 * waits for the console lines still in flight, reads heap and CPU figures, and establishes the
 * typed cause (outcome.ts says what it means).
 */
import type ivm from 'isolated-vm';
import type { Clock } from '../../common/clock.ts';
import type { HeapReport } from '../../common/contract.ts';
import type { GuestOutcome, GuestRunRequest } from '../../common/guest-abi.ts';
import type { LogSink } from '../guest-context.ts';
import type { Deadline } from './deadline.ts';
import type { Job } from './job.ts';
import type { Lease } from './lease.ts';
import type { Cause } from './outcome.ts';
import { cpuLimitProbe, heapFigures, type Probe } from './probes.ts';

export interface ExecutionPlan {
  script: ivm.Script;
  /** Evaluate the script for the wrapped function; false only calls the functions kept earlier. */
  instantiate: boolean;
  request: GuestRunRequest;
  /** Started by the caller before compiling, so it covers compile time too. */
  deadline: Deadline;
  cpuLimitMs?: number;
  /** False while a debugger may pause the code: then only the (pausable) deadline bounds it. */
  isolateTimeout: boolean;
  probes: Probe[];
  onLog: LogSink;
}

export interface Settled {
  cause: Cause;
  executionMs: number;
  cpuMs: number;
  heap: HeapReport;
}

/** isolated-vm's own bound on synchronous execution, and what it means when it fires. */
function syncBound(plan: ExecutionPlan): { ms: number; kind: 'timeout' | 'cpu' } {
  const remaining = Math.max(1, plan.deadline.remaining());
  if (plan.cpuLimitMs !== undefined && plan.cpuLimitMs < remaining) return { ms: plan.cpuLimitMs, kind: 'cpu' };
  return { ms: remaining, kind: 'timeout' };
}

export async function execute(lease: Lease, job: Job, plan: ExecutionPlan, clock: Clock): Promise<Settled> {
  const { isolate } = lease.slot;
  const { context } = lease;
  const before = heapFigures(isolate.getHeapStatisticsSync());
  const cpuBefore = isolate.cpuTime;
  const bound = syncBound(plan);
  const probes = plan.cpuLimitMs !== undefined ? [cpuLimitProbe(plan.cpuLimitMs), ...plan.probes] : plan.probes;
  context.setLogSink(plan.onLog);
  context.timerBudget = () => plan.deadline.remaining();
  const startedAt = clock.now();
  // isolated-vm's timeout runs on real time, so whether it can have fired is judged on real time.
  const realStart = performance.now();
  let fn: ivm.Reference | undefined;
  let json: string | undefined;
  let rejection: unknown;
  try {
    // Evaluating the wrapper only creates the function (no user code runs yet), so it is short.
    if (plan.instantiate) fn = plan.script.runSync(context.context, { reference: true, timeout: Math.ceil(bound.ms) }) as ivm.Reference;
    for (const probe of probes) probe.start({ job, isolate, deadline: plan.deadline, clock, startedAt });
    if (job.executing(() => lease.replaceIsolate())) {
      // Code that ignores the interrupt is abandoned rather than waited for (see job.ts).
      json = await Promise.race([context.run(fn, plan.request, plan.isolateTimeout ? bound.ms : undefined), job.abandoned.then(() => undefined)]);
    }
  } catch (error) {
    // A rejection says only that the code stopped; the cause comes from our own state below.
    rejection = error;
  } finally {
    job.settled();
    for (const probe of probes) probe.stop();
    release(fn);
  }
  const executionMs = clock.now() - startedAt;
  const cause = classify({ json, rejection, realElapsedMs: performance.now() - realStart }, job, isolate, { ...bound, at: startedAt + bound.ms });
  if (cause.kind === 'returned') await drainLogs(context, cause.outcome);
  context.setLogSink(undefined);
  context.timerBudget = undefined;
  const alive = !isolate.isDisposed;
  const after = alive ? heapFigures(isolate.getHeapStatisticsSync()) : undefined;
  if (after) lease.slot.lastHeapUsed = after.usedBytes;
  return {
    cause,
    executionMs,
    cpuMs: alive ? Number(isolate.cpuTime - cpuBefore) / 1e6 : 0,
    heap: after ? { ...after, before } : { ...before, before },
  };
}

interface Ending {
  json: string | undefined;
  rejection: unknown;
  /** Real time from instantiation to the end (isolated-vm's own clock is real time). */
  realElapsedMs: number;
}

function classify(end: Ending, job: Job, isolate: ivm.Isolate, sync: { kind: 'timeout' | 'cpu'; ms: number; at: number }): Cause {
  // The code finished: whatever came after (a late deadline, a cancel) is moot.
  if (end.json !== undefined) return { kind: 'returned', outcome: JSON.parse(end.json) as GuestOutcome };
  if (job.interrupted) return { kind: 'interrupted', interrupt: job.interrupted, by: 'host' };
  if (isolate.isDisposed) {
    // Nobody here disposed it: isolated-vm does that when the isolate passes its memory limit.
    return { kind: 'isolateLost' };
  }
  // Nobody here stopped it and the isolate lives: isolated-vm's synchronous timeout did, which
  // cannot happen before its bound has passed. Anything earlier is the engine's own failure.
  if (end.realElapsedMs >= sync.ms - 1) return { kind: 'interrupted', interrupt: { kind: sync.kind, at: sync.at }, by: 'isolate' };
  return { kind: 'engineFailure', message: String((end.rejection as Error)?.message ?? end.rejection) };
}

/** Console lines travel as "ignored" callbacks: wait (a few turns at most) until all have arrived. */
async function drainLogs(context: Lease['context'], outcome: GuestOutcome): Promise<void> {
  for (let spins = 0; context.logsReceived < outcome.logs && spins < 200; spins++) await new Promise((r) => setImmediate(r));
}

function release(ref: ivm.Reference | undefined): void {
  try {
    ref?.release();
  } catch {
    /* gone with a disposed isolate */
  }
}
