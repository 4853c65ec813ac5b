/**
 * structuredClone for the sandbox (the HTML structured clone algorithm, minus transfer lists):
 * bare V8 contexts do not have it.
 */
import * as I from './intrinsics.ts';

class DataCloneError extends Error {
  override name = 'DataCloneError';
  readonly code = 25;
}

export function structuredClone(root: unknown): unknown {
  const memo = new I.MapCtor<object, unknown>();
  const fail = (what: string): never => {
    throw new DataCloneError(`${what} could not be cloned.`);
  };
  const clone = (value: unknown): unknown => {
    if (typeof value === 'function') return fail(`${I.FunctionToString(value as Function).slice(0, 60)}`);
    if (typeof value === 'symbol') return fail(I.StringFn(value));
    if (value === null || typeof value !== 'object') return value;
    if (I.MapHas(memo, value)) return I.MapGet(memo, value);
    const tag = I.ObjectToString(value);
    const remember = <T>(copy: T): T => {
      I.MapSet(memo, value, copy);
      return copy;
    };
    switch (tag) {
      case '[object Date]':
        return remember(new Date(I.DateGetTime(value as Date)));
      case '[object RegExp]':
        return remember(new RegExp(I.RegExpSource(value as RegExp), I.RegExpFlags(value as RegExp)));
      case '[object Boolean]':
      case '[object Number]':
      case '[object String]':
      case '[object BigInt]':
        return remember(Object((value as { valueOf(): unknown }).valueOf()));
      case '[object ArrayBuffer]':
        return remember((value as ArrayBuffer).slice(0));
      case '[object DataView]': {
        const dv = value as DataView;
        const buffer = clone(I.DataViewBuffer(dv)) as ArrayBuffer;
        return remember(new DataView(buffer, I.DataViewByteOffset(dv), I.DataViewByteLength(dv)));
      }
      case '[object Map]': {
        const copy = remember(new Map());
        for (const [k, v] of I.MapEntries(value as Map<unknown, unknown>)) copy.set(clone(k), clone(v));
        return copy;
      }
      case '[object Set]': {
        const copy = remember(new Set());
        for (const v of I.SetValues(value as Set<unknown>)) copy.add(clone(v));
        return copy;
      }
      case '[object Error]': {
        const err = value as Error;
        const ctors: Record<string, ErrorConstructor> = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
        const ctor = ctors[err.name] ?? Error;
        const copy = remember(new ctor(typeof err.message === 'string' ? err.message : ''));
        if (typeof err.stack === 'string') copy.stack = err.stack;
        if ('cause' in err) (copy as { cause?: unknown }).cause = clone(err.cause);
        return copy;
      }
    }
    if (I.ArrayBufferIsView(value)) {
      const kind = I.TypedArrayToStringTag(value);
      if (kind !== undefined) {
        const buffer = clone(I.TypedArrayBuffer(value)) as ArrayBuffer;
        const ctor = (globalThis as unknown as Record<string, new (b: ArrayBuffer, o: number, l: number) => unknown>)[kind]!;
        return remember(new ctor(buffer, I.TypedArrayByteOffset(value), I.TypedArrayLength(value)));
      }
    }
    if (tag === '[object Promise]' || tag === '[object WeakMap]' || tag === '[object WeakSet]' || tag === '[object WeakRef]') {
      return fail(`#<${tag.slice(8, -1)}>`);
    }
    if (I.ArrayIsArray(value)) {
      const copy = remember(new Array((value as unknown[]).length));
      const keys = I.ObjectGetOwnPropertyNames(value);
      for (const key of keys) if (key !== 'length') (copy as unknown as Record<string, unknown>)[key] = clone((value as unknown as Record<string, unknown>)[key]);
      return copy;
    }
    const copy = remember({} as Record<string, unknown>);
    for (const key of Object.keys(value)) {
      I.ObjectDefineProperty(copy, key, { value: clone((value as Record<string, unknown>)[key]), writable: true, enumerable: true, configurable: true });
    }
    return copy;
  };
  return clone(root);
}
