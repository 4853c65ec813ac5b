/**
 * setTimeout / setInterval / clearTimeout / clearInterval / queueMicrotask for the sandbox.
 * The host owns the clock: the guest registers a timer through a host callback, the host keeps it
 * in its handle ledger and calls back into the isolate (`fire`) when it is due. A run's timers are
 * cleared when the run ends.
 */
import type { PendingWait } from '../common/guest-abi.ts';
import * as I from './intrinsics.ts';

export interface TimerHost {
  /** Registers timer `id` due in `delayMs` (repeating when `repeat`). */
  set(id: number, delayMs: number, repeat: boolean): void;
  clear(id: number): void;
}

export interface TimerControl {
  /** Runs timer `id` (called by the host); errors go to `onUncaught`. */
  fire(id: number): void;
  /** Forgets every pending timer; returns how many there were. */
  clearAll(): number;
  /** The pending timers: kind, delay and the stack where they were created. */
  pending(): PendingWait[];
}

interface Entry {
  fn: Function;
  args: unknown[];
  repeat: boolean;
  delayMs: number;
  /** Where user code created it: its stack is read only if a stopped run has to say what it waited on. */
  site: Error;
}

export function installTimers(
  global: typeof globalThis,
  host: TimerHost,
  limits: { readonly maxTimers: number },
  onUncaught: (error: unknown) => void,
): TimerControl {
  const timers = new I.MapCtor<number, Entry>();
  let nextId = 1;

  // Node's wording and code for a non-function callback.
  const checkFn = (fn: unknown): Function => {
    if (typeof fn !== 'function') {
      const err = new I.TypeErrorCtor(`The "callback" argument must be of type function. Received ${fn === null ? 'null' : typeof fn}`);
      (err as { code?: string }).code = 'ERR_INVALID_ARG_TYPE';
      throw err;
    }
    return fn;
  };

  const add = (fn: unknown, delay: unknown, args: unknown[], repeat: boolean): number => {
    const callback = checkFn(fn);
    if (I.MapSize(timers) >= limits.maxTimers) {
      throw new I.RangeErrorCtor(`Too many pending timers: the sandbox allows ${limits.maxTimers} at once`);
    }
    let ms = typeof delay === 'number' ? delay : Number(delay);
    if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
    const id = nextId++;
    I.MapSet(timers, id, { fn: callback, args, repeat, delayMs: I.MathTrunc(ms), site: new I.ErrorCtor() });
    host.set(id, I.MathTrunc(ms), repeat);
    return id;
  };

  const remove = (id: unknown): void => {
    const key = typeof id === 'number' ? id : Number(id);
    if (I.MapDelete(timers, key)) host.clear(key);
  };

  const define = (name: string, value: Function) =>
    I.ObjectDefineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });

  define('setTimeout', function setTimeout(fn: unknown, delay?: unknown, ...args: unknown[]) {
    return add(fn, delay, args, false);
  });
  define('setInterval', function setInterval(fn: unknown, delay?: unknown, ...args: unknown[]) {
    return add(fn, delay, args, true);
  });
  define('clearTimeout', function clearTimeout(id: unknown) {
    remove(id);
  });
  define('clearInterval', function clearInterval(id: unknown) {
    remove(id);
  });
  define('queueMicrotask', function queueMicrotask(fn: unknown) {
    const callback = checkFn(fn);
    I.PromiseThen(I.PromiseCtor.resolve(), () => {
      try {
        callback();
      } catch (error) {
        onUncaught(error);
      }
    });
  });

  return {
    fire(id: number) {
      const entry = I.MapGet(timers, id) as Entry | undefined;
      if (entry === undefined) return;
      if (!entry.repeat) I.MapDelete(timers, id);
      try {
        I.ReflectApply(entry.fn as (...a: unknown[]) => unknown, undefined, entry.args);
      } catch (error) {
        onUncaught(error);
      }
    },
    clearAll() {
      const n = I.MapSize(timers);
      I.MapClear(timers);
      return n;
    },
    pending() {
      const out: PendingWait[] = [];
      // Captured iteration only: user code may have patched Map.prototype[Symbol.iterator].
      const it = I.MapEntries(timers as Map<unknown, unknown>);
      for (let step = I.MapIteratorNext(it); !step.done; step = I.MapIteratorNext(it)) {
        const entry = (step.value as [number, Entry])[1];
        // V8 gives errors an own `stack` accessor; this error is the guest's own, so reading it runs no user code.
        const d = I.ObjectGetOwnPropertyDescriptor(entry.site, 'stack');
        const stack = d === undefined ? undefined : 'value' in d ? d.value : d.get ? I.ReflectApply(d.get, entry.site, []) : undefined;
        I.ArrayPush(out, { kind: entry.repeat ? 'interval' : 'timer', delayMs: entry.delayMs, stack: typeof stack === 'string' ? stack : '' });
      }
      return out;
    },
  };
}
