/**
 * Entry of the guest bundle. Evaluating the bundle builds the sandbox's globals (console, timers,
 * Buffer, structuredClone, performance) and defines one setup global, `__isolab_install`. The engine
 * host evaluates the bundle once into an isolate snapshot, so every new context starts with all of
 * that already built; per context it only calls `__isolab_install` with its callbacks, which binds
 * them and deletes the setup global (and `gc`) before any user code runs. Host callbacks are only
 * ever held in this module's closure, never on objects user code can reach. The host keeps
 * References to the returned control functions.
 */
import type { Encoded, GuestControl, GuestEntry, GuestError, GuestOutcome, GuestRunRequest, HostCalls, Install, InstallOptions } from '../common/guest-abi.ts';
import { INSTALL_GLOBAL } from '../common/guest-abi.ts';
import { bindNativeCodecs, inspectMaxBytes, installBuffer, isBuffer } from './buffer/index.ts';
import { missingCaptures } from './captures.ts';
import { structuredClone } from './clone.ts';
import { installConsole } from './console.ts';
import { createRecorder, type RunRecorder } from './recorder.ts';
import { createLogBatcher } from './log-batch.ts';
import * as I from './intrinsics.ts';
import { bindContextPrimordials } from './primordials.ts';
import { RESULT_LIMITS, serialize, setBufferDetector, stringify } from './serialize.ts';
import { installTimers } from './timers.ts';

type G = typeof globalThis & Record<string, unknown>;

function define(global: G, name: string, value: unknown): void {
  I.ObjectDefineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
}

function read(error: object, key: string): unknown {
  const own = I.ObjectGetOwnPropertyDescriptor(error, key);
  if (own && 'value' in own) return own.value;
  try {
    return (error as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** V8's wording when it cannot allocate: the isolate is then not trusted for another run. */
function isAllocationFailure(type: string, message: string): boolean {
  return type === 'RangeError' && I.StringIncludes(I.StringToLowerCase(message), 'allocation failed');
}

function describeError(error: unknown): GuestError {
  if (error !== null && typeof error === 'object' && I.hasProto(error, I.ErrorPrototype)) {
    const name = read(error, 'name');
    const message = read(error, 'message');
    const stack = read(error, 'stack');
    const code = read(error, 'code');
    const type = typeof name === 'string' && name !== '' ? name : (I.className(error) ?? 'Error');
    const text = typeof message === 'string' ? message : '';
    return {
      type,
      message: text,
      ...(typeof stack === 'string' ? { stack } : {}),
      ...(typeof code === 'string' ? { code } : {}),
      reason: isAllocationFailure(type, text) ? 'allocation' : 'exception',
    };
  }
  return {
    type: 'Uncaught',
    message: 'Uncaught ' + (typeof error === 'string' ? `'${error}'` : safeString(error)),
    value: serialize(error, RESULT_LIMITS) as Encoded,
    reason: 'exception',
  };
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'symbol' ? I.StringFn(value) : typeof value === 'object' && value !== null ? `[object ${I.className(value) ?? 'Object'}]` : I.StringFn(value);
  } catch {
    return '[value]';
  }
}

/** A failure of the call itself (no such function): not the user's exception, and said so. */
class CallFailure {
  readonly error: GuestError;
  constructor(type: string, message: string) {
    this.error = { type, message, reason: 'call' };
  }
}

const unbound = (): never => {
  throw new I.ErrorCtor('isolab: the sandbox was not installed');
};

// Host calls of this context, bound by install(). Until then every bridge call fails.
let host: HostCalls = { log: unbound, timerSet: unbound, timerClear: unbound, now: unbound, encode: unbound, decode: unbound };

/** Limits read at each use, so install() can set the host's values after the snapshot was taken. */
const consoleBounds = { maxLines: 100_000, maxBytes: 16 * 1024 * 1024 };
const timerLimits = { maxTimers: 10_000 };

let uncaught: ((error: unknown) => void) | undefined;
const onUncaught = (error: unknown) => {
  if (uncaught) uncaught(error);
};

const sandbox = globalThis as G;
const logs = createLogBatcher((batch) => host.log(batch));
const consoleState = installConsole(sandbox, logs, consoleBounds);
const timers = installTimers(sandbox, { set: (id, ms, repeat) => host.timerSet(id, ms, repeat), clear: (id) => host.timerClear(id) }, timerLimits, onUncaught);
installBuffer(sandbox, {
  encode: (bytes, encoding) => host.encode(bytes, encoding),
  decode: (text, encoding) => host.decode(text, encoding),
});
setBufferDetector(isBuffer, inspectMaxBytes);
define(sandbox, 'structuredClone', function structuredClone_(value: unknown) {
  return structuredClone(value);
});
const performance = {};
let originHr = 0;
I.ObjectDefineProperty(performance, 'now', {
  value: function now() {
    return host.now() - originHr;
  },
  enumerable: true,
});
define(sandbox, 'performance', performance);
define(sandbox, 'global', sandbox);

/** Top-level functions of the last call-mode script run with keepFunctions (leak profiles call them again). */
let kept: [string, unknown][] | undefined;

/** The call-mode table the wrapper returned, or the kept one when only calling again. */
function functionTable(value: unknown, request: GuestRunRequest, ranScript: boolean): [string, unknown][] {
  if (!ranScript) return kept ?? [];
  const table = value !== null && typeof value === 'object' ? I.ObjectGetOwnPropertyDescriptor(value, request.call!.token) : undefined;
  if (table === undefined) {
    throw new CallFailure('TypeError', `Cannot call '${request.call!.name}': the script returned before its end (top-level return), so its functions could not be looked up`);
  }
  const found = table.value as [string, unknown][];
  if (request.keepFunctions) kept = found;
  return found;
}

function findFunction(found: [string, unknown][], callName: string): Function {
  const names: string[] = [];
  let target: unknown;
  for (const [name, candidate] of found) {
    if (typeof candidate !== 'function') continue;
    I.ArrayPush(names, name);
    if (name === callName) target = candidate;
  }
  if (target === undefined) {
    const listed = names.length ? `Functions found: ${I.ArrayJoin(names, ', ')}.` : 'The script defines no top-level functions.';
    throw new CallFailure('ReferenceError', `'${callName}' is not a function defined at the top level of the script. ${listed}`);
  }
  return target as Function;
}

function outcome(result: { ok: true; value: Encoded } | { ok: false; error: GuestError }, recorder: RunRecorder | undefined): string {
  // Every line goes out before the outcome (the host waits until it has them all).
  logs.flush();
  const full = { ...result, logs: consoleState.emitted, logsTruncated: consoleState.truncated, ...(recorder ? { recorded: recorder.take() } : {}) } as GuestOutcome;
  return stringify(full as never);
}

const run: GuestControl['run'] = async (fn, request) => {
  consoleState.reset(request.startMs);
  let failWith: ((e: unknown) => void) | undefined;
  const uncaughtPromise = new I.PromiseCtor<never>((_, reject) => {
    failWith = reject;
  });
  uncaught = (error) => failWith!(error);
  // An instrumented wrapper first takes this run's recorder (see the ABI), then is the same function.
  const recorder = fn && request.record ? createRecorder(request.record) : undefined;
  try {
    const body = recorder ? (I.ReflectApply(fn!, undefined, [recorder.calls, recorder.hits]) as unknown as () => Promise<unknown>) : fn;
    let value = body ? await I.PromiseCtor.race([body(), uncaughtPromise]) : undefined;
    if (request.call !== undefined) {
      const target = findFunction(functionTable(value, request, fn !== undefined), request.call.name);
      const args = I.JSONParse(request.call.argsJson) as unknown[];
      value = await I.PromiseCtor.race([I.ReflectApply(target as (...a: unknown[]) => unknown, undefined, args), uncaughtPromise]);
    }
    return outcome({ ok: true, value: serialize(value, RESULT_LIMITS) as Encoded }, recorder);
  } catch (error) {
    return outcome({ ok: false, error: error instanceof CallFailure ? error.error : describeError(error) }, recorder);
  } finally {
    uncaught = undefined;
  }
};

const install: Install = (options: InstallOptions) => {
  const global = globalThis as G;
  delete global[INSTALL_GLOBAL];
  const gc = typeof global.gc === 'function' ? (global.gc as () => void) : undefined;
  // --expose-gc makes `gc` non-configurable (delete fails) but writable: pin it to undefined instead.
  if (!delete global.gc) I.ObjectDefineProperty(global, 'gc', { value: undefined, writable: false });

  host = options.host;
  consoleBounds.maxLines = options.config.maxLogLines;
  consoleBounds.maxBytes = options.config.maxLogBytes;
  timerLimits.maxTimers = options.config.maxTimers;
  // V8 adds some builtins to each context as it is created, not to the one the snapshot was made
  // in: capture those now (see primordials.ts), then check nothing the context has was missed.
  bindContextPrimordials();
  bindNativeCodecs();
  const missing = missingCaptures(global);
  // This context's clock starts now, not when the snapshot was taken.
  I.ObjectDefineProperty(performance, 'timeOrigin', { value: I.DateNow(), enumerable: true });
  originHr = host.now();

  const control: GuestControl = I.ObjectCreate(null) as GuestControl;
  control.run = run;
  control.fire = (id) => timers.fire(id);
  control.endTimers = () => timers.clearAll();
  control.collectGarbage = () => {
    if (gc) gc();
    return gc !== undefined;
  };
  control.missingCaptures = () => missing;
  control.pendingWaits = () => timers.pending();
  // Only the host holds this function; it reaches the controls of this one context.
  return ((name, ...args) => I.ReflectApply(control[name] as (...a: unknown[]) => unknown, undefined, args)) as GuestEntry;
};

I.ObjectDefineProperty(globalThis, INSTALL_GLOBAL, { value: install, writable: true, configurable: true, enumerable: false });
