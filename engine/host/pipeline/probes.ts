/**
 * Probes attach around one execution: started just before user code runs, stopped as soon as it
 * settles. The CPU-limit watchdog and live heap sampling are probes; so are the debugger's
 * inspector session and CPU profiles. A probe never decides the outcome itself: it interrupts
 * the job, and the pipeline's one outcome rule does the rest.
 */
import type ivm from 'isolated-vm';
import type { Clock, TimerHandle } from '../../common/clock.ts';
import type { HeapFigures } from '../../common/contract.ts';
import type { CpuProfile } from '../../common/inspect.ts';
import type { RunEvent } from '../../common/protocol.ts';
import type { Deadline } from './deadline.ts';
import type { Job } from './job.ts';

/** What probes found during an execution. */
export interface Findings {
  cpuProfile?: CpuProfile;
  /** Time spent paused in the debugger, in ms. */
  pausedMs?: number;
}

export interface ProbeTarget {
  job: Job;
  isolate: ivm.Isolate;
  deadline: Deadline;
  clock: Clock;
  /** Clock time the execution started. */
  startedAt: number;
  findings: Findings;
}

/** Started (and awaited) just before user code runs; stopped (and awaited) as soon as it settles. */
export interface Probe {
  start(target: ProbeTarget): void | Promise<void>;
  stop(): void | Promise<void>;
}

export function heapFigures(stats: ivm.HeapStatistics): HeapFigures {
  return {
    usedBytes: stats.used_heap_size,
    totalBytes: stats.total_heap_size,
    limitBytes: stats.heap_size_limit,
    externalBytes: stats.externally_allocated_size,
  };
}

/** How often the CPU budget is checked, in ms (the overshoot of a CPU limit outside sync code). */
const CPU_CHECK_MS = 10;

/** Interrupts the job once the isolate has used `limitMs` of CPU time during this execution. */
export function cpuLimitProbe(limitMs: number): Probe {
  let timer: TimerHandle | undefined;
  let clock: Clock | undefined;
  return {
    start({ isolate, job, clock: c }) {
      clock = c;
      const limitNs = BigInt(limitMs) * 1_000_000n;
      const before = isolate.cpuTime;
      timer = c.setInterval(() => {
        if (!isolate.isDisposed && isolate.cpuTime - before > limitNs) job.interrupt('cpu');
      }, CPU_CHECK_MS);
    },
    stop: () => clock?.clearInterval(timer),
  };
}

/**
 * Streams heap figures every `intervalMs` while the code executes. Each sample is asynchronous
 * (V8's heap statistics need the isolate lock), so a synchronous stretch shows when it yields.
 */
export function heapSamplingProbe(runId: string, intervalMs: number, emit: (event: RunEvent) => void): Probe {
  let timer: TimerHandle | undefined;
  let clock: Clock | undefined;
  let stopped = false;
  return {
    start({ isolate, job, clock: c, startedAt }) {
      clock = c;
      let inFlight = false;
      const sample = () => {
        if (inFlight || isolate.isDisposed) return;
        inFlight = true;
        isolate
          .getHeapStatistics()
          .then((stats) => {
            if (!stopped && !job.interrupted) emit({ type: 'heap', runId, sample: { ...heapFigures(stats), timeMs: c.now() - startedAt } });
          })
          .catch(() => {})
          .finally(() => (inFlight = false));
      };
      sample();
      timer = c.setInterval(sample, intervalMs);
    },
    stop() {
      stopped = true;
      clock?.clearInterval(timer);
    },
  };
}
