/**
 * One warm isolate of the pool: its compiled guest script, the fresh context prepared for the
 * next run, the long-lived context of reuse mode, and its health. An isolate that hit a timeout,
 * a memory limit or an allocation failure is not trusted again: it is disposed and a new one is
 * built in the background.
 */
import type ivm from 'isolated-vm';
import type { GuestConfig } from '../common/guest-abi.ts';
import { GuestContext } from './guest-context.ts';
import { GUEST_FILENAME, guestBundle, guestSnapshot } from './guest-bundle.ts';
import type { IsolateFactory } from './isolate-factory.ts';
import { closeSessions } from './inspector/session.ts';

/** How long an inspector isolate's sessions may take to close before it is disposed. */
const CLOSE_SESSIONS_MS = 200;

export interface SlotOptions {
  factory: IsolateFactory;
  memoryLimitMb: number;
  guest: GuestConfig;
  /** Recycle after this many runs (keeps heap fragmentation and code caches bounded). */
  maxRuns: number;
  /** Recycle after this many failed runs. */
  maxErrors: number;
  /** A slot of its own for one debugged or profiled run: V8's inspector on (ordinary slots have it off). */
  inspector?: boolean;
}

export class IsolateSlot {
  readonly index: number;
  readonly #options: SlotOptions;
  #isolate!: ivm.Isolate;
  /** The guest bundle, compiled, when the isolate has no snapshot of it. */
  #script: ivm.Script | undefined;
  #ready: Promise<void>;
  #prepared: Promise<GuestContext> | undefined;
  #reused: GuestContext | undefined;
  memoryLimitMb: number;
  busy = false;
  runs = 0;
  errors = 0;
  replaced = 0;
  lastHeapUsed = 0;

  constructor(index: number, options: SlotOptions) {
    this.index = index;
    this.#options = options;
    this.memoryLimitMb = options.memoryLimitMb;
    this.#ready = this.#build();
    this.#prepared = this.#prepareAfterBuild();
  }

  async #build(): Promise<void> {
    this.#isolate = this.#options.inspector ? this.#options.factory.create(this.memoryLimitMb, true) : this.#options.factory.take(this.memoryLimitMb);
    this.#script = guestSnapshot() ? undefined : await this.#isolate.compileScript(guestBundle(), { filename: GUEST_FILENAME });
  }

  #prepare(): Promise<GuestContext> {
    return GuestContext.create(this.#isolate, this.#script, this.#options.guest, this.#options.inspector === true);
  }

  /** Prepares a context once the current build is done (never with a previous isolate's script). */
  #prepareAfterBuild(): Promise<GuestContext> {
    const prepared = this.#ready.then(() => this.#prepare());
    // A failed preparation surfaces when the context is taken; do not leave it unhandled meanwhile.
    prepared.catch(() => {});
    return prepared;
  }

  get isolate(): ivm.Isolate {
    return this.#isolate;
  }

  /** Resolves when the isolate exists (it may be rebuilding after a replacement). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Makes sure the isolate has the requested memory limit (rebuilding it if not). */
  async ensureMemoryLimit(memoryLimitMb: number): Promise<void> {
    await this.#ready;
    if (this.memoryLimitMb === memoryLimitMb && !this.#isolate.isDisposed) return;
    this.memoryLimitMb = memoryLimitMb;
    this.replace();
    await this.#ready;
  }

  /** A fresh context with the guest installed; the next one is prepared after the run. */
  async takeFreshContext(): Promise<GuestContext> {
    await this.#ready;
    if (this.#isolate.isDisposed) {
      this.replace();
      await this.#ready;
    }
    const prepared = this.#prepared ?? this.#prepare();
    this.#prepared = undefined;
    try {
      return await prepared;
    } catch {
      // The prepared context went bad (its isolate was replaced meanwhile): make one now.
      return await this.#prepare();
    }
  }

  /** The long-lived context of reuse mode (created on first use). */
  async reusedContext(): Promise<GuestContext> {
    await this.#ready;
    if (this.#isolate.isDisposed) {
      this.replace();
      await this.#ready;
    }
    if (!this.#reused || this.#reused.released) this.#reused = await this.#prepare();
    return this.#reused;
  }

  /** Called after a fresh-context run: prepare the next context while the isolate is idle. */
  prepareNext(): void {
    if (this.#prepared) return;
    this.#prepared = this.#prepareAfterBuild();
  }

  /** Bookkeeping after a run; recycles the isolate past its thresholds. */
  finishRun(failed: boolean): void {
    this.runs++;
    if (failed) this.errors++;
    // A heap that stays above 80% of the limit between runs (a reused context filling up) would
    // make the next run fail for reasons that are not its own.
    const heapHigh = this.lastHeapUsed > 0.8 * this.memoryLimitMb * 1024 * 1024;
    if (this.runs >= this.#options.maxRuns || this.errors >= this.#options.maxErrors || heapHigh) this.replace();
  }

  /** Disposes the isolate (terminating whatever runs in it) and builds a new one in the background. */
  replace(): void {
    // A dedicated slot serves one run: it is not rebuilt (and building an inspector isolate while
    // another one is torn down mid-pause deadlocks isolated-vm).
    if (this.#options.inspector) return this.#teardown();
    this.#teardown();
    this.replaced++;
    this.runs = 0;
    this.errors = 0;
    // Dispose now (that is what stops the code); build the successor on a later turn so the
    // interrupted run's error is delivered first.
    this.#ready = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#build());
    this.#ready.catch(() => {});
    this.#prepared = this.#prepareAfterBuild();
  }

  /**
   * Replaces the isolate after the current turn: for an isolate whose code has already stopped
   * (isolated-vm's own timeout, a memory-limit kill), so tearing it down does not delay the error
   * the user is waiting for. Runs that take the slot meanwhile wait for the new isolate.
   */
  replaceSoon(): void {
    if (this.#options.inspector) return void setImmediate(() => this.#teardown());
    this.#ready = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#disposeIsolate();
      this.replaced++;
      this.runs = 0;
      this.errors = 0;
      return this.#build();
    });
    this.#ready.catch(() => {});
    const old = this.#prepared;
    this.#prepared = this.#prepareAfterBuild();
    old?.then((c) => c.release(), () => {});
  }

  #teardown(): void {
    const prepared = this.#prepared;
    this.#prepared = undefined;
    prepared?.then((c) => c.release(), () => {});
    this.#disposeIsolate();
  }

  /**
   * Children before parents: the reused context, the compiled guest script, then the isolate. An
   * inspector isolate loses its sessions first (closeSessions), so its disposal waits for that.
   */
  #disposeIsolate(): void {
    if (this.#options.inspector && this.#isolate && !this.#isolate.isDisposed) {
      const isolate = this.#isolate;
      void closeSessions(isolate, CLOSE_SESSIONS_MS).finally(() => isolate.isDisposed || isolate.dispose());
      return;
    }
    this.#reused?.release();
    this.#reused = undefined;
    try {
      this.#script?.release();
    } catch {
      /* gone with the isolate */
    }
    if (this.#isolate && !this.#isolate.isDisposed) this.#isolate.dispose();
  }

  close(): void {
    this.#teardown();
  }
}
