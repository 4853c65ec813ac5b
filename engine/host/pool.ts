/**
 * N warm isolates and a bounded queue in front of them. A run takes an idle isolate (preferring
 * one that already has the memory limit it asks for), or waits in FIFO order; past the queue
 * bound it is refused with EngineBusyError.
 */
import { EngineBusyError } from '../common/errors.ts';
import type { PoolStatus } from '../common/contract.ts';
import { IsolateFactory } from './isolate-factory.ts';
import { IsolateSlot, type SlotOptions } from './slot.ts';

export interface PoolOptions extends Omit<SlotOptions, 'factory'> {
  size: number;
  maxQueue: number;
  onCatastrophicError: (message: string) => void;
}

/** What the pool needs of a slot (IsolateSlot; a stand-in in the pool's unit tests). */
export type PoolSlot = Pick<IsolateSlot, 'index' | 'memoryLimitMb' | 'busy' | 'runs' | 'errors' | 'replaced' | 'lastHeapUsed' | 'ready' | 'replace' | 'close'>;

interface Waiter<S> {
  memoryLimitMb: number;
  resolve: (slot: S) => void;
  reject: (error: Error) => void;
}

export class Pool<S extends PoolSlot = IsolateSlot> {
  readonly slots: S[];
  readonly options: Pick<PoolOptions, 'size' | 'maxQueue'>;
  readonly #queue: Waiter<S>[] = [];
  totalRuns = 0;
  /** Set by the RSS watchdog: while false, new work is refused. */
  acceptingWork = true;
  readonly #onClose: () => void;
  /** Makes a slot outside the pool, with V8's inspector on, for one debugged or profiled run. */
  dedicated: ((memoryLimitMb: number) => S) | undefined;

  /** The real pool: IsolateSlots made by one IsolateFactory (which keeps a spare isolate while idle). */
  static create(options: PoolOptions): Pool {
    const factory = new IsolateFactory({ onCatastrophicError: options.onCatastrophicError, idle: () => pool.busy === 0 });
    const pool: Pool = new Pool(options, (i) => new IsolateSlot(i, { ...options, factory }), () => factory.close());
    pool.dedicated = (memoryLimitMb) => new IsolateSlot(-1, { ...options, memoryLimitMb, factory, inspector: true });
    return pool;
  }

  constructor(options: Pick<PoolOptions, 'size' | 'maxQueue'>, createSlot: (index: number) => S, onClose: () => void = () => {}) {
    this.options = options;
    this.slots = Array.from({ length: options.size }, (_, i) => createSlot(i));
    this.#onClose = onClose;
  }

  ready(): Promise<void> {
    return Promise.all(this.slots.map((s) => s.ready())).then(() => {});
  }

  get busy(): number {
    return this.slots.filter((s) => s.busy).length;
  }

  get queued(): number {
    return this.#queue.length;
  }

  acquire(memoryLimitMb: number, signal?: AbortSignal): Promise<S> {
    if (!this.acceptingWork) {
      return Promise.reject(new EngineBusyError('The engine host is over its memory budget and is recycling isolates; try again in a moment'));
    }
    const slot = this.#idle(memoryLimitMb);
    if (slot) {
      slot.busy = true;
      return Promise.resolve(slot);
    }
    if (this.#queue.length >= this.options.maxQueue) {
      return Promise.reject(
        new EngineBusyError(`All ${this.slots.length} isolates are busy and ${this.#queue.length} runs are already queued (the limit); try again later`),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter<S> = { memoryLimitMb, resolve, reject };
      this.#queue.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.#queue.indexOf(waiter);
          if (i >= 0) {
            this.#queue.splice(i, 1);
            reject(signal.reason as Error);
          }
        },
        { once: true },
      );
    });
  }

  release(slot: S): void {
    const next = this.#queue.shift();
    if (next) {
      next.resolve(slot);
      return;
    }
    slot.busy = false;
  }

  #idle(memoryLimitMb: number): S | undefined {
    let fallback: S | undefined;
    for (const slot of this.slots) {
      if (slot.busy) continue;
      if (slot.memoryLimitMb === memoryLimitMb) return slot;
      fallback ??= slot;
    }
    return fallback;
  }

  /** Replaces every idle isolate (memory pressure). */
  recycleIdle(): number {
    let n = 0;
    for (const slot of this.slots) {
      if (!slot.busy) {
        slot.replace();
        n++;
      }
    }
    return n;
  }

  status(rssBytes: number, rssBudgetBytes: number, hostHeapBytes: number): PoolStatus {
    return {
      size: this.slots.length,
      busy: this.busy,
      queued: this.#queue.length,
      maxQueue: this.options.maxQueue,
      runs: this.totalRuns,
      isolatesReplaced: this.slots.reduce((n, s) => n + s.replaced, 0),
      rssBytes,
      hostHeapBytes,
      rssBudgetBytes,
      acceptingWork: this.acceptingWork,
      isolates: this.slots.map((s) => ({
        index: s.index,
        busy: s.busy,
        runs: s.runs,
        errors: s.errors,
        memoryLimitMb: s.memoryLimitMb,
        heapUsedBytes: s.lastHeapUsed,
      })),
    };
  }

  close(): void {
    for (const w of this.#queue.splice(0)) w.reject(new EngineBusyError('The engine is shutting down'));
    for (const slot of this.slots) slot.close();
    this.#onClose();
  }
}
