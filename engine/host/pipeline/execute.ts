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
import type { WrappedSource } from '../wrap.ts';
import type { Cause } from './outcome.ts';
import { cpuLimitProbe, heapFigures, type Findings, type Probe } from './probes.ts';
import { framesFromStack, takeReceipt, timeoutReceipt, type ReceiptTarget } from './receipt.ts';
import type { StopReceipt } from '../../common/inspect.ts';

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
  /** How positions in the compiled code map back to the user's (for the receipt of a stopped run). */
  source: { filename: string; wrapped: WrappedSource };
}

export interface Settled {
  cause: Cause;
  executionMs: number;
  cpuMs: number;
  heap: HeapReport;
  /** What probes found (a CPU profile, time paused in the debugger). */
  findings: Findings;
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
  const probes = plan.cpuLimitMs !== undefined ? [cpuLimitProbe(plan.cpuLimitMs), ...plan.probes] : plan.probes;
  context.setLogSink(plan.onLog);
  context.timerBudget = () => plan.deadline.remaining();
  const target: ReceiptTarget = { ...plan.source, isolate, context, cpuBefore: isolate.cpuTime, realStart: performance.now(), inspector: lease.dedicated };
  const startedAt = clock.now();
  const findings: Findings = {};
  const ran = await runGuest(lease, job, plan, { probes, findings, target, startedAt, clock });
  const executionMs = clock.now() - startedAt;
  const cause = await classify(ran, job, isolate, target);
  if (cause.kind === 'returned') await drainLogs(context, cause.outcome);
  context.setLogSink(undefined);
  context.timerBudget = undefined;
  const alive = !isolate.isDisposed;
  const after = alive ? heapFigures(isolate.getHeapStatisticsSync()) : undefined;
  if (after) lease.slot.lastHeapUsed = after.usedBytes;
  return {
    cause,
    executionMs,
    cpuMs: alive ? Number(isolate.cpuTime - target.cpuBefore) / 1e6 : 0,
    heap: after ? { ...after, before } : { ...before, before },
    findings,
  };
}

interface Running {
  probes: Probe[];
  findings: Findings;
  target: ReceiptTarget;
  startedAt: number;
  clock: Clock;
}

/** Instantiates the wrapper, starts the probes, runs the guest; never throws (a rejection is part of the ending). */
async function runGuest(lease: Lease, job: Job, plan: ExecutionPlan, r: Running): Promise<Ending> {
  const { context } = lease;
  const bound = syncBound(plan);
  let fn: ivm.Reference | undefined;
  const end: Ending = { json: undefined, rejection: undefined, realElapsedMs: 0, sync: { ...bound, at: r.startedAt + bound.ms } };
  try {
    // Evaluating the wrapper only creates the function (no user code runs yet), so it is short.
    if (plan.instantiate) fn = plan.script.runSync(context.context, { reference: true, timeout: Math.ceil(bound.ms) }) as ivm.Reference;
    const probeTarget = { job, isolate: lease.slot.isolate, deadline: plan.deadline, clock: r.clock, startedAt: r.startedAt, findings: r.findings };
    await Promise.all(r.probes.map((p) => p.start(probeTarget)));
    let settled = false;
    let guest: Promise<string> = Promise.resolve('');
    // A stop of running code first notes where it was, then disposes the isolate if the code has
    // not stopped by itself meanwhile (see receipt.ts).
    const stop = () => {
      if (job.leavePause) {
        // Stopped at a breakpoint: let it go only to end it (it may finish first: still stopped).
        end.stoppedInPause = true;
        return void job.leavePause().finally(() => lease.replaceIsolate());
      }
      const kind = job.interrupted!.kind;
      end.receipt = takeReceipt(r.target, kind, guest.catch(() => {})).finally(() => settled || lease.replaceIsolate());
    };
    if (job.executing(stop)) {
      guest = context.run(fn, plan.request, plan.isolateTimeout ? bound.ms : undefined).finally(() => (settled = true));
      // Code that ignores the interrupt is abandoned rather than waited for (see job.ts).
      end.json = await Promise.race([guest, job.abandoned.then(() => undefined)]);
    }
  } catch (error) {
    // A rejection says only that the code stopped; the cause comes from our own state (classify).
    end.rejection = error;
  } finally {
    job.settled();
    await Promise.all(r.probes.map((p) => p.stop())).catch(() => {});
    release(fn);
  }
  end.realElapsedMs = performance.now() - r.target.realStart;
  return end;
}

interface Ending {
  json: string | undefined;
  rejection: unknown;
  /** Real time from the start to the end (isolated-vm's own clock is real time). */
  realElapsedMs: number;
  /** isolated-vm's synchronous timeout: after how long, what it means, when it would fire. */
  sync: { kind: 'timeout' | 'cpu'; ms: number; at: number };
  /** Taken when the host stopped running code (see receipt.ts). */
  receipt?: Promise<StopReceipt>;
  /** Stopped while paused in the debugger. */
  stoppedInPause?: boolean;
}

async function classify(end: Ending, job: Job, isolate: ivm.Isolate, target: ReceiptTarget): Promise<Cause> {
  // The code finished: whatever came after (a late deadline, a cancel) is moot.
  if (end.json !== undefined && !end.stoppedInPause) return { kind: 'returned', outcome: JSON.parse(end.json) as GuestOutcome };
  if (job.interrupted) {
    const receipt = end.receipt ? await end.receipt.catch(() => undefined) : undefined;
    // isolated-vm's own timeout may have stopped a loop just before the host's deadline did: its
    // stack then says where the code was.
    const frames = framesFromStack((end.rejection as Error | undefined)?.stack, target);
    const where = receipt && frames.length && !receipt.frames ? { ...receipt, frames } : receipt;
    return { kind: 'interrupted', interrupt: job.interrupted, by: 'host', ...(where ? { receipt: where } : {}) };
  }
  if (isolate.isDisposed) {
    // Nobody here disposed it: isolated-vm does that when the isolate passes its memory limit.
    return { kind: 'isolateLost' };
  }
  // Nobody here stopped it and the isolate lives: isolated-vm's synchronous timeout did, which
  // cannot happen before its bound has passed (its stack says where the code was). Anything
  // earlier is the engine's own failure.
  const { sync } = end;
  if (end.realElapsedMs >= sync.ms - 1) {
    const receipt = timeoutReceipt(target, (end.rejection as Error | undefined)?.stack);
    return { kind: 'interrupted', interrupt: { kind: sync.kind, at: sync.at }, by: 'isolate', receipt };
  }
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
