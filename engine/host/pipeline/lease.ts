/**
 * The first and last stages of the pipeline: acquire an isolate (cancellable while queued), make
 * sure it has the memory limit asked for, take a context (the fresh one prepared ahead, or the
 * slot's long-lived one in reuse mode); and, when the work is done, give it all back. A lease is
 * held for one run, or for a whole leak profile (every iteration in the same context).
 */
import type { GuestContext } from '../guest-context.ts';
import type { Pool } from '../pool.ts';
import type { IsolateSlot } from '../slot.ts';
import type { Job } from './job.ts';

export interface LeaseOptions {
  memoryLimitMb: number;
  reuseContext: boolean;
  /** The job got its isolate: its time in the queue is over (the client starts its guard now). */
  onAcquired?: () => void;
}

export class Lease {
  readonly slot: IsolateSlot;
  readonly context: GuestContext;
  readonly #pool: Pool;
  readonly #reuse: boolean;
  /** The slot is the lease's own (see openDedicated): it goes when the lease does. */
  readonly dedicated: boolean;
  #closed = false;

  private constructor(pool: Pool, slot: IsolateSlot, context: GuestContext, reuse: boolean, dedicated = false) {
    this.#pool = pool;
    this.slot = slot;
    this.context = context;
    this.#reuse = reuse;
    this.dedicated = dedicated;
  }

  /**
   * Waits for an isolate and prepares its context. Rejects with CancelledError (cancelled while
   * queued) or EngineBusyError (queue full, host over its memory budget).
   */
  static async open(pool: Pool, job: Job, options: LeaseOptions): Promise<Lease> {
    const slot = await pool.acquire(options.memoryLimitMb, job.queueSignal);
    pool.totalRuns++;
    options.onAcquired?.();
    try {
      await slot.ensureMemoryLimit(options.memoryLimitMb);
      const context = options.reuseContext ? await slot.reusedContext() : await slot.takeFreshContext();
      return new Lease(pool, slot, context, options.reuseContext);
    } catch (error) {
      slot.finishRun(true);
      pool.release(slot);
      throw error;
    }
  }

  /**
   * A lease on an isolate of its own, with V8's inspector on, for one debugged or profiled run: it
   * does not wait for the pool, and a run paused in the debugger for half an hour holds no slot.
   */
  static async openDedicated(pool: Pool, job: Job, options: LeaseOptions): Promise<Lease> {
    if (!pool.dedicated) throw new Error('this pool cannot make dedicated isolates');
    const slot = pool.dedicated(options.memoryLimitMb);
    options.onAcquired?.();
    try {
      const context = await slot.takeFreshContext();
      return new Lease(pool, slot, context, false, true);
    } catch (error) {
      slot.close();
      throw error;
    }
  }

  /** The isolate is gone or must not be trusted again: replace it now (stops whatever runs in it). */
  replaceIsolate(): void {
    this.slot.replace();
  }

  /** Gives the isolate back. A fresh context is released, and the next one prepared, after the reply is on its way. */
  close(failed: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.context.setLogSink(undefined);
    this.context.timerBudget = undefined;
    if (this.dedicated) {
      this.context.release();
      this.slot.close();
      return;
    }
    this.slot.finishRun(failed);
    this.#pool.release(this.slot);
    if (this.#reuse) return;
    const { context, slot } = this;
    setImmediate(() => {
      context.release();
      slot.prepareNext();
    });
  }
}
