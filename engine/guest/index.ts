/**
 * Entry of the guest bundle. Evaluating the bundle builds the sandbox's globals (console, timers,
 * Buffer, structuredClone, performance) and defines one setup global, `__isolab_install`. The engine
 * host evaluates the bundle once into an isolate snapshot, so every new context starts with all of
 * that already built; per context it only calls `__isolab_install` with its callbacks, which binds
 * them and deletes the setup global (and `gc`) before any user code runs. Host callbacks are only
 * ever held in this module's closure, never on objects user code can reach. The host keeps
 * References to the returned control functions.
 */
import * as I from './intrinsics.ts';
import { bindNativeCodecs, installBuffer, isBuffer } from './buffer/index.ts';
import { structuredClone } from './clone.ts';
import { installConsole, type EmitLog } from './console.ts';
import { RESULT_LIMITS, serialize, setBufferDetector, stringify } from './serialize.ts';
import { installTimers } from './timers.ts';

export interface GuestConfig {
  maxLogLines: number;
  maxLogBytes: number;
  maxTimers: number;
}

/** What the host gets back (as References): */
export interface GuestControl {
  /** Runs the wrapped user function; resolves with the outcome as JSON text. */
  run(
    fn: (() => Promise<unknown>) | undefined,
    callToken: string | undefined,
    callName: string | undefined,
    callArgsJson: string | undefined,
    startMs: number,
    keepFunctions: boolean,
  ): Promise<string>;
  fire(id: number): void;
  /** 'end' clears pending timers (returns the count); 'gc' forces a full collection. */
  control(op: 'end' | 'gc'): number;
}

type G = typeof globalThis & Record<string, unknown>;

function define(global: G, name: string, value: unknown): void {
  I.ObjectDefineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
}

function describeError(error: unknown): Record<string, unknown> {
  if (error !== null && typeof error === 'object' && I.hasProto(error, I.ErrorPrototype)) {
    const read = (key: string): unknown => {
      const own = I.ObjectGetOwnPropertyDescriptor(error, key);
      if (own && 'value' in own) return own.value;
      try {
        return (error as Record<string, unknown>)[key];
      } catch {
        return undefined;
      }
    };
    const name = read('name');
    const message = read('message');
    const stack = read('stack');
    const code = read('code');
    return {
      type: typeof name === 'string' && name !== '' ? name : (I.className(error) ?? 'Error'),
      message: typeof message === 'string' ? message : '',
      stack: typeof stack === 'string' ? stack : undefined,
      code: typeof code === 'string' ? code : undefined,
    };
  }
  return {
    type: 'Uncaught',
    message: 'Uncaught ' + (typeof error === 'string' ? `'${error}'` : safeString(error)),
    value: serialize(error, RESULT_LIMITS),
  };
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'symbol' ? I.StringFn(value) : typeof value === 'object' && value !== null ? `[object ${I.className(value) ?? 'Object'}]` : I.StringFn(value);
  } catch {
    return '[value]';
  }
}

type HostLog = EmitLog;
type HostTimerSet = (id: number, delayMs: number, repeat: boolean) => void;
type HostTimerClear = (id: number) => void;
type HostNow = () => number;
type HostEncode = (bytes: Uint8Array, encoding: string) => string;
type HostDecode = (text: string, encoding: string) => ArrayBuffer;

const unbound = (): never => {
  throw new I.ErrorCtor('isolab: the sandbox was not installed');
};

// Host functions of this context, bound by install(). Until then every bridge call fails.
let hostLog: HostLog = unbound;
let hostTimerSet: HostTimerSet = unbound;
let hostTimerClear: HostTimerClear = unbound;
let hostNow: HostNow = unbound;
let hostEncode: HostEncode = unbound;
let hostDecode: HostDecode = unbound;

/** Limits read at each use, so install() can set the host's values after the snapshot was taken. */
const consoleBounds = { maxLines: 100_000, maxBytes: 16 * 1024 * 1024 };
const timerLimits = { maxTimers: 10_000 };

let uncaught: ((error: unknown) => void) | undefined;
const onUncaught = (error: unknown) => {
  if (uncaught) uncaught(error);
};

const sandbox = globalThis as G;
const consoleState = installConsole(sandbox, (level, json, timeMs) => hostLog(level, json, timeMs), consoleBounds);
const timers = installTimers(sandbox, { set: (id, ms, repeat) => hostTimerSet(id, ms, repeat), clear: (id) => hostTimerClear(id) }, timerLimits, onUncaught);
installBuffer(sandbox, {
  encode: (bytes, encoding) => hostEncode(bytes, encoding),
  decode: (text, encoding) => hostDecode(text, encoding),
});
setBufferDetector(isBuffer);
define(sandbox, 'structuredClone', function structuredClone_(value: unknown) {
  return structuredClone(value);
});
const performance = {};
let originHr = 0;
I.ObjectDefineProperty(performance, 'now', {
  value: function now() {
    return hostNow() - originHr;
  },
  enumerable: true,
});
define(sandbox, 'performance', performance);
define(sandbox, 'global', sandbox);

/** Top-level functions of the last call-mode script run with keepFunctions (leak profiles call them again). */
let kept: [string, unknown][] | undefined;

function install(
  log: HostLog,
  timerSet: HostTimerSet,
  timerClear: HostTimerClear,
  now: HostNow,
  encode: HostEncode,
  decode: HostDecode,
  configJson: string,
): GuestControl {
  const global = globalThis as G;
  delete global.__isolab_install;
  const gc = typeof global.gc === 'function' ? (global.gc as () => void) : undefined;
  // --expose-gc makes `gc` non-configurable (delete fails) but writable: pin it to undefined instead.
  if (!delete global.gc) I.ObjectDefineProperty(global, 'gc', { value: undefined, writable: false });

  hostLog = log;
  hostTimerSet = timerSet;
  hostTimerClear = timerClear;
  hostNow = now;
  hostEncode = encode;
  hostDecode = decode;
  const config = I.JSONParse(configJson) as GuestConfig;
  consoleBounds.maxLines = config.maxLogLines;
  consoleBounds.maxBytes = config.maxLogBytes;
  timerLimits.maxTimers = config.maxTimers;
  // V8 adds flag-gated builtins (Uint8Array base64/hex) to each context when it is created, so the
  // Buffer picks up its native codecs here rather than when the snapshot was taken.
  bindNativeCodecs();
  // This context's clock starts now, not when the snapshot was taken.
  I.ObjectDefineProperty(performance, 'timeOrigin', { value: I.DateNow(), enumerable: true });
  originHr = now();

  const run: GuestControl['run'] = async (fn, callToken, callName, callArgsJson, startMs, keepFunctions) => {
    consoleState.reset(startMs);
    let failWith: ((e: unknown) => void) | undefined;
    const uncaughtPromise = new I.PromiseCtor<never>((_, reject) => {
      failWith = reject;
    });
    uncaught = (error) => failWith!(error);
    try {
      let value = fn ? await I.PromiseCtor.race([fn(), uncaughtPromise]) : undefined;
      if (callName !== undefined) {
        let found: [string, unknown][];
        if (fn) {
          const table = value !== null && typeof value === 'object' ? I.ObjectGetOwnPropertyDescriptor(value, callToken!) : undefined;
          if (table === undefined) {
            throw new I.TypeErrorCtor(`Cannot call '${callName}': the script returned before its end (top-level return), so its functions could not be looked up`);
          }
          found = table.value as [string, unknown][];
          if (keepFunctions) kept = found;
        } else {
          found = kept ?? [];
        }
        const names: string[] = [];
        let target: unknown;
        for (const [name, candidate] of found) {
          if (typeof candidate !== 'function') continue;
          I.ArrayPush(names, name);
          if (name === callName) target = candidate;
        }
        if (target === undefined) {
          const listed = names.length ? `Functions found: ${I.ArrayJoin(names, ', ')}.` : 'The script defines no top-level functions.';
          const err = new ReferenceError(`'${callName}' is not a function defined at the top level of the script. ${listed}`);
          throw err;
        }
        const args = I.JSONParse(callArgsJson ?? '[]') as unknown[];
        value = await I.PromiseCtor.race([I.ReflectApply(target as (...a: unknown[]) => unknown, undefined, args), uncaughtPromise]);
      }
      return stringify({ ok: true, value: serialize(value, RESULT_LIMITS), logs: consoleState.emitted } as never);
    } catch (error) {
      return stringify({ ok: false, error: describeError(error) as never, logs: consoleState.emitted } as never);
    } finally {
      uncaught = undefined;
    }
  };

  return {
    run,
    fire: (id) => timers.fire(id),
    control(op) {
      switch (op) {
        case 'end':
          return timers.clearAll();
        case 'gc':
          if (gc) gc();
          return gc ? 1 : 0;
      }
    },
  };
}

I.ObjectDefineProperty(globalThis, '__isolab_install', { value: install, writable: true, configurable: true, enumerable: false });
