/**
 * One V8 context with the guest installed: the host callbacks it was given (each registered in
 * the ledger), the References to the guest's control functions, and the host side of its timers.
 * Disposal is explicit and idempotent, children before parents.
 */
import ivm from 'isolated-vm';
import { createHostCodec, type HostCodec } from './codec-bridge.ts';
import { HandleLedger } from './ledger.ts';
import type { LogLevel } from '../common/contract.ts';

export interface GuestLimits {
  maxLogLines: number;
  maxLogBytes: number;
  maxTimers: number;
}

export type LogSink = (level: LogLevel, argsJson: string, timeMs: number) => void;

interface HostTimer {
  handle: NodeJS.Timeout;
  ledgerId: number;
  repeat: boolean;
}

const LEVELS = new Set<LogLevel>(['log', 'info', 'warn', 'error', 'debug']);

export class GuestContext {
  readonly ledger = new HandleLedger();
  readonly codec: HostCodec;
  readonly #isolate: ivm.Isolate;
  #context: ivm.Context | undefined;
  #run: ivm.Reference | undefined;
  #fire: ivm.Reference | undefined;
  #control: ivm.Reference | undefined;
  readonly #timers = new Map<number, HostTimer>();
  #sink: LogSink | undefined;
  /** Lines received from the guest since the current run started. */
  logsReceived = 0;
  /** Deadline (performance.now() ms) that timer callbacks must respect; undefined between runs. */
  timerDeadline: number | undefined;
  /** Called when a timer callback could not run (isolate gone, or it hit the deadline). */
  onTimerFailure: ((error: unknown) => void) | undefined;
  #released = false;
  /** Runs executed in this context (more than one only for reused contexts and leak profiles). */
  runs = 0;

  private constructor(isolate: ivm.Isolate) {
    this.#isolate = isolate;
    this.codec = createHostCodec();
  }

  /** `guestScript` is the bundle to evaluate first, or undefined when the isolate's snapshot has it. */
  static async create(isolate: ivm.Isolate, guestScript: ivm.Script | undefined, limits: GuestLimits): Promise<GuestContext> {
    const gc = new GuestContext(isolate);
    await gc.#init(guestScript, limits);
    return gc;
  }

  async #init(guestScript: ivm.Script | undefined, limits: GuestLimits): Promise<void> {
    const context = await this.#isolate.createContext();
    this.#context = context;
    if (guestScript) await guestScript.run(context);
    // Asynchronous on purpose: contexts are prepared between runs, and the host thread is what
    // limits throughput (synchronous calls would run the guest's install on it; measured 31% of
    // the host's CPU at saturation).
    const install = (await context.global.get('__isolab_install', { reference: true })) as ivm.Reference;
    const callback = <F extends (...args: never[]) => unknown>(fn: F, options?: { ignored: true }) => {
      this.ledger.register('callback');
      return new ivm.Callback(fn, options);
    };
    const log = callback(
      (level: LogLevel, argsJson: string, timeMs: number) => {
        this.logsReceived++;
        if (this.#sink && LEVELS.has(level) && typeof argsJson === 'string') this.#sink(level, argsJson, Number(timeMs) || 0);
      },
      { ignored: true },
    );
    const timerSet = callback((id: number, delayMs: number, repeat: boolean) => this.#setTimer(id, delayMs, repeat));
    const timerClear = callback((id: number) => this.#clearTimer(id));
    const now = callback(() => performance.now());
    const encode = callback((bytes: Uint8Array, encoding: string) => this.codec.encode(bytes, encoding));
    const decode = callback((text: string, encoding: string) => this.codec.decode(text, encoding));
    const control = (await install.apply(undefined, [log, timerSet, timerClear, now, encode, decode, JSON.stringify(limits)], {
      result: { reference: true },
    })) as ivm.Reference;
    install.release();
    [this.#run, this.#fire, this.#control] = (await Promise.all([
      control.get('run', { reference: true }),
      control.get('fire', { reference: true }),
      control.get('control', { reference: true }),
    ])) as [ivm.Reference, ivm.Reference, ivm.Reference];
    control.release();
    for (let i = 0; i < 3; i++) this.ledger.register('reference');
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

  /** Starts the wrapped user function; resolves with the guest's outcome JSON. */
  run(
    fn: ivm.Reference | undefined,
    call: { token: string; name: string; argsJson: string } | undefined,
    startMs: number,
    timeoutMs: number,
    keepFunctions = false,
  ): Promise<string> {
    this.runs++;
    this.codec.startRun();
    this.logsReceived = 0;
    return this.#run!.apply(undefined, [fn?.derefInto(), call?.token, call?.name, call?.argsJson, startMs, keepFunctions], {
      result: { promise: true, copy: true },
      timeout: Math.max(1, Math.ceil(timeoutMs)),
    }) as Promise<string>;
  }

  control(op: 'end' | 'gc', timeoutMs = 5_000): Promise<number> {
    return this.#control!.apply(undefined, [op], { result: { copy: true }, timeout: timeoutMs }) as Promise<number>;
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
    const remaining = this.timerDeadline === undefined ? 5_000 : this.timerDeadline - performance.now();
    if (remaining <= 0) return;
    this.#fire!.apply(undefined, [id], { timeout: Math.max(1, Math.ceil(remaining)) }).catch((error: unknown) => this.onTimerFailure?.(error));
  }

  /** Host timers still pending. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Clears every pending timer on both sides; returns how many the code had left behind. */
  async clearTimers(): Promise<number> {
    const count = this.#timers.size;
    for (const id of [...this.#timers.keys()]) this.#clearTimer(id);
    // Every guest timer has its host twin, so with none pending here the guest has none either.
    if (count > 0 && !this.#isolate.isDisposed && !this.#released) {
      try {
        await this.control('end');
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
    for (const ref of [this.#run, this.#fire, this.#control]) {
      try {
        ref?.release();
      } catch {
        /* already gone with its isolate */
      }
    }
    try {
      this.#context?.release();
    } catch {
      /* already gone with its isolate */
    }
    this.#context = undefined;
    this.ledger.releaseAll();
  }
}
