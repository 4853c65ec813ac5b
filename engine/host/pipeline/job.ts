/**
 * One request's life in the host (a run, a call, a whole leak profile), as far as interrupting it
 * goes. Whoever wants it stopped (cancel, deadline, CPU limit) calls `interrupt(kind)`; the first
 * call wins. What that does depends on the stage: while queued it leaves the queue at once; while
 * the context is prepared or the code compiled it is noted and acted on at the next stage; while
 * the code executes it disposes the isolate (the only stop for awaited promises that never settle).
 */
import type { Clock } from '../../common/clock.ts';
import { CancelledError } from '../../common/errors.ts';
import type { InterruptKind } from '../interrupt-stats.ts';

export interface Interrupt {
  kind: InterruptKind;
  /** Clock time the interrupt was requested (its latency is measured from here). */
  at: number;
}

export class Job {
  readonly id: string;
  readonly #clock: Clock;
  readonly #queue = new AbortController();
  #interrupt: Interrupt | undefined;
  #stop: (() => void) | undefined;

  constructor(id: string, clock: Clock) {
    this.id = id;
    this.#clock = clock;
  }

  /** Aborts while the job waits for an isolate. */
  get queueSignal(): AbortSignal {
    return this.#queue.signal;
  }

  get interrupted(): Interrupt | undefined {
    return this.#interrupt;
  }

  interrupt(kind: InterruptKind, at = this.#clock.now()): void {
    if (this.#interrupt) return;
    this.#interrupt = { kind, at };
    this.#queue.abort(new CancelledError('Run was cancelled while queued'));
    this.#stop?.();
  }

  /**
   * While `stop` is set, an interrupt calls it (user code is executing). Returns false, without
   * setting it, when an interrupt already came: the caller must not start executing.
   */
  executing(stop: () => void): boolean {
    if (this.#interrupt) return false;
    this.#stop = stop;
    return true;
  }

  /** User code is no longer executing. */
  settled(): void {
    this.#stop = undefined;
  }
}

/** The jobs in flight in this host, by request id (what `cancel` looks up). */
export class Jobs {
  readonly #jobs = new Map<string, Job>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  open(id: string): Job {
    const job = new Job(id, this.#clock);
    this.#jobs.set(id, job);
    return job;
  }

  close(job: Job): void {
    if (this.#jobs.get(job.id) === job) this.#jobs.delete(job.id);
  }

  cancel(id: string): boolean {
    const job = this.#jobs.get(id);
    if (!job) return false;
    job.interrupt('cancel');
    return true;
  }

  get size(): number {
    return this.#jobs.size;
  }
}
