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

/** Front-end messages kept for a debugged job whose session is not set up yet. */
const MAX_EARLY_MESSAGES = 1_000;

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
  /** Resolves when the job is interrupted (whatever stage it is in); never rejects. */
  readonly interruption: Promise<Interrupt>;
  #interrupted!: (interrupt: Interrupt) => void;
  #inspector: ((message: string) => void) | undefined;
  /**
   * Set by the debugger probe while the code is stopped at a breakpoint: lets the code go (no more
   * pauses) so its isolate can be disposed. Disposing an isolate paused in V8's inspector
   * deadlocks isolated-vm (the isolate thread holds the inspector's lock while it waits).
   */
  leavePause: (() => Promise<void>) | undefined;
  /** Messages that came before the debugger session was set up (a front end may be quick). */
  #early: string[] = [];

  constructor(id: string, options: JobOptions) {
    this.id = id;
    this.#o = options;
    this.abandoned = new Promise<void>((resolve) => (this.#abandon = resolve));
    this.interruption = new Promise<Interrupt>((resolve) => (this.#interrupted = resolve));
  }

  /** Where Chrome DevTools Protocol messages for this job go, while it is debugged. */
  set inspector(relay: ((message: string) => void) | undefined) {
    this.#inspector = relay;
    if (!relay) return;
    for (const message of this.#early.splice(0)) relay(message);
  }

  /** A message from the front end: to the session, or kept until there is one. */
  inspect(message: string): void {
    if (this.#inspector) this.#inspector(message);
    else if (this.#early.length < MAX_EARLY_MESSAGES) this.#early.push(message);
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
    this.#interrupted(this.#interrupt);
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

  /** A Chrome DevTools Protocol message from the front end for a debugged job. */
  inspect(id: string, message: string): boolean {
    const job = this.#jobs.get(id);
    job?.inspect(message);
    return job !== undefined;
  }

  get size(): number {
    return this.#jobs.size;
  }
}
