/**
 * One V8 context with the guest installed: the host calls it was given (each registered in the
 * ledger), References to the guest's control functions, and the host side of its timers.
 * Disposal is explicit and idempotent, children before parents.
 */
import ivm from 'isolated-vm';
import { INSTALL_GLOBAL, LOG_LEVELS, type Encoded, type GuestConfig, type GuestControl, type GuestEntry, type GuestRunRequest, type HostCalls, type InstallOptions, type LogLevel, type LogLine, type PendingWait } from '../common/guest-abi.ts';
import { createHostCodec, type HostCodec } from './codec-bridge.ts';
import { HandleLedger } from './ledger.ts';

export type LogSink = (level: LogLevel, args: Encoded[], timeMs: number) => void;

interface HostTimer {
  handle: NodeJS.Timeout;
  ledgerId: number;
  repeat: boolean;
}

const LEVELS: ReadonlySet<string> = new Set(LOG_LEVELS);

/** Bound on a timer callback that fires between runs (leak-profile iterations). */
const BETWEEN_RUNS_TIMER_MS = 5_000;

type RareControl = 'endTimers' | 'collectGarbage' | 'missingCaptures' | 'pendingWaits';

export class GuestContext {
  readonly ledger = new HandleLedger();
  readonly codec: HostCodec = createHostCodec();
  readonly #isolate: ivm.Isolate;
  #context: ivm.Context | undefined;
  /** The guest's entry: every control of this context, by name (see the ABI). */
  #entry: ivm.Reference<GuestEntry> | undefined;
  readonly #timers = new Map<number, HostTimer>();
  #sink: LogSink | undefined;
  /** Lines received from the guest since the current run started. */
  logsReceived = 0;
  /** Milliseconds a timer callback may run now (the run's remaining budget); undefined between runs. */
  timerBudget: (() => number) | undefined;
  #released = false;
  /** Runs executed in this context (more than one only for reused contexts and leak profiles). */
  runs = 0;

  /** The context is registered with the isolate's V8 inspector (debugged and profiled runs). */
  readonly #inspector: boolean;

  private constructor(isolate: ivm.Isolate, inspector: boolean) {
    this.#isolate = isolate;
    this.#inspector = inspector;
  }

  /** `guestScript` is the bundle to evaluate first, or undefined when the isolate's snapshot has it. */
  static async create(isolate: ivm.Isolate, guestScript: ivm.Script | undefined, config: GuestConfig, inspector = false): Promise<GuestContext> {
    const gc = new GuestContext(isolate, inspector);
    await gc.#init(guestScript, config);
    return gc;
  }

  async #init(guestScript: ivm.Script | undefined, config: GuestConfig): Promise<void> {
    const context = await this.#isolate.createContext({ inspector: this.#inspector });
    this.#context = context;
    if (guestScript) await guestScript.run(context);
    // Asynchronous on purpose: contexts are prepared between runs, and the host thread is what
    // limits throughput (synchronous calls would run the guest's install on it; measured 31% of
    // the host's CPU at saturation). One round trip installs and hands back the entry.
    const options: InstallOptions = { host: this.#hostCalls(), config };
    this.#entry = (await context.evalClosure(`return globalThis[${JSON.stringify(INSTALL_GLOBAL)}]($0)`, [options], {
      arguments: { copy: true },
      result: { reference: true },
    })) as ivm.Reference<GuestEntry>;
    this.ledger.register('reference');
  }

  /** The host side of the ABI's HostCalls, each a registered ivm.Callback. */
  #hostCalls(): HostCalls {
    const callback = <F extends (...args: never[]) => unknown>(fn: F, options?: { ignored: true }): F => {
      this.ledger.register('callback');
      return new ivm.Callback(fn, options) as unknown as F;
    };
    return {
      log: callback((batchJson: string) => this.#receiveLogs(batchJson), { ignored: true }),
      timerSet: callback((id: number, delayMs: number, repeat: boolean) => this.#setTimer(id, delayMs, repeat)),
      timerClear: callback((id: number) => this.#clearTimer(id)),
      now: callback(() => performance.now()),
      encode: callback((bytes: Uint8Array, encoding: string) => this.codec.encode(bytes, encoding)),
      decode: callback((text: string, encoding: string) => this.codec.decode(text, encoding) as ArrayBuffer),
    };
  }

  /** A batch of console lines from the guest; what does not have the ABI's shape is dropped. */
  #receiveLogs(batchJson: string): void {
    let lines: LogLine[];
    try {
      lines = JSON.parse(batchJson) as LogLine[];
    } catch {
      return;
    }
    if (!Array.isArray(lines)) return;
    for (const line of lines) {
      this.logsReceived++;
      if (!Array.isArray(line) || !LEVELS.has(line[0]) || !Array.isArray(line[2])) continue;
      this.#sink?.(line[0], line[2], Number(line[1]) || 0);
    }
  }

  get context(): ivm.Context {
    if (!this.#context) throw new Error('context released');
    return this.#context;
  }

  get released(): boolean {
    return this.#released;
  }

  setLogSink(sink: LogSink | undefined): void {
    this.#sink = sink;
  }

  /**
   * Starts the wrapped user function (or, without one, a call of the kept functions); resolves
   * with the guest's outcome JSON. `syncTimeoutMs` is isolated-vm's own bound on synchronous
   * execution; undefined leaves only the host's deadline (debugging: a paused run must not time out).
   */
  run(fn: ivm.Reference | undefined, request: GuestRunRequest, syncTimeoutMs: number | undefined): Promise<string> {
    this.runs++;
    this.codec.startRun();
    this.logsReceived = 0;
    return this.#entry!.apply(undefined, ['run', fn?.derefInto(), request], {
      arguments: { copy: true },
      result: { promise: true, copy: true },
      ...(syncTimeoutMs !== undefined ? { timeout: Math.max(1, Math.ceil(syncTimeoutMs)) } : {}),
    }) as unknown as Promise<string>;
  }

  /** Calls one of the guest's other controls. */
  #callControl<K extends RareControl>(name: K, timeoutMs: number): Promise<ReturnType<GuestControl[K]>> {
    return this.#entry!.apply(undefined, [name], { result: { copy: true }, timeout: timeoutMs }) as Promise<ReturnType<GuestControl[K]>>;
  }

  /** A full, synchronous garbage collection in the isolate. */
  collectGarbage(timeoutMs = 5_000): Promise<boolean> {
    return this.#callControl('collectGarbage', timeoutMs);
  }

  /** Pending timers with the stacks that created them (for a stopped run's receipt). */
  pendingWaits(timeoutMs: number): Promise<PendingWait[]> {
    return this.#callControl('pendingWaits', timeoutMs);
  }

  /** Builtins this context has that the guest holds as missing (should be none). */
  missingCaptures(): Promise<string[]> {
    return this.#callControl('missingCaptures', 5_000);
  }

  #setTimer(id: number, delayMs: number, repeat: boolean): void {
    if (this.#released) return;
    const ledgerId = this.ledger.register('timer');
    const tick = () => this.#fireTimer(id);
    const handle = repeat ? setInterval(tick, delayMs) : setTimeout(tick, delayMs);
    this.#timers.set(id, { handle, ledgerId, repeat });
  }

  #clearTimer(id: number): void {
    const timer = this.#timers.get(id);
    if (!timer) return;
    this.#timers.delete(id);
    clearTimeout(timer.handle);
    this.ledger.release(timer.ledgerId);
  }

  #fireTimer(id: number): void {
    const timer = this.#timers.get(id);
    if (!timer || this.#released) return;
    if (!timer.repeat) {
      this.#timers.delete(id);
      this.ledger.release(timer.ledgerId);
    }
    const remaining = this.timerBudget === undefined ? BETWEEN_RUNS_TIMER_MS : this.timerBudget();
    if (remaining <= 0) return;
    // A callback that cannot run (deadline, disposed isolate) ends with the run's own outcome.
    this.#entry!.apply(undefined, ['fire', id], { timeout: Math.max(1, Math.ceil(remaining)) }).catch(() => {});
  }

  /** Clears every pending timer on both sides; returns how many the code had left behind. */
  async clearTimers(): Promise<number> {
    const count = this.#timers.size;
    for (const id of [...this.#timers.keys()]) this.#clearTimer(id);
    // Every guest timer has its host twin, so with none pending here the guest has none either.
    if (count > 0 && !this.#isolate.isDisposed && !this.#released) {
      try {
        await this.#callControl('endTimers', 5_000);
      } catch {
        /* the isolate may have been disposed under us; nothing left to clear there */
      }
    }
    return count;
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    for (const timer of this.#timers.values()) clearTimeout(timer.handle);
    this.#timers.clear();
    this.#sink = undefined;
    try {
      this.#entry?.release();
    } catch {
      /* already gone with its isolate */
    }
    // Releasing the context of a disposed isolate is pointless, and for an inspector context
    // disposed mid-pause it waits forever inside isolated-vm.
    if (!this.#isolate.isDisposed) {
      try {
        this.#context?.release();
      } catch {
        /* already gone with its isolate */
      }
    }
    this.#context = undefined;
    this.ledger.releaseAll();
  }
}
