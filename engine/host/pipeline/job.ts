/**
 * One request's life in the host (a run, a call, a whole leak profile), as far as interrupting it
 * goes. Whoever wants it stopped (cancel, deadline, CPU limit) calls `interrupt(kind)`; the first
 * call wins. What that does depends on the stage: while queued it leaves the queue at once; while
 * the context is prepared or the code compiled it is noted and acted on at the next stage; while
 * the code executes it disposes the isolate (the only stop for awaited promises that never settle).
 *
 * Some code cannot be interrupted at all: V8 runs it in C++ without checking for interrupts
 * (`new Array(2 ** 32 - 1).fill(0)`). The host's own thread is free meanwhile, so it notices when a
 * stop was requested and not honoured: the job is then abandoned (its outcome is decided without
 * waiting) and the host reports itself degraded, since a thread of it is stuck.
 */
import type { Clock, TimerHandle } from '../../common/clock.ts';
import { CancelledError } from '../../common/errors.ts';
import type { InterruptKind } from '../interrupt-stats.ts';

export interface Interrupt {
  kind: InterruptKind;
  /** Clock time the interrupt was requested (its latency is measured from here). */
  at: number;
  /** The code did not stop when told to: its isolate's thread is stuck and was abandoned. */
  unhonoured?: boolean;
}

export interface JobOptions {
  clock: Clock;
  /** How long stopped code may take to actually stop before it counts as stuck, in ms. */
  unhonouredAfterMs: number;
  /** Told once when a job's code did not stop. */
  onUnhonoured?: (job: Job) => void;
}

/** A typical interrupt lands in 1–5 ms; this leaves room for a loaded machine. */
export const UNHONOURED_AFTER_MS = 250;

export class Job {
  readonly id: string;
  readonly #o: JobOptions;
  readonly #queue = new AbortController();
  #interrupt: Interrupt | undefined;
  #stop: (() => void) | undefined;
  #watch: TimerHandle | undefined;
  #abandon!: () => void;
  /** Resolves if the job's code is abandoned (see the file comment); never rejects. */
  readonly abandoned: Promise<void>;

  constructor(id: string, options: JobOptions) {
    this.id = id;
    this.#o = options;
    this.abandoned = new Promise<void>((resolve) => (this.#abandon = resolve));
  }

  /** Aborts while the job waits for an isolate. */
  get queueSignal(): AbortSignal {
    return this.#queue.signal;
  }

  get interrupted(): Interrupt | undefined {
    return this.#interrupt;
  }

  interrupt(kind: InterruptKind, at = this.#o.clock.now()): void {
    if (this.#interrupt) return;
    this.#interrupt = { kind, at };
    this.#queue.abort(new CancelledError('Run was cancelled while queued'));
    if (!this.#stop) return;
    this.#stop();
    this.#watch = this.#o.clock.setTimeout(() => this.#unhonoured(), this.#o.unhonouredAfterMs);
  }

  #unhonoured(): void {
    if (!this.#stop || !this.#interrupt) return;
    this.#interrupt.unhonoured = true;
    this.#abandon();
    this.#o.onUnhonoured?.(this);
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
    this.#o.clock.clearTimeout(this.#watch);
  }
}

/** The jobs in flight in this host, by request id (what `cancel` looks up). */
export class Jobs {
  readonly #jobs = new Map<string, Job>();
  readonly #o: JobOptions;

  constructor(options: JobOptions) {
    this.#o = options;
  }

  open(id: string): Job {
    const job = new Job(id, this.#o);
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
